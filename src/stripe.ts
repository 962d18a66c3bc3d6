// Everything that talks to Stripe.js itself: loading it, the client secret, one SDK instance.
// The side-effect-free loader injects nothing on import; `loadStripe` adds the script tag only
// when called, and resolves with a `window.Stripe` already on the page. The folder `pure` has
// no exports map, so its file is named for Node's own ESM resolution.
import { loadStripe } from '@stripe/stripe-js/pure/index.mjs';
import { CheckoutUpdateError, messageOf } from './errors.js';
import type { NormalizedOptions } from './options.js';
import type { Stripe, StripeCheckoutElementsSdk, StripeCheckoutLoadActionsSuccess, StripeCheckoutSession } from './types.js';

export interface Connection {
  sdk: StripeCheckoutElementsSdk;
  actions: StripeCheckoutLoadActionsSuccess;
}

const failed = (code: 'stripe_load_failed' | 'init_failed' | 'load_actions_failed', what: string, cause?: unknown) =>
  new CheckoutUpdateError(code, `${what}: ${messageOf(cause) ?? 'unknown error'}`, { cause });

/** The Stripe instance from `publishableKey` or `stripe`; rejects with `stripe_load_failed`. */
export async function resolveStripe(options: NormalizedOptions): Promise<Stripe> {
  let stripe: Stripe | null;
  try {
    stripe = await (options.stripe ?? loadStripe(options.publishableKey as string, options.stripeOptions));
  } catch (cause) {
    throw failed('stripe_load_failed', 'Stripe.js could not be loaded (check the network and script-src in your CSP)', cause);
  }
  // `null` where there is no window: on a server.
  if (!stripe) throw failed('stripe_load_failed', 'Stripe.js could not be loaded', 'loadStripe gave null');
  return stripe;
}

/** The client secret from a string, a promise or a function; rejects with `init_failed`. */
export async function resolveClientSecret(source: NormalizedOptions['clientSecret']): Promise<string> {
  let secret: unknown;
  try {
    secret = await (typeof source === 'function' ? source() : source);
  } catch (cause) {
    throw failed('init_failed', 'The client secret could not be obtained', cause);
  }
  if (!secret || typeof secret !== 'string') throw failed('init_failed', 'The client secret could not be obtained', 'not a string');
  return secret;
}

/** One Checkout Elements SDK instance with its actions loaded; rejects with `init_failed` or `load_actions_failed`. */
export async function connect(
  stripe: Stripe,
  options: NormalizedOptions,
  clientSecret: string,
  onChange: (sdk: StripeCheckoutElementsSdk, session: StripeCheckoutSession) => void,
): Promise<Connection> {
  let sdk: StripeCheckoutElementsSdk;
  try {
    sdk = stripe.initCheckoutElementsSdk({ clientSecret, ...(options.elementsOptions && { elementsOptions: options.elementsOptions }) });
  } catch (cause) {
    throw failed('init_failed', 'initCheckoutElementsSdk failed', cause);
  }
  sdk.on('change', (session) => onChange(sdk, session));
  const result = await sdk.loadActions().catch((error: unknown) => ({ type: 'error' as const, error }));
  if (result.type === 'error') throw failed('load_actions_failed', 'Stripe could not load the checkout', result.error);
  return { sdk, actions: result.actions };
}
