/**
 * The emulator's coupons and promotion codes, and Stripe's documented rules for them:
 * `POST /v1/coupons` ("A coupon has either a percent_off or an amount_off and currency",
 * stripe@23 `CouponCreateParams`), `POST /v1/promotion_codes` (the `promotion: {type: 'coupon',
 * coupon}` shape of API 2026-10-28, stripe@23 `PromotionCodeCreateParams`; "Regardless of case,
 * this code must be unique across all active promotion codes") and `GET /v1/promotion_codes`
 * (`code`, `active`, `limit`). Only one-off discounts on a payment: `duration: 'once'`, no
 * customer, expiry, redemption or minimum-amount restrictions, which it refuses.
 */
import { boolean, integer, invalid, metadata, missing, noSuch, object, onlyKeys, string, token, type Params } from './emulator-params.js';

export interface Coupon {
  id: string;
  name: string | null;
  percentOff: number | null;
  amountOff: number | null;
  currency: string | null;
  created: number;
}

export interface PromotionCode {
  id: string;
  code: string;
  coupon: Coupon;
  active: boolean;
  created: number;
  metadata: Record<string, string>;
}

const CODE = /^[A-Za-z0-9-]{1,500}$/;

export class Discounts {
  private readonly coupons = new Map<string, Coupon>();
  private readonly codes = new Map<string, PromotionCode>();

  constructor(private readonly seconds: () => number) {}

  /** POST /v1/coupons: `percent_off` (in (0, 100], two decimals) or `amount_off` with `currency`; `duration: 'once'`; `name`. */
  createCoupon(params: Params) {
    onlyKeys(params, ['percent_off', 'amount_off', 'currency', 'duration', 'name', 'metadata']);
    if ((params['percent_off'] === undefined) === (params['amount_off'] === undefined)) {
      throw invalid('percent_off', 'You must pass exactly one of percent_off or amount_off.');
    }
    if (params['duration'] !== undefined && params['duration'] !== 'once') {
      throw invalid('duration', "The emulator supports only duration=once (the default for a payment's discount).");
    }
    const amountOff = params['amount_off'] === undefined ? null : integer(params['amount_off'], 'amount_off', 1, 99_999_999);
    if (amountOff !== null && params['currency'] === undefined) throw missing('currency');
    if (amountOff === null && params['currency'] !== undefined) throw invalid('currency', 'currency can only be set with amount_off.');
    const currency = amountOff === null ? null : string(params['currency'], 'currency').toLowerCase();
    const coupon: Coupon = {
      id: token(8),
      name: params['name'] === undefined ? null : string(params['name'], 'name'),
      percentOff: params['percent_off'] === undefined ? null : percent(params['percent_off']),
      amountOff,
      currency,
      created: this.seconds(),
    };
    if (params['metadata'] !== undefined) metadata(params['metadata'], 'metadata');
    this.coupons.set(coupon.id, coupon);
    return couponJson(coupon);
  }

  /** POST /v1/promotion_codes: `promotion[type]=coupon`, `promotion[coupon]`, `code` (generated if left out), `active`. */
  createPromotionCode(params: Params) {
    onlyKeys(params, ['promotion', 'code', 'active', 'metadata']);
    if (params['promotion'] === undefined) throw missing('promotion');
    const promotion = object(params['promotion'], 'promotion');
    onlyKeys(promotion, ['type', 'coupon'], 'promotion');
    if (promotion['type'] !== 'coupon') throw invalid('promotion[type]', 'The emulator supports only promotion[type]=coupon.');
    if (promotion['coupon'] === undefined) throw missing('promotion[coupon]');
    const couponId = string(promotion['coupon'], 'promotion[coupon]');
    const coupon = this.coupons.get(couponId);
    if (!coupon) throw noSuch('coupon', couponId, 'promotion[coupon]');
    const code = params['code'] === undefined ? token(8).toUpperCase() : string(params['code'], 'code');
    if (!CODE.test(code)) throw invalid('code', 'A promotion code may hold only letters, digits and dashes.');
    const active = params['active'] === undefined ? true : boolean(params['active'], 'active');
    if (active && this.find(code)) throw invalid('code', 'An active promotion code with this code already exists.', 'resource_already_exists');
    const meta = params['metadata'] === undefined ? {} : metadata(params['metadata'], 'metadata');
    const created: PromotionCode = { id: `promo_${token(24)}`, code, coupon, active, created: this.seconds(), metadata: meta };
    this.codes.set(created.id, created);
    return promotionCodeJson(created);
  }

  /** GET /v1/promotion_codes: `code` (case-insensitive), `active`, `limit` (1–100, default 10), newest first. */
  listPromotionCodes(params: Params) {
    onlyKeys(params, ['code', 'active', 'limit']);
    const code = params['code'] === undefined ? undefined : string(params['code'], 'code').toUpperCase();
    const active = params['active'] === undefined ? undefined : boolean(params['active'], 'active');
    const limit = params['limit'] === undefined ? 10 : integer(params['limit'], 'limit', 1, 100);
    const found = [...this.codes.values()].reverse()
      .filter((promo) => (code === undefined || promo.code.toUpperCase() === code) && (active === undefined || promo.active === active));
    return { object: 'list', data: found.slice(0, limit).map(promotionCodeJson), has_more: found.length > limit, url: '/v1/promotion_codes' };
  }

  /** The active promotion code a customer typed, matched as Stripe matches it: trimmed, whatever its case. */
  find(typed: string): PromotionCode | undefined {
    const code = typed.trim().toUpperCase();
    return [...this.codes.values()].find((promo) => promo.active && promo.code.toUpperCase() === code);
  }
}

/** A percentage off: a number in (0, 100] with at most two decimals, as Stripe's `percent_off`. */
function percent(value: unknown): number {
  const text = string(value, 'percent_off');
  const n = Number(text);
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(text) || !(n > 0 && n <= 100)) {
    throw invalid('percent_off', 'percent_off must be greater than 0 and at most 100, with at most two decimals.');
  }
  return n;
}

/**
 * The discount on a subtotal: a percentage rounded to the nearest minor unit, or the amount
 * off, never more than the subtotal ("an invoice with a subtotal of 100 will have a final total
 * of 0 if a coupon with an amount_off of 200 is applied to it", stripe@23 `coupons.create`).
 */
export function discountOn(coupon: Coupon, subtotal: number): number {
  const off = coupon.percentOff !== null ? Math.round((subtotal * coupon.percentOff) / 100) : (coupon.amountOff ?? 0);
  return Math.min(off, subtotal);
}

export function couponJson(coupon: Coupon) {
  return {
    id: coupon.id,
    object: 'coupon',
    amount_off: coupon.amountOff,
    created: coupon.created,
    currency: coupon.currency,
    duration: 'once',
    duration_in_months: null,
    livemode: false,
    max_redemptions: null,
    metadata: {},
    name: coupon.name,
    percent_off: coupon.percentOff,
    redeem_by: null,
    times_redeemed: 0,
    valid: true,
  };
}

function promotionCodeJson(promo: PromotionCode) {
  return {
    id: promo.id,
    object: 'promotion_code',
    active: promo.active,
    code: promo.code,
    created: promo.created,
    customer: null,
    customer_account: null,
    expires_at: null,
    livemode: false,
    max_redemptions: null,
    metadata: { ...promo.metadata },
    promotion: { type: 'coupon', coupon: promo.coupon.id },
    restrictions: { first_time_transaction: false, minimum_amount: null, minimum_amount_currency: null },
    times_redeemed: 0,
  };
}
