// The script-tag entry: the same API as the ESM build on `window.CheckoutUpdates`, and every
// `[data-checkout]` element mounted once the page is parsed. Named exports only: an IIFE
// build would turn a default export into `CheckoutUpdates.default`.
import { mount } from './dom/mount.js';

export * from './index.js';

/** Mounts every `[data-checkout]` root except `data-checkout="manual"` ones; one bad root does not stop the others. */
function autoMount(): void {
  for (const root of document.querySelectorAll<HTMLElement>('[data-checkout]')) {
    if (root.getAttribute('data-checkout') === 'manual') continue;
    try {
      mount(root);
    } catch {
      // Already reported on the root (`checkout:error`) and in the console.
    }
  }
}

if (typeof document !== 'undefined') {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', autoMount, { once: true });
  else autoMount();
}
