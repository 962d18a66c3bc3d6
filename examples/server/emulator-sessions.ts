/**
 * The emulator's Checkout Sessions, and Stripe's documented rules for them, with no HTTP:
 * each endpoint method takes the decoded parameters and returns the JSON Stripe would answer,
 * or throws an `ApiError`. Whatever it does not emulate it refuses, so it is never more
 * permissive than Stripe.
 */
import { type Discounts, type PromotionCode, couponJson, discountOn } from './emulator-discounts.js';
import {
  MAX_LIST,
  StateError,
  boolean,
  expansions,
  integer,
  invalid,
  list,
  metadata,
  missing,
  noSuch,
  object,
  onlyKeys,
  string,
  token,
  unknownParam,
  type Params,
} from './emulator-params.js';

export type SessionStatus = 'open' | 'complete' | 'expired';

interface Price {
  id: string;
  product: string;
  productName: string;
  currency: string;
  unitAmount: number;
  /** Prices made inline from `price_data` are not active: `line_items[][price]` refuses them. */
  active: boolean;
}

export interface LineItem {
  id: string;
  price: Price;
  quantity: number;
  metadata: Record<string, string>;
  /** `adjustable_quantity`: the customer may set the quantity within these bounds. */
  adjustable: Bounds | null;
}

export interface Bounds {
  minimum: number;
  maximum: number;
}

/** A shipping rate made from `shipping_options[][shipping_rate_data]`. */
export interface ShippingRate {
  id: string;
  displayName: string;
  amount: number;
  deliveryEstimate: DeliveryEstimate | null;
}

type Estimate = { unit: string; value: number };
export type DeliveryEstimate = { minimum: Estimate | null; maximum: Estimate | null };

export interface Session {
  id: string;
  clientSecret: string;
  created: number;
  expiresAt: number;
  status: SessionStatus;
  returnUrl: string;
  currency: string;
  metadata: Record<string, string>;
  lineItems: LineItem[];
  allowPromotionCodes: boolean;
  /** The promotion code the customer applied (one at a time, as Stripe.js's `applyPromotionCode`). */
  promotion: PromotionCode | null;
  shippingOptions: ShippingRate[];
  /** The chosen rate: the first one when the session is created, as Checkout chooses it. */
  shippingRateId: string | null;
}

/** A session's amounts, as Stripe reports them: the discount comes off the line items, never off shipping. */
export function totals(session: Session) {
  const subtotal = session.lineItems.reduce((sum, item) => sum + item.price.unitAmount * item.quantity, 0);
  const discount = session.promotion ? discountOn(session.promotion.coupon, subtotal) : 0;
  const shipping = session.shippingOptions.find((rate) => rate.id === session.shippingRateId)?.amount ?? 0;
  return { subtotal, discount, shipping, total: subtotal - discount + shipping };
}

const MAX_QUANTITY = 999_999;
const MAX_SHIPPING_OPTIONS = 5;
const ESTIMATE_UNITS = ['business_day', 'day', 'hour', 'week', 'month'];
/** Stripe's defaults for `adjustable_quantity` (docs.stripe.com/payments/checkout/adjustable-quantity). */
const ADJUSTABLE_DEFAULTS: Bounds = { minimum: 0, maximum: 99 };
/** What the emulator can expand on a session. */
const EXPANDABLE = ['line_items', 'discounts.coupon'];
const LIFETIME_S = 24 * 60 * 60;
/** An expanded `line_items` holds the first handful of items, as on Stripe; the list endpoint has them all. */
const EXPANDED_ITEMS = 10;

