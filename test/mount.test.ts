// @vitest-environment happy-dom
import { HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount, type MountOptions, type PageFeature } from '../src/dom/mount.js';
import { isCheckoutUpdateError } from '../src/errors.js';
import { asStripe, createFakeStripe, type FakeStripeOptions } from '../src/testing/index.js';
import type { Checkout, CheckoutAdapter } from '../src/types.js';
import { BETAS, CATALOG } from './helpers/checkout.js';
import { ENDPOINT, useMerchantServer } from './helpers/merchant.js';

const server = useMerchantServer();

// The page of the SPEC's plain-HTML example, every control type and output in it.
const PAGE = `
<form data-checkout data-publishable-key="pk_test_123" data-client-secret="cs_test_fake_1_secret_abc"
      data-endpoint="${ENDPOINT}" data-return-url="https://shop.test/thanks">
  <label><input type="checkbox" data-addon="gift_wrap"> Gift wrap</label>
  <select data-addon="shipping"><option value="standard">Standard</option><option value="express">Express</option></select>
  <label><input type="radio" name="tip" data-addon="tip" value="0" checked> No tip</label>
  <label><input type="radio" name="tip" data-addon="tip" value="2"> $2</label>
  <input type="number" data-addon="warranty" min="0" max="3" step="1" value="0">
  <button type="button" data-addon="insurance">Insurance</button>
  <span data-checkout-amount="total">–</span>
  <span data-checkout-amount="subtotal"></span>
  <ul data-checkout-line-items></ul>
  <div data-payment-element></div>
  <p data-checkout-error hidden></p>
  <span data-checkout-loading hidden>Updating…</span>
  <button type="submit" data-checkout-pay>Pay</button>
</form>`;

const CATALOG_WITH_INSURANCE = { ...CATALOG, tip: { name: 'Tip', options: { 0: 0, 2: 200 } }, insurance: { name: 'Insurance', unitAmount: 300 } };

const mounted: Checkout[] = [];
afterEach(() => {
  for (const checkout of mounted.splice(0)) checkout.destroy();
  document.body.replaceChildren();
});

function page(html = PAGE) {
  document.body.innerHTML = html; // test fixture: the page a merchant writes
  return document.querySelector<HTMLFormElement>('[data-checkout]')!;
}

/** Mounts `html` over a fake Stripe without awaiting `ready`. */
function mountPage(html = PAGE, options: MountOptions = {}, fakeOptions: FakeStripeOptions = {}) {
  const root = page(html);
  const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG_WITH_INSURANCE, ...fakeOptions });
  server.accept = (s) => fake.accept(s);
  const checkout = mount(root, { stripe: asStripe(fake), ...options });
  mounted.push(checkout);
  return { root, fake, checkout, $: <T extends Element = HTMLElement>(selector: string) => root.querySelector<T>(selector)! };
}

async function start(html = PAGE, options: MountOptions = {}, fakeOptions: FakeStripeOptions = {}) {
  const started = mountPage(html, options, fakeOptions);
  await started.checkout.ready;
  return started;
}

const change = (el: Element) => el.dispatchEvent(new Event('change', { bubbles: true }));

