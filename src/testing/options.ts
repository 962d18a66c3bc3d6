import type { PaymentIntent, StripeCheckoutDeliveryEstimate } from '@stripe/stripe-js';
import { describe } from '../errors.js';
import type { Selection } from '../types.js';

/** Stripe's own total-changing actions of a Checkout Session, which the fake implements. */
export const ACTION_METHODS = [
  'applyPromotionCode',
  'removePromotionCode',
  'updateShippingOption',
  'updateLineItemQuantity',
  'addOptionalLineItem',
  'removeOptionalLineItem',
] as const;

/** The methods whose latency and failures a test can set: Checkout Sessions' first, then Payment Intents', then the actions. */
export const FAKE_METHODS = [
  'loadActions',
  'runServerUpdate',
  'confirm',
  'fetchUpdates',
  'retrievePaymentIntent',
  'confirmPayment',
  ...ACTION_METHODS,
] as const;

/** The methods whose latency and failures a test can set. */
export type FakeMethod = (typeof FAKE_METHODS)[number];

/** `error`: the method resolves Stripe's error value (`{type: 'error'}`, or `{error}` for Payment Intents' methods). `reject`: its promise rejects. */
export type FakeFailureKind = 'error' | 'reject';

/** An item the session always holds, whatever the selection. */
export interface FakeBaseItem {
  name: string;
  /** In minor units (cents for `usd`). */
  unitAmount: number;
  /** @default 1 */
  quantity?: number;
  /** The customer may change its quantity within these bounds (`updateLineItemQuantity`), as `adjustable_quantity` allows. */
  adjustableQuantity?: { minimum: number; maximum: number };
}

/** A promotion code the session accepts: exactly one of `percentOff` and `amountOff` (minor units). */
export interface FakePromotionCode {
  percentOff?: number;
  amountOff?: number;
  /** An inactive code is refused, as an unknown one. @default true */
  active?: boolean;
}

/** One of the session's shipping rates (`shipping_options[].shipping_rate_data`). */
export interface FakeShippingOption {
  id: string;
  displayName: string;
  /** In minor units. */
  amount: number;
  deliveryEstimate?: StripeCheckoutDeliveryEstimate;
}

/** An item the customer may add (`optional_items`). */
export interface FakeOptionalItem {
  priceId: string;
  name: string;
  /** In minor units. */
  unitAmount: number;
  /** @default 1 */
  quantity?: number;
}

/**
 * What the merchant's server charges for one selection key. A selection value of `true` gives
 * one `name` at `unitAmount`; a whole number `n > 0` gives quantity `n` at `unitAmount`; a
 * string gives one `` `${name}: ${value}` `` at `options[value]`. `false`, `null`, `0`, `''`, an
 * unknown option or a missing price give no line item.
 * @example { gift_wrap: { name: 'Gift wrap', unitAmount: 500 } }
 * @example { shipping: { name: 'Shipping', options: { standard: 0, express: 1500 } } }
 */
export interface FakeCatalogEntry {
  name: string;
  /** In minor units. */
  unitAmount?: number;
  /** Option value to its price in minor units, for string selection values. */
  options?: Readonly<Record<string, number>>;
}

/**
 * A session as a server (such as a local emulator of Stripe's API) reports it, for `remote`
 * and `remoteAction`. What Stripe's own actions change is optional: left out, the session has
 * no discount, no shipping rates and no optional items.
 */
export interface FakeRemoteSession {
  id: string;
  status: 'open' | 'expired' | 'complete';
  /**
   * `price` is the line item's Price id (`price_...`): the fake reports it as the line item's
   * `priceId`. `adjustableQuantity`: the bounds within which `updateLineItemQuantity` may set it.
   */
  lineItems: ReadonlyArray<{ id: string; price: string; name: string; unitAmount: number; quantity: number; adjustableQuantity?: { minimum: number; maximum: number } | null }>;
  /** The applied promotion code and what it takes off, in minor units, as the server computed it. */
  discounts?: ReadonlyArray<{ promotionCode: string; amount: number; percentOff?: number | null }>;
  /** The session's shipping rates, and the chosen one's id. */
  shippingOptions?: ReadonlyArray<Omit<FakeShippingOption, 'deliveryEstimate'> & { deliveryEstimate?: StripeCheckoutDeliveryEstimate | null }>;
  shippingOptionId?: string | null;
  /** The items the customer may add, and whether each is added. */
  optionalItems?: ReadonlyArray<FakeOptionalItem & { isSelected: boolean }>;
}

