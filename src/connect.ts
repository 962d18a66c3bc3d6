import { CheckoutUpdateError, messageOf } from './errors.js';
import type { Stripe, StripeCheckoutElementsOptions, StripeCheckoutElementsSdk, StripeCheckoutLoadActionsSuccess } from './types.js';

export interface Connection {
  sdk: StripeCheckoutElementsSdk;
  actions: StripeCheckoutLoadActionsSuccess;
}

/**
 * One Checkout Elements SDK instance for one client secret, with its actions loaded.
 * Rejects with `init_failed` or `load_actions_failed`.
 */
export async function connect(
  stripe: Stripe,
  clientSecret: string,
  elementsOptions: StripeCheckoutElementsOptions | undefined,
  onChange: (sdk: StripeCheckoutElementsSdk, session: ReturnType<StripeCheckoutLoadActionsSuccess['getSession']>) => void,
): Promise<Connection> {
  let sdk: StripeCheckoutElementsSdk;
  try {
    sdk = stripe.initCheckoutElementsSdk(elementsOptions ? { clientSecret, elementsOptions } : { clientSecret });
  } catch (cause) {
    throw new CheckoutUpdateError('init_failed', `initCheckoutElementsSdk failed: ${messageOf(cause) ?? 'unknown error'}`, { cause });
  }
  sdk.on('change', (session) => onChange(sdk, session));
  let result: Awaited<ReturnType<StripeCheckoutElementsSdk['loadActions']>>;
  try {
    result = await sdk.loadActions();
  } catch (cause) {
    throw loadActionsFailed(cause);
  }
  if (result.type !== 'success') throw loadActionsFailed(result.error);
  return { sdk, actions: result.actions };
}

function loadActionsFailed(cause: unknown): CheckoutUpdateError {
  return new CheckoutUpdateError('load_actions_failed', `Stripe could not load the checkout: ${messageOf(cause) ?? 'unknown error'}`, { cause });
}
