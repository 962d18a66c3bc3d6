/**
 * The PaymentIntent side of the example server, as sessions.ts is for sessions: create an
 * intent priced from the catalog, read one, and give an intent that can still change the
 * amount and metadata of a new selection.
 */
import { createHash } from 'node:crypto';
import Stripe from 'stripe';
import { ADD_ON_NAMES, CURRENCY, INITIAL_SELECTION, priceSelection, type CheckedSelection } from './catalog.js';
import { BAD_REQUEST, HttpError, UNKNOWN_PAYMENT } from './validate.js';

type Status = Stripe.PaymentIntent.Status;

/**
 * The statuses in which Stripe lets the amount change; in any other it refuses a new amount
 * with `payment_intent_unexpected_state` (docs.stripe.com/error-codes).
 */
export const CHANGEABLE: readonly Status[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

/** Words for the shopper when the payment can no longer change, by its status. */
const ENDED: Partial<Record<Status, string>> = {
  succeeded: 'This checkout has already been paid.',
  processing: 'This payment is being processed, so the order can no longer change.',
  canceled: 'This checkout was canceled. Please reload the page to start again.',
};

/** The 409 for an intent in `status`; the library then re-reads the payment and learns it ended. */
export const ended = (status: Status | undefined) =>
  new HttpError(409, (status && ENDED[status]) ?? 'This payment can no longer change. Please reload the page.');

/**
 * The selection as the intent's metadata, every name each time, so that a write replaces the
 * whole record and no value from a selection it superseded can outlive it. Six keys of a few
 * characters: well inside Stripe's 50 keys of 40 characters (docs.stripe.com/api/metadata).
 */
export function selectionMetadata(selection: CheckedSelection): Record<string, string> {
  return Object.fromEntries(ADD_ON_NAMES.map((name) => [name, String(selection[name])]));
}

/** The page's first total: the T-shirt with the initial add-ons, paid by any method the Dashboard enables. */
export function createPaymentIntent(stripe: Stripe): Promise<Stripe.PaymentIntent> {
  return stripe.paymentIntents.create({
    amount: priceSelection(INITIAL_SELECTION),
    currency: CURRENCY,
    automatic_payment_methods: { enabled: true },
    metadata: selectionMetadata(INITIAL_SELECTION),
  });
}

/** The intent, in whatever status; a 404 `HttpError` when Stripe does not know it. */
export async function retrievePaymentIntent(stripe: Stripe, id: string): Promise<Stripe.PaymentIntent> {
  try {
    return await stripe.paymentIntents.retrieve(id);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) throw new HttpError(404, UNKNOWN_PAYMENT);
    throw error;
  }
}

/**
 * Sets the amount and metadata of `selection` on the intent, and answers the intent as Stripe
 * then holds it. The intent is read first: one that is processing, has succeeded or was
 * canceled is a 409 before any write, and so is Stripe's refusal when its status changed
 * between that read and the write (the shopper paid in another tab). An intent already at this
 * amount and metadata is not written to, so a repeated request writes nothing.
 *
 * The amount is whole: unlike a session's line items, nothing another tab wrote can make this
 * write fail, and the later write wins, so there is no conflict to retry (`retryOnConflict`).
 * The request's `Idempotency-Key` goes on to Stripe (`stripeKey`): a retry of a write whose
 * answer was lost gets Stripe's first answer again rather than writing once more, even after
 * another tab's write, which it would otherwise undo.
 */
export async function applySelection(stripe: Stripe, id: string, selection: CheckedSelection, key: string): Promise<Stripe.PaymentIntent> {
  const intent = await retrievePaymentIntent(stripe, id);
  if (!CHANGEABLE.includes(intent.status)) throw ended(intent.status);
  const amount = priceSelection(selection);
  const metadata = selectionMetadata(selection);
  if (intent.amount === amount && Object.entries(metadata).every(([name, value]) => intent.metadata[name] === value)) return intent;
  try {
    return await stripe.paymentIntents.update(id, { amount, metadata }, { idempotencyKey: stripeKey(id, key) });
  } catch (error) {
    throw refusal(error);
  }
}

/**
 * The key sent to Stripe for a request's `Idempotency-Key`. Stripe's keys are the account's,
 * shared by every request the merchant's servers send, and this one comes from a browser: so it
 * is namespaced to this route and this intent, and can never match a key of another request.
 * Hashed, so that it stays within Stripe's 255 characters (docs.stripe.com/api/idempotent_requests).
 */
export function stripeKey(id: string, key: string): string {
  return `update-payment-intent-${createHash('sha256').update(`${id}\n${key}`).digest('base64url')}`;
}

/** Stripe's refusals of the write, in words for the shopper; any other error as it is (a 502). */
function refusal(error: unknown): unknown {
  if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'payment_intent_unexpected_state') {
    return ended(error.payment_intent?.status);
  }
  // The same key with another selection: the browser reused a key, and retrying will not help.
  if (error instanceof Stripe.errors.StripeIdempotencyError) return new HttpError(400, BAD_REQUEST);
  return error;
}