/** One of Stripe's own actions, for `remoteAction`: the method's name and its arguments, as the page gave them. */
export interface FakeRemoteAction {
  method: (typeof ACTION_METHODS)[number];
  args: unknown[];
}

/**
 * A PaymentIntent as a server (such as a local emulator of Stripe's API) reports it, for
 * `remotePaymentIntent`: the shape `stripe.retrievePaymentIntent` resolves (stripe-js
 * `PaymentIntent`). The fields named here are required; any other one left out takes the
 * value a card payment without extras has (`capture_method: 'automatic'`, `next_action: null`, ...).
 */
export type FakeRemotePaymentIntent = Pick<PaymentIntent, 'id' | 'amount' | 'currency' | 'status' | 'client_secret'> & Partial<PaymentIntent>;

export interface FakeStripeOptions {
  /**
   * Stripe.js beta flags, as given to `Stripe(pk, {betas})`. `actions.runServerUpdate` exists
   * only when this holds `custom_checkout_server_updates_1`, as in the real Stripe.js.
   * Betas given to `fake.Stripe(pk, {betas})` count too.
   * @default []
   * @example ['custom_checkout_server_updates_1']
   */
  betas?: readonly string[];
  /**
   * The Checkout Session's id.
   * @default 'cs_test_fake_1'
   */
  sessionId?: string;
  /**
   * ISO currency code; amounts are formatted with `Intl.NumberFormat` in `en-US`.
   * @default 'usd'
   */
  currency?: string;
  /**
   * Items the session always holds.
   * @default [{ name: 'T-shirt', unitAmount: 2000 }]
   */
  baseItems?: readonly FakeBaseItem[];
  /**
   * What the merchant's server charges for each selection key.
   * @default {}
   */
  catalog?: Readonly<Record<string, FakeCatalogEntry>>;
  /**
   * Codes `applyPromotionCode` accepts, by code. Stripe matches codes case-insensitively; so does the fake.
   * @default {}
   * @example { SAVE10: { percentOff: 10 }, FIVEOFF: { amountOff: 500 } }
   */
  promotionCodes?: Readonly<Record<string, FakePromotionCode>>;
  /**
   * The session's shipping rates; the first is selected when the session starts.
   * @default []
   */
  shippingOptions?: readonly FakeShippingOption[];
  /**
   * Items `addOptionalLineItem` may add, by Price id.
   * @default []
   */
  optionalItems?: readonly FakeOptionalItem[];
  /**
   * The selection the merchant's server already reflects when the page loads.
   * @default {}
   */
  accepted?: Selection;
  /**
   * Milliseconds each method waits (with `setTimeout`, so `vi.useFakeTimers()` controls it).
   * For `runServerUpdate` it is the wait after your function resolved: Stripe re-reading the
   * session. For `fetchUpdates`, `retrievePaymentIntent` and `confirmPayment`, the wait before
   * Stripe's answer (and before a remote server is asked).
   * @default 0
   * @example { runServerUpdate: 300, fetchUpdates: 150 }
   */
  latencyMs?: number | Partial<Record<FakeMethod, number>>;
  /**
   * Stripe's limit on the function given to `runServerUpdate`; past it the update resolves `{type: 'error'}`.
   * @default 20000
   */
  serverUpdateLimitMs?: number;
  /**
   * Failures on every call. `failNext` adds one-off failures on top.
   * @example { loadActions: 'error' }
   */
  fail?: {
    /** `initCheckoutElementsSdk` throws. */
    initCheckoutElementsSdk?: boolean;
  } & Partial<Record<FakeMethod, FakeFailureKind>>;
  /**
   * Reads the session from a server instead of pricing `catalog` locally: called with the
   * client secret by `loadActions` and after each server update, as Stripe.js re-reads the
   * session from Stripe. With it, the totals a page shows are the ones that server computed.
   * @example (secret) => fetch(`/__emulator/session?client_secret=${secret}`).then((r) => r.json())
   */
  remote?: (clientSecret: string) => Promise<FakeRemoteSession>;
  /**
   * Completes the session on that server when `confirm` succeeds, as Stripe completes it
   * when the customer pays: called with the session's id, before `confirm` resolves. When it
   * rejects, `confirm` gives an error value and the session is read again from `remote`.
   * @example (id) => fetch(`/__emulator/complete/${id}`, { method: 'POST' }).then((r) => { if (!r.ok) throw new Error(`HTTP ${r.status}`); })
   */
  remoteComplete?: (sessionId: string) => Promise<void>;
  /**
   * Performs Stripe's own actions (`applyPromotionCode`, `updateShippingOption`,
   * `updateLineItemQuantity`, ...) on that server, as Stripe.js has Stripe perform them: called
   * with the client secret and `{method, args}`, in the one queue with `runServerUpdate`, it
   * resolves the session as the server holds it afterwards, which the action resolves with (and
   * `change` handlers hear). When it rejects, the action resolves Stripe's error value
   * `{type: 'error', error: {message, code}}` with the rejection's `message`, and its `code` if
   * that is `'invalidCode'` (else `null`); the session is then read again from `remote`. It needs
   * `remote`; with `remote` alone, the actions reject as not implemented.
   * @default undefined
   * @example (secret, action) => fetch(`/__emulator/session/action?client_secret=${encodeURIComponent(secret)}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(action) }).then(async (r) => { const body = await r.json(); if (!r.ok) throw Object.assign(new Error(body.error), { code: body.code }); return body; })
   */
  remoteAction?: (clientSecret: string, action: FakeRemoteAction) => Promise<FakeRemoteSession>;
  /**
   * Reads each PaymentIntent from a server instead of pricing `catalog` locally, as Stripe.js
   * reads it from Stripe: called with the client secret when `stripe.elements({clientSecret})`
   * is created, at each `elements.fetchUpdates()` and at each `stripe.retrievePaymentIntent()`.
   * Resolve `null` when the server knows no such intent (Stripe's `resource_missing`); a
   * rejection is a request that failed. Without it, each Checkout Session of the fake has one
   * PaymentIntent priced like the session (see `fake.paymentIntent`).
   * @default undefined
   * @example (secret) => fetch(`/__emulator/payment_intent?client_secret=${encodeURIComponent(secret)}`).then((r) => (r.status === 404 ? null : r.json()))
   */
  remotePaymentIntent?: (clientSecret: string) => Promise<FakeRemotePaymentIntent | null>;
  /**
   * Confirms the PaymentIntent on that server when `confirmPayment` succeeds, as paying changes
   * the intent at Stripe: called with the client secret, it resolves the intent as the server
   * holds it afterwards, which `confirmPayment` resolves with. When it rejects, `confirmPayment`
   * gives an error value and the intent is read again from `remotePaymentIntent`. It needs
   * `remotePaymentIntent`; with that option alone, a confirmed intent succeeds in the fake's
   * copy only, until the next read.
   * @default undefined
   * @example (secret) => fetch(`/__emulator/payment_intent/confirm?client_secret=${encodeURIComponent(secret)}`, { method: 'POST' }).then((r) => r.json())
   */
  remoteConfirmPayment?: (clientSecret: string) => Promise<FakeRemotePaymentIntent>;
}