export class CheckoutSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly prices = new Map<string, Price>();
  private readonly products = new Map<string, string>(); // id -> name

  constructor(
    private readonly discounts: Discounts,
    private readonly now: () => number = Date.now,
  ) {}

  // --- endpoints ---------------------------------------------------------------------------

  /** POST /v1/checkout/sessions */
  create(params: Params) {
    onlyKeys(params, ['mode', 'ui_mode', 'return_url', 'line_items', 'metadata', 'expand', 'allow_promotion_codes', 'shipping_options', 'optional_items']);
    if (params['mode'] === undefined) throw missing('mode');
    if (params['mode'] !== 'payment') throw invalid('mode', 'The emulator supports only mode=payment.');
    if (params['ui_mode'] !== 'elements') throw invalid('ui_mode', 'The emulator supports only ui_mode=elements.');
    if (params['return_url'] === undefined) throw missing('return_url');
    const returnUrl = string(params['return_url'], 'return_url');
    if (!URL.canParse(returnUrl) || !/^https?:$/.test(new URL(returnUrl).protocol)) throw invalid('return_url', 'Not a valid URL', 'url_invalid');
    if (params['line_items'] === undefined) throw missing('line_items');
    const lineItems = list(params['line_items'], 'line_items').map((raw, i) => this.newLineItem(object(raw, `line_items[${i}]`), `line_items[${i}]`));
    // stripe@23 `SessionCreateParams.optional_items`: "You can't set this parameter if `ui_mode`
    // is `elements` or `form`." Stripe.js's addOptionalLineItem has nothing to add, then.
    if (params['optional_items'] !== undefined) throw invalid('optional_items', "You can't set optional_items when ui_mode is elements.");
    const expand = expansions(params, EXPANDABLE);
    const meta = params['metadata'] === undefined ? {} : metadata(params['metadata'], 'metadata');
    const currency = checkLineItems(lineItems, null);
    const shippingOptions = params['shipping_options'] === undefined ? [] : shippingRates(params['shipping_options'], currency);
    const id = `cs_test_${token(58)}`;
    const session: Session = {
      id,
      clientSecret: `${id}_secret_${token(24)}`,
      created: this.seconds(),
      expiresAt: this.seconds() + LIFETIME_S,
      status: 'open',
      returnUrl,
      currency,
      metadata: meta,
      lineItems,
      allowPromotionCodes: params['allow_promotion_codes'] === undefined ? false : boolean(params['allow_promotion_codes'], 'allow_promotion_codes'),
      promotion: null,
      shippingOptions,
      shippingRateId: shippingOptions[0]?.id ?? null,
    };
    this.sessions.set(id, session);
    return sessionJson(session, expand);
  }

  /** GET /v1/checkout/sessions/:id */
  retrieve(id: string, params: Params) {
    onlyKeys(params, ['expand']);
    return sessionJson(this.session(id), expansions(params, EXPANDABLE));
  }

  /** POST /v1/checkout/sessions/:id: `line_items` retransmitted whole, and `metadata`. */
  update(id: string, params: Params) {
    onlyKeys(params, ['line_items', 'metadata', 'expand']);
    const session = this.session(id);
    const expand = expansions(params, EXPANDABLE);
    if (session.status !== 'open') throw new StateError(`This Checkout Session is ${session.status}: only open sessions can be updated.`);
    // Check everything before changing anything: a refused update changes nothing.
    const lineItems = params['line_items'] === undefined ? session.lineItems : this.retransmitted(session.lineItems, params['line_items']);
    checkLineItems(lineItems, session.currency);
    const meta = params['metadata'] === undefined ? session.metadata : metadata(params['metadata'], 'metadata', session.metadata);
    session.lineItems = lineItems;
    session.metadata = meta;
    return sessionJson(session, expand);
  }

  /** GET /v1/checkout/sessions/:id/line_items: `limit` (default 10), `starting_after`, `ending_before`. */
  listLineItems(id: string, params: Params) {
    onlyKeys(params, ['limit', 'starting_after', 'ending_before', 'expand']);
    const session = this.session(id);
    const items = session.lineItems;
    const limit = params['limit'] === undefined ? 10 : integer(params['limit'], 'limit', 1, 100);
    const cursor = (param: string) => {
      const at = items.findIndex((item) => item.id === string(params[param], param));
      if (at < 0) throw noSuch('line item', String(params[param]), param);
      return at;
    };
    if (params['ending_before'] !== undefined) {
      const end = cursor('ending_before');
      return listJson(session, items.slice(Math.max(0, end - limit), end), end - limit > 0);
    }
    const start = params['starting_after'] === undefined ? 0 : cursor('starting_after') + 1;
    return listJson(session, items.slice(start, start + limit), start + limit < items.length);
  }

  /** POST /v1/checkout/sessions/:id/expire: open sessions only. */
  expire(id: string, params: Params) {
    onlyKeys(params, ['expand']);
    const session = this.session(id);
    const expand = expansions(params, EXPANDABLE);
    if (session.status !== 'open') {
      throw new StateError(`Only Checkout Sessions with a status of \`open\` can be expired. This one is \`${session.status}\`.`);
    }
    session.status = 'expired';
    return sessionJson(session, expand);
  }

  // --- for the example server and tests, not part of Stripe's API ----------------------------

  /** The session with this client secret, as the browser SDK finds it (past `expires_at`, expired), or `null`. */
  bySecret(clientSecret: string): Session | null {
    const found = [...this.sessions.values()].find((s) => s.clientSecret === clientSecret);
    return found ? this.session(found.id) : null;
  }

  status(id: string): SessionStatus | null {
    return this.sessions.has(id) ? this.session(id).status : null;
  }

  /** Marks an open session paid, as a successful `confirm` in the browser would. */
  complete(id: string): void {
    const session = this.session(id);
    if (session.status !== 'open') throw new Error(`Session ${id} is ${session.status}, not open.`);
    session.status = 'complete';
  }

  createPrice(data: { unitAmount: number; currency: string; productName: string }): string {
    const product = `prod_${token(14)}`;
    this.products.set(product, data.productName);
    return this.newPrice({ ...data, product, active: true }).id;
  }

  // --- rules --------------------------------------------------------------------------------

  private seconds() {
    return Math.floor(this.now() / 1000);
  }

  /** A session past `expires_at` is expired, as Stripe expires it. */
  private session(id: string): Session {
    const found = this.sessions.get(id);
    if (!found) throw noSuch('checkout.session', id, 'session', 404);
    if (found.status === 'open' && this.seconds() >= found.expiresAt) found.status = 'expired';
    return found;
  }

  /**
   * Stripe's rules for `line_items` on update: the whole array is sent; an entry with `id`
   * keeps that item (with a new quantity or metadata if given), an entry with `price` or
   * `price_data` and `quantity` adds one, an item whose id is left out is removed, and the
   * order is the array's. An unknown id is `resource_missing`.
   */
  private retransmitted(current: readonly LineItem[], value: unknown): LineItem[] {
    const byId = new Map(current.map((item) => [item.id, item]));
    const seen = new Set<string>();
    return list(value, 'line_items').map((raw, i) => {
      const param = `line_items[${i}]`;
      const item = object(raw, param);
      if (item['id'] === undefined) return this.newLineItem(item, param);
      const id = string(item['id'], `${param}[id]`);
      const existing = byId.get(id);
      if (!existing) throw noSuch('line item', id, `${param}[id]`);
      if (seen.has(id)) throw invalid(`${param}[id]`, `The line item ${id} appears more than once in line_items.`);
      seen.add(id);
      // Changing an existing item's price is not emulated: leave it out and add a new one.
      onlyKeys(item, ['id', 'quantity', 'metadata', 'adjustable_quantity'], param);
      const quantity = item['quantity'] === undefined ? existing.quantity : integer(item['quantity'], `${param}[quantity]`, 1, MAX_QUANTITY);
      return {
        ...existing,
        quantity,
        metadata: item['metadata'] === undefined ? existing.metadata : metadata(item['metadata'], `${param}[metadata]`, existing.metadata),
        adjustable: item['adjustable_quantity'] === undefined ? within(existing.adjustable, quantity, param) : adjustable(item['adjustable_quantity'], quantity, param),
      };
    });
  }

  /** A new line item: exactly one of `price` or `price_data`, and `quantity`. */
  private newLineItem(item: Params, param: string): LineItem {
    if (item['id'] !== undefined) throw unknownParam(`${param}[id]`);
    onlyKeys(item, ['price', 'price_data', 'quantity', 'metadata', 'adjustable_quantity'], param);
    if (item['quantity'] === undefined) throw missing(`${param}[quantity]`);
    const quantity = integer(item['quantity'], `${param}[quantity]`, 1, MAX_QUANTITY);
    const meta = item['metadata'] === undefined ? {} : metadata(item['metadata'], `${param}[metadata]`);
    if ((item['price'] === undefined) === (item['price_data'] === undefined)) {
      throw invalid(param, `You must specify exactly one of ${param}[price] or ${param}[price_data].`);
    }
    const price = item['price'] !== undefined
      ? this.activePrice(string(item['price'], `${param}[price]`), `${param}[price]`)
      : this.inlinePrice(object(item['price_data'], `${param}[price_data]`), `${param}[price_data]`);
    const bounds = item['adjustable_quantity'] === undefined ? null : adjustable(item['adjustable_quantity'], quantity, param);
    return { id: `li_${token(24)}`, price, quantity, metadata: meta, adjustable: bounds };
  }

  private activePrice(id: string, param: string): Price {
    const price = this.prices.get(id);
    if (!price) throw noSuch('price', id, param);
    if (!price.active) throw invalid(param, 'The price specified is inactive. This field only accepts active prices.');
    return price;
  }

  /** `price_data`: `currency`, `unit_amount`, and `product` or `product_data[name]`. */
  private inlinePrice(data: Params, param: string): Price {
    onlyKeys(data, ['currency', 'unit_amount', 'product', 'product_data'], param);
    if (data['currency'] === undefined) throw missing(`${param}[currency]`);
    const currency = string(data['currency'], `${param}[currency]`).toLowerCase();
    if (!/^[a-z]{3}$/.test(currency)) throw invalid(`${param}[currency]`, `Invalid currency: ${currency}.`);
    if (data['unit_amount'] === undefined) throw missing(`${param}[unit_amount]`);
    const unitAmount = integer(data['unit_amount'], `${param}[unit_amount]`, 0, 99_999_999);
    if ((data['product'] === undefined) === (data['product_data'] === undefined)) {
      throw invalid(param, `You must specify exactly one of ${param}[product] or ${param}[product_data].`);
    }
    const product = data['product'] !== undefined
      ? this.knownProduct(string(data['product'], `${param}[product]`), `${param}[product]`)
      : this.inlineProduct(object(data['product_data'], `${param}[product_data]`), `${param}[product_data]`);
    return this.newPrice({ unitAmount, currency, product, productName: this.products.get(product)!, active: false });
  }

  private knownProduct(id: string, param: string): string {
    if (!this.products.has(id)) throw noSuch('product', id, param);
    return id;
  }

  private inlineProduct(data: Params, param: string): string {
    onlyKeys(data, ['name', 'description', 'metadata'], param);
    if (data['name'] === undefined) throw missing(`${param}[name]`);
    const name = string(data['name'], `${param}[name]`);
    if (name.trim() === '') throw invalid(`${param}[name]`, 'Product names cannot be empty.', 'parameter_invalid_empty');
    const id = `prod_${token(14)}`;
    this.products.set(id, name);
    return id;
  }

  private newPrice(data: Omit<Price, 'id'>): Price {
    const price: Price = { id: `price_${token(24)}`, ...data };
    this.prices.set(price.id, price);
    return price;
  }
}

