/**
 * The emulator's PaymentIntents, and Stripe's documented rules for them, with no HTTP (as
 * emulator-sessions.ts is for sessions): each endpoint method takes the decoded parameters
 * and returns the JSON Stripe would answer, or throws an `ApiError`. Whatever it does not
 * emulate it refuses, so it is never more permissive than Stripe.
 *
 * A new intent is `requires_payment_method`; a payment confirmed in the browser with a test
 * card makes it `succeeded`; an asynchronous payment method (a bank debit) leaves it
 * `processing` until it clears; cancelling makes it `canceled`
 * (docs.stripe.com/payments/paymentintents/lifecycle). The test helpers below move it along.
 *
 * Updating the `amount` is refused unless the intent is `requires_payment_method`,
 * `requires_confirmation` or `requires_action`, with Stripe's `payment_intent_unexpected_state`
 * (docs.stripe.com/error-codes) and the message and `payment_intent` Stripe answers it with.
 * `metadata` and `description` may still be updated in any status, as on Stripe: a merchant
 * adds an order number to a payment that has succeeded.
 */
import type { PaymentIntent } from '@stripe/stripe-js';
import { amountParam, currencyParam } from './emulator-amounts.js';
import { StateError, expansions, invalid, metadata, missing, noSuch, object, onlyKeys, string, token, type Params } from './emulator-params.js';

export type IntentStatus = PaymentIntent.Status;

/** An intent as the emulator holds it, for tests (`StripeEmulator.paymentIntent`). */
export interface PaymentIntentState {
  id: string;
  status: IntentStatus;
  amount: number;
  currency: string;
  description: string | null;
  metadata: Record<string, string>;
}

/**
 * The intent as Stripe.js's `stripe.retrievePaymentIntent(clientSecret)` gives it with a
 * publishable key: only the properties @stripe/stripe-js's `PaymentIntent` type has, so no
 * `metadata` (docs.stripe.com/api/payment_intents/retrieve: "only returns a subset of properties").
 */
export type BrowserPaymentIntent = PaymentIntent;

interface Intent extends PaymentIntentState {
  clientSecret: string;
  created: number;
  paymentMethod: string | null;
  canceledAt: number | null;
}

/** The statuses in which the amount may change, and in which a payment may be confirmed. */
const AMOUNT_CHANGEABLE: readonly IntentStatus[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
export const CONFIRMABLE: readonly IntentStatus[] = AMOUNT_CHANGEABLE;
/** Stripe's list for `POST /v1/payment_intents/:id/cancel`. */
const CANCELABLE: readonly IntentStatus[] = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];

export class PaymentIntents {
  private readonly intents = new Map<string, Intent>();

  constructor(private readonly now: () => number = Date.now) {}

  // --- endpoints ---------------------------------------------------------------------------

  /** POST /v1/payment_intents */
  create(params: Params) {
    onlyKeys(params, ['amount', 'currency', 'automatic_payment_methods', 'metadata', 'description', 'expand']);
    if (params['amount'] === undefined) throw missing('amount');
    if (params['currency'] === undefined) throw missing('currency');
    const currency = currencyParam(params['currency']);
    const amount = amountParam(params['amount'], currency);
    if (params['automatic_payment_methods'] !== undefined) automaticPaymentMethods(params['automatic_payment_methods']);
    const meta = params['metadata'] === undefined ? {} : metadata(params['metadata'], 'metadata');
    const description = params['description'] === undefined ? null : descriptionParam(params['description']);
    expansions(params, []);
    const id = `pi_${token(24)}`;
    const intent: Intent = {
      id,
      clientSecret: `${id}_secret_${token(25)}`,
      created: Math.floor(this.now() / 1000),
      status: 'requires_payment_method',
      amount,
      currency,
      description,
      metadata: meta,
      paymentMethod: null,
      canceledAt: null,
    };
    this.intents.set(id, intent);
    return intentJson(intent);
  }

  /** GET /v1/payment_intents/:id */
  retrieve(id: string, params: Params) {
    onlyKeys(params, ['expand']);
    const intent = this.intent(id);
    expansions(params, []);
    return intentJson(intent);
  }

  /** POST /v1/payment_intents/:id: `amount`, `metadata` (merged, `''` unsets), `description`. */
  update(id: string, params: Params) {
    onlyKeys(params, ['amount', 'metadata', 'description', 'expand']);
    const intent = this.intent(id);
    // Check everything before changing anything: a refused update changes nothing.
    const amount = params['amount'] === undefined ? intent.amount : amountParam(params['amount'], intent.currency);
    const meta = params['metadata'] === undefined ? intent.metadata : metadata(params['metadata'], 'metadata', intent.metadata);
    const description = params['description'] === undefined ? intent.description : descriptionParam(params['description']);
    expansions(params, []);
    if (params['amount'] !== undefined && !AMOUNT_CHANGEABLE.includes(intent.status)) throw unexpectedState(intent, 'amount');
    Object.assign(intent, { amount, metadata: meta, description });
    return intentJson(intent);
  }

