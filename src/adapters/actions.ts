// The arguments of Stripe's own actions (Checkout Sessions), checked before they are queued:
// a call that cannot work is answered at once, and never takes a place in the queue.
import { fail } from '../errors.js';
import type { CheckoutAction } from '../types.js';

/** Throws `invalid_option` for an empty code or id, a quantity that is not a whole number of 0 or more, or an unknown line item. */
export function checkAction({ type, ...args }: CheckoutAction, lineItems: ReadonlyArray<{ id: string }> | undefined): void {
  for (const [name, value] of Object.entries(args) as Array<[string, unknown]>) {
    const expected =
      name === 'quantity'
        ? !(Number.isSafeInteger(value) && (value as number) >= 0) && 'a whole number of 0 or more'
        : !(typeof value === 'string' && value.trim())
          ? 'a non-empty string'
          : // Before the first session there is nothing to check it against: Stripe will answer.
            name === 'lineItemId' && lineItems && !lineItems.some((item) => item.id === value) && "a line item of the session";
    if (expected) fail(`\`${name}\` of ${type}()`, expected, value);
  }
}
