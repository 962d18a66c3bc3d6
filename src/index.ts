export { createCheckout } from './checkout.js';
export { mount } from './dom/mount.js';
export type { MountOptions } from './dom/mount.js';
export { CheckoutUpdateError, isCheckoutUpdateError } from './errors.js';
export type { CheckoutUpdateErrorCode, CheckoutUpdateErrorInit } from './errors.js';
export type * from './types.js';
