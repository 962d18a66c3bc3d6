/**
 * The Checkout Session side of the example server: create a session from the catalog, read an
 * open one, turn a selection into the `line_items` array Stripe wants on every update, and
 * retry a read-modify-write that another tab's update overtook.
 */
import Stripe from 'stripe';
import {
  ADJUSTABLE_QUANTITY,
  BASE_ITEM,
  CATALOG,
  CURRENCY,
  INITIAL_SELECTION,
  SHIPPING_RATES,
  isAddOnName,
  priceAddOns,
  type CheckedSelection,
} from './catalog.js';
import { HttpError, UNKNOWN_SESSION } from './validate.js';

type LineItemParam = Stripe.Checkout.SessionUpdateParams.LineItem;

/** Line item metadata: `item` marks the base item, `addon` and `value` an add-on's line. */
const BASE_KEY = 'item';
const ADD_ON_KEY = 'addon';
const VALUE_KEY = 'value';

const baseLine = () => ({
  price_data: { currency: CURRENCY, unit_amount: BASE_ITEM.unitAmount, product_data: { name: BASE_ITEM.name } },
  quantity: INITIAL_SELECTION.quantity,
  metadata: { [BASE_KEY]: BASE_ITEM.key },
});

export function createSession(stripe: Stripe, returnUrl: string): Promise<Stripe.Checkout.Session> {
  return stripe.checkout.sessions.create({ mode: 'payment', ui_mode: 'elements', return_url: returnUrl, line_items: [baseLine()] });
}

/**
 * The promotions page's session: promotion codes allowed (Stripe.js's `applyPromotionCode`
 * needs `allow_promotion_codes`, docs.stripe.com/checkout/custom-checkout/promotion-codes), the
 * two shipping rates (the first selected), and the T-shirt with `adjustable_quantity`, which
 * Stripe.js's `updateLineItemQuantity` changes. No `optional_items`: stripe@23 says they cannot
 * be set when `ui_mode` is `elements`.
 */
export function createPromotionsSession(stripe: Stripe, returnUrl: string): Promise<Stripe.Checkout.Session> {
  return stripe.checkout.sessions.create({
    mode: 'payment',
    ui_mode: 'elements',
    return_url: returnUrl,
    allow_promotion_codes: true,
    shipping_options: SHIPPING_RATES.map(({ display_name, amount, delivery_estimate }) => ({
      shipping_rate_data: { type: 'fixed_amount', display_name, fixed_amount: { amount, currency: CURRENCY }, delivery_estimate },
    })),
    line_items: [{ ...baseLine(), adjustable_quantity: ADJUSTABLE_QUANTITY }],
  });
}

export interface OpenSession {
  session: Stripe.Checkout.Session;
  lineItems: Stripe.LineItem[];
}

/** The session, in whatever state; a 404 `HttpError` when Stripe does not know it. */
export async function retrieveSession(stripe: Stripe, id: string, params?: Stripe.Checkout.SessionRetrieveParams): Promise<Stripe.Checkout.Session> {
  try {
    return await stripe.checkout.sessions.retrieve(id, params);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) throw new HttpError(404, UNKNOWN_SESSION);
    throw error;
  }
}

/**
 * The session and all its line items; a 404 `HttpError` when Stripe does not know it, a 409
 * when it is complete or expired (the library then re-reads the session and learns it ended).
 */
export async function retrieveOpenSession(stripe: Stripe, id: string): Promise<OpenSession> {
  // The coupon of an applied promotion code, to know what the session's total will be (planLineItems).
  const session = await retrieveSession(stripe, id, { expand: ['line_items', 'discounts.coupon'] });
  if (session.status === 'complete') throw new HttpError(409, 'This checkout has already been paid.');
  if (session.status !== 'open' || session.expires_at * 1000 <= Date.now()) {
    throw new HttpError(409, 'This checkout has expired. Please reload the page to start again.');
  }
  const expanded = session.line_items;
  const lineItems = expanded && !expanded.has_more
    ? expanded.data
    : await stripe.checkout.sessions.listLineItems(id, { limit: 100 }).autoPagingToArray({ limit: 1000 });
  return { session, lineItems };
}

/**
 * Runs a read-modify-write of one session, and runs it once more, from a fresh read, when
 * another request (another tab) removed a line item between this one's read and its write.
 * Stripe has no conditional update, so that is how the race shows: the retransmitted `{id}` is
 * refused as `resource_missing`, and nothing was written. Losing twice in a row is a 409 with
 * words for the customer (the library then re-reads the session and shows what it holds), not a
 * 5xx: nothing failed, and retrying the same request would not help.
 */
export async function retryOnConflict<T>(readModifyWrite: () => Promise<T>): Promise<T> {
  try {
    return await readModifyWrite();
  } catch (error) {
    if (!isLineItemGone(error)) throw error;
  }
  try {
    return await readModifyWrite();
  } catch (error) {
    throw isLineItemGone(error) ? new HttpError(409, 'This checkout changed in another tab. Please check your choices.') : error;
  }
}