describe('mount: controls', () => {
  it('reads the initial selection from the controls as rendered, without a request', async () => {
    const html = PAGE.replace('data-addon="gift_wrap"', 'data-addon="gift_wrap" checked').replace('value="2"', 'value="2" checked');
    const { checkout, $ } = await start(html);
    expect(checkout.confirmed).toEqual({ gift_wrap: true, shipping: 'standard', tip: '2', warranty: 0, insurance: false });
    expect($('[data-addon=insurance]').getAttribute('aria-pressed')).toBe('false');
    expect(server.requests).toHaveLength(0);
  });

  it('sends each control type as its value: checkbox boolean, select and radio string, number number, button toggle', async () => {
    const { checkout, $, root } = await start();
    const gift = $<HTMLInputElement>('[data-addon=gift_wrap]');
    gift.checked = true;
    change(gift);
    $<HTMLSelectElement>('[data-addon=shipping]').value = 'express';
    change($('[data-addon=shipping]'));
    const two = root.querySelectorAll<HTMLInputElement>('[data-addon=tip]')[1]!;
    two.checked = true;
    change(two);
    $<HTMLInputElement>('[data-addon=warranty]').value = '2';
    change($('[data-addon=warranty]'));
    $('[data-addon=insurance]').click();
    await checkout.idle();
    expect(server.requests.map((r) => r.body.changes)).toEqual([
      { gift_wrap: true, shipping: 'express', tip: '2', warranty: 2, insurance: true },
    ]);
    expect($('[data-addon=insurance]').getAttribute('aria-pressed')).toBe('true');
    // $20 + $5 + $15 + $2 + 2 × $20 + $3
    expect($('[data-checkout-amount=total]').textContent).toBe('$85.00');
  });

  it('does not send an invalid number (empty, out of range, off step) and marks it aria-invalid', async () => {
    const { checkout, $ } = await start();
    const warranty = $<HTMLInputElement>('[data-addon=warranty]');
    for (const bad of ['', '4', '-1', '1.5', 'abc']) {
      warranty.value = bad;
      change(warranty);
    }
    await checkout.idle();
    expect(server.requests).toHaveLength(0);
    expect(warranty.getAttribute('aria-invalid')).toBe('true');
    warranty.value = '3';
    change(warranty);
    await checkout.idle();
    expect(warranty.hasAttribute('aria-invalid')).toBe(false);
    expect(server.requests.map((r) => r.body.changes)).toEqual([{ warranty: 3 }]);
  });

  it('takes a decimal only where the input allows one: step is 1 unless it says step="any"', async () => {
    const html = PAGE.replace('step="1" value="0">', 'value="0">').replace('</form>', '<input type="number" data-addon="tip_amount" step="any" value="0"></form>');
    const { checkout, $ } = await start(html);
    const warranty = $<HTMLInputElement>('[data-addon=warranty]');
    warranty.value = '1.5';
    change(warranty);
    const tip = $<HTMLInputElement>('[data-addon=tip_amount]');
    tip.value = '1.5';
    change(tip);
    await checkout.idle();
    expect([warranty.getAttribute('aria-invalid'), tip.hasAttribute('aria-invalid')]).toEqual(['true', false]);
    expect(server.requests.map((r) => r.body.changes)).toEqual([{ tip_amount: 1.5 }]);
  });

  it('announces a toggle button as one from the moment it is mounted (aria-pressed="false"), and no other control', () => {
    const { root, checkout } = mountPage();
    expect(checkout.state).toBe('loading');
    expect(Array.from(root.querySelectorAll('[data-addon]'), (el) => el.getAttribute('aria-pressed'))).toEqual([null, null, null, null, null, 'false']);
  });

  it("takes a radio group's value from its checked radio only: a change event on an unchecked one (a script notifying the whole group) sends nothing", async () => {
    const { checkout, root } = await start();
    const [none, two] = root.querySelectorAll<HTMLInputElement>('[data-addon=tip]');
    two!.checked = true;
    for (const radio of [two!, none!]) change(radio);
    await checkout.idle();
    expect([server.requests.map((r) => r.body.changes), checkout.selection['tip']]).toEqual([[{ tip: '2' }], '2']);
  });

  it('sends a range slider as a number, as a number input', async () => {
    const { checkout, $ } = await start(PAGE.replace('</form>', '<input type="range" data-addon="tip_percent" min="0" max="20" step="5" value="10"></form>'));
    expect(checkout.confirmed['tip_percent']).toBe(10);
    const slider = $<HTMLInputElement>('[data-addon=tip_percent]');
    slider.value = '15';
    change(slider);
    await checkout.idle();
    expect(server.requests.map((r) => r.body.changes)).toEqual([{ tip_percent: 15 }]);
  });

  it('shows an add-on set to none (null or false) as an empty text field, a number input at its min, and a radio group with none checked, even a radio whose value is the text "null"', async () => {
    const html = PAGE.replace('min="0" max="3"', 'min="1" max="3"').replace('value="0">', 'value="2">').replace('</form>', `
      <input type="text" data-addon="engraving" value="J.S.">
      <input type="radio" name="wrap" data-addon="wrap" value="null" checked><input type="radio" name="wrap" data-addon="wrap" value="paper">
    </form>`);
    const { checkout, root, $ } = await start(html, { initial: { engraving: null, warranty: false, wrap: null } });
    expect([$<HTMLInputElement>('[data-addon=engraving]').value, $<HTMLInputElement>('[data-addon=warranty]').value]).toEqual(['', '1']);
    expect(Array.from(root.querySelectorAll<HTMLInputElement>('[data-addon=wrap]'), (radio) => radio.checked)).toEqual([false, false]);
    expect(checkout.confirmed).toMatchObject({ engraving: null, warranty: false, wrap: null });
  });

  it('keeps controls usable while an update is pending: clicks merge into the next request', async () => {
    const { checkout, $ } = await start();
    server.behaviour.latencyMs = 30;
    const insurance = $('[data-addon=insurance]');
    insurance.click();
    await new Promise((r) => setTimeout(r, 5));
    insurance.click();
    insurance.click();
    expect($<HTMLInputElement>('[data-addon=gift_wrap]').disabled).toBe(false);
    await checkout.idle();
    // The 2nd and 3rd clicks cancel out while the 1st is in flight: nothing more to send.
    expect(server.requests.map((r) => r.body.selection.insurance)).toEqual([true]);
  });
});

