// The script-tag entry of Toast: `window.CheckoutUpdates` with `toast` and `mount` for
// `data-adapter="toast"` roots, which it mounts once the page is parsed. No Stripe code: load
// Toast's loader.js before it.
import { toast } from './adapters/toast.js';
import { checkoutWith } from './checkout.js';
import { autoMount } from './dom/auto-mount.js';
import type { MountOptions, PageFeature } from './dom/mount.js';
import type { ToastOptions } from './adapters/toast.js';
import type { CheckoutOptions, QueueOptions } from './types.js';
import { mountOwn } from './dom/own-page.js';
import { toastFromPage } from './dom/toast-page.js';

export { toast } from './adapters/toast.js';
export { CheckoutUpdateError, isCheckoutUpdateError } from './errors.js';

// `createCheckout({adapter, endpoint})`, or the adapter's options beside the queue's: `createCheckout({toast, paymentIntentId, endpoint})`.
export const createCheckout = (options: CheckoutOptions<unknown, unknown> | (ToastOptions & QueueOptions)) => checkoutWith(toast, options as never);
/** Page features other script tags add before the page is parsed, as on the Checkout Sessions script tag. */
export const features: PageFeature[] = [];
export function mount(root: HTMLElement, options?: MountOptions) {
  const checkout = mountOwn('toast', toastFromPage, root, { features, ...options });
  // The amount and tip must be final before the customer types card details (seed 002): the
  // iframe takes no input while an update is pending (the page's CSS can show it covered).
  checkout.on('loading', ({ loading }) => {
    for (const el of root.querySelectorAll('[data-payment-element]')) el.toggleAttribute('inert', loading);
  });
  return checkout;
}

autoMount(mount);
