import type { PaymentIntent, StripeError } from '@stripe/stripe-js';
import { integrationError } from './control.js';
import type { FakeRemotePaymentIntent } from './options.js';

// The PaymentIntent object as Stripe.js gives it to a page (a publishable key's view: the
// fields of stripe-js `api/payment-intents.d.ts`), and the errors Stripe answers about one.

/** Everything a local PaymentIntent is built from. */
export interface IntentModel {
  id: string;
  clientSecret: string;
  amount: number;
  currency: string;
  status: PaymentIntent.Status;
  /** Seconds since the epoch, as Stripe counts `created` and `canceled_at`. */
  created: number;
  canceledAt: number | null;
}

/** The statuses `confirmPayment` may confirm from; the others are Stripe's `payment_intent_unexpected_state`. */
export const CONFIRMABLE: ReadonlySet<PaymentIntent.Status> = new Set(['requires_payment_method', 'requires_confirmation', 'requires_action']);

// Stripe ids are a prefix, then letters and digits. Stripe.js refuses a client secret of
// another form with an IntegrationError ("clientSecret should be a client secret of the form
// ${id}_secret_${secret}. You specified: ...", as pages that hit it report it, also for a
// made-up pi_mock_1749..._secret_... whose id holds underscores).
const CLIENT_SECRET = /^(pi_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+$/;

/** The PaymentIntent id in a client secret of Stripe's form, else `undefined`. */
export function intentIdOf(clientSecret: unknown): string | undefined {
  return typeof clientSecret === 'string' ? CLIENT_SECRET.exec(clientSecret)?.[1] : undefined;
}

/** Throws Stripe.js's `IntegrationError` for a client secret not of Stripe's form; `where` names the call. */
export function checkClientSecret(where: string, clientSecret: unknown): string {
  if (intentIdOf(clientSecret) === undefined) {
    throw integrationError(
      `Invalid value for ${where}: clientSecret should be a client secret of the form \${id}_secret_\${secret}. You specified: ${String(clientSecret)}.`,
    );
  }
  return clientSecret as string;
}

/** A card PaymentIntent with no extras, as a publishable key sees it. */
export function buildPaymentIntent(model: IntentModel): PaymentIntent {
  const canceled = model.status === 'canceled';
  return {
    id: model.id,
    object: 'payment_intent',
    amount: model.amount,
    canceled_at: canceled ? model.canceledAt : null,
    // Stripe's own reason for an intent it canceled (the fake's `expire()`), not a merchant's.
    cancellation_reason: canceled ? 'automatic' : null,
    capture_method: 'automatic',
    client_secret: model.clientSecret,
    confirmation_method: 'automatic',
    created: model.created,
    currency: model.currency,
    description: null,
    last_payment_error: null,
    livemode: false,
    next_action: null,
    payment_method: model.status === 'succeeded' ? 'pm_fake_card' : null,
    payment_method_types: ['card'],
    receipt_email: null,
    setup_future_usage: null,
    shipping: null,
    status: model.status,
  };
}

/** A remote server's intent, its missing fields filled as for a local one. */
export function fromRemote(remote: FakeRemotePaymentIntent): PaymentIntent {
  const base = buildPaymentIntent({
    id: remote.id,
    clientSecret: remote.client_secret ?? '',
    amount: remote.amount,
    currency: remote.currency,
    status: remote.status,
    created: remote.created ?? 0,
    canceledAt: remote.canceled_at ?? null,
  });
  return { ...base, ...remote };
}

/** Stripe's answer for an id it does not know. */
export const noSuchIntent = (id: string): StripeError => ({
  type: 'invalid_request_error',
  code: 'resource_missing',
  param: 'intent',
  message: `No such payment_intent: '${id}'`,
});

/** Stripe's answer for a known id with another secret. */
export const wrongSecret = (): StripeError => ({
  type: 'invalid_request_error',
  code: 'payment_intent_invalid_parameter',
  param: 'client_secret',
  message: 'The client_secret provided does not match the client_secret associated with the PaymentIntent.',
});

/** Stripe's answer to confirming an intent that has succeeded or was canceled; it carries the intent. */
export function unexpectedState(intent: PaymentIntent): StripeError {
  const message =
    intent.status === 'succeeded'
      ? 'You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.'
      : `You cannot confirm this PaymentIntent because it has a status of ${intent.status}.`;
  return { type: 'invalid_request_error', code: 'payment_intent_unexpected_state', message, payment_intent: intent };
}

/** What a declined card gives, as `failNext('confirmPayment', 'error')` injects it. */
export const declined = (): StripeError => ({
  type: 'card_error',
  code: 'card_declined',
  decline_code: 'generic_decline',
  message: 'Your card was declined.',
});
