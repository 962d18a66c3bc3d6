// @vitest-environment happy-dom
// The page controls of Stripe's own actions (`actionControls`): a promotion code field, shipping
// rate radios from a <template>, quantity inputs in line item rows, optional item controls. No
// script on the page: what the customer does becomes the checkout's actions, in its one queue.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { actionControls } from '../src/dom/actions.js';
import { mount } from '../src/dom/mount.js';
import { isCheckoutUpdateError } from '../src/errors.js';
import { asStripe, createFakeStripe, type FakeStripeOptions } from '../src/testing/index.js';
import type { Checkout } from '../src/types.js';
import { BETAS, CATALOG } from './helpers/checkout.js';
import { ENDPOINT, useMerchantServer } from './helpers/merchant.js';

const server = useMerchantServer();

const STORE: FakeStripeOptions = {
  betas: BETAS,
  catalog: CATALOG,
  baseItems: [{ name: 'T-shirt', unitAmount: 2000, adjustableQuantity: { minimum: 1, maximum: 5 } }, { name: 'Mug', unitAmount: 1000 }],
  promotionCodes: { SAVE10: { percentOff: 10 }, EXPIRED: { percentOff: 50, active: false } },
  shippingOptions: [
    { id: 'shr_standard', displayName: 'Standard', amount: 0, deliveryEstimate: { minimum: { unit: 'business_day', value: 5 }, maximum: { unit: 'business_day', value: 7 } } },
    { id: 'shr_express', displayName: 'Express', amount: 1500, deliveryEstimate: { minimum: { unit: 'day', value: 1 }, maximum: null } },
  ],
  optionalItems: [{ priceId: 'price_socks', name: 'Socks', unitAmount: 800 }],
};
const SHIRT = 'li_fake_base_1';

const PAGE = `
<form data-checkout data-publishable-key="pk_test_123" data-client-secret="cs_test_fake_1_secret_abc" data-endpoint="${ENDPOINT}">
  <label><input type="checkbox" data-addon="gift_wrap"> Gift wrap</label>
  <ul data-checkout-line-items>
    <template><li><span data-line-item="name"></span> <input type="number" data-line-item="quantity"> <span data-line-item="total"></span></li></template>
  </ul>
  <fieldset data-checkout-shipping-options>
    <template><label><input type="radio"> <span data-shipping-option="name"></span> <span data-shipping-option="deliveryEstimate"></span> <span data-shipping-option="amount"></span></label></template>
  </fieldset>
  <input data-checkout-promotion-code>
  <button type="button" data-checkout-apply-code>Apply</button>
  <span data-checkout-applied-code>none</span>
  <button type="button" data-checkout-remove-code>Remove</button>
  <label><input type="checkbox" data-price-id="price_socks"> Socks</label>
  <button type="button" data-price-id="price_socks">Socks</button>
  <span data-checkout-amount="discount"></span>
  <span data-checkout-amount="total"></span>
  <p data-checkout-error hidden></p>
  <button type="submit" data-checkout-pay>Pay</button>
</form>`;

const mounted: Checkout[] = [];
afterEach(() => {
  for (const checkout of mounted.splice(0)) checkout.destroy();
  document.body.replaceChildren();
});

async function start(html = PAGE, fakeOptions: FakeStripeOptions = {}) {
  document.body.innerHTML = html; // test fixture: the page a merchant writes
  const root = document.querySelector<HTMLFormElement>('[data-checkout]')!;
  const fake = createFakeStripe({ ...STORE, ...fakeOptions });
  server.accept = (selection) => fake.accept(selection);
  const checkout = mount(root, { stripe: asStripe(fake), features: [actionControls] });
  mounted.push(checkout);
  await checkout.ready;
  const $ = <T extends Element = HTMLElement>(selector: string) => root.querySelector<T>(selector)!;
  const all = <T extends Element = HTMLInputElement>(selector: string) => [...root.querySelectorAll<T>(selector)];
  return { root, fake, checkout, $, all };
}

