// @vitest-environment happy-dom
// Resume on reload, in the page layer: the reply that starts the session (data-client-secret-url,
// or data-session-url on Payrails and Toast roots) may carry the selection the session reflects.
// The controls show it once ready, with no request; one they cannot show is refused as
// `invalid_option` and the page goes on from its controls.
import { delay, http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount } from '../src/dom/mount.js';
import { mountOwn } from '../src/dom/own-page.js';
import { payrailsFromPage } from '../src/dom/payrails-page.js';
import { mount as mountToast } from '../src/global-toast.js';
import { asStripe, createFakePayrails, createFakeStripe, createFakeToast } from '../src/testing/index.js';
import type { Checkout } from '../src/types.js';
import { BETAS, CATALOG } from './helpers/checkout.js';
import { ENDPOINT, useMerchantServer } from './helpers/merchant.js';

const server = useMerchantServer();
const START_URL = 'http://shop.test/checkout-session';

// Every control type, as the SPEC's plain-HTML example has them.
const PAGE = `
<form data-checkout data-publishable-key="pk_test_123" data-client-secret-url="${START_URL}"
      data-endpoint="${ENDPOINT}" data-return-url="https://shop.test/thanks">
  <label><input type="checkbox" data-addon="gift_wrap"> Gift wrap</label>
  <select data-addon="shipping"><option value="standard">Standard</option><option value="express">Express</option></select>
  <label><input type="radio" name="tip" data-addon="tip" value="0" checked> No tip</label>
  <label><input type="radio" name="tip" data-addon="tip" value="2"> $2</label>
  <input type="number" data-addon="warranty" min="0" max="3" step="1" value="0">
  <button type="button" data-addon="insurance">Insurance</button>
  <input type="hidden" data-addon="note" value="">
  <span data-checkout-amount="total">–</span>
  <p data-checkout-error hidden></p>
  <button type="submit" data-checkout-pay>Pay</button>
</form>`;

/** What the page above renders: the fallback when a selection is refused. */
const RENDERED = { gift_wrap: false, shipping: 'standard', tip: '0', warranty: 0, insurance: false, note: '' };
const CATALOG_WITH_INSURANCE = { ...CATALOG, tip: { name: 'Tip', options: { 0: 0, 2: 200 } }, insurance: { name: 'Insurance', unitAmount: 300 } };

const mounted: Checkout<any, any>[] = [];
afterEach(() => {
  for (const checkout of mounted.splice(0)) checkout.destroy();
  document.body.replaceChildren();
  delete (window as { Payrails?: unknown }).Payrails;
  delete (window as { Toast?: unknown }).Toast;
  vi.restoreAllMocks();
});

const wait = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

function page(html: string): HTMLElement {
  document.body.innerHTML = html; // test fixture: the page a merchant writes
  return document.querySelector<HTMLElement>('[data-checkout]')!;
}

/** What the controls show, read from the DOM (not through the library). */
function showing(root: HTMLElement) {
  const $ = <T extends Element>(selector: string) => root.querySelector<T>(selector)!;
  return {
    gift_wrap: $<HTMLInputElement>('[data-addon=gift_wrap]').checked,
    shipping: $<HTMLSelectElement>('[data-addon=shipping]').value,
    tip: root.querySelector<HTMLInputElement>('[data-addon=tip]:checked')?.value ?? null,
    warranty: $<HTMLInputElement>('[data-addon=warranty]').value,
    insurance: $('[data-addon=insurance]').getAttribute('aria-pressed'),
    note: $<HTMLInputElement>('[data-addon=note]').value,
  };
}

/** A Checkout Sessions page whose start URL answers `reply` (after `latencyMs`); counts the POSTs. */
function start(reply: Record<string, unknown>, latencyMs = 0) {
  const posts: string[] = [];
  server.use(
    http.post(START_URL, async ({ request }) => {
      posts.push(request.method);
      if (latencyMs) await delay(latencyMs);
      return HttpResponse.json({ clientSecret: 'cs_test_fake_1_secret_abc', ...reply });
    }),
  );
  const root = page(PAGE);
  const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG_WITH_INSURANCE });
  server.accept = (s) => fake.accept(s);
  const errors: string[] = [];
  root.addEventListener('checkout:error', (event) => errors.push(`${(event as CustomEvent).detail.error.code}: ${(event as CustomEvent).detail.error.message}`));
  const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
  const checkout = mount(root, { stripe: asStripe(fake) });
  mounted.push(checkout);
  return { root, fake, checkout, posts, errors, logged };
}

