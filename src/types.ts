import type {
  ConfirmPaymentData,
  PaymentIntent,
  Stripe,
  StripeCheckoutConfirmResult,
  StripeCheckoutElementsOptions,
  StripeCheckoutElementsSdk,
  StripeCheckoutLoadActionsSuccess,
  StripeCheckoutSession,
  StripeConstructorOptions,
  StripeElements,
  StripeElementsOptionsClientSecret,
  StripeError,
} from '@stripe/stripe-js';
import type { CheckoutUpdateError } from './errors.js';

// Stripe's own types that the public API mentions, so a page needs no second import for them.
export type {
  ConfirmPaymentData,
  PaymentIntent,
  Stripe,
  StripeCheckoutConfirmResult,
  StripeCheckoutElementsOptions,
  StripeCheckoutElementsSdk,
  StripeCheckoutLoadActionsSuccess,
  StripeCheckoutSession,
  StripeConstructorOptions,
  StripeElements,
  StripeElementsOptionsClientSecret,
  StripeError,
};

/** One add-on's value: on/off, a quantity, a choice, or `null` for "none". */
export type SelectionValue = boolean | number | string | null;

/** What the customer chose, add-on name to value. Only names and values: never prices. */
export type Selection = Readonly<Record<string, SelectionValue>>;

/** A selection, a promise of one, or a function giving either. */
export type InitialSelection = Selection | Promise<Selection> | (() => Selection | Promise<Selection>);

/** What the merchant's endpoint is asked to apply. */
export interface ServerUpdate {
  /**
   * The id your server needs, from the adapter: the Checkout Session's (`cs_...`), the
   * PaymentIntent's (`pi_...`), ...
   */
  sessionId: string;
  /** `latest`: the whole desired selection. `serial`: the confirmed selection plus this change. */
  selection: Selection;
  /** What this request changes against the confirmed selection. */
  changes: Selection;
  /** One per logical update, the same on every retry of it. */
  idempotencyKey: string;
  /** 1 for the first try, 2 for the first retry, ... */
  attempt: number;
}

/** A function that performs the request itself; it must honour `signal`. */
export type EndpointFunction = (update: ServerUpdate, signal: AbortSignal) => Promise<Response>;

export interface EndpointOptions {
  /** The merchant's update endpoint. @example '/update-checkout' */
  url: string | URL;
  /** @default 'POST' */
  method?: 'POST' | 'PUT' | 'PATCH';
  /**
   * Extra headers, or a function read before every attempt (a CSRF token that rotates).
   * @example () => ({ 'X-CSRF-Token': document.querySelector('meta[name=csrf]').content })
   */
  headers?: HeadersInit | (() => HeadersInit);
  /** @default 'same-origin' */
  credentials?: RequestCredentials;
  /**
   * Builds the JSON body. Default: `{checkout_session_id, selection, changes}`, the id named
   * by the adapter (`payment_intent_id` for Payment Intents).
   * @example (u) => ({ checkout_session_id: u.sessionId, product_id: Object.keys(u.changes)[0] })
   */
  body?: (update: ServerUpdate) => unknown;
}

export type Endpoint = string | URL | EndpointOptions | EndpointFunction;

/** A client secret, a promise of one, or a function that fetches one (called once per session). */
export type ClientSecretSource = string | Promise<string> | (() => string | Promise<string>);

/** How a Stripe adapter loads Stripe.js and finds its session. */
export interface StripeAdapterOptions {
  /** Loads Stripe.js with `loadStripe(publishableKey, stripeOptions)`. Give this or `stripe`. */
  publishableKey?: string;
  /** A Stripe instance (or promise of one) you created yourself. Give this or `publishableKey`. */
  stripe?: Stripe | Promise<Stripe | null>;
  /**
   * Passed to `loadStripe`. Checkout Sessions' server updates need the beta flag.
   * @example { betas: ['custom_checkout_server_updates_1'] }
   */
  stripeOptions?: StripeConstructorOptions;
  /** The client secret: a Checkout Session's (ui_mode `elements`) or a PaymentIntent's. */
  clientSecret: ClientSecretSource;
  /** Gives a new client secret when the session expires; the customer's selection is re-applied to it. */
  onSessionExpired?: () => string | Promise<string>;
  /**
   * Where Stripe sends the customer after paying, when `confirm` is given no arguments.
   * Checkout Sessions default to the `return_url` your server set on the session.
   */
  returnUrl?: string;
}

