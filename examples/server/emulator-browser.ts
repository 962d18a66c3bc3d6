/**
 * The emulator's browser side, which is not part of Stripe's public API: the session as the
 * Checkout Elements SDK shows it (`BrowserSession`), and Stripe.js's six actions that change a
 * session's total without the merchant's server (`applyPromotionCode`, `removePromotionCode`,
 * `updateShippingOption`, `updateLineItemQuantity`, `addOptionalLineItem`,
 * `removeOptionalLineItem`). The real SDK performs them through Stripe's own endpoints; here the
 * example server exposes them to a browser stand-in. Results and words are those of
 * `createFakeStripe` (src/testing/checkout-actions.ts): Stripe documents `code: 'invalidCode'`
 * for a refused promotion code and no wording.
 */
import type { Discounts } from './emulator-discounts.js';
import { type Bounds, type DeliveryEstimate, type Session, type SessionStatus, totals } from './emulator-sessions.js';

/** What a browser stand-in needs to show a session (the example server's `GET /__emulator/session`). */
export interface BrowserSession {
  id: string;
  status: SessionStatus;
  currency: string;
  /** `price` is the line item's Price id, which Stripe.js reports as the line item's `priceId`. */
  lineItems: { id: string; price: string; name: string; unitAmount: number; quantity: number; adjustableQuantity: Bounds | null }[];
  amountSubtotal: number;
  amountDiscount: number;
  amountShipping: number;
  amountTotal: number;
  /** The applied promotion code and what it takes off; empty without one. */
  discounts: { promotionCode: string; amount: number; percentOff: number | null }[];
  shippingOptions: { id: string; displayName: string; amount: number; deliveryEstimate: DeliveryEstimate | null }[];
  shippingOptionId: string | null;
  /** Always empty: Stripe refuses `optional_items` on `ui_mode: 'elements'` sessions (stripe@23). */
  optionalItems: { priceId: string; name: string; unitAmount: number; quantity: number; isSelected: boolean }[];
  expiresAt: number;
}

/** An action Stripe refused: `{message, code}` as Stripe.js's `{type: 'error', error}`, and the HTTP status to answer it with. */
export class ActionRefused extends Error {
  constructor(
    message: string,
    readonly code: 'invalidCode' | null = null,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const ACTIONS = ['applyPromotionCode', 'removePromotionCode', 'updateShippingOption', 'updateLineItemQuantity', 'addOptionalLineItem', 'removeOptionalLineItem'] as const;

export function browserSession(session: Session): BrowserSession {
  const amounts = totals(session);
  const promotion = session.promotion;
  return {
    id: session.id,
    status: session.status,
    currency: session.currency,
    lineItems: session.lineItems.map((item) => ({
      id: item.id,
      price: item.price.id,
      name: item.price.productName,
      unitAmount: item.price.unitAmount,
      quantity: item.quantity,
      adjustableQuantity: item.adjustable && { ...item.adjustable },
    })),
    amountSubtotal: amounts.subtotal,
    amountDiscount: amounts.discount,
    amountShipping: amounts.shipping,
    amountTotal: amounts.total,
    discounts: promotion ? [{ promotionCode: promotion.code, amount: amounts.discount, percentOff: promotion.coupon.percentOff }] : [],
    shippingOptions: session.shippingOptions.map((rate) => ({ ...rate })),
    shippingOptionId: session.shippingRateId,
    optionalItems: [],
    expiresAt: session.expiresAt,
  };
}

/**
 * Performs one action on an open session, as Stripe's server would, or throws `ActionRefused`
 * and leaves the session as it was.
 */
export function performAction(session: Session, discounts: Discounts, method: string, args: readonly unknown[]): void {
  if (session.status !== 'open') throw new ActionRefused('This Checkout Session is no longer active.', null, 409);
  const arg = args[0];
  switch (method) {
    case 'applyPromotionCode': {
      // "Enable user-redeemable promotion codes by specifying the allow_promotion_codes parameter
      // when creating the Checkout Session" (docs.stripe.com/checkout/custom-checkout/promotion-codes).
      const promotion = session.allowPromotionCodes && typeof arg === 'string' ? discounts.find(arg) : undefined;
      const coupon = promotion?.coupon;
      if (!promotion || (coupon?.currency != null && coupon.currency !== session.currency)) throw new ActionRefused('This code is invalid.', 'invalidCode');
      session.promotion = promotion; // one code at a time: a new one replaces the one applied
      return;
    }
    case 'removePromotionCode':
      session.promotion = null;
      return;
    case 'updateShippingOption':
      if (!session.shippingOptions.some((rate) => rate.id === arg)) throw new ActionRefused(`No such shipping option: ${String(arg)}`);
      session.shippingRateId = arg as string;
      return;
    case 'updateLineItemQuantity':
      return setQuantity(session, arg as { lineItem?: unknown; quantity?: unknown } | undefined);
    // No elements session has optional items (see BrowserSession.optionalItems).
    case 'addOptionalLineItem':
      throw new ActionRefused(`No such optional item: ${String(arg)}`);
    case 'removeOptionalLineItem':
      throw new ActionRefused(`The optional item ${String(arg)} is not on this session`);
    default:
      throw new ActionRefused(`Unknown action ${method}`);
  }
}

/**
 * Only an item with `adjustable_quantity`, and only within its bounds. A quantity of 0 (allowed
 * by a minimum of 0) removes the item, except the last one: "Checkout prevents the customer from
 * removing an item if it is the only item remaining" (docs.stripe.com/payments/checkout/adjustable-quantity).
 */
function setQuantity(session: Session, arg: { lineItem?: unknown; quantity?: unknown } | undefined): void {
  const item = session.lineItems.find((candidate) => candidate.id === arg?.lineItem);
  if (!item) throw new ActionRefused(`No such line item: ${String(arg?.lineItem)}`);
  const name = item.price.productName;
  const range = item.adjustable;
  if (!range) throw new ActionRefused(`The quantity of ${name} cannot be changed`);
  const quantity = arg?.quantity;
  if (typeof quantity !== 'number' || !Number.isSafeInteger(quantity) || quantity < range.minimum || quantity > range.maximum) {
    throw new ActionRefused(`The quantity of ${name} must be between ${range.minimum} and ${range.maximum}`);
  }
  if (quantity === 0 && session.lineItems.length === 1) throw new ActionRefused(`${name} is the only item and cannot be removed`);
  session.lineItems = quantity === 0
    ? session.lineItems.filter((candidate) => candidate !== item)
    : session.lineItems.map((candidate) => (candidate === item ? { ...item, quantity } : candidate));
}
