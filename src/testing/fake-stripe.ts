import type {
  PaymentIntent,
  PaymentIntentResult,
  Stripe,
  StripeCheckoutElementsSdk,
  StripeCheckoutElementsSdkOptions,
  StripeCheckoutSession,
  StripeConstructorOptions,
  StripeElements,
  StripeElementsOptionsClientSecret,
} from '@stripe/stripe-js';
import { describe } from '../errors.js';
import type { ConfirmArgs, Selection } from '../types.js';
import { integrationError } from './control.js';
import { createElementsGroup } from './elements-group.js';
import { type FakeFailureKind, type FakeMethod, type FakeStripeOptions, normalizeOptions } from './options.js';
import { type FakeConfirmPaymentArgs, confirmPayment, retrievePaymentIntent } from './payment-intents.js';
import { type FakeCalls, type FakeMutation, FakeServer } from './server.js';
import { initCheckoutElementsSdk } from './sdk.js';

/** The part of a `Stripe` instance the fake provides. Pass it where a `Stripe` is expected with `asStripe`. */
export interface FakeStripeInstance {
  initCheckoutElementsSdk(options: StripeCheckoutElementsSdkOptions): StripeCheckoutElementsSdk;
  /**
   * `stripe.elements({clientSecret})` for a PaymentIntent (`pi_..._secret_...`): `create('payment')`,
   * `getElement('payment')`, `update()`, `on('update-end')`, `submit()` and `fetchUpdates()`.
   * A client secret not of Stripe's form throws an IntegrationError at once, as in Stripe.js.
   */
  elements(options: StripeElementsOptionsClientSecret): StripeElements;
  /** `stripe.retrievePaymentIntent(clientSecret)`: `{paymentIntent}` as Stripe holds it now, or `{error}`. */
  retrievePaymentIntent(clientSecret: string): Promise<PaymentIntentResult>;
  /**
   * `stripe.confirmPayment({elements, confirmParams, redirect})` with a mounted Payment Element.
   * It never navigates: where Stripe.js would redirect to `return_url`, it resolves `{paymentIntent}`.
   */
  confirmPayment: Stripe['confirmPayment'];
}

/** A `window.Stripe`-style function: `Stripe(publishableKey, {betas})`, with or without `new`. */
export interface FakeStripeConstructor {
  (publishableKey: string, options?: StripeConstructorOptions): FakeStripeInstance;
  new (publishableKey: string, options?: StripeConstructorOptions): FakeStripeInstance;
  /** The Stripe.js release train that `@stripe/stripe-js` checks for (it warns on a mismatch). */
  readonly version: string;
}

export interface FakeStripe extends FakeStripeInstance {
  /**
   * What the merchant's server accepted (call it from your endpoint's test handler). The
   * session's line items follow it at the next re-read: a successful `runServerUpdate`.
   */
  accept(selection: Selection): void;
  /** The selection the merchant's server reflects now. */
  readonly accepted: Selection;
  /**
   * The next `times` calls of `method` fail: `'error'` resolves Stripe's error value
   * (`{type: 'error'}` for Checkout Sessions, `{error}` for Payment Intents), `'reject'` rejects.
   * A failed `runServerUpdate` still calls your function; Stripe's re-read is what fails. A
   * failed `fetchUpdates` leaves the Payment Element on the intent it had; a failed
   * `confirmPayment` is a declined card and leaves the intent unpaid.
   * @default times 1
   */
  failNext(method: FakeMethod, kind: FakeFailureKind, times?: number): void;
  /**
   * The current session expires, and every SDK instance on it hears `change`. With
   * `{silent: true}` none is told: each learns it at its next read (a `runServerUpdate`
   * after your function, or a `confirm`), as when Stripe expires a session in the background.
   * Its local PaymentIntent is `canceled`; Elements groups learn it at their next read.
   */
  expire(options?: FakeEndOptions): void;
  /**
   * The current session is paid and complete; every SDK instance on it hears `change` (unless
   * `silent`). Its local PaymentIntent has `succeeded`; Elements groups learn it at their next read.
   */
  complete(options?: FakeEndOptions): void;
  /** The merchant created a new session: open, with `accepted` back to `options.accepted`, and a new local PaymentIntent. */
  renew(sessionId?: string): void;
  readonly calls: Readonly<FakeCalls>;
  /** The current session as the last SDK instance loaded on it reports it (as a new one would, before any). */
  readonly session: StripeCheckoutSession;
  /** Every client secret `initCheckoutElementsSdk` received, promises resolved. */
  readonly clientSecrets: readonly string[];
  /** The argument of every `actions.confirm` call, in order (`undefined` when called without one). */
  readonly confirmArgs: readonly ConfirmArgs[];
  /**
   * Every call that changes the session, `runServerUpdate` (args `[]`) and Stripe's own actions
   * (`applyPromotionCode`, ..., with their arguments), in call order: Stripe.js runs them one
   * at a time in this order, and `calls.maxMutationsInFlight` tells whether any overlapped.
   */
  readonly mutations: readonly FakeMutation[];
  /**
   * The current PaymentIntent as the last Elements group on it last read it (at its creation,
   * a `fetchUpdates` or a `confirmPayment`), so a test sees what the Payment Element shows;
   * before any group, as Stripe holds it now. Its `client_secret` is the one to pass to
   * `elements()`. Locally it is the current session's intent, `pi_fake<n>`; with
   * `remotePaymentIntent`, the last group's intent.
   */
  readonly paymentIntent: PaymentIntent;
  /** The argument of every `confirmPayment` call, in order. */
  readonly confirmPaymentArgs: readonly FakeConfirmPaymentArgs[];
  /** For `window.Stripe = fake.Stripe` before `@stripe/stripe-js` loads; its `betas` add to `options.betas`. */
  readonly Stripe: FakeStripeConstructor;
}