/** The checkout idle, and the page's own handlers of its results run. */
const settled = async (checkout: Checkout) => {
  await checkout.idle();
  await new Promise((resolve) => setTimeout(resolve, 0));
};
const change = (el: Element) => el.dispatchEvent(new Event('change', { bubbles: true }));
const methods = (fake: ReturnType<typeof createFakeStripe>) => fake.mutations.map((m) => [m.method, ...m.args]);
/** What the shopper sees: every shipping row's text and whether it is checked. */
const rates = (all: (s: string) => HTMLInputElement[]) =>
  all('[data-checkout-shipping-options] label').map((row) => [row.textContent!.replace(/\s+/g, ' ').trim(), row.querySelector('input')!.checked]);
const shown = (el: HTMLElement) => (el.hidden ? null : el.textContent);

describe('page controls of Stripe actions: rendering', () => {
  it('renders the shipping rates as one radio group checked where Stripe holds the choice, quantities editable within Stripe bounds', async () => {
    const { all, $ } = await start();
    expect(rates(all)).toEqual([['Standard 5–7 business days $0.00', true], ['Express 1 day $15.00', false]]);
    const radios = all('[data-checkout-shipping-options] input');
    expect(radios.map((r) => [r.name, r.value])).toEqual([['checkout-shipping-option', 'shr_standard'], ['checkout-shipping-option', 'shr_express']]);
    const quantities = all('input[data-line-item=quantity]');
    expect(quantities.map((q) => [q.value, q.readOnly, q.min, q.max, q.dataset.lineItemId])).toEqual([
      ['1', false, '1', '5', SHIRT],
      ['1', true, '', '', 'li_fake_base_2'],
    ]);
    // No code applied: the applied code and its remove button are hidden.
    expect([shown($('[data-checkout-applied-code]')), $('[data-checkout-remove-code]').hidden]).toEqual([null, true]);
    expect([$<HTMLInputElement>('input[data-price-id]').checked, $('button[data-price-id]').getAttribute('aria-pressed')]).toEqual([false, 'false']);
  });

  it('writes a delivery estimate whose ends have different units as both ends in words', async () => {
    const freight = { id: 'shr_freight', displayName: 'Freight', amount: 5000, deliveryEstimate: { minimum: { unit: 'day', value: 3 }, maximum: { unit: 'week', value: 2 } } } as const;
    const { all } = await start(PAGE, { shippingOptions: [...STORE.shippingOptions!, freight] });
    expect(rates(all)[2]).toEqual(['Freight 3 days–2 weeks $50.00', false]);
  });

  it('leaves a shipping row field of an unknown name empty, constructor included', async () => {
    const html = PAGE.replace('<span data-shipping-option="amount"></span>', '<span data-shipping-option="amount"></span> <i data-shipping-option="carrier">?</i><i data-shipping-option="constructor">?</i>');
    const { all } = await start(html);
    expect(all('[data-shipping-option=carrier],[data-shipping-option=constructor]').map((el) => el.textContent)).toEqual(['', '', '', '']);
  });

  it('refuses a shipping list without a <template>, naming the attribute, and leaves the page as it was', async () => {
    const html = PAGE.replace(/<fieldset data-checkout-shipping-options>[\s\S]*?<\/fieldset>/, '<fieldset data-checkout-shipping-options></fieldset>');
    document.body.innerHTML = html;
    const root = document.querySelector<HTMLFormElement>('[data-checkout]')!;
    const before = root.innerHTML;
    let error: unknown;
    try {
      mount(root, { stripe: asStripe(createFakeStripe(STORE)), features: [actionControls] });
    } catch (e) {
      error = e;
    }
    expect(isCheckoutUpdateError(error) && [error.code, error.message]).toEqual([
      'invalid_option',
      'data-checkout-shipping-options: expected a <template> of one option inside it',
    ]);
    // The page says it is broken; nothing else of it changed.
    expect(root.innerHTML).toBe(before.replace('<p data-checkout-error="" hidden=""></p>', '<p data-checkout-error="">This checkout is not working. Please reload the page.</p>'));
  });
});