export interface NormalizedOptions {
  betas: readonly string[];
  sessionId: string;
  currency: string;
  baseItems: ReadonlyArray<Required<Omit<FakeBaseItem, 'adjustableQuantity'>> & Pick<FakeBaseItem, 'adjustableQuantity'>>;
  catalog: Readonly<Record<string, FakeCatalogEntry>>;
  promotionCodes: Readonly<Record<string, Required<Pick<FakePromotionCode, 'active'>> & FakePromotionCode>>;
  shippingOptions: readonly FakeShippingOption[];
  optionalItems: ReadonlyArray<Required<FakeOptionalItem>>;
  accepted: Selection;
  latencyMs: Readonly<Record<FakeMethod, number>>;
  serverUpdateLimitMs: number;
  fail: NonNullable<FakeStripeOptions['fail']>;
  remote: FakeStripeOptions['remote'];
  remoteComplete: FakeStripeOptions['remoteComplete'];
  remoteAction: FakeStripeOptions['remoteAction'];
  remotePaymentIntent: FakeStripeOptions['remotePaymentIntent'];
  remoteConfirmPayment: FakeStripeOptions['remoteConfirmPayment'];
}

/** The beta flag that makes `actions.runServerUpdate` exist. */
export const SERVER_UPDATES_BETA = 'custom_checkout_server_updates_1';

