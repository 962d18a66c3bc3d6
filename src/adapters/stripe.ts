// What both Stripe adapters share: their options, loading Stripe.js, the client secret. The
// side-effect-free loader injects nothing on import; `loadStripe` adds the script tag only
// when called, and resolves with a `window.Stripe` already on the page. The folder `pure` has
// no exports map, so its file is named for Node's own ESM resolution.
import { loadStripe } from '@stripe/stripe-js/pure/index.mjs';
import { CheckoutUpdateError, fail, messageOf } from '../errors.js';
import type { ClientSecretSource, Stripe, StripeAdapterOptions } from '../types.js';

export const failed = (code: 'stripe_load_failed' | 'init_failed' | 'load_actions_failed', what: string, cause?: unknown) =>
  new CheckoutUpdateError(code, `${what}: ${messageOf(cause) ?? 'unknown error'}`, { cause });

/** Validates up front, so a wrong option fails on the developer's screen, not the shopper's. */
export function checkStripeOptions(options: StripeAdapterOptions): void {
  const { publishableKey: key, stripe, clientSecret: secret, onSessionExpired } = options;
  if ((key === undefined) === (stripe === undefined)) {
    throw new CheckoutUpdateError('invalid_option', `Expected exactly one of \`publishableKey\` or \`stripe\`, got ${stripe ? 'both' : 'neither'}`);
  }
  if (key !== undefined && !String(key).startsWith('pk_')) fail('`publishableKey`', 'a string starting with "pk_"', key);
  if (!(secret && ['string', 'function'].includes(typeof secret)) && !(secret instanceof Promise)) {
    fail('`clientSecret`', 'a string, a promise or a function', secret);
  }
  if (onSessionExpired !== undefined && typeof onSessionExpired !== 'function') fail('`onSessionExpired`', 'a function', onSessionExpired);
}

/** The Stripe instance from `publishableKey` or `stripe`; rejects with `stripe_load_failed`. */
export async function resolveStripe(options: StripeAdapterOptions): Promise<Stripe> {
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
export async function resolveClientSecret(source: ClientSecretSource): Promise<string> {
  let secret: unknown;
  try {
    secret = await (typeof source === 'function' ? source() : source);
  } catch (cause) {
    throw failed('init_failed', 'The client secret could not be obtained', cause);
  }
  if (!secret || typeof secret !== 'string') throw failed('init_failed', 'The client secret could not be obtained', 'not a string');
  return secret;
}

/** Stripe.js and the client secret, fetched at once: the page waits for the slower, not for the sum. */
export const loadBoth = (options: StripeAdapterOptions) => Promise.all([resolveStripe(options), resolveClientSecret(options.clientSecret)]);

/** Stripe's own failure, with its message (written for the customer) when it has one. */
export function stripeError(cause: unknown): CheckoutUpdateError {
  const message = messageOf(cause) ?? 'Stripe could not refresh the checkout.';
  return new CheckoutUpdateError('server_update_failed', message, { cause });
}