describe('mount: outputs', () => {
  it('fills a <template> field it does not know, such as "constructor" or "toString", with nothing', async () => {
    const html = PAGE.replace('<ul data-checkout-line-items></ul>', '<ol data-checkout-line-items><template><li><b data-line-item="name"></b><i data-line-item="constructor"></i><u data-line-item="toString"></u></li></template></ol>');
    const { root } = await start(html);
    expect(Array.from(root.querySelectorAll('ol > li'), (li) => Array.from(li.children, (field) => field.textContent))).toEqual([['T-shirt', '', '']]);
  });

  it('writes amounts and line items as text; a <template> is used for each item', async () => {
    // (happy-dom's parser drops a <template> inside <tbody>, so the fixture uses a list; the
    // browser suite covers a table, on delta.html.)
    const html = PAGE.replace('<ul data-checkout-line-items></ul>', '<ol data-checkout-line-items><template><li><b data-line-item="name"></b> <i data-line-item="quantity"></i> <span data-line-item="total"></span> <s data-line-item="unitAmount"></s> <s data-line-item="subtotal"></s></li></template></ol>');
    const { checkout, root, $ } = await start(html);
    expect($('[data-checkout-amount=total]').textContent).toBe('$20.00');
    expect($('[data-checkout-amount=subtotal]').textContent).toBe('$20.00');
    await checkout.set('warranty', 2);
    const rows = Array.from(root.querySelectorAll('ol > li'), (li) => Array.from(li.children, (field) => field.textContent));
    // The server accepted the whole selection: the $0 choices (tip 0, standard shipping) are lines too.
    // Each row: name, quantity, total, unit amount, subtotal.
    expect(rows).toEqual([
      ['T-shirt', '1', '$20.00', '$20.00', '$20.00'], ['Extended warranty', '2', '$40.00', '$20.00', '$40.00'],
      ['Tip: 0', '1', '$0.00', '$0.00', '$0.00'], ['Shipping: standard', '1', '$0.00', '$0.00', '$0.00'],
    ]);
    expect(root.querySelector('ol > template')).not.toBe(null);
  });

  it('without a <template>, writes one text row per item: <li> in a <ul> or <ol>, <div> in any other list, with "× n" for more than one', async () => {
    const html = PAGE.replace('<ul data-checkout-line-items></ul>', '<ul data-checkout-line-items></ul><ol data-checkout-line-items></ol><div data-checkout-line-items></div>');
    const { checkout, root } = await start(html);
    await checkout.set('warranty', 2);
    const rows = Array.from(root.querySelectorAll('[data-checkout-line-items]'), (list) => Array.from(list.children, (row) => `${row.tagName} ${row.textContent}`));
    const texts = ['T-shirt: $20.00', 'Extended warranty × 2: $40.00', 'Tip: 0: $0.00', 'Shipping: standard: $0.00'];
    expect(rows).toEqual(['LI', 'LI', 'DIV'].map((tag) => texts.map((text) => `${tag} ${text}`)));
  });

  it('writes every amount the session has: total, subtotal, taxExclusive, taxInclusive, shippingRate, discount, appliedBalance', async () => {
    const names = ['total', 'subtotal', 'taxExclusive', 'taxInclusive', 'shippingRate', 'discount', 'appliedBalance'];
    const html = PAGE.replace('<span data-checkout-amount="subtotal"></span>', names.slice(1).map((n) => `<span data-checkout-amount="${n}"></span>`).join(''));
    const { checkout, root } = await start(html);
    await checkout.set('gift_wrap', true);
    const shown = Object.fromEntries(names.map((n) => [n, root.querySelector(`[data-checkout-amount="${n}"]`)!.textContent]));
    expect(shown).toEqual({ total: '$25.00', subtotal: '$25.00', taxExclusive: '$0.00', taxInclusive: '$0.00', shippingRate: '$0.00', discount: '$0.00', appliedBalance: '$0.00' });
  });

  it('renders a hostile product name as text, never as markup', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const { checkout, root } = await start(PAGE, {}, { catalog: { gift_wrap: { name: evil, unitAmount: 500 } } });
    await checkout.set('gift_wrap', true);
    const items = Array.from(root.querySelectorAll('[data-checkout-line-items] li'), (li) => li.textContent);
    expect(items).toEqual(['T-shirt: $20.00', `${evil}: $5.00`]);
    expect(root.querySelector('img')).toBe(null);
  });

  it('mounts the Payment Element into [data-payment-element]', async () => {
    const { fake, $ } = await start();
    expect(fake.calls.createPaymentElement).toBe(1);
    expect($('[data-payment-element]').children.length).toBe(1);
  });
});