export const DEFAULTS = {
  sessionId: 'cs_test_fake_1',
  currency: 'usd',
  baseItems: [{ name: 'T-shirt', unitAmount: 2000, quantity: 1 }],
  serverUpdateLimitMs: 20_000,
} as const;

export function normalizeOptions(options: FakeStripeOptions = {}): NormalizedOptions {
  const currency = options.currency ?? DEFAULTS.currency;
  try {
    new Intl.NumberFormat('en-US', { style: 'currency', currency });
  } catch {
    throw new TypeError(`Expected \`currency\` to be an ISO currency code, got ${describe(currency)}`);
  }
  const baseItems = (options.baseItems ?? DEFAULTS.baseItems).map((item: FakeBaseItem) => ({
    name: item.name,
    unitAmount: minorUnits(`baseItems[].unitAmount`, item.unitAmount),
    quantity: quantity(item.quantity ?? 1),
    ...(item.adjustableQuantity && { adjustableQuantity: bounds(item.adjustableQuantity, item.quantity ?? 1) }),
  }));
  for (const [key, entry] of Object.entries(options.catalog ?? {})) {
    if (entry.unitAmount !== undefined) minorUnits(`catalog.${key}.unitAmount`, entry.unitAmount);
    for (const [value, price] of Object.entries(entry.options ?? {})) minorUnits(`catalog.${key}.options.${value}`, price);
  }
  return {
    betas: [...(options.betas ?? [])],
    sessionId: options.sessionId ?? DEFAULTS.sessionId,
    currency: currency.toLowerCase(),
    baseItems,
    catalog: { ...options.catalog },
    ...actionOptions(options),
    accepted: { ...options.accepted },
    latencyMs: normalizeLatency(options.latencyMs),
    serverUpdateLimitMs: milliseconds('serverUpdateLimitMs', options.serverUpdateLimitMs ?? DEFAULTS.serverUpdateLimitMs),
    fail: { ...options.fail },
    remote: optionalFunction('remote', options.remote),
    remoteComplete: optionalFunction('remoteComplete', options.remoteComplete),
    remoteAction: remoteActionOption(options),
    ...remoteIntentOptions(options),
  };
}

