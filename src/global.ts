// The script-tag entry of Checkout Sessions: the same API as the ESM build on
// `window.CheckoutUpdates`, and every `[data-checkout]` element mounted once the page is
// parsed. Named exports only: an IIFE build would turn a default export into `CheckoutUpdates.default`.
import { autoMount } from './dom/auto-mount.js';
import { mount as mountPage, type MountOptions, type PageFeature } from './dom/mount.js';

export { createCheckout } from './checkout.js';
export { CheckoutUpdateError, isCheckoutUpdateError } from './errors.js';

/**
 * Page features other script tags add before the page is parsed (`checkout-updates.actions.iife.js`):
 * every mount without its own `features` gets them, so a page pays only for those whose script it loads.
 */
export const features: PageFeature[] = [];
export const mount = (root: HTMLElement, options?: MountOptions) => mountPage(root, { features, ...options });

autoMount(mount);
