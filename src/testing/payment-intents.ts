import type { ConfirmPaymentData, PaymentIntentResult, StripeElements } from '@stripe/stripe-js';
import { describe } from '../errors.js';
import { injectedRejection, integrationError } from './control.js';
import { type Group, groupOf } from './elements-group.js';
import { checkClientSecret, declined } from './intent.js';
import type { FakeServer } from './server.js';

/** The argument of a `stripe.confirmPayment` call, as `fake.confirmPaymentArgs` records it. */
export interface FakeConfirmPaymentArgs {
  elements?: StripeElements;
  clientSecret?: string;
  confirmParams?: Partial<ConfirmPaymentData>;
  redirect?: 'always' | 'if_required';
}

/** `stripe.retrievePaymentIntent(clientSecret)`: Stripe's intent now, or its error as a value. */
export async function retrievePaymentIntent(server: FakeServer, clientSecret: unknown): Promise<PaymentIntentResult> {
  server.calls.retrievePaymentIntent += 1;
  const secret = checkClientSecret('retrievePaymentIntent', clientSecret);
  const failure = server.takeFailure('retrievePaymentIntent');
  await server.delay('retrievePaymentIntent');
  if (failure === 'reject') throw injectedRejection('retrievePaymentIntent');
  if (failure === 'error') return { error: { type: 'api_error', message: 'The PaymentIntent could not be retrieved (injected failure).' } };
  return server.intents.retrieve(secret);
}

/**
 * `stripe.confirmPayment({elements, confirmParams, redirect})`: pays the group's intent with
 * the fake Payment Element, which is always complete. It never navigates: where Stripe.js
 * redirects to `return_url` (always by default, or with `redirect: 'if_required'` for
 * redirect-based methods, which the fake's card never is), the fake resolves `{paymentIntent}`.
 */
export async function confirmPayment(server: FakeServer, options: unknown): Promise<PaymentIntentResult> {
  server.calls.confirmPayment += 1;
  server.confirmPaymentArgs.push(options);
  const { view } = checkConfirmOptions(options);
  const failure = server.takeFailure('confirmPayment');
  await server.delay('confirmPayment');
  if (failure === 'reject') throw injectedRejection('confirmPayment');
  if (failure === 'error') return { error: declined() };
  const answer = await server.intents.confirm(view.clientSecret);
  if (answer.paymentIntent) {
    view.begin()(answer.paymentIntent);
    return answer;
  }
  // Learn why, as Stripe.js would: the intent may have succeeded or been canceled meanwhile.
  const take = view.begin();
  const now = await server.intents.retrieve(view.clientSecret);
  if (now.paymentIntent) take(now.paymentIntent);
  return answer;
}

const WHERE = 'stripe.confirmPayment()';

/**
 * The checks Stripe.js makes before it confirms, thrown as its IntegrationError (so the
 * promise rejects). Two messages are Stripe.js's own, word for word as pages that hit them
 * report them: the mounted Payment Element, and `return_url` "required unless passing
 * `redirect: 'if_required'`" (which the stripe-js `confirmPayment` overloads say too:
 * `confirmParams` is optional only with 'if_required'). The others are the fake's words.
 */
function checkConfirmOptions(options: unknown): Group {
  if (typeof options !== 'object' || options === null) throw integrationError(`Invalid value for ${WHERE}: expected an options object, got ${describe(options)}.`);
  const { elements, clientSecret, confirmParams, redirect } = options as Record<string, unknown>;
  if (clientSecret !== undefined) {
    throw new Error('confirmPayment({clientSecret}) is not implemented by createFakeStripe: pass the `elements` created with the clientSecret.');
  }
  const group = groupOf(elements);
  if (!group) throw integrationError(`Invalid value for ${WHERE}: elements should be an Elements group made by stripe.elements(), got ${describe(elements)}.`);
  if (!group.elements.isMounted('payment')) {
    throw integrationError(`Invalid value for ${WHERE}: elements should have a mounted Payment Element or Express Checkout Element.`);
  }
  if (redirect !== undefined && redirect !== 'always' && redirect !== 'if_required') {
    throw integrationError(`Invalid value for ${WHERE}: redirect should be 'always' or 'if_required', got ${describe(redirect)}.`);
  }
  const returnUrl = (confirmParams as { return_url?: unknown } | undefined)?.return_url;
  if (redirect !== 'if_required' && (typeof returnUrl !== 'string' || returnUrl === '')) {
    throw integrationError("stripe.confirmPayment(): the `confirmParams.return_url` argument is required unless passing `redirect: 'if_required'`");
  }
  // Stripe takes only an absolute URL: a relative one is refused as an invalid return URL
  // (reported by integrations that sent one, e.g. woocommerce-gateway-stripe#5672).
  if (returnUrl !== undefined && !URL.canParse(String(returnUrl))) {
    throw integrationError(`Invalid value for ${WHERE}: confirmParams.return_url should be an absolute URL, got ${describe(returnUrl)}.`);
  }
  return group;
}
