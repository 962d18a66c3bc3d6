import { CheckoutUpdateError, errorResult, isCheckoutUpdateError, messageOf, toCheckoutError } from './errors.js';
import type { OpResult } from './queue.js';
import type { StripeCheckoutLoadActionsSuccess } from './types.js';

/**
 * The one step that differs between payment systems: run the merchant's server call, then
 * have the payment system refresh its totals. The queue and the page never see which one.
 */
export interface TotalsRefresher {
  /** `null` for a refresh with no server call. Never rejects. */
  run(serverCall: (() => Promise<void>) | null): Promise<OpResult>;
}

export const BETA_FLAG = 'custom_checkout_server_updates_1';

export function betaRequiredError(): CheckoutUpdateError {
  return new CheckoutUpdateError(
    'beta_required',
    `actions.runServerUpdate is missing: load Stripe.js with stripeOptions: { betas: ['${BETA_FLAG}'] } (or data-betas="${BETA_FLAG}").`,
  );
}

/** Checkout Sessions: `actions.runServerUpdate(fn)` re-reads the session after `fn`. */
export function stripeCheckoutSessions(actions: StripeCheckoutLoadActionsSuccess): TotalsRefresher {
  return {
    async run(serverCall) {
      // Present only with the beta flag, whatever the types say.
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
        if (result.type === 'success') return { type: 'success', session: result.session };
        return { type: 'error', error: stripeError(result.error), accepted };
      } catch (error) {
        return { type: 'error', error: serverError ?? (isCheckoutUpdateError(error) ? error : stripeError(error)), accepted };
      }
    },
  };
}

function stripeError(cause: unknown): CheckoutUpdateError {
  const message = messageOf(cause) ?? 'Stripe could not refresh the checkout.';
  return new CheckoutUpdateError('server_update_failed', message, { cause });
}