describe('page controls of Stripe actions: promotion codes', () => {
  it('applies the typed code on the button: Stripe discount shown, the code shown with its remove button, the field emptied, no server request', async () => {
    const { fake, checkout, $ } = await start();
    const input = $<HTMLInputElement>('[data-checkout-promotion-code]');
    input.value = '  save10 ';
    $('[data-checkout-apply-code]').click();
    await settled(checkout);
    expect(methods(fake)).toEqual([['applyPromotionCode', 'save10']]);
    expect([shown($('[data-checkout-applied-code]')), $('[data-checkout-remove-code]').hidden, input.value]).toEqual(['SAVE10', false, '']);
    expect([$('[data-checkout-amount="discount"]').textContent, $('[data-checkout-amount="total"]').textContent]).toEqual(['$3.00', '$27.00']);
    expect(server.requests).toHaveLength(0);
  });

  it('applies on Enter in the field without submitting the form (which would pay)', async () => {
    const { fake, checkout, $ } = await start();
    const input = $<HTMLInputElement>('[data-checkout-promotion-code]');
    input.value = 'SAVE10';
    const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
    input.dispatchEvent(enter);
    await settled(checkout);
    expect([enter.defaultPrevented, methods(fake), fake.calls.confirm]).toEqual([true, [['applyPromotionCode', 'SAVE10']], 0]);
  });

  it('applies on Enter in the code field only: other keys type there, and Enter in a quantity field applies no code', async () => {
    const { fake, checkout, $, all } = await start();
    $<HTMLInputElement>('[data-checkout-promotion-code]').value = 'SAVE10';
    const key = (el: Element, name: string) => {
      const event = new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true });
      el.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect([key($('[data-checkout-promotion-code]'), 'S'), key(all('input[data-line-item=quantity]')[0]!, 'Enter')]).toEqual([false, false]);
    await settled(checkout);
    expect(fake.mutations).toEqual([]);
  });

  it('shows Stripe message for a refused code and keeps what the customer typed; an empty field sends nothing', async () => {
    const { fake, checkout, $ } = await start();
    const input = $<HTMLInputElement>('[data-checkout-promotion-code]');
    $('[data-checkout-apply-code]').click(); // empty: nothing to apply
    input.value = 'EXPIRED';
    $('[data-checkout-apply-code]').click();
    await settled(checkout);
    expect(methods(fake)).toEqual([['applyPromotionCode', 'EXPIRED']]);
    expect([shown($('[data-checkout-error]')), input.value, shown($('[data-checkout-applied-code]'))]).toEqual(['This code is invalid.', 'EXPIRED', null]);
    expect($('[data-checkout-amount="total"]').textContent).toBe('$30.00');
  });

  it('shows every promotion code of the session, comma-separated, and none for a discount without one (a coupon your server applied)', async () => {
    const { fake, checkout, $ } = await start();
    const discount = (promotionCode: string | null) => ({ amount: '$1.00', minorUnitsAmount: 100, displayName: promotionCode ?? 'Launch coupon', promotionCode, recurring: null, percentOff: null });
    // Stripe's session may hold several discounts; the fake holds one code at a time.
    vi.spyOn(checkout, 'session', 'get').mockImplementation(() => ({ ...fake.session, discountAmounts: [discount(null), discount('SAVE10'), discount('WELCOME')] }));
    await checkout.set('gift_wrap', true); // the page shows the session again
    await settled(checkout);
    expect([shown($('[data-checkout-applied-code]')), $('[data-checkout-remove-code]').hidden]).toEqual(['SAVE10, WELCOME', false]);
  });

  it('removes the applied code', async () => {
    const { fake, checkout, $ } = await start();
    $<HTMLInputElement>('[data-checkout-promotion-code]').value = 'SAVE10';
    $('[data-checkout-apply-code]').click();
    await settled(checkout);
    $('[data-checkout-remove-code]').click();
    await settled(checkout);
    expect(methods(fake)).toEqual([['applyPromotionCode', 'SAVE10'], ['removePromotionCode']]);
    expect([shown($('[data-checkout-applied-code]')), $('[data-checkout-remove-code]').hidden, $('[data-checkout-amount="total"]').textContent]).toEqual([null, true, '$30.00']);
  });
});