describe('mount: feedback', () => {
  it('shows busy, loading and a disabled pay button through a whole update, then clears them', async () => {
    const { checkout, root, $ } = await start();
    server.behaviour.latencyMs = 20;
    // The attributes as CSS selectors see them: hidden="" and disabled="", or absent.
    const snapshot = () => [root.getAttribute('aria-busy'), $('[data-checkout-loading]').getAttribute('hidden'), $('[data-checkout-pay]').getAttribute('disabled')];
    expect(snapshot()).toEqual([null, '', null]);
    const done = checkout.set('gift_wrap', true);
    expect(snapshot()).toEqual(['true', null, '']);
    await done;
    expect(snapshot()).toEqual([null, '', null]);
  });

  it('on error shows the message in the live region and reverts the control; the next success clears it', async () => {
    const { checkout, $ } = await start();
    server.behaviour.reply = (n) => (n === 0 ? HttpResponse.json({ error: 'Gift wrap is sold out.' }, { status: 400 }) : undefined);
    const gift = $<HTMLInputElement>('[data-addon=gift_wrap]');
    gift.checked = true;
    change(gift);
    await checkout.idle();
    const error = $('[data-checkout-error]');
    expect([error.textContent, error.hidden, error.getAttribute('role'), gift.checked]).toEqual(['Gift wrap is sold out.', false, 'alert', false]);
    $('[data-addon=insurance]').click();
    await checkout.idle();
    expect([error.textContent, error.getAttribute('hidden')]).toEqual(['', '']);
    expect(checkout.confirmed).toEqual({ gift_wrap: false, shipping: 'standard', tip: '0', warranty: 0, insurance: true });
  });

  it('reverts a radio group, a select, a number and a toggle button to their confirmed values, not the initial ones, and clears aria-invalid', async () => {
    const { checkout, root, $ } = await start();
    const tips = () => Array.from(root.querySelectorAll<HTMLInputElement>('[data-addon=tip]'), (r) => r.checked);
    const shipping = $<HTMLSelectElement>('[data-addon=shipping]');
    const warranty = $<HTMLInputElement>('[data-addon=warranty]');
    const insurance = $('[data-addon=insurance]');
    const shown = () => [tips(), shipping.value, warranty.value, insurance.getAttribute('aria-pressed')];
    // The first change lands, so what is confirmed is no longer what the page rendered.
    server.behaviour.reply = (n) => (n === 0 ? undefined : HttpResponse.json({ error: 'No.' }, { status: 422 }));
    root.querySelectorAll<HTMLInputElement>('[data-addon=tip]')[1]!.checked = true;
    change(root.querySelectorAll('[data-addon=tip]')[1]!);
    shipping.value = 'express';
    change(shipping);
    warranty.value = '2';
    change(warranty);
    insurance.click();
    await checkout.idle();
    expect(checkout.confirmed).toEqual({ gift_wrap: false, shipping: 'express', tip: '2', warranty: 2, insurance: true });
    expect(shown()).toEqual([[false, true], 'express', '2', 'true']);
    // The second is refused; meanwhile the shopper types a number the input refuses.
    server.behaviour.latencyMs = 20;
    root.querySelectorAll<HTMLInputElement>('[data-addon=tip]')[0]!.checked = true;
    change(root.querySelectorAll('[data-addon=tip]')[0]!);
    shipping.value = 'standard';
    change(shipping);
    warranty.value = '3';
    change(warranty);
    insurance.click();
    warranty.value = '9';
    change(warranty);
    expect([shown(), warranty.getAttribute('aria-invalid')]).toEqual([[[true, false], 'standard', '9', 'false'], 'true']);
    await checkout.idle();
    expect(server.requests.map((r) => r.body.changes)).toEqual([
      { shipping: 'express', tip: '2', warranty: 2, insurance: true },
      { shipping: 'standard', tip: '0', warranty: 3, insurance: false },
    ]);
    expect([shown(), warranty.hasAttribute('aria-invalid')]).toEqual([[[false, true], 'express', '2', 'true'], false]);
  });
});

describe('mount: features', () => {
  it("gives each feature paint(), which shows the current summary again, in mount's outputs and in every feature's", async () => {
    let repaint = () => {};
    const shown: Array<string | undefined> = [];
    const feature: PageFeature = (_root, _checkout, _restore, paint) => ((repaint = paint), (summary) => void shown.push(summary?.total.amount));
    const { $ } = await start(PAGE, { features: [feature] });
    expect(shown).toEqual(['$20.00']);
    $('[data-checkout-amount=total]').textContent = 'edited by hand';
    repaint();
    expect([$('[data-checkout-amount=total]').textContent, shown]).toEqual(['$20.00', ['$20.00', '$20.00']]);
  });
});

describe('mount: a provider of your own (the adapter option)', () => {
  /** An order whose summary has a total only, and says whether it can be paid yet. */
  function orderAdapter() {
    const order = { id: 'ord_1', canConfirm: false };
    const adapter: CheckoutAdapter<typeof order> = {
      idField: 'order_id',
      start: async () => ({ ...order }),
      id: (o) => o.id,
      summarize: (o) => ({ currency: 'usd', total: { amount: '$20.00', minorUnitsAmount: 2000 }, lineItems: [], status: 'open', canConfirm: o.canConfirm }),
      update: async (serverCall) => (await serverCall?.(), { type: 'success', session: { ...order } }),
      confirm: async () => ({ type: 'success', session: { ...order } }),
    };
    return { order, adapter };
  }

  it('keeps Pay disabled while the provider says the order cannot be paid yet (canConfirm false), and writes an amount it does not have as empty', async () => {
    const { order, adapter } = orderAdapter();
    const root = page(PAGE.replace('<span data-checkout-amount="subtotal"></span>', '<span data-checkout-amount="subtotal">–</span>'));
    const checkout = mount(root, { adapter });
    mounted.push(checkout);
    await checkout.ready;
    const $ = (selector: string) => root.querySelector<HTMLElement>(selector)!;
    const pay = root.querySelector<HTMLButtonElement>('[data-checkout-pay]')!;
    expect([checkout.state, root.hasAttribute('aria-busy'), pay.disabled]).toEqual(['ready', false, true]);
    expect([$('[data-checkout-amount=total]').textContent, $('[data-checkout-amount=subtotal]').textContent]).toEqual(['$20.00', '']);
    order.canConfirm = true;
    await checkout.set('gift_wrap', true);
    expect(pay.disabled).toBe(false);
  });
});

