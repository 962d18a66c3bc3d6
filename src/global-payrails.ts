// The script-tag entry of Payrails: `window.CheckoutUpdates` with `payrails` and `mount` for
// `data-adapter="payrails"` roots, which it mounts once the page is parsed. No Stripe code:
// load Payrails' web SDK before it.
import { payrails } from './adapters/payrails.js';
import { checkoutWith } from './checkout.js';
import { autoMount } from './dom/auto-mount.js';
import type { MountOptions, PageFeature } from './dom/mount.js';
import type { PayrailsOptions } from './adapters/payrails.js';
import type { CheckoutOptions, QueueOptions } from './types.js';
import { mountOwn } from './dom/own-page.js';
import { payrailsFromPage } from './dom/payrails-page.js';

export { payrails } from './adapters/payrails.js';
export { CheckoutUpdateError, isCheckoutUpdateError } from './errors.js';

// `createCheckout({adapter, endpoint})`, or the adapter's options beside the queue's: `createCheckout({client, endpoint})`.
export const createCheckout = (options: CheckoutOptions<unknown, unknown> | (PayrailsOptions & QueueOptions)) => checkoutWith(payrails, options as never);
/** Page features other script tags add before the page is parsed, as on the Checkout Sessions script tag. */
export const features: PageFeature[] = [];
export const mount = (root: HTMLElement, options?: MountOptions) => mountOwn('payrails', payrailsFromPage, root, { features, ...options });

autoMount(mount);