describe('page controls of Stripe actions: shipping, quantities, optional items', () => {
  it('a chosen rate calls updateShippingOption; a refused one goes back to the rate Stripe holds', async () => {
    const { fake, checkout, all, $ } = await start();
    const express = () => all('[data-checkout-shipping-options] input')[1]!;
    express().checked = true;
    change(express());
    await settled(checkout);
    expect([rates(all).map(([, checked]) => checked), $('[data-checkout-amount="total"]').textContent]).toEqual([[false, true], '$45.00']);
    fake.failNext('updateShippingOption', 'error');
    const standard = all('[data-checkout-shipping-options] input')[0]!;
    standard.checked = true;
    change(standard);
    await settled(checkout);
    expect(methods(fake)).toEqual([['updateShippingOption', 'shr_express'], ['updateShippingOption', 'shr_standard']]);
    expect([rates(all).map(([, checked]) => checked), $('[data-checkout-amount="total"]').textContent]).toEqual([[false, true], '$45.00']);
    expect(shown($('[data-checkout-error]'))).toBe('The updateShippingOption action failed (injected failure).');
  });

  it('sends only the last quantity of a burst, and what the browser marks invalid (over Stripe maximum) not at all', async () => {
    const { fake, checkout, all } = await start();
    const shirt = () => all('input[data-line-item=quantity]')[0]!;
    for (const value of ['2', '3', '4']) {
      shirt().value = value;
      change(shirt());
    }
    await settled(checkout);
    expect(methods(fake)).toEqual([['updateLineItemQuantity', { lineItem: SHIRT, quantity: 4 }]]);
    expect(all('[data-checkout-line-items] li').map((row) => [row.querySelector('[data-line-item=total]')!.textContent, row.querySelector('input')!.value])).toEqual([['$80.00', '4'], ['$10.00', '1']]);
    shirt().value = '6';
    change(shirt());
    await settled(checkout);
    expect([fake.mutations.length, shirt().getAttribute('aria-invalid')]).toEqual([1, 'true']);
  });

  it.each([
    ['an emptied quantity, marked invalid', 0, '', 'true'],
    ['a read-only quantity (an item Stripe does not let the customer adjust)', 1, '2', null],
  ])('does not send %s', async (_, row, value, invalid) => {
    const { fake, checkout, all } = await start();
    const input = all('input[data-line-item=quantity]')[row]!;
    input.value = value;
    change(input);
    await settled(checkout);
    expect([fake.mutations, input.getAttribute('aria-invalid')]).toEqual([[], invalid]);
  });

  it('keeps the focus in the quantity input when its row is rendered again', async () => {
    const { checkout, all } = await start();
    const shirt = all('input[data-line-item=quantity]')[0]!;
    shirt.focus();
    shirt.value = '2';
    change(shirt);
    await settled(checkout);
    const now = all('input[data-line-item=quantity]')[0]!;
    expect([now === shirt, document.activeElement === now, now.value]).toEqual([false, true, '2']);
  });

  it('does not take the focus back into a quantity input the shopper left, when its row is rendered again', async () => {
    const { checkout, all, $ } = await start();
    const shirt = all('input[data-line-item=quantity]')[0]!;
    shirt.focus();
    shirt.blur();
    await checkout.set('gift_wrap', true); // rows rendered again
    await settled(checkout);
    expect([shirt.isConnected, document.activeElement]).toEqual([false, document.body]);
    expect($('[data-checkout-amount="total"]').textContent).toBe('$35.00');
  });

  it('adds and removes an optional item from a checkbox and from a button, each showing what Stripe holds', async () => {
    const { fake, checkout, $ } = await start();
    const box = $<HTMLInputElement>('input[data-price-id]');
    const button = $('button[data-price-id]');
    box.checked = true;
    change(box);
    await settled(checkout);
    expect([box.checked, button.getAttribute('aria-pressed')]).toEqual([true, 'true']);
    button.click();
    await settled(checkout);
    expect([box.checked, button.getAttribute('aria-pressed')]).toEqual([false, 'false']);
    fake.failNext('addOptionalLineItem', 'error');
    button.click();
    await settled(checkout);
    expect(methods(fake)).toEqual([['addOptionalLineItem', 'price_socks'], ['removeOptionalLineItem', 'price_socks'], ['addOptionalLineItem', 'price_socks']]);
    expect([box.checked, button.getAttribute('aria-pressed'), $('[data-checkout-amount="total"]').textContent]).toEqual([false, 'false', '$30.00']);
  });

  it('shows each optional item control from its own item: one added, another not', async () => {
    const hat = { priceId: 'price_hat', name: 'Hat', unitAmount: 1500 };
    const html = PAGE.replace('<span data-checkout-amount="discount">', '<label><input type="checkbox" data-price-id="price_hat"> Hat</label>\n  <span data-checkout-amount="discount">');
    const { checkout, $ } = await start(html, { optionalItems: [...STORE.optionalItems!, hat] });
    const [socks, hatBox] = [$<HTMLInputElement>('input[data-price-id=price_socks]'), $<HTMLInputElement>('input[data-price-id=price_hat]')];
    socks.checked = true;
    change(socks);
    await settled(checkout);
    expect([socks.checked, $('button[data-price-id]').getAttribute('aria-pressed'), hatBox.checked]).toEqual([true, 'true', false]);
  });

  it('runs add-ons and actions in the order the customer made them, one Stripe call at a time', async () => {
    const { fake, checkout, $, all } = await start();
    const gift = $<HTMLInputElement>('[data-addon=gift_wrap]');
    gift.checked = true;
    change(gift);
    $<HTMLInputElement>('[data-checkout-promotion-code]').value = 'SAVE10';
    $('[data-checkout-apply-code]').click();
    const express = all('[data-checkout-shipping-options] input')[1]!;
    express.checked = true;
    change(express);
    await settled(checkout);
    expect(fake.mutations.map((m) => m.method)).toEqual(['runServerUpdate', 'applyPromotionCode', 'updateShippingOption']);
    expect([server.requests.map((r) => r.body.changes), fake.calls.maxMutationsInFlight]).toEqual([[{ gift_wrap: true }], 1]);
    // $30 + gift wrap $5, 10 % off, express $15.
    expect($('[data-checkout-amount="total"]').textContent).toBe('$46.50');
  });
});

describe('page controls of Stripe actions: paid and destroyed', () => {
  it('disables every one of them once paid', async () => {
    const { checkout, all } = await start();
    await checkout.confirm();
    const controls = all('[data-checkout-promotion-code],[data-checkout-apply-code],[data-checkout-remove-code],[data-checkout-shipping-options] input,input[data-line-item=quantity],[data-price-id]');
    expect([controls.length, controls.every((el) => el.hasAttribute('disabled'))]).toEqual([9, true]);
  });

  it('destroy() removes the rows it rendered, restores what it set, and stops listening', async () => {
    const { fake, checkout, root, $ } = await start();
    checkout.destroy();
    expect([root.querySelectorAll('[data-checkout-shipping-options] label').length, $('[data-checkout-applied-code]').hidden, $('[data-checkout-applied-code]').textContent]).toEqual([0, false, 'none']);
    $<HTMLInputElement>('[data-checkout-promotion-code]').value = 'SAVE10';
    $('[data-checkout-apply-code]').click();
    $('button[data-price-id]').click();
    await Promise.resolve();
    expect([fake.mutations, $('button[data-price-id]').hasAttribute('aria-pressed')]).toEqual([[], false]);
  });
});