const change = (el: Element) => el.dispatchEvent(new Event('change', { bubbles: true }));

describe('data-client-secret-url answering a selection', () => {
  it('shows it in every kind of control once ready, takes it as confirmed, and sends nothing', async () => {
    const saved = { gift_wrap: true, shipping: 'express', tip: '2', warranty: 2, insurance: true, note: 'ring twice' };
    const { root, checkout, posts, errors, logged, fake } = start({ selection: saved });
    await checkout.ready;
    expect(showing(root)).toEqual({ gift_wrap: true, shipping: 'express', tip: '2', warranty: '2', insurance: 'true', note: 'ring twice' });
    expect([checkout.confirmed, checkout.selection]).toEqual([saved, saved]);
    await wait(10);
    expect([posts, fake.clientSecrets, server.requests.length, errors, logged.mock.calls.length]).toEqual([['POST'], ['cs_test_fake_1_secret_abc'], 0, [], 0]);
  });

  it('keeps what the controls render for the add-ons it does not name', async () => {
    const { root, checkout } = start({ selection: { tip: '2' } });
    await checkout.ready;
    expect(checkout.confirmed).toEqual({ ...RENDERED, tip: '2' });
    expect(showing(root)).toEqual({ gift_wrap: false, shipping: 'standard', tip: '2', warranty: '0', insurance: 'false', note: '' });
    expect(server.requests).toHaveLength(0);
  });

  it('a change the shopper made while it loaded is shown once ready, and sent over the saved selection', async () => {
    const { root, checkout } = start({ selection: { shipping: 'express', warranty: 1 } }, 20);
    const gift = root.querySelector<HTMLInputElement>('[data-addon=gift_wrap]')!;
    gift.checked = true;
    change(gift);
    await checkout.ready;
    expect(showing(root)).toEqual({ gift_wrap: true, shipping: 'express', tip: '0', warranty: '1', insurance: 'false', note: '' });
    await checkout.idle();
    expect(server.requests.map((r) => r.body)).toEqual([
      { checkout_session_id: 'cs_test_fake_1', selection: { ...RENDERED, shipping: 'express', warranty: 1, gift_wrap: true }, changes: { gift_wrap: true } },
    ]);
  });

  it.each([
    ['no selection', {}],
    ['a null selection', { selection: null }],
  ])('with %s, starts from the controls as before', async (_name, reply) => {
    const { root, checkout, errors } = start(reply);
    await checkout.ready;
    expect([checkout.confirmed, showing(root), errors, server.requests.length]).toEqual([
      RENDERED,
      { gift_wrap: false, shipping: 'standard', tip: '0', warranty: '0', insurance: 'false', note: '' },
      [],
      0,
    ]);
  });
});

describe('a selection the page cannot show', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['an add-on no control has', { gift_wrap: true, gift_wrapping: true }, '"gift_wrapping"'],
    ['a checkbox given a string', { gift_wrap: 'yes' }, '"gift_wrap"'],
    ['a button given a number', { insurance: 1 }, '"insurance"'],
    ['a number over the input\'s max', { warranty: 7 }, '"warranty"'],
    ['a number off the input\'s step', { warranty: 1.5 }, '"warranty"'],
    ['a number given as a string', { warranty: '2' }, '"warranty"'],
    ['a select given no option of it', { shipping: 'overnight' }, '"shipping"'],
    ['a radio group given none of its values', { tip: '5' }, '"tip"'],
    ['a text input given a number', { note: 3 }, '"note"'],
    ['a value that is an object', { shipping: { id: 'express' } }, '"shipping"'],
  ])('refuses %s as invalid_option, logs it, shows the shopper nothing, and goes on from the controls', async (_name, selection, name) => {
    const { root, checkout, errors, logged, fake } = start({ selection });
    await checkout.ready;
    const value = selection[JSON.parse(name) as string];
    const message = `invalid_option: Expected the value of ${name} to be one its [data-addon] control can show, got \`${JSON.stringify(value)}\` (${typeof value})`;
    expect(errors).toEqual([message]);
    expect(logged.mock.calls.map(([error]) => `${(error as { code: string }).code}: ${(error as Error).message}`)).toEqual([message]);
    expect(checkout.confirmed).toEqual(RENDERED);
    expect(showing(root)).toEqual({ gift_wrap: false, shipping: 'standard', tip: '0', warranty: '0', insurance: 'false', note: '' });
    expect([root.querySelector('[data-checkout-error]')!.hasAttribute('hidden'), root.querySelector('[data-checkout-error]')!.textContent]).toEqual([true, '']);
    expect(server.requests).toHaveLength(0);

    // The page works: a change sends one request, carrying the controls' values.
    server.accept = (s) => fake.accept(s);
    root.querySelector<HTMLButtonElement>('[data-addon=insurance]')!.click();
    await checkout.idle();
    expect(server.requests.map((r) => r.body)).toEqual([
      { checkout_session_id: 'cs_test_fake_1', selection: { ...RENDERED, insurance: true }, changes: { insurance: true } },
    ]);
    expect(checkout.confirmed).toEqual({ ...RENDERED, insurance: true });
  });
});

