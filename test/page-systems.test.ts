// @vitest-environment happy-dom
// The page layer on Payrails and Toast, as their script tags mount it: a root's attributes
// (data-adapter, data-session-url, data-endpoint), the provider's SDK on window (the fakes of
// checkout-updates/testing), the controls, the amounts, the payment form and its states.
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { shopperMessages } from '../src/dom/messages.js';
import type { PageFeature } from '../src/dom/mount.js';
import { mountOwn } from '../src/dom/own-page.js';
import { payrailsFromPage } from '../src/dom/payrails-page.js';
import { toastFromPage } from '../src/dom/toast-page.js';
import { mount as mountToast } from '../src/global-toast.js';
import { createFakePayrails, createFakeToast, type FakePayrails, type FakeToast } from '../src/testing/index.js';
import { ENDPOINT, useMerchantServer } from './helpers/merchant.js';

const server = useMerchantServer();
const SESSION_URL = 'http://shop.test/session';

afterEach(() => {
  document.body.replaceChildren();
  delete (window as { Payrails?: unknown }).Payrails;
  delete (window as { Toast?: unknown }).Toast;
});

const wait = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await wait(1);
  expect(condition()).toBe(true);
}

function page(html: string): HTMLElement {
  document.body.innerHTML = html;
  return document.querySelector('[data-checkout]') as HTMLElement;
}

const text = (root: HTMLElement, selector: string) => root.querySelector(selector)?.textContent ?? null;