/** Checkout Sessions where the library creates the Checkout Elements SDK from Stripe.js and a client secret. */
export interface CheckoutSessionsStripeOptions extends StripeAdapterOptions {
  /** Passed to `initCheckoutElementsSdk` as `elementsOptions`. */
  elementsOptions?: StripeCheckoutElementsOptions;
  sdk?: never;
}

/** Checkout Sessions over a Checkout Elements SDK instance created elsewhere in the app. */
export interface CheckoutSessionsSdkOptions extends Pick<StripeAdapterOptions, 'returnUrl'> {
  /**
   * A Checkout Elements SDK instance your app created (`stripe.initCheckoutElementsSdk(...)`),
   * shared with the rest of the app: the checkout calls its `loadActions()` and listens to its
   * `change` events, and never creates another. Its creator owns Stripe.js, the session and the
   * renewal of an expired session, so the options that set those up are refused beside it.
   * @example { sdk: stripe.initCheckoutElementsSdk({ clientSecret }) }
   */
  sdk: StripeCheckoutElementsSdk;
  publishableKey?: never;
  stripe?: never;
  stripeOptions?: never;
  clientSecret?: never;
  onSessionExpired?: never;
  elementsOptions?: never;
}

/** The Stripe options of the default adapter: Stripe.js and a client secret, or an SDK instance (`sdk`). */
export type CheckoutSessionsOptions = CheckoutSessionsStripeOptions | CheckoutSessionsSdkOptions;

export interface PaymentIntentsOptions extends StripeAdapterOptions {
  /** Passed to `stripe.elements()` beside the client secret (appearance, fonts, locale, ...). */
  elementsOptions?: Omit<StripeElementsOptionsClientSecret, 'clientSecret'>;
}

/** What the queue, the events and the page layer need, whichever payment system runs. */
export interface QueueOptions {
  /** Where the selection is sent: a URL, options for the request, or your own function. */
  endpoint: Endpoint;
  /**
   * What the session already reflects when the page loads: the starting confirmed selection.
   * A promise, or a function returning one, is awaited before anything is sent (a session the
   * shopper comes back to, with the choices your server last applied); if it rejects or gives
   * no selection, an `error` event says so (`invalid_option`, or the code of the
   * `CheckoutUpdateError` it rejected with) and the checkout starts from `{}`.
   * @default {}
   * @example () => fetch('/checkout-session/selection').then((r) => r.json())
   */
  initial?: InitialSelection;
  /**
   * `latest` sends the whole selection and merges changes; `serial` sends one request per change, in order.
   * @default 'latest'
   */
  mode?: 'latest' | 'serial';
  /**
   * Waits this long after the last change before sending (changes in one task always merge).
   * @default 0
   */
  debounceMs?: number;
  /**
   * The time budget of one whole update, retries included; it ends before Stripe's 20 s limit.
   * @default 15000
   */
  timeoutMs?: number;
  /**
   * Retries for network errors, timeouts, 408, 429 and 5xx, after a backoff with jitter, or after
   * the `Retry-After` of a 429 or 503 when it fits in `timeoutMs`.
   * @default 2
   */
  retries?: number;
  /**
   * Where `checkout:<type>` DOM events are dispatched.
   * @default document
   */
  root?: Element | Document;
}

/** Keys that belong to a Stripe adapter's options: with `adapter`, give them to the adapter. */
type NoStripeOptions = { [K in keyof CheckoutSessionsStripeOptions]?: never };

/**
 * `adapter` and the queue's options, or (for the default, Checkout Sessions) the Stripe
 * options and the queue's options. Never both.
 * @example { publishableKey: 'pk_test_...', clientSecret, endpoint: '/update-checkout' }
 * @example { adapter: stripePaymentIntents({ publishableKey: 'pk_test_...', clientSecret }), endpoint: '/update-payment-intent' }
 */
