export { createCheckout } from './checkout.js';
export { CheckoutUpdateError, isCheckoutUpdateError } from './errors.js';
export type { CheckoutUpdateErrorCode, CheckoutUpdateErrorInit } from './errors.js';
export type * from './types.js';