  // --- for the example server and tests, not part of Stripe's API ----------------------------

  state(id: string): PaymentIntentState | null {
    const intent = this.intents.get(id);
    if (!intent) return null;
    const { status, amount, currency, description } = intent;
    return { id, status, amount, currency, description, metadata: { ...intent.metadata } };
  }

  browser(clientSecret: string): BrowserPaymentIntent | null {
    const intent = [...this.intents.values()].find((i) => i.clientSecret === clientSecret);
    return intent ? browserJson(intent) : null;
  }

  /** As a successful payment with a test card would: from a confirmable status, or from `processing` when the payment clears. */
  succeed(id: string): void {
    const intent = this.existing(id, [...CONFIRMABLE, 'processing'], 'succeed');
    intent.status = 'succeeded';
    intent.paymentMethod ??= `pm_${token(24)}`;
  }

  /** As a confirmed asynchronous payment method (a bank debit) leaves it until the payment clears. */
  process(id: string): void {
    const intent = this.existing(id, CONFIRMABLE, 'start processing');
    intent.status = 'processing';
    intent.paymentMethod = `pm_${token(24)}`;
  }

  /** As `POST /v1/payment_intents/:id/cancel` would, with no `cancellation_reason`. */
  cancel(id: string): void {
    const intent = this.existing(id, CANCELABLE, 'be canceled');
    intent.status = 'canceled';
    intent.canceledAt = Math.floor(this.now() / 1000);
  }

  // --- rules --------------------------------------------------------------------------------

  private intent(id: string): Intent {
    const found = this.intents.get(id);
    if (!found) throw noSuch('payment_intent', id, 'intent', 404);
    return found;
  }

  /** For the test helpers: a misuse is the test's error, not a Stripe answer. */
  private existing(id: string, from: readonly IntentStatus[], verb: string): Intent {
    const intent = this.intents.get(id);
    if (!intent) throw new Error(`No PaymentIntent ${id}.`);
    if (!from.includes(intent.status)) throw new Error(`PaymentIntent ${id} is ${intent.status}: it cannot ${verb}.`);
    return intent;
  }
}

/** `automatic_payment_methods[enabled]`: only `true`, Stripe's default, as the emulator has no `payment_method_types`. */
function automaticPaymentMethods(value: unknown) {
  const param = 'automatic_payment_methods';
  const methods = object(value, param);
  onlyKeys(methods, ['enabled'], param);
  if (methods['enabled'] === undefined) throw missing(`${param}[enabled]`);
  const enabled = string(methods['enabled'], `${param}[enabled]`);
  if (enabled !== 'true') throw invalid(`${param}[enabled]`, `The emulator supports only ${param}[enabled]=true, got ${enabled}.`);
}

/** `''` unsets it, as for every optional string Stripe stores. */
const descriptionParam = (value: unknown): string | null => string(value, 'description') || null;

function unexpectedState(intent: Intent, field: string) {
  return new StateError(
    `This PaymentIntent's ${field} could not be updated because it has a status of ${intent.status}. ` +
      `You may only update the ${field} of a PaymentIntent with one of the following statuses: ${AMOUNT_CHANGEABLE.join(', ')}.`,
    'payment_intent_unexpected_state',
    field,
    { payment_intent: intentJson(intent) },
  );
}

// --- JSON, as Stripe answers it ---------------------------------------------------------------

/** With a secret key: the fields of docs.stripe.com/api/payment_intents/object this emulator keeps. */
function intentJson(intent: Intent) {
  return {
    ...browserJson(intent),
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: intent.status === 'succeeded' ? intent.amount : 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: { enabled: true },
    customer: null,
    latest_charge: null,
    metadata: { ...intent.metadata },
    on_behalf_of: null,
    processing: null,
    review: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    transfer_data: null,
    transfer_group: null,
  };
}

/** With a publishable key and the client secret. The account takes cards only, so `payment_method_types` is `['card']`. */
function browserJson(intent: Intent): BrowserPaymentIntent {
  return {
    id: intent.id,
    object: 'payment_intent',
    amount: intent.amount,
    canceled_at: intent.canceledAt,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: intent.clientSecret,
    confirmation_method: 'automatic',
    created: intent.created,
    currency: intent.currency,
    description: intent.description,
    last_payment_error: null,
    livemode: false,
    next_action: null,
    payment_method: intent.paymentMethod,
    payment_method_types: ['card'],
    receipt_email: null,
    setup_future_usage: null,
    shipping: null,
    status: intent.status,
  };
}