/** Stripe's answer to an update that retransmits a line item id the session no longer has. */
const isLineItemGone = (error: unknown) =>
  error instanceof Stripe.errors.StripeInvalidRequestError &&
  error.code === 'resource_missing' &&
  /^line_items\[\d+\]\[id\]$/.test(error.param ?? '');

const isAddOnLine = (item: Stripe.LineItem) => item.metadata?.[ADD_ON_KEY] !== undefined;

/** What the session's line items say was chosen: the delta endpoint toggles from this. */
export function selectionOf(lineItems: readonly Stripe.LineItem[]): CheckedSelection {
  const selection: Record<keyof CheckedSelection, unknown> = { ...INITIAL_SELECTION };
  for (const item of lineItems) {
    if (item.metadata?.[BASE_KEY] === BASE_ITEM.key) {
      selection.quantity = CATALOG.quantity.parse(item.quantity) ?? INITIAL_SELECTION.quantity;
    }
    const name = item.metadata?.[ADD_ON_KEY];
    if (name !== undefined && isAddOnName(name)) {
      const spec: { fromText(text: string): unknown } = CATALOG[name];
      selection[name] = spec.fromText(item.metadata?.[VALUE_KEY] ?? '') ?? selection[name];
    }
  }
  return selection as CheckedSelection;
}

/**
 * The whole `line_items` array for a selection, as Stripe requires on every update: each base
 * item kept by its `id`, then one line per add-on in catalog order. The T-shirt's quantity is the
 * selection's, unless the line is `adjustable_quantity`: then the customer sets it through
 * Stripe.js's `updateLineItemQuantity`, and restating it would undo that, so it is sent as `{id}`
 * and the add-ons priced from the T-shirts (the tip) use the quantity the session holds. Any
 * other line the server did not add (no add-on metadata: an optional item the customer added) is
 * kept by `id` too. An add-on line that is already on the session at the same price is kept by
 * `id`; any other is added from `price_data` with the catalog's name and amount. Add-ons no
 * longer chosen are left out, which removes them. `changed` is false when the array would leave
 * the session as it is, so a repeated request writes nothing. `amountTotal` is the total Stripe
 * will answer for the array: the lines, less the applied coupon (on the new subtotal), plus the
 * chosen shipping rate; there is no tax. The delta endpoint records it in the same write.
 */
export function planLineItems({ session, lineItems: current }: OpenSession, selection: CheckedSelection) {
  const base = current.filter((item) => !isAddOnLine(item));
  const shirt = base.find(isShirt);
  const quantity = (shirt?.adjustable_quantity?.enabled ? shirt.quantity : null) ?? selection.quantity;
  const lineItems: LineItemParam[] = base
    .map((item) => (isShirt(item) && !item.adjustable_quantity?.enabled ? { id: item.id, quantity } : { id: item.id }));
  const addOns = priceAddOns({ ...selection, quantity });
  for (const line of addOns) {
    const same = current.find((item) =>
      item.metadata?.[ADD_ON_KEY] === line.addOn &&
      item.metadata[VALUE_KEY] === line.value &&
      item.description === line.name &&
      item.price?.unit_amount === line.unitAmount &&
      item.quantity === line.quantity);
    lineItems.push(same ? { id: same.id } : {
      price_data: { currency: CURRENCY, unit_amount: line.unitAmount, product_data: { name: line.name } },
      quantity: line.quantity,
      metadata: { [ADD_ON_KEY]: line.addOn, [VALUE_KEY]: line.value },
    });
  }
  const changed = lineItems.length !== current.length || lineItems.some((param, i) =>
    param.id !== current[i]!.id || (param.quantity !== undefined && param.quantity !== current[i]!.quantity));
  const subtotal = base.reduce((sum, item) => sum + (isShirt(item) ? (item.price?.unit_amount ?? 0) * quantity : item.amount_subtotal), 0) +
    addOns.reduce((sum, line) => sum + line.unitAmount * line.quantity, 0);
  const amountTotal = subtotal - discountOn(session, subtotal) + (session.total_details?.amount_shipping ?? 0);
  return { lineItems, changed, amountTotal };
}

const isShirt = (item: Stripe.LineItem) => item.metadata?.[BASE_KEY] === BASE_ITEM.key;

/**
 * What the session's coupon (read with `expand: ['discounts.coupon']`) takes off a subtotal:
 * a percentage rounded to the cent, or the amount off, never more than the subtotal.
 */
function discountOn(session: Stripe.Checkout.Session, subtotal: number): number {
  return (session.discounts ?? []).reduce((sum, discount) => {
    const coupon = discount.coupon;
    if (coupon === null || typeof coupon === 'string') return sum;
    const off = coupon.percent_off !== null ? Math.round((subtotal * coupon.percent_off) / 100) : (coupon.amount_off ?? 0);
    return sum + Math.min(off, subtotal - sum);
  }, 0);
}
