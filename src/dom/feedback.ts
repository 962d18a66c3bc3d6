import type { Checkout } from '../types.js';
import type { Restorer } from './restore.js';

/**
 * What the page shows about the checkout's state: `aria-busy` and `[data-checkout-loading]`
 * while anything is pending, `data-checkout-state` on the root (the checkout's state, or
 * `paying`) for the page's CSS, `[data-checkout-pay]` disabled while paying cannot work, the
 * add-on controls disabled once paid, and the last error until the next success.
 */
export function createFeedback(root: HTMLElement, checkout: Checkout<unknown>, restore: Restorer) {
  const all = (selector: string) => [...root.querySelectorAll(selector)];
  let busy = true; // until the first session is there
  let confirming = false;

  for (const el of all('[data-checkout-error],[data-checkout-error-for]')) {
    if (!el.hasAttribute('role')) restore.attr(el, 'role', 'alert');
  }

  function refresh(): void {
    restore.attr(root, 'aria-busy', busy || confirming ? 'true' : null);
    restore.attr(root, 'data-checkout-state', confirming ? 'paying' : checkout.state);
    for (const el of all('[data-checkout-loading]')) restore.attr(el, 'hidden', busy ? null : '');
    const blocked = busy || confirming || checkout.state !== 'ready' || checkout.summary?.canConfirm === false;
    for (const el of all('[data-checkout-pay]')) restore.attr(el, 'disabled', blocked ? '' : null);
    // Paid: nothing can change any more, so no control may look as if it could.
    if (checkout.state === 'complete') for (const el of all('[data-addon]')) restore.attr(el, 'disabled', '');
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
    /**
     * Shows `message` next to the add-ons in `names` that have a `[data-checkout-error-for]`,
     * else in `[data-checkout-error]`; `null` clears every one.
     */
    // Stryker disable next-line ArrayDeclaration: add-on names have no spaces, so no [data-checkout-error-for] of an add-on matches another default name
    error(message: string | null, names: string[] = []): void {
      const near = all('[data-checkout-error-for]').filter((el) => names.includes(el.getAttribute('data-checkout-error-for') as string));
      for (const el of all('[data-checkout-error],[data-checkout-error-for]')) {
        const shown = message !== null && (near.length ? near.includes(el) : el.hasAttribute('data-checkout-error'));
        restore.text(el, shown ? (message as string) : '');
        restore.attr(el, 'hidden', shown ? null : '');
      }
    },
  };
}
