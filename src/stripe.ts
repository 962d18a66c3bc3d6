// The side-effect-free loader: importing it injects nothing; `loadStripe` adds the script
// tag only when called, and resolves with a `window.Stripe` already on the page. The
// folder `pure` has no exports map, so its file is named for Node's own ESM resolution.
import { loadStripe } from '@stripe/stripe-js/pure/index.mjs';
import { CheckoutUpdateError, messageOf } from './errors.js';
import type { NormalizedOptions } from './options.js';
import type { Stripe } from './types.js';

/** Resolves the Stripe instance from `publishableKey` or `stripe`; rejects with `stripe_load_failed`. */
export async function resolveStripe(options: Pick<NormalizedOptions, 'publishableKey' | 'stripe' | 'stripeOptions'>): Promise<Stripe> {
  let stripe: Stripe | null;
  try {
    stripe = options.stripe !== undefined
      ? await options.stripe
      : await loadStripe(options.publishableKey as string, options.stripeOptions);
  } catch (cause) {
    throw new CheckoutUpdateError('stripe_load_failed', `Stripe.js could not be loaded: ${messageOf(cause) ?? 'unknown error'}. Check the network and the Content-Security-Policy (script-src https://js.stripe.com).`, { cause });
  }
  if (!stripe) {
    throw new CheckoutUpdateError('stripe_load_failed', 'Stripe.js could not be loaded: loadStripe gave null (no window: is this running on a server?).');
  }
  return stripe;
}

/** Resolves the client secret from a string, a promise or a function; rejects with `init_failed`. */
export async function resolveClientSecret(source: NormalizedOptions['clientSecret']): Promise<string> {
  let secret: unknown;
  try {
    secret = await (typeof source === 'function' ? source() : source);
  } catch (cause) {
    throw new CheckoutUpdateError('init_failed', `The client secret could not be obtained: ${messageOf(cause) ?? 'unknown error'}.`, { cause });
  }
  if (typeof secret !== 'string' || secret === '') {
    throw new CheckoutUpdateError('init_failed', 'The client secret could not be obtained: expected a non-empty string.');
  }
  return secret;
}
