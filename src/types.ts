import type {
  Stripe,
  StripeCheckoutConfirmResult,
  StripeCheckoutElementsOptions,
  StripeCheckoutElementsSdk,
  StripeCheckoutLoadActionsSuccess,
  StripeCheckoutSession,
  StripeConstructorOptions,
} from '@stripe/stripe-js';
import type { CheckoutUpdateError } from './errors.js';

// Stripe's own types that the public API mentions, so a page needs no second import for them.
export type {
  Stripe,
  StripeCheckoutConfirmResult,
  StripeCheckoutElementsOptions,
  StripeCheckoutElementsSdk,
  StripeCheckoutLoadActionsSuccess,
  StripeCheckoutSession,
  StripeConstructorOptions,
};

/** One add-on's value: on/off, a quantity, a choice, or `null` for "none". */
export type SelectionValue = boolean | number | string | null;

/** What the customer chose, add-on name to value. Only names and values: never prices. */
export type Selection = Readonly<Record<string, SelectionValue>>;

/** What the merchant's endpoint is asked to apply. */
export interface ServerUpdate {
  /** The Checkout Session's id (`cs_...`). */
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
   * Builds the JSON body. Default: `{checkout_session_id, selection, changes}`.
   * @example (u) => ({ checkout_session_id: u.sessionId, product_id: Object.keys(u.changes)[0] })
   */
  body?: (update: ServerUpdate) => unknown;
}

export type Endpoint = string | URL | EndpointOptions | EndpointFunction;

/** A client secret, a promise of one, or a function that fetches one (called once per session). */
export type ClientSecretSource = string | Promise<string> | (() => string | Promise<string>);

export interface CheckoutOptions {
  /** Loads Stripe.js with `loadStripe(publishableKey, stripeOptions)`. Give this or `stripe`. */
  publishableKey?: string;
  /** A Stripe instance (or promise of one) you created yourself. Give this or `publishableKey`. */
  stripe?: Stripe | Promise<Stripe | null>;
  /**
   * Passed to `loadStripe`. Server updates need the beta flag.
   * @example { betas: ['custom_checkout_server_updates_1'] }
   */
  stripeOptions?: StripeConstructorOptions;
  /** The Checkout Session's client secret (ui_mode `elements`). */
  clientSecret: ClientSecretSource;
  /** Passed to `initCheckoutElementsSdk` as `elementsOptions`. */
  elementsOptions?: StripeCheckoutElementsOptions;
  /** Where the selection is sent: a URL, options for the request, or your own function. */
  endpoint: Endpoint;
  /**
   * What the session already reflects when the page loads: the starting confirmed selection.
   * @default {}
   */
  initial?: Selection;
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
   * Retries for network errors, timeouts, 408, 429 and 5xx.
   * @default 2
   */
  retries?: number;
  /**
   * Where `checkout:<type>` DOM events are dispatched.
   * @default document
   */
  root?: Element | Document;
  /** Gives a new client secret when the session expires; the customer's selection is re-applied to it. */
  onSessionExpired?: () => string | Promise<string>;
}

export type CheckoutState = 'loading' | 'ready' | 'error' | 'expired' | 'complete' | 'destroyed';

export type UpdateResult =
  | { type: 'success'; session: StripeCheckoutSession }
  | { type: 'error'; error: CheckoutUpdateError };

export type ConfirmArgs = Parameters<StripeCheckoutLoadActionsSuccess['confirm']>[0];
export type ConfirmResult = StripeCheckoutConfirmResult | { type: 'error'; error: CheckoutUpdateError };

export interface CheckoutEvents {
  /** The SDK is initialised and its actions loaded. */
  ready: { session: StripeCheckoutSession };
  /** `true` once when a busy period starts, `false` when it ends. */
  loading: { loading: boolean; reason: 'init' | 'update' };
  /** Any new session state (totals, line items, status). */
  change: { session: StripeCheckoutSession };
  /** A server update went through. */
  update: { changes: Selection; selection: Selection; session: StripeCheckoutSession };
  /** Something failed; `reverted` maps each key that went back to the value it went back to. */
  error: { error: CheckoutUpdateError; reverted: Selection };
  /** The session expired (not sent for a completed one). */
  expired: { session: StripeCheckoutSession };
}

export type CheckoutEventType = keyof CheckoutEvents;
export type CheckoutListener<K extends CheckoutEventType> = (detail: CheckoutEvents[K]) => void;

export interface Checkout {
  /** Resolves with the first session; rejects (after the `error` event) if start-up fails. */
  readonly ready: Promise<StripeCheckoutSession>;
  readonly state: CheckoutState;
  readonly session: StripeCheckoutSession | null;
  /** What the customer chose. */
  readonly selection: Selection;
  /** What the server has acknowledged. */
  readonly confirmed: Selection;
  /** An update is queued or in flight. */
  readonly pending: boolean;
  readonly sdk: StripeCheckoutElementsSdk | null;
  readonly actions: StripeCheckoutLoadActionsSuccess | null;

  set(name: string, value: SelectionValue): Promise<UpdateResult>;
  set(changes: Selection): Promise<UpdateResult>;
  toggle(name: string): Promise<UpdateResult>;
  /** Pulls the session anew through `runServerUpdate`, with no call to your server. */
  refresh(): Promise<UpdateResult>;
  /** Resolves when nothing is queued or in flight (at once if already so). */
  idle(): Promise<void>;
  /** Waits for idle, then confirms; refuses with `confirm_blocked` if an update failed meanwhile. */
  confirm(args?: ConfirmArgs): Promise<ConfirmResult>;
  on<K extends CheckoutEventType>(type: K, fn: CheckoutListener<K>): () => void;
  off<K extends CheckoutEventType>(type: K, fn: CheckoutListener<K>): void;
  /** Drops every listener and timer and aborts the request in flight. */
  destroy(): void;
}