describe('mount: add-on names that are Object.prototype members', () => {
  // Allowed by the name rules, and found by a plain lookup on every object: each must be
  // looked up as the selection's own key.
  const INHERITED = PAGE.replace('</form>', `
    <label><input type="checkbox" data-addon="valueOf" checked> Value pack</label>
    <label><input type="radio" name="wrap" data-addon="toString" value="paper"> Paper</label>
    <button type="button" data-addon="hasOwnProperty">Express</button>
  </form>`);

  it('reads them from the controls: a checked box, a radio group with none checked, a toggle', async () => {
    const { checkout } = await start(INHERITED);
    expect(checkout.confirmed).toEqual({ gift_wrap: false, shipping: 'standard', tip: '0', warranty: 0, insurance: false, valueOf: true, toString: null, hasOwnProperty: false });
  });

  it('a failed update of another add-on leaves the checked valueOf box checked', async () => {
    const { checkout, $ } = await start(INHERITED);
    server.behaviour.reply = () => HttpResponse.json({ error: 'Gift wrap is sold out.' }, { status: 400 });
    const gift = $<HTMLInputElement>('[data-addon=gift_wrap]');
    gift.checked = true;
    change(gift);
    await checkout.idle();
    expect([gift.checked, $<HTMLInputElement>('[data-addon=valueOf]').checked, checkout.selection['valueOf']]).toEqual([false, true, true]);
  });

  it('toggle() of a never-set inherited name switches it on, as for any other name', async () => {
    const { checkout } = await start(PAGE);
    expect([(await checkout.toggle('toString')).type, checkout.selection['toString']]).toEqual(['success', true]);
    await checkout.toggle('foo');
    expect(server.requests.map((r) => JSON.stringify(r.body.changes))).toEqual(['{"toString":true}', '{"foo":true}']);
  });
});

