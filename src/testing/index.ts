export { asStripe, createFakeStripe } from './fake-stripe.js';
export type { FakeEndOptions, FakeStripe, FakeStripeConstructor, FakeStripeInstance } from './fake-stripe.js';
export type {
  FakeBaseItem,
  FakeCatalogEntry,
  FakeFailureKind,
  FakeMethod,
  FakeOptionalItem,
  FakePromotionCode,
  FakeRemotePaymentIntent,
  FakeRemoteAction,
  FakeRemoteSession,
  FakeShippingOption,
  FakeStripeOptions,
} from './options.js';
export type { FakeConfirmPaymentArgs } from './payment-intents.js';
export type { FakeCalls, FakeMutation } from './server.js';
export type { FakeElement, FakeElementKind } from './elements.js';