describe('data-adapter="payrails"', () => {
  const HTML = `
    <form data-checkout data-adapter="payrails" data-session-url="${SESSION_URL}" data-endpoint="${ENDPOINT}">
      <label><input type="radio" name="tip" data-addon="tip" value="0" checked> No tip</label>
      <label><input type="radio" name="tip" data-addon="tip" value="15"> 15 %</label>
      <span data-checkout-amount="total"></span>
      <div data-payment-element></div>
      <p data-checkout-error hidden></p>
    </form>`;

  /** The page mounted; `sessions` notes each request to data-session-url: its method and Accept header. */
  function start(fake: FakePayrails = createFakePayrails(), html = HTML, features: PageFeature[] = [], reply = () => HttpResponse.json({ init: fake.initPayload, amount: fake.initPayload.amount })) {
    (window as { Payrails?: unknown }).Payrails = fake.Payrails;
    const sessions: string[] = [];
    server.use(http.post(SESSION_URL, ({ request }) => (sessions.push(`${request.method} ${request.headers.get('accept')}`), reply())));
    server.behaviour.reply = (_n, request) => {
      const amount = { value: request.body.selection['tip'] === '15' ? '52.89' : '45.99', currency: 'EUR' };
      fake.lookup('execution_fake_1', amount);
      return HttpResponse.json({ amount });
    };
    const root = page(html);
    const checkout = mountOwn('payrails', payrailsFromPage, root, { features });
    return { fake, root, checkout, sessions };
  }

  it("shows the starting amount, puts Payrails' card button in [data-payment-element], and a tip moves the amount Payrails pays", async () => {
    const { fake, root, checkout } = start();
    await checkout.ready;
    expect(text(root, '[data-checkout-amount="total"]')).toMatch(/45\.99/);
    expect(root.querySelectorAll('[data-payment-element] [data-payrails-card-payment-button]')).toHaveLength(1);
    root.querySelector<HTMLInputElement>('[value="15"]')!.click();
    await until(() => !checkout.pending && fake.updates.length === 1);
    expect([fake.log, text(root, '[data-checkout-amount="total"]')?.includes('52.89')]).toEqual([['lookup 52.89 EUR', 'update 52.89 EUR'], true]);
    expect(server.requests.map((r) => r.body)).toEqual([{ execution_id: 'execution_fake_1', selection: { tip: '15' }, changes: { tip: '15' } }]);
  });

  it("Payrails' button pays through the page's confirmation: refused after a failed update (with the words shown), then paid", async () => {
    const { fake, root, checkout } = start();
    await checkout.ready;
    fake.failNextUpdate('No active Payrails session');
    root.querySelector<HTMLInputElement>('[value="15"]')!.click();
    await until(() => !checkout.pending && fake.updates.length === 1);
    expect(text(root, '[data-checkout-error]')).toBe('No active Payrails session');
    expect(root.querySelector<HTMLInputElement>('[value="0"]')!.checked).toBe(true);
    expect(await fake.pay()).toEqual({ type: 'stopped' });
    expect(text(root, '[data-checkout-error]')).toBe('Your last change did not go through: choose again, then pay.');
    root.querySelector<HTMLInputElement>('[value="15"]')!.click();
    await until(() => !checkout.pending && fake.updates.length === 2);
    expect(await fake.pay()).toEqual({ type: 'authorized', amount: { value: '52.89', currency: 'EUR' } });
    expect([checkout.state, root.getAttribute('data-checkout-state'), text(root, '[data-checkout-error]')]).toEqual(['complete', 'complete', '']);
  });

  it("speaks the page's language: data-message-confirm_blocked when Payrails' button is refused, then data-message-paid in [data-checkout-status]", async () => {
    const html = HTML.replace('data-checkout ', 'data-checkout data-message-confirm_blocked="Ihre letzte Änderung ist nicht angekommen." data-message-paid="Bezahlt." ')
      .replace('</form>', '<p data-checkout-status></p></form>');
    // As the Payrails script tag mounts it once checkout-updates.messages.iife.js has added itself.
    const { fake, root, checkout } = start(createFakePayrails(), html, [shopperMessages]);
    await checkout.ready;
    fake.failNextUpdate('No active Payrails session');
    root.querySelector<HTMLInputElement>('[value="15"]')!.click();
    await until(() => !checkout.pending && fake.updates.length === 1);
    expect(await fake.pay()).toEqual({ type: 'stopped' });
    expect(text(root, '[data-checkout-error]')).toBe('Ihre letzte Änderung ist nicht angekommen.');
    root.querySelector<HTMLInputElement>('[value="15"]')!.click();
    await until(() => !checkout.pending && fake.updates.length === 2);
    expect((await fake.pay()).type).toBe('authorized');
    await wait();
    expect([checkout.state, text(root, '[data-checkout-status]'), root.querySelector('[data-checkout-status]')!.getAttribute('role')]).toEqual(['complete', 'Bezahlt.', 'status']);
  });

  it('refuses a root without data-session-url, or of another system, naming the attribute on the page', () => {
    (window as { Payrails?: unknown }).Payrails = createFakePayrails().Payrails;
    const errors: string[] = [];
    for (const html of [HTML.replace(`data-session-url="${SESSION_URL}"`, ''), HTML.replace(`data-session-url="${SESSION_URL}"`, 'data-session-url="  "'), HTML.replace('data-adapter="payrails"', '')]) {
      const root = page(html);
      root.addEventListener('checkout:error', (event) => errors.push((event as CustomEvent).detail.error.message));
      vi.spyOn(console, 'error').mockImplementation(() => {});
      expect(() => mountOwn('payrails', payrailsFromPage, root)).toThrow(expect.objectContaining({ code: 'invalid_option' }));
      expect(text(root, '[data-checkout-error]')).toBe('This checkout is not working. Please reload the page.');
    }
    expect(errors).toEqual([
      'data-session-url: missing; give the URL that starts a Payrails session',
      'data-session-url: missing; give the URL that starts a Payrails session',
      'data-adapter: "checkout-sessions" is not in this script (it runs "payrails")',
    ]);
  });

  it('asks data-session-url once, with POST and Accept: application/json, and takes data-adapter written with spaces around it', async () => {
    const { checkout, sessions } = start(createFakePayrails(), HTML.replace('data-adapter="payrails"', 'data-adapter=" payrails "'));
    await checkout.ready;
    expect([checkout.state, sessions]).toEqual(['ready', ['POST application/json']]);
  });

  it.each([
    ['an HTTP error', () => new HttpResponse(null, { status: 500 }), `${SESSION_URL} answered HTTP 500`],
    ['JSON null', () => HttpResponse.json(null), `${SESSION_URL} answered no JSON object`],
    ['a JSON number', () => HttpResponse.json(5), `${SESSION_URL} answered no JSON object`],
  ])('a data-session-url answering %s fails the start saying so', async (_, reply, message) => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { checkout, root } = start(createFakePayrails(), HTML, [], reply);
    await expect(checkout.ready).rejects.toMatchObject({ code: 'init_failed', message });
    expect(text(root, '[data-checkout-error]')).toBe('This checkout is not working. Please reload the page.');
  });

  it('sets the confirmed amount again when Payrails recovers the session and forgets it', async () => {
    const { fake, root, checkout } = start();
    await checkout.ready;
    root.querySelector<HTMLInputElement>('[value="15"]')!.click();
    await until(() => !checkout.pending && fake.updates.length === 1);
    fake.recoverSession();
    expect(fake.log).toEqual(['lookup 52.89 EUR', 'update 52.89 EUR', 'recover 45.99 EUR', 'update 52.89 EUR']);
  });

  it("data-message-http replaces the generic text of an update reply that is not JSON, even on a 200", async () => {
    const html = HTML.replace('data-checkout ', `data-checkout data-message-http="Der Server konnte diese Änderung nicht übernehmen." `);
    const { root, checkout } = start(createFakePayrails(), html, [shopperMessages]);
    await checkout.ready;
    server.behaviour.reply = () => new HttpResponse('<html>ok</html>', { status: 200, headers: { 'Content-Type': 'text/html' } });
    root.querySelector<HTMLInputElement>('[value="15"]')!.click();
    await until(() => !checkout.pending);
    expect(text(root, '[data-checkout-error]')).toBe('Der Server konnte diese Änderung nicht übernehmen.');
  });

  it("without Payrails' SDK on the page the start fails, the console says why, and the page says it is broken", async () => {
    const fake = createFakePayrails();
    const { root, checkout } = start(fake);
    delete (window as { Payrails?: unknown }).Payrails;
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    await expect(checkout.ready).rejects.toMatchObject({ code: 'init_failed', message: "Payrails' web SDK (window.Payrails) is not on the page: load it before this script" });
    expect([text(root, '[data-checkout-error]'), logged.mock.calls.length]).toEqual(['This checkout is not working. Please reload the page.', 1]);
    expect(server.requests).toHaveLength(0);
  });
});

