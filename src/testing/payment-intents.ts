import type { PaymentIntentResult } from '@stripe/stripe-js';
import { injectedRejection } from './control.js';
import { checkClientSecret } from './intent.js';
import type { FakeServer } from './server.js';

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