/** Promotion codes, shipping rates and optional items, checked as Stripe checks them when the session is created. */
function actionOptions(options: FakeStripeOptions): Pick<NormalizedOptions, 'promotionCodes' | 'shippingOptions' | 'optionalItems'> {
  const promotionCodes = Object.fromEntries(
    Object.entries(options.promotionCodes ?? {}).map(([code, discount]) => {
      if ((discount.percentOff === undefined) === (discount.amountOff === undefined)) {
        throw new TypeError(`Expected promotionCodes.${code} to have exactly one of \`percentOff\` and \`amountOff\``);
      }
      const percent = discount.percentOff;
      if (percent !== undefined && !(percent > 0 && percent <= 100)) throw new TypeError(`Expected promotionCodes.${code}.percentOff to be in (0, 100], got ${describe(percent)}`);
      if (discount.amountOff !== undefined) minorUnits(`promotionCodes.${code}.amountOff`, discount.amountOff);
      return [code.toUpperCase(), { ...discount, active: discount.active ?? true }];
    }),
  );
  const shippingOptions = (options.shippingOptions ?? []).map((option) => ({ ...option, amount: minorUnits(`shippingOptions.${option.id}.amount`, option.amount) }));
  const optionalItems = (options.optionalItems ?? []).map((item) => ({
    ...item,
    unitAmount: minorUnits(`optionalItems.${item.priceId}.unitAmount`, item.unitAmount),
    quantity: quantity(item.quantity ?? 1),
  }));
  return { promotionCodes, shippingOptions, optionalItems };
}

// Stripe requires 0 <= minimum <= quantity <= maximum <= 999999 for `adjustable_quantity`.
function bounds(range: { minimum: number; maximum: number }, start: number): { minimum: number; maximum: number } {
  const { minimum, maximum } = range;
  if (!Number.isSafeInteger(minimum) || !Number.isSafeInteger(maximum) || minimum < 0 || minimum > start || start > maximum || maximum > 999_999) {
    throw new TypeError(`Expected \`baseItems[].adjustableQuantity\` to hold the quantity ${start} between whole numbers 0 <= minimum <= maximum <= 999999, got ${describe(range)}`);
  }
  return { minimum, maximum };
}

// Actions performed on a server that the session is never read from would leave the page showing the fake's guess.
function remoteActionOption(options: FakeStripeOptions): NormalizedOptions['remoteAction'] {
  const remoteAction = optionalFunction('remoteAction', options.remoteAction);
  if (remoteAction && !options.remote) throw new TypeError('Expected `remote` with `remoteAction`: the session is read from the same server');
  return remoteAction;
}

// Confirming on a server that the intent is never read from would leave the page showing the fake's guess.
function remoteIntentOptions(options: FakeStripeOptions): Pick<NormalizedOptions, 'remotePaymentIntent' | 'remoteConfirmPayment'> {
  const remotePaymentIntent = optionalFunction('remotePaymentIntent', options.remotePaymentIntent);
  const remoteConfirmPayment = optionalFunction('remoteConfirmPayment', options.remoteConfirmPayment);
  if (remoteConfirmPayment && !remotePaymentIntent) {
    throw new TypeError('Expected `remotePaymentIntent` with `remoteConfirmPayment`: the confirmed intent is read from the same server');
  }
  return { remotePaymentIntent, remoteConfirmPayment };
}

function optionalFunction<T>(name: string, value: T): T {
  if (value !== undefined && typeof value !== 'function') throw new TypeError(`Expected \`${name}\` to be a function, got ${describe(value)}`);
  return value;
}

function normalizeLatency(latency: FakeStripeOptions['latencyMs']): Record<FakeMethod, number> {
  const of = (method: FakeMethod) =>
    milliseconds(`latencyMs.${method}`, typeof latency === 'number' ? latency : (latency?.[method] ?? 0));
  return Object.fromEntries(FAKE_METHODS.map((method) => [method, of(method)])) as Record<FakeMethod, number>;
}

function milliseconds(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new TypeError(`Expected \`${name}\` to be a number of milliseconds >= 0, got ${describe(value)}`);
  }
  return value;
}

function quantity(value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new TypeError(`Expected \`baseItems[].quantity\` to be a whole number >= 1, got ${describe(value)}`);
  }
  return value;
}

// Stripe amounts are whole minor units; a 19.99 here is a dollars-for-cents mistake worth catching.
function minorUnits(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`Expected \`${name}\` to be a whole amount in minor units >= 0, got ${describe(value)}`);
  }
  return value;
}
