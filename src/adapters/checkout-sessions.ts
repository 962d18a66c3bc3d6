// Stripe Checkout Sessions (the default adapter): the Checkout Elements SDK, whose
// `actions.runServerUpdate(fn)` runs the merchant's server call and then re-reads the session.
import { CheckoutUpdateError, destroyedError, errorResult, isCheckoutUpdateError, toCheckoutError } from '../errors.js';
import type {
  AdapterResult,
  CheckoutAction,
  CheckoutAdapter,
  CheckoutSessionsOptions,
  ConfirmArgs,
  Stripe,
  StripeCheckoutElementsSdk,
  StripeCheckoutLoadActionsSuccess,
  StripeCheckoutSession,
} from '../types.js';
import { checkAction } from './actions.js';
import { checkStripeOptions, failed, loadBoth, resolveClientSecret, stripeError } from './stripe.js';

export const BETA_FLAG = 'custom_checkout_server_updates_1';

export interface CheckoutSessionsAdapter extends CheckoutAdapter<StripeCheckoutSession, ConfirmArgs> {
  /** The Checkout Elements SDK instance of the current session, once started. */
  readonly sdk: StripeCheckoutElementsSdk | null;
  /** Its loaded actions. */
  readonly actions: StripeCheckoutLoadActionsSuccess | null;
}

export function betaRequiredError(): CheckoutUpdateError {
  return new CheckoutUpdateError(
    'beta_required',
    `actions.runServerUpdate is missing: load Stripe.js with stripeOptions: { betas: ['${BETA_FLAG}'] } (or data-betas="${BETA_FLAG}").`,
  );
}

/**
 * Checkout Sessions with `runServerUpdate`. Throws `invalid_option` for options that cannot work.
 * @example createCheckout({ adapter: stripeCheckoutSessions({ publishableKey: 'pk_test_...', clientSecret }), endpoint: '/update-checkout' })
 * @example createCheckout({ adapter: stripeCheckoutSessions({ sdk }), endpoint: '/update-checkout' })
 */
export function stripeCheckoutSessions(options: CheckoutSessionsOptions): CheckoutSessionsAdapter {
  const renewal = !options.sdk && options.onSessionExpired;
  // An SDK instance made elsewhere (by the app) comes with its Stripe.js and its session, and
  // renewing an expired session is its creator's: the types refuse the other Stripe options
  // beside it (a runtime check cost every shopper about 45 bytes), and they are not read.
  if (!options.sdk) checkStripeOptions(options);
  let stripe: Stripe;
  let notify: (session: StripeCheckoutSession) => void;
  let destroyed = false;

  /**
   * One Checkout Elements SDK instance (the app's own `sdk`, or one created from a client
   * secret) with its actions loaded; rejects with `init_failed` or `load_actions_failed`. A
   * checkout destroyed meanwhile wants none; one destroyed later ignores it.
   */
  async function attach(source: string | StripeCheckoutElementsSdk): Promise<StripeCheckoutSession> {
    if (destroyed) throw destroyedError();
    let sdk = source as StripeCheckoutElementsSdk;
    if (typeof source == 'string') {
      try {
        sdk = stripe.initCheckoutElementsSdk({ clientSecret: source, ...(options.elementsOptions && { elementsOptions: options.elementsOptions }) });
      } catch (cause) {
        throw failed('init_failed', 'initCheckoutElementsSdk failed', cause);
      }
    }
    // A renewed session replaces the old instance, whose events are then ignored.
    sdk.on('change', (session) => sdk === self.sdk && notify(session));
    // An app's SDK may have loaded its actions already (react-stripe-js's provider does): Stripe
    // documents loadActions() as the way to reach the actions after init, with no once-only rule,
    // and the types promise the same result on every call.
    const result = await sdk.loadActions().catch((error: unknown) => ({ type: 'error' as const, error }));
    if (result.type === 'error') throw failed('load_actions_failed', 'Stripe could not load the checkout', result.error);
    self.sdk = sdk;
    self.actions = result.actions;
    return result.actions.getSession();
  }

  const self: Writable<CheckoutSessionsAdapter> = {
    idField: 'checkout_session_id',
    sdk: null,
    actions: null,
    async start(onSession) {
      notify = onSession;
      if (options.sdk) return attach(options.sdk);
      const [loaded, clientSecret] = await loadBoth(options);
      stripe = loaded;
      return attach(clientSecret);
    },
    // Present only with the beta flag, whatever the types say.
    check: () => (typeof self.actions?.runServerUpdate !== 'function' ? betaRequiredError() : undefined),
    id: (session) => session.id,
    // Stripe's amounts already have the summary's shape. Object.assign, not `{...total, more}`:
    // V8 builds that literal on a slow path, which cost 7 µs an update in the bench.
    summarize: (session) =>
      Object.assign({ currency: session.currency, lineItems: session.lineItems, status: session.status.type, canConfirm: session.canConfirm }, session.total),
    update: (serverCall) => runServerUpdate(self.actions as StripeCheckoutLoadActionsSuccess, serverCall),
    // Without a return URL, Stripe sends the customer to the session's own return_url.
    confirm: (args) => (self.actions as StripeCheckoutLoadActionsSuccess).confirm(args ?? (options.returnUrl ? { returnUrl: options.returnUrl } : undefined)),
    checkAction: (action, session) => checkAction(action, session?.lineItems),
    act: async ({ type, ...args }) => {
      const [first, quantity] = Object.values(args);
      // `updateLineItemQuantity` (the one with two arguments) takes one object; the others their one argument, if any.
      const call = (self.actions as ActionMethods)[type](quantity === undefined ? first : { lineItem: first, quantity });
      const result = await call.catch((e: unknown) => ({ type: 'error' as const, error: e }));
      // Stripe's message is written for the customer ("This code is invalid."): it is the message.
      return result.type === 'success' ? result : errorResult(toCheckoutError('action_failed', result.error));
    },
    ...(renewal && { renew: async () => attach(await resolveClientSecret(renewal)) }),
    mountPaymentElement(target) {
      const element = (self.sdk as StripeCheckoutElementsSdk).createPaymentElement();
      element.mount(target);
      return element;
    },
    destroy: () => void (destroyed = true),
  };
  return self;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** The six actions, called by name with one argument each. */
type ActionMethods = Record<CheckoutAction['type'], (arg: unknown) => Promise<AdapterResult<StripeCheckoutSession> | { type: 'error'; error: unknown }>>;

/** `actions.runServerUpdate(fn)` re-reads the session after `fn`. Never rejects. */
async function runServerUpdate(
  actions: StripeCheckoutLoadActionsSuccess,
  serverCall: (() => Promise<unknown>) | null,
): Promise<AdapterResult<StripeCheckoutSession>> {
  if (typeof actions.runServerUpdate !== 'function') return errorResult(betaRequiredError());
  // Stripe ignores what the function returns, and may report its failure as a generic
  // error or a rejection: keep our own error, which says what really happened.
  let serverError: CheckoutUpdateError | undefined;
  let accepted = false;
  const fn = async () => {
    try {
      await serverCall?.();
      accepted = !!serverCall;
    } catch (error) {
      serverError = toCheckoutError('server_update_failed', error);
      throw serverError;
    }
  };
  try {
    const result = await actions.runServerUpdate(fn);
    if (serverError) return errorResult(serverError);
    return result.type === 'success' ? result : { type: 'error', error: stripeError(result.error), accepted };
  } catch (error) {
    return { type: 'error', error: serverError ?? (isCheckoutUpdateError(error) ? error : stripeError(error)), accepted };
  }
}