export type CheckoutOptions<S = StripeCheckoutSession, A = ConfirmArgsOf<S>> =
  | (QueueOptions & CheckoutSessionsOptions & { adapter?: never })
  | (QueueOptions & NoStripeOptions & { adapter: CheckoutAdapter<S, A> });

export type CheckoutState = 'loading' | 'ready' | 'error' | 'expired' | 'complete' | 'destroyed';

/** An amount as Stripe gives it: formatted for the customer, and in minor units. */
export interface Amount {
  /** @example '$25.00' */
  amount: string;
  /** @example 2500 */
  minorUnitsAmount: number;
}

export interface SummaryLineItem {
  id?: string;
  name: string;
  quantity: number;
  total: Amount;
  subtotal?: Amount;
  unitAmount?: Amount;
  description?: string | null;
  /** The quantity bounds the customer may choose within (Stripe's adjustable quantity); absent or `null`: fixed. */
  adjustableQuantity?: { minimum: number; maximum: number } | null;
}

/**
 * The totals in one shape for every payment system: what the page layer renders. Where the
 * provider reports the amount (Stripe), it is read from the provider, never from your server's reply.
 */
export interface CheckoutSummary {
  /** ISO code, lower case. @example 'usd' */
  currency: string;
  total: Amount;
  subtotal?: Amount;
  discount?: Amount;
  shippingRate?: Amount;
  taxExclusive?: Amount;
  taxInclusive?: Amount;
  appliedBalance?: Amount;
  /** Empty where the provider has no line items (a PaymentIntent holds one amount). */
  lineItems: readonly SummaryLineItem[];
  /** `open` takes changes; `complete` is paid (or paying); `expired` can take no more. */
  status: 'open' | 'complete' | 'expired';
  /** `false` while the provider says paying cannot go ahead (Stripe's `canConfirm`). */
  canConfirm?: boolean;
}

/**
 * One of Stripe's own total-changing actions, as the checkout queues it and as the `update`
 * event reports it: the method's name as `type`, its arguments by name.
 */
export type CheckoutAction =
  | { type: 'applyPromotionCode'; code: string }
  | { type: 'removePromotionCode' }
  | { type: 'updateShippingOption'; shippingOptionId: string }
  | { type: 'updateLineItemQuantity'; lineItemId: string; quantity: number }
  | { type: 'addOptionalLineItem'; priceId: string }
  | { type: 'removeOptionalLineItem'; priceId: string };

/**
 * What one update or refresh gave. `accepted`: your server applied the change, but the
 * provider could not refresh its totals afterwards; the change is kept, not reverted.
 */
export type AdapterResult<S> = { type: 'success'; session: S } | { type: 'error'; error: CheckoutUpdateError; accepted?: boolean };

/**
 * A payment system under the checkout: how it starts, runs one update, reports its session
 * and pays. `S` is the provider's own session object. The checkout calls `update` and
 * `confirm` one at a time, never two at once, and never after `destroy`.
 * @example
 * const adapter: CheckoutAdapter<MySession> = {
 *   idField: 'order_id',
 *   start: async () => await myProvider.load(),
 *   id: (session) => session.orderId,
 *   summarize: (session) => ({ currency: 'usd', total: session.total, lineItems: [], status: session.open ? 'open' : 'complete' }),
 *   async update(serverCall) {
 *     try { await serverCall?.(); return { type: 'success', session: await myProvider.refresh() }; }
 *     catch (error) { return { type: 'error', error: toCheckoutError(error) }; }
 *   },
 *   confirm: async () => ({ type: 'success', session: await myProvider.session() }),
 * };
 */
