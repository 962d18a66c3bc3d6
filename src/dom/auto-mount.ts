import type { Checkout } from '../types.js';

/**
 * Mounts every `[data-checkout]` root except `data-checkout="manual"` ones once the page is
 * parsed; one bad root does not stop the others.
 */
export function autoMount(mount: (root: HTMLElement) => Checkout<unknown, never>): void {
  const all = () => {
    for (const root of document.querySelectorAll<HTMLElement>('[data-checkout]')) {
      if (root.getAttribute('data-checkout') === 'manual') continue;
      try {
        mount(root);
      } catch {
        // Already reported on the root (`checkout:error`) and in the console.
      }
    }
  };
  if (typeof document === 'undefined') return;
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', all, { once: true });
  else all();
}