/**
 * `adjustable_quantity`: `enabled` required; `minimum` 0 and `maximum` 99 by default, up to
 * 999999; the item's quantity within them ("set adjustable_quantity.maximum to be greater than or
 * equal to that item's quantity", docs.stripe.com/payments/checkout/adjustable-quantity).
 * `enabled: false` removes the bounds ("Setting to false will remove any previously specified
 * constraints on quantity", stripe@23 `SessionUpdateParams.LineItem.AdjustableQuantity`).
 */
function adjustable(value: unknown, quantity: number, param: string): Bounds | null {
  const prefix = `${param}[adjustable_quantity]`;
  const raw = object(value, prefix);
  onlyKeys(raw, ['enabled', 'minimum', 'maximum'], prefix);
  if (raw['enabled'] === undefined) throw missing(`${prefix}[enabled]`);
  if (!boolean(raw['enabled'], `${prefix}[enabled]`)) {
    if (raw['minimum'] !== undefined || raw['maximum'] !== undefined) throw invalid(prefix, 'minimum and maximum need enabled=true.');
    return null;
  }
  const minimum = raw['minimum'] === undefined ? ADJUSTABLE_DEFAULTS.minimum : integer(raw['minimum'], `${prefix}[minimum]`, 0, MAX_QUANTITY);
  const maximum = raw['maximum'] === undefined ? ADJUSTABLE_DEFAULTS.maximum : integer(raw['maximum'], `${prefix}[maximum]`, 1, MAX_QUANTITY);
  if (minimum > maximum) throw invalid(prefix, `${prefix}[minimum] must be at most ${prefix}[maximum].`);
  return within({ minimum, maximum }, quantity, param);
}

