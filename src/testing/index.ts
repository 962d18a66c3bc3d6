export { asStripe, createFakeStripe } from './fake-stripe.js';
export type { FakeEndOptions, FakeStripe, FakeStripeConstructor, FakeStripeInstance } from './fake-stripe.js';
export type {
  FakeBaseItem,
  FakeCatalogEntry,
  FakeFailureKind,
  FakeMethod,
  FakeRemotePaymentIntent,
  FakeRemoteSession,
  FakeStripeOptions,
} from './options.js';
export type { FakeConfirmPaymentArgs } from './payment-intents.js';
export type { FakeCalls } from './server.js';
export type { FakeElement, FakeElementKind } from './elements.js';
