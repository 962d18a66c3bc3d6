import type {
  StripeCheckoutElementsSdk,
  StripeCheckoutElementsSdkOptions,
  StripeCheckoutLoadActionsResult,
  StripeCheckoutLoadActionsSuccess,
} from '@stripe/stripe-js';
import { messageOf } from '../errors.js';
import { type Settled, injectedRejection, integrationError } from './control.js';
import { type FakeElementKind, createElements } from './elements.js';
import { createActions } from './actions.js';
import type { FakeServer } from './server.js';
import { SessionView } from './view.js';

type Sdk = StripeCheckoutElementsSdk;

/** `stripe.initCheckoutElementsSdk(options)`: synchronous; the client secret is awaited by `loadActions`. */
export function initCheckoutElementsSdk(server: FakeServer, options: StripeCheckoutElementsSdkOptions, betas: readonly string[]): Sdk {
  server.calls.initCheckoutElementsSdk += 1;
  if (server.options.fail.initCheckoutElementsSdk) throw integrationError('initCheckoutElementsSdk failed: a failure injected by createFakeStripe.');
  const secret = readClientSecret(server, (options as Partial<StripeCheckoutElementsSdkOptions> | undefined)?.clientSecret);
  const view = new SessionView(server.options);
  const elements = createElements();
  let actions: StripeCheckoutLoadActionsSuccess | undefined;

  const loadActions = async (): Promise<StripeCheckoutLoadActionsResult> => {
    server.calls.loadActions += 1;
    const failure = server.takeFailure('loadActions');
    const got = await secret;
    if (!got.ok) return { type: 'error', error: { message: got.message, code: null } };
    view.clientSecret = server.clientSecrets[server.clientSecrets.length - 1] ?? '';
    try {
      await server.pull(view.clientSecret);
    } catch (reason) {
      return { type: 'error', error: { message: `The Checkout Session could not be loaded: ${messageOf(reason) ?? 'unknown error'}`, code: null } };
    }
    await server.delay('loadActions');
    if (failure === 'reject') throw injectedRejection('loadActions');
    if (failure === 'error') return { type: 'error', error: { message: 'The Checkout Session could not be loaded (injected failure).', code: null } };
    if (!actions) {
      server.attach(view);
      actions = createActions(server, view, betas);
    }
    return { type: 'success', actions };
  };

  const create = <T>(kind: FakeElementKind) => () => elements.create(kind) as unknown as T;
  const get = <T>(kind: FakeElementKind) => () => elements.get(kind) as unknown as T | null;
  return {
    on: (event, handler) => {
      if (event === 'change') view.on(handler);
    },
    loadActions,
    changeAppearance: () => {},
    loadFonts: () => {},
    createPaymentElement: () => {
      server.calls.createPaymentElement += 1;
      return create<ReturnType<Sdk['createPaymentElement']>>('payment')();
    },
    getPaymentElement: get<ReturnType<Sdk['createPaymentElement']>>('payment'),
    createBillingAddressElement: create<ReturnType<Sdk['createBillingAddressElement']>>('billingAddress'),
    getBillingAddressElement: get<ReturnType<Sdk['createBillingAddressElement']>>('billingAddress'),
    createShippingAddressElement: create<ReturnType<Sdk['createShippingAddressElement']>>('shippingAddress'),
    getShippingAddressElement: get<ReturnType<Sdk['createShippingAddressElement']>>('shippingAddress'),
    createExpressCheckoutElement: create<ReturnType<Sdk['createExpressCheckoutElement']>>('expressCheckout'),
    getExpressCheckoutElement: get<ReturnType<Sdk['createExpressCheckoutElement']>>('expressCheckout'),
    createCurrencySelectorElement: create<ReturnType<Sdk['createCurrencySelectorElement']>>('currencySelector'),
    getCurrencySelectorElement: get<ReturnType<Sdk['createCurrencySelectorElement']>>('currencySelector'),
    createTaxIdElement: create<ReturnType<Sdk['createTaxIdElement']>>('taxId'),
    getTaxIdElement: get<ReturnType<Sdk['createTaxIdElement']>>('taxId'),
    createContactDetailsElement: create<ReturnType<Sdk['createContactDetailsElement']>>('contactDetails'),
    getContactDetailsElement: get<ReturnType<Sdk['createContactDetailsElement']>>('contactDetails'),
    createTermsElement: create<ReturnType<Sdk['createTermsElement']>>('terms'),
    getTermsElement: get<ReturnType<Sdk['createTermsElement']>>('terms'),
    createLinkSignupElement: create<ReturnType<Sdk['createLinkSignupElement']>>('linkSignup'),
    getLinkSignupElement: get<ReturnType<Sdk['createLinkSignupElement']>>('linkSignup'),
  };
}

/**
 * Starts reading the client secret at once, as Stripe.js starts fetching the session on
 * init; a rejected promise becomes loadActions' error value, never an unhandled rejection.
 */
function readClientSecret(server: FakeServer, clientSecret: unknown): Promise<Settled> {
  if (typeof clientSecret === 'string' && clientSecret !== '') {
    server.clientSecrets.push(clientSecret);
    return Promise.resolve({ ok: true });
  }
  if (!isThenable(clientSecret)) {
    throw integrationError('Invalid value for initCheckoutElementsSdk: clientSecret should be a client secret string or Promise');
  }
  return Promise.resolve(clientSecret).then(
    (value): Settled => {
      if (typeof value === 'string') server.clientSecrets.push(value);
      if (typeof value === 'string' && value !== '') return { ok: true };
      return { ok: false, message: 'Invalid client secret: the clientSecret promise resolved to no client secret string.' };
    },
    (reason: unknown): Settled => ({ ok: false, message: `Failed to get the client secret: ${messageOf(reason) ?? 'the promise rejected.'}` }),
  );
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