/** An adjustable item's quantity stays within its bounds, also when an update restates it. */
function within(bounds: Bounds | null, quantity: number, param: string): Bounds | null {
  if (bounds && (quantity < bounds.minimum || quantity > bounds.maximum)) {
    throw invalid(`${param}[quantity]`, `The quantity must be between adjustable_quantity[minimum] (${bounds.minimum}) and adjustable_quantity[maximum] (${bounds.maximum}).`);
  }
  return bounds;
}

/**
 * `shipping_options`: up to 5, each a `shipping_rate_data` of `type: 'fixed_amount'` with
 * `fixed_amount[amount]` and `[currency]` (the session's), `display_name` and an optional
 * `delivery_estimate` (stripe@23 `SessionCreateParams.ShippingOption`). Shipping Rate objects
 * (`shipping_rate` ids) are not emulated, so that form is refused.
 */
function shippingRates(value: unknown, currency: string): ShippingRate[] {
  const options = list(value, 'shipping_options');
  if (options.length > MAX_SHIPPING_OPTIONS) throw invalid('shipping_options', `A Checkout Session can have at most ${MAX_SHIPPING_OPTIONS} shipping options.`);
  return options.map((raw, i) => {
    const param = `shipping_options[${i}]`;
    const option = object(raw, param);
    if (option['shipping_rate'] !== undefined) throw invalid(`${param}[shipping_rate]`, 'The emulator has no Shipping Rate objects: use shipping_rate_data.');
    onlyKeys(option, ['shipping_rate_data'], param);
    if (option['shipping_rate_data'] === undefined) throw missing(`${param}[shipping_rate_data]`);
    const data = object(option['shipping_rate_data'], `${param}[shipping_rate_data]`);
    const at = `${param}[shipping_rate_data]`;
    onlyKeys(data, ['type', 'fixed_amount', 'display_name', 'delivery_estimate'], at);
    if (data['type'] !== undefined && data['type'] !== 'fixed_amount') throw invalid(`${at}[type]`, 'Only fixed_amount shipping rates are emulated.');
    if (data['display_name'] === undefined) throw missing(`${at}[display_name]`);
    const displayName = string(data['display_name'], `${at}[display_name]`);
    if (displayName.trim() === '' || displayName.length > 100) throw invalid(`${at}[display_name]`, 'A shipping rate needs a display name of 1 to 100 characters.');
    if (data['fixed_amount'] === undefined) throw missing(`${at}[fixed_amount]`);
    const fixed = object(data['fixed_amount'], `${at}[fixed_amount]`);
    onlyKeys(fixed, ['amount', 'currency'], `${at}[fixed_amount]`);
    if (fixed['amount'] === undefined) throw missing(`${at}[fixed_amount][amount]`);
    if (fixed['currency'] === undefined) throw missing(`${at}[fixed_amount][currency]`);
    const amount = integer(fixed['amount'], `${at}[fixed_amount][amount]`, 0, 99_999_999);
    if (string(fixed['currency'], `${at}[fixed_amount][currency]`).toLowerCase() !== currency) {
      throw invalid(`${at}[fixed_amount][currency]`, `Shipping rates must use the session's currency (${currency}).`);
    }
    const deliveryEstimate = data['delivery_estimate'] === undefined ? null : estimate(data['delivery_estimate'], `${at}[delivery_estimate]`);
    return { id: `shr_${token(24)}`, displayName, amount, deliveryEstimate };
  });
}