export interface CheckoutAdapter<S = unknown, A = unknown> {
  /** The name of `ServerUpdate.sessionId` in the default request body. @example 'payment_intent_id' */
  readonly idField: string;
  /**
   * Loads the provider; resolves the first session, or rejects with a `CheckoutUpdateError`
   * (`stripe_load_failed`, `init_failed`, ...). `onSession` takes every session the provider
   * learns of by itself afterwards (Stripe's `change` event).
   */
  start(onSession: (session: S) => void): Promise<S>;
  /**
   * A problem that does not stop the start but will stop every update (Stripe's missing beta
   * flag): read once after the start, reported as an `error` event.
   */
  check?(): CheckoutUpdateError | undefined;
  /** The id your server needs for this session: `ServerUpdate.sessionId`. */
  id(session: S): string;
  /** The session in the one shape the page renders; `null` while no amount is known. */
  summarize(session: S): CheckoutSummary | null;
  /**
   * Runs `serverCall` (your server's update; `null` for a refresh with none), then has the
   * provider refresh its totals. Resolves the session it now holds. Never rejects.
   * `serverCall(true)` resolves with the text of your server's 2xx reply, read within the
   * update's time budget, for a provider that learns the amount from it (Payrails, Toast).
   */
  update(serverCall: ServerCall | null): Promise<AdapterResult<S>>;
  /** Pays (Stripe), or resolves `{type: 'success'}` to say "go ahead" where the provider's own button pays. */
  confirm(args?: A): Promise<ConfirmResult<S>>;
  /** Given when the session can be replaced once it expired: resolves the new session. */
  renew?(): Promise<S>;
  /**
   * Runs one of the provider's own total-changing actions (Checkout Sessions: promotion codes,
   * shipping options, quantities, optional items). Resolves the session it now holds, or an
   * `action_failed` error. Never rejects. Without it, every action resolves `invalid_option`.
   */
  act?(action: CheckoutAction): Promise<AdapterResult<S>>;
  /** Throws `invalid_option` for an action that cannot work on `session` (`null` before the first), before it is queued. */
  checkAction?(action: CheckoutAction, session: S | null): void;
  /**
   * Mounts the provider's payment form into `target` (`[data-payment-element]`). `confirm` is
   * the page's own confirmation (the checkout's guard, with the page's busy and error states),
   * for a provider whose own button pays (Payrails' `onButtonClicked`).
   */
  mountPaymentElement?(target: HTMLElement, confirm?: () => Promise<ConfirmResult<S>>): { destroy(): void };
  /**
   * `false` where a refresh learns nothing new (Payrails: the amount is the one the last update
   * set), so another tab's change must reach this provider as an update of its own (`shareTabs`).
   */
  readonly refreshes?: false;
  /** Stops listening to the provider. */
  destroy?(): void;
}

/** Your server's update, as an adapter runs it: `read` resolves the reply's body as text. */
export type ServerCall = (read?: boolean) => Promise<string | undefined>;

export type UpdateResult<S = StripeCheckoutSession> =
  | { type: 'success'; session: S }
  | { type: 'error'; error: CheckoutUpdateError };

export type ConfirmArgs = Parameters<StripeCheckoutLoadActionsSuccess['confirm']>[0];
/**
 * `confirmParams` of `stripe.confirmPayment` (`return_url`, ...), and its `redirect`.
 * @example { return_url: 'https://shop.example/thanks' }
 */
export type PaymentIntentConfirmArgs = Partial<ConfirmPaymentData> & { redirect?: 'always' | 'if_required' };

/** What `confirm` takes for a session type. */
export type ConfirmArgsOf<S> = S extends StripeCheckoutSession ? ConfirmArgs : S extends PaymentIntent ? PaymentIntentConfirmArgs : unknown;

export type ConfirmResult<S = StripeCheckoutSession> =
  | (S extends StripeCheckoutSession ? StripeCheckoutConfirmResult : { type: 'success'; session: S } | { type: 'error'; error: StripeError })
  | { type: 'error'; error: CheckoutUpdateError };

export interface CheckoutEvents<S = StripeCheckoutSession> {
  /** The provider is loaded and the first session is there. */
  ready: { session: S; summary: CheckoutSummary | null };
  /** `true` once when a busy period starts, `false` when it ends. */
  loading: { loading: boolean; reason: 'init' | 'update' };
  /** Any new session state (totals, line items, status). */
  change: { session: S; summary: CheckoutSummary | null };
  /** A server update or an action went through; `action` says which action (`changes` is then `{}`). */
  update: { changes: Selection; selection: Selection; session: S; summary: CheckoutSummary | null; action?: CheckoutAction | undefined };
  /** Something failed; `reverted` maps each key that went back to the value it went back to. */
  error: { error: CheckoutUpdateError; reverted: Selection };
  /** The session expired (not sent for a completed one). */
  expired: { session: S; summary: CheckoutSummary | null };
}

