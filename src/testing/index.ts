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
export { createFakePayrails } from './payrails.js';
export type {
  FakePayrails,
  FakePayrailsButtonOptions,
  FakePayrailsCardButton,
  FakePayrailsClient,
  FakePayrailsInitOptions,
  FakePayrailsInitPayload,
  FakePayrailsOptions,
  FakePayrailsPayment,
  FakePayrailsRemote,
  FakePayrailsSdk,
  FakePayrailsUpdate,
} from './payrails.js';
export type { FakePayrailsAuthorizeBody, FakePayrailsExecution, FakePayrailsLookupBody } from './payrails-backend.js';
export { createFakeToast } from './toast.js';
export type { FakeToast, FakeToastMethod, FakeToastOptions, FakeToastRemote, FakeToastSdk } from './toast.js';
export type { FakeToastCreateIntent, FakeToastPaymentIntent, FakeToastPaymentIntentStatus, FakeToastUpdateAnswer } from './toast-api.js';
export type { FakeAnswer, FakeErrorBody } from './answer.js';