describe('mount: what the shopper sees', () => {
  const PHASES = PAGE.replace('<p data-checkout-error hidden></p>', `
    <p data-checkout-error hidden></p>
    <p data-checkout-error-for="gift_wrap" hidden></p>`);

  it('names the phase on the root for the page\'s CSS: loading, ready, paying, then complete with every control disabled', async () => {
    const root = page(PHASES);
    const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG_WITH_INSURANCE, latencyMs: { confirm: 30 } });
    server.accept = (s) => fake.accept(s);
    const checkout = mount(root, { stripe: asStripe(fake) });
    mounted.push(checkout);
    const phase = () => root.getAttribute('data-checkout-state');
    // Busy until the session is there: the page's loading indicator shows.
    expect([phase(), root.getAttribute('aria-busy'), root.querySelector<HTMLElement>('[data-checkout-loading]')!.hidden]).toEqual(['loading', 'true', false]);
    await checkout.ready;
    const pay = root.querySelector<HTMLButtonElement>('[data-checkout-pay]')!;
    expect([phase(), pay.disabled]).toEqual(['ready', false]);
    root.requestSubmit();
    await new Promise((r) => setTimeout(r, 10));
    expect([phase(), pay.disabled, root.getAttribute('aria-busy')]).toEqual(['paying', true, 'true']);
    root.querySelector<HTMLElement>('[data-addon=insurance]')!.click(); // made while paying: waits, then is refused once paid
    await new Promise((r) => setTimeout(r, 40));
    await checkout.idle();
    expect([checkout.state, phase(), pay.disabled, root.hasAttribute('aria-busy')]).toEqual(['complete', 'complete', true, false]);
    expect(Array.from(root.querySelectorAll('[data-addon]'), (el) => el.hasAttribute('disabled'))).toEqual([true, true, true, true, true, true]);
    // The refused change is reverted without a red "already complete": the paid state says enough.
    expect([root.querySelector('[data-addon=insurance]')!.getAttribute('aria-pressed'), root.querySelector<HTMLElement>('[data-checkout-error]')!.hidden]).toEqual(['false', true]);
    expect(server.requests).toHaveLength(0);
    checkout.destroy();
    expect([root.hasAttribute('data-checkout-state'), root.querySelector('[data-addon]')!.hasAttribute('disabled')]).toEqual([false, false]);
  });

  it('shows an error next to the add-on that caused it when the page has a place for it, else in [data-checkout-error]', async () => {
    const { checkout, $ } = await start(PHASES);
    server.behaviour.reply = (n) => (n < 2 ? HttpResponse.json({ error: n === 0 ? 'Gift wrap is sold out.' : 'Express is full.' }, { status: 400 }) : undefined);
    const near = $('[data-checkout-error-for=gift_wrap]');
    const general = $('[data-checkout-error]');
    const gift = $<HTMLInputElement>('[data-addon=gift_wrap]');
    gift.checked = true;
    change(gift);
    await checkout.idle();
    expect([near.textContent, near.hidden, near.getAttribute('role'), general.hidden]).toEqual(['Gift wrap is sold out.', false, 'alert', true]);
    $<HTMLSelectElement>('[data-addon=shipping]').value = 'express';
    change($('[data-addon=shipping]'));
    await checkout.idle();
    expect([near.hidden, general.textContent, general.hidden]).toEqual([true, 'Express is full.', false]);
    $('[data-addon=insurance]').click();
    await checkout.idle();
    expect([near.hidden, general.hidden]).toEqual([true, true]);
    // Not your server's refusal, so not the add-on's: a dropped connection is shown in general.
    server.behaviour.reply = () => HttpResponse.error();
    gift.checked = true;
    change(gift);
    await checkout.idle();
    expect([near.hidden, general.textContent, general.hidden]).toEqual([true, 'Could not reach the server. Check your connection and try again.', false]);
  });

  it('gives each place for errors role="alert", unless the page gave it a role of its own', async () => {
    const { $ } = await start(PHASES.replace('<p data-checkout-error hidden>', '<p data-checkout-error role="status" hidden>'));
    expect([$('[data-checkout-error]').getAttribute('role'), $('[data-checkout-error-for=gift_wrap]').getAttribute('role')]).toEqual(['status', 'alert']);
  });

  it('a failed start-up keeps Pay disabled and tells the shopper one sentence; the console gets the error', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const root = page(PHASES);
    const fake = createFakeStripe({ betas: BETAS });
    const checkout = mount(root, { stripe: asStripe(fake), clientSecret: () => Promise.reject(new Error('session endpoint down')) });
    mounted.push(checkout);
    await checkout.ready.catch(() => {});
    const shown = root.querySelector<HTMLElement>('[data-checkout-error]')!;
    expect([shown.textContent, shown.hidden]).toEqual(['This checkout is not working. Please reload the page.', false]);
    expect(root.querySelector<HTMLButtonElement>('[data-checkout-pay]')!.disabled).toBe(true);
    expect(consoleError.mock.calls.map(([e]) => isCheckoutUpdateError(e) && e.code)).toEqual(['init_failed']);
  });

  it('names an expiry in the background on the root, and keeps Pay disabled', async () => {
    const { fake, checkout, root } = await start(PHASES);
    fake.expire();
    await new Promise((r) => setTimeout(r, 10));
    expect([checkout.state, root.getAttribute('data-checkout-state'), root.querySelector<HTMLButtonElement>('[data-checkout-pay]')!.disabled]).toEqual(['expired', 'expired', true]);
  });

  it('a refusal of an update that carried several add-ons is shown in [data-checkout-error], not next to one of them', async () => {
    const { checkout, $ } = await start(PHASES);
    server.behaviour.reply = () => HttpResponse.json({ error: 'Express shipping is full.' }, { status: 400 });
    const gift = $<HTMLInputElement>('[data-addon=gift_wrap]');
    gift.checked = true;
    change(gift);
    $<HTMLSelectElement>('[data-addon=shipping]').value = 'express';
    change($('[data-addon=shipping]')); // the same task: one request carries both
    await checkout.idle();
    expect(server.requests).toHaveLength(1);
    expect([$('[data-checkout-error-for=gift_wrap]').hidden, $('[data-checkout-error]').textContent]).toEqual([true, 'Express shipping is full.']);
  });

  it("without data-return-url, confirms without a returnUrl, so Stripe uses the session's own return_url", async () => {
    const { fake, checkout, root } = await start(PAGE.replace(' data-return-url="https://shop.test/thanks"', ''));
    root.requestSubmit();
    await checkout.confirm();
    expect(fake.confirmArgs).toEqual([undefined]);
  });
});