export interface FakeEndOptions {
  /**
   * Tell no SDK instance now; each learns it at its next read.
   * @default false
   */
  silent?: boolean;
}

// The release train @stripe/stripe-js 10 expects from `window.Stripe.version`.
const RELEASE_TRAIN = 'endive';

/**
 * An in-memory stand-in for Stripe.js's Checkout Elements SDK, for tests that run offline.
 * @example
 * const fake = createFakeStripe({ betas: ['custom_checkout_server_updates_1'], catalog: { gift_wrap: { name: 'Gift wrap', unitAmount: 500 } } });
 * const checkout = createCheckout({ stripe: asStripe(fake), clientSecret: 'cs_test_fake_1_secret', endpoint: '/update' });
 */
export function createFakeStripe(options: FakeStripeOptions = {}): FakeStripe {
  const server = new FakeServer(normalizeOptions(options));
  const Stripe = Object.assign(
    function FakeStripeJs(publishableKey: string, constructorOptions?: StripeConstructorOptions): FakeStripeInstance {
      checkPublishableKey(publishableKey);
      const betas = [...server.options.betas, ...(constructorOptions?.betas ?? [])];
      return instance(server, betas);
    },
    { version: RELEASE_TRAIN },
  ) as FakeStripeConstructor;

  return {
    ...instance(server, server.options.betas),
    accept(selection) {
      if (typeof selection !== 'object' || selection === null) throw new TypeError(`Expected a selection object, got ${describe(selection)}`);
      server.current.accepted = { ...selection };
    },
    get accepted() {
      return { ...server.current.accepted };
    },
    failNext(method, kind, times = 1) {
      if (!(times >= 1)) throw new TypeError(`Expected \`times\` to be 1 or more, got ${describe(times)}`);
      server.failNext(method, kind, times);
    },
    expire: (end) => endCurrent(server, { type: 'expired' }, end),
    complete: (end) => endCurrent(server, { type: 'complete', paymentStatus: 'paid' }, end),
    renew: (sessionId) => server.renew(sessionId),
    get calls() {
      return { ...server.calls };
    },
    get session() {
      return server.session();
    },
    get clientSecrets() {
      return [...server.clientSecrets];
    },
    get confirmArgs() {
      return [...server.confirmArgs];
    },
    get mutations() {
      return server.mutations.map((mutation) => ({ ...mutation, args: [...mutation.args] }));
    },
    get paymentIntent() {
      return server.intents.current();
    },
    get confirmPaymentArgs() {
      return [...server.confirmPaymentArgs] as FakeConfirmPaymentArgs[];
    },
    Stripe,
  };
}

/** One `Stripe` instance's methods; every instance of one fake shares its server, as they share Stripe's. */
function instance(server: FakeServer, betas: readonly string[]): FakeStripeInstance {
  return {
    initCheckoutElementsSdk: (sdkOptions) => initCheckoutElementsSdk(server, sdkOptions, betas),
    elements: (options) => createElementsGroup(server, options),
    retrievePaymentIntent: (clientSecret) => retrievePaymentIntent(server, clientSecret),
    confirmPayment: ((options: unknown) => confirmPayment(server, options)) as Stripe['confirmPayment'],
  };
}

/** Types the fake (or an instance from `fake.Stripe`) as the `Stripe` your code expects. */
export function asStripe(instance: FakeStripeInstance): Stripe {
  return instance as unknown as Stripe;
}

function endCurrent(server: FakeServer, status: Parameters<FakeServer['end']>[1], end: FakeEndOptions = {}): void {
  const session = server.current;
  if (session.status.type !== 'open') {
    throw new Error(`createFakeStripe: session ${session.id} is already ${session.status.type}; renew() starts a new one.`);
  }
  server.end(session, status, end.silent ?? false);
}

// The checks Stripe() itself makes, so a page that passes a wrong key fails offline too.
function checkPublishableKey(key: unknown): void {
  if (typeof key !== 'string') throw integrationError(`Invalid value for Stripe(): apiKey should be a string, got ${describe(key)}`);
  if (key === '') throw integrationError('Please call Stripe() with your publishable key. You used an empty string.');
  if (key.startsWith('sk_')) throw integrationError('You should not use your secret key with Stripe.js. Please pass a publishable key instead.');
}
