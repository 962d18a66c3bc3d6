import type { Checkout } from '../types.js';
import type { Restorer } from './restore.js';

/**
 * What the page shows about the checkout's state: `aria-busy` and `[data-checkout-loading]`
 * while anything is pending, `[data-checkout-pay]` disabled while paying cannot work, and
 * `[data-checkout-error]` holding the last error until the next success.
 */
export function createFeedback(root: HTMLElement, checkout: Checkout, restore: Restorer) {
  const all = (selector: string) => root.querySelectorAll(selector);
  let busy = true; // until the first session is there
  let confirming = false;

  for (const el of all('[data-checkout-error]')) {
    if (!el.hasAttribute('role')) restore.attr(el, 'role', 'alert');
  }

  function refresh(): void {
    restore.attr(root, 'aria-busy', busy || confirming ? 'true' : null);
    for (const el of all('[data-checkout-loading]')) restore.attr(el, 'hidden', busy ? null : '');
    const blocked = busy || confirming || checkout.state !== 'ready' || !checkout.session?.canConfirm;
    for (const el of all('[data-checkout-pay]')) restore.attr(el, 'disabled', blocked ? '' : null);
  }

  return {
    refresh,
    busy(value: boolean): void {
      busy = value;
      refresh();
    },
    confirming(value: boolean): void {
      confirming = value;
      refresh();
    },
    error(message: string | null): void {
      for (const el of all('[data-checkout-error]')) {
        restore.text(el, message ?? '');
        restore.attr(el, 'hidden', message === null ? '' : null);
      }
    },
  };
}