describe('data-adapter="toast"', () => {
  const HTML = `
    <form data-checkout data-adapter="toast" data-session-url="${SESSION_URL}" data-endpoint="${ENDPOINT}">
      <label><input type="checkbox" data-addon="cookie"> Cookie</label>
      <span data-checkout-amount="total"></span>
      <div data-payment-element></div>
      <p data-checkout-error hidden></p>
      <button type="submit" data-checkout-pay>Pay</button>
    </form>`;

  function start(renew = false) {
    const fake: FakeToast = createFakeToast();
    (window as { Toast?: unknown }).Toast = fake.Toast;
    server.use(http.post(SESSION_URL, () => {
      const intent = fake.createIntent({ amount: 2000, currency: 'USD', captureMethod: 'MANUAL' });
      return HttpResponse.json({ paymentIntentId: intent.id, sessionSecret: intent.sessionSecret, merchantId: 'm_1', oauthToken: 't_1', amount: 2000, currency: 'USD' });
    }));
    server.behaviour.reply = (_n, request) => {
      const body = request.body as unknown as { payment_intent_id: string; selection: { cookie?: boolean } };
      const amount = body.selection.cookie ? 2350 : 2000;
      const answer = fake.updateIntent(body.payment_intent_id, { amount, amountDetails: { tip: 0 } });
      if (answer.status === 404) return HttpResponse.json({ error: 'This order has expired.' }, { status: 404 });
      return HttpResponse.json({ amount, currency: 'USD' });
    };
    const root = page(renew ? HTML.replace('data-checkout ', 'data-checkout data-renew-expired ') : HTML);
    const checkout = mountToast(root);
    return { fake, root, checkout };
  }

  it('shows the iframe in [data-payment-element], inert while an update is pending, and the new amount after fetchUpdates', async () => {
    const { fake, root, checkout } = start();
    server.behaviour.latencyMs = 20;
    await checkout.ready;
    await until(() => !!root.querySelector('[data-payment-element] iframe'));
    const target = root.querySelector('[data-payment-element]')!;
    root.querySelector<HTMLInputElement>('[data-addon="cookie"]')!.click();
    await wait(5);
    expect([checkout.pending, target.hasAttribute('inert'), root.getAttribute('aria-busy')]).toEqual([true, true, 'true']);
    await until(() => !checkout.pending);
    expect([target.hasAttribute('inert'), fake.log.slice(-2)]).toEqual([false, ['update 2350 tip 0', 'fetchUpdates 2350 tip 0']]);
    expect(target.querySelector('iframe')?.contentDocument?.querySelector('[data-toast-amount]')?.textContent).toBe('Amount: $23.50');
  });

  it('Pay confirms, then pays through createPaymentMethod and confirmPayment; a refusal shows its words', async () => {
    const { fake, root, checkout } = start();
    await checkout.ready;
    await until(() => !!root.querySelector('[data-payment-element] iframe'));
    fake.failNext('confirmPayment', 'The card was declined.');
    root.querySelector<HTMLButtonElement>('[data-checkout-pay]')!.click();
    await until(() => text(root, '[data-checkout-error]') === 'The card was declined.');
    expect(checkout.state).toBe('ready');
    root.querySelector<HTMLButtonElement>('[data-checkout-pay]')!.click();
    await until(() => checkout.state === 'complete');
    expect([fake.log.slice(-2), root.getAttribute('data-checkout-state')]).toEqual([['createPaymentMethod', 'confirmPayment 2000 USD: REQUIRES_CAPTURE'], 'complete']);
  });

  it('an intent over 24 hours old shows the expiry message; with data-renew-expired a new intent takes the choice instead', async () => {
    const plain = start();
    await plain.checkout.ready;
    plain.fake.now = new Date(Date.now() + 25 * 60 * 60 * 1000);
    plain.root.querySelector<HTMLInputElement>('[data-addon="cookie"]')!.click();
    await until(() => plain.checkout.state === 'expired' && !plain.checkout.pending);
    expect(text(plain.root, '[data-checkout-error]')).toBe('This checkout session has expired: reload the page to start again.');
    expect(plain.root.querySelector<HTMLInputElement>('[data-addon="cookie"]')!.checked).toBe(false);
    plain.checkout.destroy();

    const renewing = start(true);
    await renewing.checkout.ready;
    const first = renewing.checkout.session!.paymentIntentId;
    renewing.fake.now = new Date(Date.now() + 25 * 60 * 60 * 1000);
    renewing.root.querySelector<HTMLInputElement>('[data-addon="cookie"]')!.click();
    await until(() => renewing.checkout.state === 'ready' && !renewing.checkout.pending && renewing.checkout.session!.paymentIntentId !== first);
    const second = renewing.checkout.session!.paymentIntentId;
    expect(renewing.fake.intent(second)).toMatchObject({ amount: 2350 });
    expect([text(renewing.root, '[data-checkout-error]'), renewing.root.querySelector<HTMLInputElement>('[data-addon="cookie"]')!.checked]).toEqual(['', true]);
    // The iframe is shown again, on the new intent.
    await until(() => renewing.fake.log.filter((line) => line.startsWith('initialize')).length === 2);
  });

  it('refuses a root without data-session-url, naming the attribute', () => {
    (window as { Toast?: unknown }).Toast = createFakeToast().Toast;
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const root = page(HTML.replace(`data-session-url="${SESSION_URL}"`, ''));
    expect(() => mountToast(root)).toThrow('data-session-url: missing; give the URL that creates a Toast payment intent');
    expect(text(root, '[data-checkout-error]')).toBe('This checkout is not working. Please reload the page.');
  });

  it('destroy() leaves [data-payment-element] as it was: empty, no id given by the library, not inert', async () => {
    const { root, checkout } = start();
    await checkout.ready;
    await until(() => !!root.querySelector('[data-payment-element] iframe'));
    checkout.destroy();
    const target = root.querySelector('[data-payment-element]')!;
    expect([target.childElementCount, target.hasAttribute('id'), target.hasAttribute('inert')]).toEqual([0, false, false]);
  });
});
