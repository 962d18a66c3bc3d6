// The script-tag entry of Payment Intents: `window.CheckoutUpdates` with Payment Intents as
// the default adapter (`createCheckout({publishableKey, clientSecret, endpoint})`, and
// `data-adapter="payment-intents"` roots), so the page carries no Checkout Sessions code.
import { stripePaymentIntents } from './adapters/payment-intents.js';
import { checkoutWith } from './checkout.js';
import { autoMount } from './dom/auto-mount.js';
import { mountWith } from './dom/mount.js';
import type { CheckoutOptions, MountOptions, PageFeature, PaymentIntent } from './index.js';

export { stripePaymentIntents } from './adapters/payment-intents.js';
export { CheckoutUpdateError, isCheckoutUpdateError } from './errors.js';

export const createCheckout = (options: CheckoutOptions<PaymentIntent>) => checkoutWith(stripePaymentIntents, options);
/** Page features other script tags add before the page is parsed, as on the Checkout Sessions script tag. */
export const features: PageFeature[] = [];
export const mount = (root: HTMLElement, options?: MountOptions) => mountWith({ 'payment-intents': stripePaymentIntents }, root, { features, ...options });

autoMount(mount);
