// The parts of Payrails' web SDK and Toast's hosted checkout SDK that the adapters (and the
// page layer) call, typed from the providers' documents (seed 003: Payrails' "Update Checkout
// Amount"; seed 002: Toast's "Updating a payment intent"; Toast's SDK functions take success
// and failure callbacks). Neither SDK ships types we can depend on.

/** An amount as Payrails takes it: a decimal string in major units and an ISO currency code. @example { value: '52.89', currency: 'EUR' } */
export interface PayrailsAmount {
  value: string;
  currency: string;
}

/** The events of a Payrails payment button that the page layer uses. */
export interface PayrailsButtonEvents {
  /** Called when the customer clicks; `false` stops the payment. */
  onButtonClicked?: () => boolean | Promise<boolean>;
  onAuthorizeSuccess?: () => void;
  onAuthorizeFailed?: (error: unknown) => void;
}

/** What `Payrails.init(...)` gives: the client of one checkout session. */
export interface PayrailsClient {
  /** `'executionId'`: the id of the execution your backend updates with the lookup action. */
  query(key: 'executionId'): string;
  /** The amount the next payment sends. Synchronous; throws for no active session or a value that is not a positive number. */
  update(update: PayrailsAmount): void;
  /** Payrails' card payment button (the page layer mounts it into `[data-payment-element]`). */
  createCardPaymentButton?(options: { translations?: { label?: string }; events?: PayrailsButtonEvents }): { mount(target: HTMLElement): void; unmount?(): void };
}

/** `window.Toast`, which Toast's `loader.js` adds to the page. */
export interface ToastSdk {
  /** Inserts the hosted checkout iframe into `#domElementId`. */
  initialize(onSuccess: (event?: unknown) => void, onFailure: (event?: unknown) => void, options: ToastInitializeOptions, style?: Record<string, unknown>): void;
  /** Fetches the updates applied to the payment intent and re-renders the iframe. */
  fetchUpdates(): unknown;
  createPaymentMethod?(onSuccess: (event?: unknown) => void, onFailure: (event?: unknown) => void): void;
  confirmPayment?(onSuccess: (event?: unknown) => void, onFailure: (event?: unknown) => void): void;
}

export interface ToastInitializeOptions {
  merchantId: string;
  oauthToken: string;
  sessionSecret: string;
  domElementId: string;
}