describe('mount: paying', () => {
  it('submitting the form confirms with the return URL, once for a double submit', async () => {
    const { fake, checkout, root } = await start();
    root.requestSubmit();
    root.requestSubmit();
    await new Promise((r) => setTimeout(r, 10));
    expect(fake.calls.confirm).toBe(1);
    expect(fake.confirmArgs).toEqual([{ returnUrl: 'https://shop.test/thanks' }]);
    expect(checkout.state).toBe('complete');
  });

  it('a Pay button of type="button" in the form confirms on click; a submit one leaves it to the form, whose validation holds a required field left empty', async () => {
    const { fake, checkout, root } = await start(PAGE.replace('</form>', '<input type="email" name="email" required><button type="button" data-checkout-pay id="pay-now">Pay now</button></form>'));
    root.querySelector<HTMLElement>('button[type=submit]')!.click();
    await new Promise((r) => setTimeout(r, 10));
    expect([fake.calls.confirm, checkout.state]).toEqual([0, 'ready']);
    root.querySelector<HTMLElement>('#pay-now')!.click();
    await new Promise((r) => setTimeout(r, 10));
    expect([fake.calls.confirm, checkout.state]).toEqual([1, 'complete']);
  });

  it('a pay button outside a form is disabled while an update is pending, and confirms on click once it landed', async () => {
    const html = PAGE.replace('<form', '<div').replace('</form>', '</div>').replace('type="submit" data-checkout-pay', 'type="button" data-checkout-pay');
    const { fake, checkout, $ } = await start(html);
    const order: string[] = [];
    server.behaviour.latencyMs = 20;
    server.behaviour.reply = (_n, request) => void order.push(`server answers ${JSON.stringify(request.body.changes)}`);
    checkout.on('update', ({ changes }) => order.push(`landed ${JSON.stringify(changes)}`));
    const actions = checkout.actions as unknown as { confirm: (...args: unknown[]) => Promise<unknown> };
    const confirm = actions.confirm;
    actions.confirm = (...args) => (order.push('confirm'), confirm(...args));
    const pay = $<HTMLButtonElement>('[data-checkout-pay]');
    $('[data-addon=insurance]').click();
    expect(pay.disabled).toBe(true);
    pay.click(); // a disabled button gets no click: this one is lost, as in a browser
    await checkout.idle();
    await new Promise((r) => setTimeout(r, 5));
    expect([pay.disabled, fake.calls.confirm, order]).toEqual([false, 0, ['server answers {"insurance":true}', 'landed {"insurance":true}']]);
    pay.click();
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual(['server answers {"insurance":true}', 'landed {"insurance":true}', 'confirm']);
    expect([fake.calls.confirm, fake.confirmArgs, checkout.state]).toEqual([1, [{ returnUrl: 'https://shop.test/thanks' }], 'complete']);
    expect(server.accepted).toEqual({ gift_wrap: false, shipping: 'standard', tip: '0', warranty: 0, insurance: true });
  });
});