export type CheckoutEventType = keyof CheckoutEvents;
export type CheckoutListener<K extends CheckoutEventType, S = StripeCheckoutSession> = (detail: CheckoutEvents<S>[K]) => void;

export interface Checkout<S = StripeCheckoutSession, A = ConfirmArgsOf<S>> {
  /** Resolves with the first session; rejects (after the `error` event) if start-up fails. */
  readonly ready: Promise<S>;
  readonly state: CheckoutState;
  /** The provider's own session object: a `StripeCheckoutSession`, a `PaymentIntent`, ... */
  readonly session: S | null;
  /** The session's totals in the shape every payment system shares. */
  readonly summary: CheckoutSummary | null;
  /** What the customer chose. */
  readonly selection: Selection;
  /** What the server has acknowledged. */
  readonly confirmed: Selection;
  /** An update is queued or in flight. */
  readonly pending: boolean;
  /** The adapter this checkout runs on. */
  readonly adapter: CheckoutAdapter<S, A>;
  /** Checkout Sessions: the Checkout Elements SDK instance (`null` for other systems). */
  readonly sdk: StripeCheckoutElementsSdk | null;
  /** Checkout Sessions: its loaded actions (`null` for other systems). */
  readonly actions: StripeCheckoutLoadActionsSuccess | null;
  /** Payment Intents: the Elements group (`null` for other systems). */
  readonly elements: StripeElements | null;

  set(name: string, value: SelectionValue): Promise<UpdateResult<S>>;
  set(changes: Selection): Promise<UpdateResult<S>>;
  toggle(name: string): Promise<UpdateResult<S>>;
  /**
   * Pulls the session anew from the provider, with no call to your server. `applied`: the
   * selection your server already holds, applied elsewhere (another tab of this session), taken
   * as the confirmed one; changes that wait go out over it.
   */
  refresh(applied?: Selection): Promise<UpdateResult<S>>;
  /**
   * Stripe's own actions (Checkout Sessions), run through the same queue as `set`: after every
   * change made before, before every change made after, never two Stripe calls at once.
   * Resolve `action_failed` with Stripe's message when Stripe refuses, `invalid_option` for bad
   * arguments or an adapter without them; never reject.
   */
  applyPromotionCode(code: string): Promise<UpdateResult<S>>;
  removePromotionCode(): Promise<UpdateResult<S>>;
  updateShippingOption(shippingOptionId: string): Promise<UpdateResult<S>>;
  updateLineItemQuantity(lineItemId: string, quantity: number): Promise<UpdateResult<S>>;
  addOptionalLineItem(priceId: string): Promise<UpdateResult<S>>;
  removeOptionalLineItem(priceId: string): Promise<UpdateResult<S>>;
  /** Resolves when nothing is queued or in flight (at once if already so). */
  idle(): Promise<void>;
  /** Waits for idle, then confirms; refuses with `confirm_blocked` if an update failed meanwhile. */
  confirm(args?: A): Promise<ConfirmResult<S>>;
  on<K extends CheckoutEventType>(type: K, fn: CheckoutListener<K, S>): () => void;
  off<K extends CheckoutEventType>(type: K, fn: CheckoutListener<K, S>): void;
  /**
   * Calls `listener` after anything the snapshot holds may have changed; returns the function
   * that stops it. With `getSnapshot`, the contract of React's `useSyncExternalStore`.
   * @example const snapshot = useSyncExternalStore(checkout.subscribe, checkout.getSnapshot)
   */
  subscribe(listener: () => void): () => void;
  /** The checkout's state as one read-only object, the same object until one of its fields changes. */
  getSnapshot(): CheckoutSnapshot<S>;
  /** Drops every listener and timer and aborts the request in flight. */
  destroy(): void;
}

/** What `getSnapshot` gives: a read-only copy of the checkout's fields, replaced only when one changes. */
export type CheckoutSnapshot<S = StripeCheckoutSession> = Pick<Checkout<S, unknown>, 'state' | 'session' | 'summary' | 'selection' | 'confirmed' | 'pending'>;