function estimate(value: unknown, param: string): DeliveryEstimate {
  const raw = object(value, param);
  onlyKeys(raw, ['minimum', 'maximum'], param);
  const bound = (key: 'minimum' | 'maximum') => {
    if (raw[key] === undefined) return null;
    const at = `${param}[${key}]`;
    const end = object(raw[key], at);
    onlyKeys(end, ['unit', 'value'], at);
    const unit = string(end['unit'], `${at}[unit]`);
    if (!ESTIMATE_UNITS.includes(unit)) throw invalid(`${at}[unit]`, `Invalid unit: must be one of ${ESTIMATE_UNITS.join(', ')}.`);
    return { unit, value: integer(end['value'], `${at}[value]`, 1, 999) };
  };
  return { minimum: bound('minimum'), maximum: bound('maximum') };
}

/** At least one item, at most 100, all in the session's currency; returns that currency. */
function checkLineItems(items: readonly LineItem[], currency: string | null): string {
  if (items.length === 0) throw invalid('line_items', 'A Checkout Session in payment mode needs at least one line item.');
  if (items.length > MAX_LIST) throw invalid('line_items', `A Checkout Session can have at most ${MAX_LIST} line items.`);
  const expected = currency ?? items[0]!.price.currency;
  const other = items.find((item) => item.price.currency !== expected);
  if (other) throw invalid('line_items', `All line items must use the same currency (${expected}), got ${other.price.currency}.`);
  return expected;
}