describe('mount: attributes and life cycle', () => {
  it.each([
    ['data-publishable-key', PAGE.replace('data-publishable-key="pk_test_123"', ''), 'data-publishable-key: expected your publishable key (pk_test_… or pk_live_…), got ""'],
    // A secret key pasted by mistake: refused, and only its first 20 characters are repeated.
    ['data-publishable-key (a secret key)', PAGE.replace('pk_test_123', 'sk_live_51AbCdEfGhIjKlMnOpQrStUv'), 'data-publishable-key: expected your publishable key (pk_test_… or pk_live_…), got "sk_live_51AbCdEfGhIj"'],
    ['data-client-secret', PAGE.replace('data-client-secret=', 'data-client-secret-url="/s" data-client-secret='), 'data-client-secret: give it or data-client-secret-url, not both'],
    ['data-client-secret (missing)', PAGE.replace('data-client-secret="cs_test_fake_1_secret_abc"', ''), 'data-client-secret: missing; give it, or data-client-secret-url'],
    ['data-endpoint', PAGE.replace(`data-endpoint="${ENDPOINT}"`, ''), 'data-endpoint: missing; give the URL of your update endpoint'],
    ['data-mode', PAGE.replace('data-checkout ', 'data-checkout data-mode="fast" '), 'data-mode: expected "latest" or "serial", got "fast"'],
    ['data-debounce-ms', PAGE.replace('data-checkout ', 'data-checkout data-debounce-ms="-5" '), 'data-debounce-ms: expected a whole number of milliseconds, got "-5"'],
    ['data-debounce-ms (a fraction)', PAGE.replace('data-checkout ', 'data-checkout data-debounce-ms="1.5" '), 'data-debounce-ms: expected a whole number of milliseconds, got "1.5"'],
    // 110 characters: one over 100 is refused, and the message quotes the first 60.
    ['data-addon (too long)', PAGE.replace('data-addon="gift_wrap"', `data-addon="${'gift_wrap_'.repeat(11)}"`), `data-addon: expected a name of letters, digits, _ . : or - (not __proto__, constructor or prototype), got "${'gift_wrap_'.repeat(6)}"`],
    ['data-checkout-amount', PAGE.replace('data-checkout-amount="subtotal"', 'data-checkout-amount="grand"'), 'data-checkout-amount: expected one of total, subtotal, taxExclusive, taxInclusive, shippingRate, discount, appliedBalance, got "grand"'],
  ])('reports a wrong %s as invalid_option on the root and in the console, tells the shopper in one sentence, and leaves the rest untouched', (_name, html, message) => {
    const root = page(html);
    const before = root.outerHTML;
    const events: unknown[] = [];
    root.addEventListener('checkout:error', (e) => events.push((e as CustomEvent).detail.error.message));
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    let thrown: unknown;
    try {
      mount(root);
    } catch (e) {
      thrown = e;
    }
    expect(isCheckoutUpdateError(thrown) && [thrown.code, thrown.message]).toEqual(['invalid_option', message]);
    expect(events).toEqual([message]);
    expect(consoleError).toHaveBeenCalledTimes(1);
    const shown = root.querySelector<HTMLElement>('[data-checkout-error]')!;
    expect([shown.textContent, shown.hidden]).toEqual(['This checkout is not working. Please reload the page.', false]);
    shown.textContent = '';
    shown.hidden = true;
    expect(root.outerHTML).toBe(before);
  });

  it.each([
    [null, 'Expected the root given to `mount` to be an element, got `null` (object)'],
    ['#checkout', 'Expected the root given to `mount` to be an element, got `"#checkout"` (string)'],
    [{}, 'Expected the root given to `mount` to be an element, got `{}` (object)'],
  ])('refuses a root that is not an element (%j) as invalid_option, saying what it got', (root, message) => {
    let thrown: unknown;
    try {
      mount(root as unknown as HTMLElement);
    } catch (e) {
      thrown = e;
    }
    expect(isCheckoutUpdateError(thrown) && [thrown.code, thrown.message]).toEqual(['invalid_option', message]);
  });

  it('destroy() leaves the page exactly as it was, with no listener left', async () => {
    const root = page();
    const before = root.outerHTML;
    // Every listener mount adds, on the root and on the window, is counted against its removal.
    const targets = { root: root as EventTarget, window: globalThis as EventTarget };
    const spies = Object.entries(targets).map(([name, target]) => ({ name, add: vi.spyOn(target, 'addEventListener'), remove: vi.spyOn(target, 'removeEventListener') }));
    const listening = () => spies.flatMap(({ name, add, remove }) =>
      add.mock.calls.filter(([type, fn]) => !remove.mock.calls.some(([t, f]) => t === type && f === fn)).map(([type]) => `${name} ${type}`));
    const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG_WITH_INSURANCE });
    const checkout = mount(root, { stripe: asStripe(fake) });
    await checkout.ready;
    expect(listening()).toEqual(['root change', 'root click', 'root submit', 'root click', 'window online']);
    await checkout.set('gift_wrap', true);
    root.querySelector<HTMLElement>('[data-addon=insurance]')!.click();
    await checkout.idle();
    expect(root.outerHTML).not.toBe(before);
    checkout.destroy();
    expect(root.outerHTML).toBe(before);
    expect(listening()).toEqual([]);
    const requests = server.requests.length;
    // A listener left behind would still cancel these: the toggle's click and the form's submit.
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    root.querySelector<HTMLElement>('[data-addon=insurance]')!.dispatchEvent(click);
    const submit = new Event('submit', { bubbles: true, cancelable: true });
    root.dispatchEvent(submit);
    root.requestSubmit();
    await new Promise((r) => setTimeout(r, 10));
    expect([click.defaultPrevented, submit.defaultPrevented]).toEqual([false, false]);
    expect(server.requests.length).toBe(requests);
    expect(fake.calls.confirm).toBe(0);
    expect(root.outerHTML).toBe(before);
  });

  it.each(['error', 'success'] as const)('destroy() while Stripe confirms: a confirm that settles later (%s) changes nothing on the page', async (outcome) => {
    const root = page();
    const before = root.outerHTML;
    const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG_WITH_INSURANCE, latencyMs: { confirm: 30 } });
    const checkout = mount(root, { stripe: asStripe(fake) });
    await checkout.ready;
    if (outcome === 'error') fake.failNext('confirm', 'error');
    root.requestSubmit();
    await new Promise((r) => setTimeout(r, 5));
    expect([fake.calls.confirm, root.querySelector('[data-checkout-pay]')!.hasAttribute('disabled')]).toEqual([1, true]);
    checkout.destroy(); // an SPA leaves the page while 3-D Secure is open
    expect(root.outerHTML).toBe(before);
    await new Promise((r) => setTimeout(r, 50)); // the confirmation settles
    expect(root.outerHTML).toBe(before);
  });

  it('options passed to mount win over attributes', async () => {
    const { fake, checkout, root } = await start(PAGE, { clientSecret: 'cs_from_options', returnUrl: 'https://shop.test/other' });
    expect(fake.clientSecrets).toEqual(['cs_from_options']);
    root.requestSubmit();
    await checkout.confirm();
    expect(fake.confirmArgs).toEqual([{ returnUrl: 'https://shop.test/other' }]);
  });

  it('fetches the client secret from data-client-secret-url with a POST that sends same-origin cookies and accepts JSON', async () => {
    const { http } = await import('msw');
    const seen: string[] = [];
    server.use(http.post('http://shop.test/checkout-session', ({ request }) => (seen.push(`${request.method} ${request.credentials} ${request.headers.get('Accept')}`), HttpResponse.json({ clientSecret: 'cs_from_url_secret' }))));
    const html = PAGE.replace('data-client-secret="cs_test_fake_1_secret_abc"', 'data-client-secret-url="http://shop.test/checkout-session"');
    const { fake } = await start(html);
    // Same-origin cookies (the shopper's cart), and JSON asked for.
    expect(seen).toEqual(['POST same-origin application/json']);
    expect(fake.clientSecrets).toEqual(['cs_from_url_secret']);
  });
});
