import type { StripeCheckoutSession, StripeCheckoutShippingOption } from '@stripe/stripe-js';
import type { CheckoutSummary, UpdateResult } from '../types.js';
import type { PageFeature } from './attributes.js';
import { createRows } from './outputs.js';

const CODE = '[data-checkout-promotion-code]';
const QUANTITY = 'input[data-line-item=quantity]';
/** Every control of this feature: all disabled once paid. */
const CONTROLS = `${CODE},[data-checkout-apply-code],[data-checkout-remove-code],[data-checkout-shipping-options] input,${QUANTITY},[data-price-id]`;

/** "5–7 business days", as Stripe's delivery estimates read. */
function estimate({ deliveryEstimate }: StripeCheckoutShippingOption): string {
  const ends = [deliveryEstimate?.minimum, deliveryEstimate?.maximum].filter((end) => end != null);
  const words = (end: { unit: string; value: number }) => `${end.value} ${end.unit.replace('_', ' ')}${end.value === 1 ? '' : 's'}`;
  const [low, high] = ends;
  return low && high && low.unit === high.unit ? `${low.value}–${words(high)}` : ends.map(words).join('–');
}

/** The `data-shipping-option` fields of a shipping option row. */
// Prototype-free, so data-shipping-option="constructor" fills nothing, as any unknown name does.
const OPTION_FIELDS: Record<string, (option: StripeCheckoutShippingOption) => string | null> = {
  __proto__: null as never,
  name: (option) => option.displayName,
  amount: (option) => option.amount,
  deliveryEstimate: estimate,
};

/**
 * The page's controls for Stripe's own actions (Checkout Sessions), for `mount`'s `features`
 * (the script tag: `checkout-updates.actions.iife.js`): the promotion code field with its apply
 * (or Enter) and remove buttons, the shipping rate radios, the quantity inputs of line item
 * rows, and optional item controls (`data-price-id`: a checkbox, or a button with
 * `aria-pressed`). Each calls the checkout's action, so each waits its turn in the one queue. A
 * refused action changed nothing at Stripe: `paint` shows again what the session holds.
 */