describe('data-session-url (Payrails, Toast) answering a selection', () => {
  const SESSION_URL = 'http://shop.test/session';

  function payrailsPage(selection: unknown) {
    const fake = createFakePayrails();
    (window as { Payrails?: unknown }).Payrails = fake.Payrails;
    let posts = 0;
    server.use(http.post(SESSION_URL, () => (posts++, HttpResponse.json({ init: fake.initPayload, amount: fake.initPayload.amount, selection }))));
    const root = page(`
      <form data-checkout data-adapter="payrails" data-session-url="${SESSION_URL}" data-endpoint="${ENDPOINT}">
        <label><input type="radio" name="tip" data-addon="tip" value="0" checked> No tip</label>
        <label><input type="radio" name="tip" data-addon="tip" value="15"> 15 %</label>
        <div data-payment-element></div>
        <p data-checkout-error hidden></p>
      </form>`);
    const checkout = mountOwn('payrails', payrailsFromPage, root);
    mounted.push(checkout);
    return { root, checkout, posts: () => posts };
  }

  function toastPage(selection: unknown) {
    const fake = createFakeToast();
    (window as { Toast?: unknown }).Toast = fake.Toast;
    let posts = 0;
    server.use(http.post(SESSION_URL, () => {
      posts++;
      const intent = fake.createIntent({ amount: 2350, currency: 'USD', captureMethod: 'MANUAL' });
      return HttpResponse.json({ paymentIntentId: intent.id, sessionSecret: intent.sessionSecret, merchantId: 'm_1', oauthToken: 't_1', amount: 2350, currency: 'USD', selection });
    }));
    const root = page(`
      <form data-checkout data-adapter="toast" data-session-url="${SESSION_URL}" data-endpoint="${ENDPOINT}">
        <label><input type="checkbox" data-addon="cookie"> Cookie</label>
        <div data-payment-element></div>
        <p data-checkout-error hidden></p>
      </form>`);
    const errors: string[] = [];
    root.addEventListener('checkout:error', (event) => errors.push(`${(event as CustomEvent).detail.error.code}: ${(event as CustomEvent).detail.error.message}`));
    const checkout = mountToast(root);
    mounted.push(checkout);
    return { root, checkout, errors, posts: () => posts };
  }

  it('a Payrails root shows the saved tip, takes it as confirmed, and sends nothing', async () => {
    const { root, checkout, posts } = payrailsPage({ tip: '15' });
    await checkout.ready;
    expect([root.querySelector<HTMLInputElement>('[value="15"]')!.checked, checkout.confirmed, posts(), server.requests.length]).toEqual([true, { tip: '15' }, 1, 0]);
  });

  it('a Toast root shows the saved cookie, takes it as confirmed, and sends nothing', async () => {
    const { root, checkout, posts, errors } = toastPage({ cookie: true });
    await checkout.ready;
    expect([root.querySelector<HTMLInputElement>('[data-addon=cookie]')!.checked, checkout.confirmed, posts(), server.requests.length, errors]).toEqual([true, { cookie: true }, 1, 0, []]);
  });

  it('a Toast root refuses a value its checkbox cannot take, and goes on from the controls', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { root, checkout, errors } = toastPage({ cookie: 'yes' });
    await checkout.ready;
    const message = 'invalid_option: Expected the value of "cookie" to be one its [data-addon] control can show, got `"yes"` (string)';
    expect([errors, logged.mock.calls.length, checkout.confirmed, root.querySelector<HTMLInputElement>('[data-addon=cookie]')!.checked]).toEqual([[message], 1, { cookie: false }, false]);
    server.behaviour.reply = () => HttpResponse.json({ amount: 2350, currency: 'USD' });
    root.querySelector<HTMLInputElement>('[data-addon=cookie]')!.click();
    await checkout.idle();
    expect(server.requests.map((r) => r.body.selection)).toEqual([{ cookie: true }]);
  });
});
