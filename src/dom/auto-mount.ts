import type { Checkout } from '../types.js';

/**
 * Mounts every `[data-checkout]` root except `data-checkout="manual"` ones once the page is
 * parsed (at DOMContentLoaded, after every deferred script); one bad root does not stop the others.
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
  // Deferred scripts run while readyState is already "interactive" but before DOMContentLoaded:
  // wait for it then too, so a script tag after this one (checkout-updates.actions.iife.js) has
  // added its page features. The navigation entry tells: its DOMContentLoaded start is 0 until then.
  const parsed = (performance.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined)?.domContentLoadedEventStart !== 0;
  if (document.readyState === 'loading' || !parsed) document.addEventListener('DOMContentLoaded', all, { once: true });
  else all();
}
