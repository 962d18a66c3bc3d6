// The script-tag entry of Checkout Sessions: the same API as the ESM build on
// `window.CheckoutUpdates`, and every `[data-checkout]` element mounted once the page is
// parsed. Named exports only: an IIFE build would turn a default export into `CheckoutUpdates.default`.
import { autoMount } from './dom/auto-mount.js';
import { mount } from './dom/mount.js';

export { createCheckout } from './checkout.js';
export { mount } from './dom/mount.js';
export { CheckoutUpdateError, isCheckoutUpdateError } from './errors.js';

autoMount(mount);