// --- JSON, as Stripe answers it ---------------------------------------------------------------

function lineItemJson(item: LineItem) {
  const total = item.price.unitAmount * item.quantity;
  return {
    id: item.id,
    object: 'item',
    adjustable_quantity: item.adjustable ? { enabled: true, ...item.adjustable } : null,
    amount_discount: 0,
    amount_subtotal: total,
    amount_tax: 0,
    amount_total: total,
    currency: item.price.currency,
    description: item.price.productName,
    metadata: { ...item.metadata },
    price: {
      id: item.price.id,
      object: 'price',
      active: item.price.active,
      currency: item.price.currency,
      livemode: false,
      product: item.price.product,
      type: 'one_time',
      unit_amount: item.price.unitAmount,
      unit_amount_decimal: String(item.price.unitAmount),
    },
    quantity: item.quantity,
  };
}

function listJson(session: Session, items: readonly LineItem[], hasMore: boolean) {
  return { object: 'list', data: items.map(lineItemJson), has_more: hasMore, url: `/v1/checkout/sessions/${session.id}/line_items` };
}

function sessionJson(session: Session, expand: ReadonlySet<string>) {
  const amounts = totals(session);
  const chosen = session.shippingOptions.find((rate) => rate.id === session.shippingRateId);
  const coupon = session.promotion?.coupon;
  return {
    id: session.id,
    object: 'checkout.session',
    allow_promotion_codes: session.allowPromotionCodes,
    amount_subtotal: amounts.subtotal,
    amount_total: amounts.total,
    cancel_url: null,
    client_secret: session.clientSecret,
    created: session.created,
    currency: session.currency,
    // The applied code, and the coupon it redeems into (expandable as `discounts.coupon`).
    discounts: session.promotion && coupon
      ? [{ coupon: expand.has('discounts.coupon') ? couponJson(coupon) : coupon.id, promotion_code: session.promotion.id }]
      : [],
    expires_at: session.expiresAt,
    livemode: false,
    metadata: { ...session.metadata },
    mode: 'payment',
    optional_items: null,
    payment_intent: null,
    payment_status: session.status === 'complete' ? 'paid' : 'unpaid',
    return_url: session.returnUrl,
    shipping_cost: chosen ? { amount_subtotal: chosen.amount, amount_tax: 0, amount_total: chosen.amount, shipping_rate: chosen.id } : null,
    shipping_options: session.shippingOptions.map((rate) => ({ shipping_amount: rate.amount, shipping_rate: rate.id })),
    status: session.status,
    success_url: null,
    total_details: { amount_discount: amounts.discount, amount_shipping: amounts.shipping, amount_tax: 0 },
    ui_mode: 'elements',
    url: null,
    ...(expand.has('line_items')
      ? { line_items: listJson(session, session.lineItems.slice(0, EXPANDED_ITEMS), session.lineItems.length > EXPANDED_ITEMS) }
      : {}),
  };
}
