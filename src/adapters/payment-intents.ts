// Stripe Payment Intents: the merchant's server updates the PaymentIntent's amount, then
// `elements.fetchUpdates()` brings the Payment Element in step with it, and
// `stripe.retrievePaymentIntent(clientSecret)` reads the amount and status Stripe now holds.
// https://docs.stripe.com/js/elements_object/fetch_updates
// https://docs.stripe.com/js/payment_intents/retrieve_payment_intent
import { destroyedError, errorResult, toCheckoutError } from '../errors.js';
import type {
  AdapterResult,
  CheckoutAdapter,
  CheckoutSummary,
  PaymentIntent,
  PaymentIntentConfirmArgs,
  PaymentIntentsOptions,
  Stripe,
  StripeElements,
} from '../types.js';
import { checkStripeOptions, failed, loadBoth, resolveClientSecret, stripeError } from './stripe.js';

export interface PaymentIntentsAdapter extends CheckoutAdapter<PaymentIntent, PaymentIntentConfirmArgs> {
  /** The Elements group on the current PaymentIntent, once started. */
  readonly elements: StripeElements | null;
  readonly stripe: Stripe | null;
}

// A PaymentIntent that is processing, succeeded, or authorised for a later capture is paid
// for: it takes no more amount changes. A canceled one can never be paid.
const COMPLETE = ['processing', 'succeeded', 'requires_capture'];

/**
 * Stripe Payment Intents with the Payment Element. Throws `invalid_option` for options that cannot work.
 * @example createCheckout({ adapter: stripePaymentIntents({ publishableKey: 'pk_test_...', clientSecret }), endpoint: '/update-payment-intent' })
 */
export function stripePaymentIntents(options: PaymentIntentsOptions): PaymentIntentsAdapter {
  checkStripeOptions(options);
  const renewal = options.onSessionExpired;
  let stripe: Stripe | null = null;
  let elements: StripeElements | null = null;
  // Stryker disable next-line StringLiteral: attach() sets it before retrieve() can read it
  let clientSecret = '';
  let destroyed = false;
  let cached: { currency: string; format: Intl.NumberFormat } | undefined;

  /** One formatter per currency, made once: a new Intl.NumberFormat costs tens of µs. */
  function formatter(currency: string): Intl.NumberFormat {
    const locale = options.elementsOptions?.locale;
    // Stryker disable next-line ConditionalExpression: the cache only saves time: a formatter made anew formats the same
    if (cached?.currency !== currency) cached = { currency, format: new Intl.NumberFormat(locale === 'auto' ? undefined : locale, { style: 'currency', currency }) };
    return cached.format;
  }

  /**
   * An Elements group on `secret` and the intent as Stripe holds it. A checkout destroyed
   * meanwhile wants none; one destroyed later ignores it.
   */
  async function attach(secret: string): Promise<PaymentIntent> {
    if (destroyed) throw destroyedError();
    let next: StripeElements;
    try {
      next = (stripe as Stripe).elements({ ...options.elementsOptions, clientSecret: secret });
    } catch (cause) {
      throw failed('init_failed', 'stripe.elements failed', cause);
    }
    const intent = await retrieve(secret).catch((cause: unknown) => {
      throw failed('init_failed', 'Stripe could not load the payment', cause);
    });
    [elements, clientSecret] = [next, secret];
    return intent;
  }

  async function retrieve(secret = clientSecret): Promise<PaymentIntent> {
    const { paymentIntent, error } = await (stripe as Stripe).retrievePaymentIntent(secret);
    if (!paymentIntent) throw stripeError(error);
    return paymentIntent;
  }

  /** After the server call: the Payment Element in step, then the intent re-read. Never rejects. */
  async function refresh(accepted: boolean): Promise<AdapterResult<PaymentIntent>> {
    try {
      const { error } = await (elements as StripeElements).fetchUpdates();
      if (error) throw stripeError(error);
      return { type: 'success', session: await retrieve() };
    } catch (error) {
      // The amount your server set stands, even though the page could not be told of it yet.
      return { type: 'error', error: toCheckoutError('server_update_failed', error), accepted };
    }
  }

  return {
    idField: 'payment_intent_id',
    async start() {
      const [loaded, secret] = await loadBoth(options);
      stripe = loaded;
      return attach(secret);
    },
    id: (intent) => intent.id,
    summarize: (intent) => summarize(intent, formatter(intent.currency)),
    async update(serverCall) {
      try {
        await serverCall?.();
      } catch (error) {
        return errorResult(toCheckoutError('server_update_failed', error));
      }
      return refresh(!!serverCall);
    },
    async confirm(args) {
      const { redirect, ...params } = args ?? {};
      const confirmParams = { ...(options.returnUrl && { return_url: options.returnUrl }), ...params };
      const result = await (stripe as Stripe).confirmPayment({ elements: elements as StripeElements, confirmParams, ...(redirect && { redirect }) } as never);
      const { error, paymentIntent } = result as { error?: never; paymentIntent?: PaymentIntent };
      return error ? { type: 'error', error } : { type: 'success', session: paymentIntent ?? (await retrieve()) };
    },
    ...(renewal && { renew: async () => attach(await resolveClientSecret(renewal)) }),
    mountPaymentElement(target) {
      const element = (elements as StripeElements).create('payment');
      element.mount(target);
      return element;
    },
    destroy: () => void (destroyed = true),
    get elements() {
      return elements;
    },
    get stripe() {
      return stripe;
    },
  };
}

/** The intent in the summary's shape: one amount, formatted as Stripe formats it for the customer. */
function summarize(intent: PaymentIntent, format: Intl.NumberFormat): CheckoutSummary {
  const { amount, currency, status } = intent;
  // Intl knows each currency's minor units (2 for usd, 0 for jpy), as Stripe's amounts do.
  const total = { amount: format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2)), minorUnitsAmount: amount };
  return {
    currency,
    total,
    lineItems: [],
    status: COMPLETE.includes(status) ? 'complete' : status === 'canceled' ? 'expired' : 'open',
  };
}