export const actionControls: PageFeature = (root, checkout, restore, paint) => {
  for (const el of root.querySelectorAll('[data-checkout-shipping-options]')) {
    if (!el.querySelector(':scope > template')) throw new Error('data-checkout-shipping-options: expected a <template> of one option inside it');
  }
  const rows = createRows(restore);

  async function run(action: Promise<UpdateResult<unknown>>, done?: () => void): Promise<void> {
    if ((await action).type === 'success') done?.();
    else paint();
  }
  const optional = (priceId: string, on: boolean) => void run(on ? checkout.addOptionalLineItem(priceId) : checkout.removeOptionalLineItem(priceId));

  function apply(event: Event): void {
    event.preventDefault(); // Enter in a form's field, or a button in a form, would submit it: pay
    const input = root.querySelector<HTMLInputElement>(CODE);
    const code = input?.value.trim();
    // A refused code keeps what the customer typed, to correct it; an applied one shows in [data-checkout-applied-code].
    if (code) void run(checkout.applyPromotionCode(code), () => void (input!.value = ''));
  }

  // Rows are rebuilt on every change: an input of one that had the focus (a quantity being
  // changed with the arrow keys, a rate chosen with them) hands it to its place in the new rows.
  let focused: { el: Element; list: Element; at: number } | null = null;
  restore.listen(root, 'focusin', (event) => {
    const el = event.target as Element;
    // Stryker disable next-line OptionalChaining: a focusin inside the root always targets an Element, which has closest()
    const list = el.closest?.('[data-checkout-line-items],[data-checkout-shipping-options]');
    focused = list && { el, list, at: [...list.querySelectorAll('input')].indexOf(el as HTMLInputElement) };
  });
  // A real blur; a removed element is no longer connected (where the browser reports it at all).
  restore.listen(root, 'focusout', (event) => void ((event.target as Element).isConnected && (focused = null)));

  restore.listen(root, 'keydown', (event) => {
    // Stryker disable next-line OptionalChaining: a keydown inside the root always targets an Element, which has matches()
    if ((event as KeyboardEvent).key === 'Enter' && (event.target as Element).matches?.(CODE)) apply(event);
  });
  restore.listen(root, 'click', (event) => {
    const el = (event.target as Element).closest?.('[data-checkout-apply-code],[data-checkout-remove-code],button[data-price-id]') as HTMLButtonElement | null;
    if (!el || el.disabled) return;
    if (el.hasAttribute('data-checkout-apply-code')) return apply(event);
    event.preventDefault();
    if (el.hasAttribute('data-checkout-remove-code')) return void run(checkout.removePromotionCode());
    const on = el.getAttribute('aria-pressed') !== 'true';
    restore.attr(el, 'aria-pressed', String(on));
    optional(el.dataset.priceId as string, on);
  });
  restore.listen(root, 'change', (event) => {
    const el = event.target as HTMLInputElement;
    // Stryker disable OptionalChaining: a change inside the root always targets an Element, which has matches()
    if (el.matches?.('[data-checkout-shipping-options] input')) void run(checkout.updateShippingOption(el.value));
    else if (el.matches?.('input[data-price-id]')) optional(el.dataset.priceId as string, el.checked);
    else if (el.matches?.(QUANTITY) && !el.readOnly) {
      // Only what the browser's constraint validation accepts (within Stripe's bounds, whole) is sent.
      const valid = el.value !== '' && el.validity.valid;
      restore.attr(el, 'aria-invalid', valid ? null : 'true');
      if (valid) void run(checkout.updateLineItemQuantity(el.dataset.lineItemId as string, el.valueAsNumber));
    }
    // Stryker restore OptionalChaining
  });

  // What Stripe's own actions change is Stripe's (codes, rates, optional items): read from its session.
  return function show(summary: CheckoutSummary | null): void {
    const session = checkout.session as StripeCheckoutSession | null;
    // Only a Checkout Session has these (a PaymentIntent has no shipping options): nothing to show elsewhere.
    if (!summary || !session?.shippingOptions) return;
    const codes = (session.discountAmounts ?? []).map((discount) => discount.promotionCode).filter(Boolean).join(', ');
    for (const el of root.querySelectorAll('[data-checkout-applied-code]')) restore.text(el, codes);
    // Stryker disable next-line StringLiteral: hidden is a boolean attribute: its value changes nothing a browser, a stylesheet's [hidden] or a shopper sees
    for (const el of root.querySelectorAll('[data-checkout-applied-code],[data-checkout-remove-code]')) restore.attr(el, 'hidden', codes ? null : '');
    for (const el of root.querySelectorAll<HTMLInputElement>('[data-price-id]')) {
      const on = !!session.optionalItems?.some((item) => item.priceId === el.dataset.priceId && item.isSelected);
      if (el.tagName === 'BUTTON') restore.attr(el, 'aria-pressed', String(on));
      else el.checked = on;
    }
    const chosen = session.shipping?.shippingOption.id;
    for (const list of root.querySelectorAll('[data-checkout-shipping-options]')) {
      rows(list, session.shippingOptions, (copy, option) => {
        for (const field of copy.querySelectorAll('[data-shipping-option]')) field.textContent = OPTION_FIELDS[field.getAttribute('data-shipping-option')!]?.(option) ?? '';
        const radio = copy.querySelector('input');
        // One group, checked where Stripe holds the choice.
        if (radio) Object.assign(radio, { name: radio.name || 'checkout-shipping-option', value: option.id, checked: option.id === chosen });
      });
    }
    // Row i of a line item list is line item i: its quantity input is editable within the bounds Stripe gives, or read-only.
    for (const list of root.querySelectorAll('[data-checkout-line-items]')) {
      const inputs = list.querySelectorAll<HTMLInputElement>(QUANTITY);
      summary.lineItems.forEach((item, i) => {
        const input = inputs[i];
        const range = item.adjustableQuantity;
        if (!input) return;
        input.value = String(item.quantity);
        input.readOnly = !range;
        if (range) Object.assign(input, { min: range.minimum, max: range.maximum });
        input.dataset.lineItemId = item.id;
      });
    }
    if (focused && !focused.el.isConnected) focused.list.querySelectorAll('input')[focused.at]?.focus();
    // Paid: nothing can change any more, so no control may look as if it could.
    // Stryker disable next-line StringLiteral: disabled is a boolean attribute: its value changes nothing a browser, a stylesheet's [disabled] or a shopper sees
    if (summary.status === 'complete') for (const el of root.querySelectorAll(CONTROLS)) restore.attr(el, 'disabled', '');
  };
};
