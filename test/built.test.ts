import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Window } from 'happy-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { distFile, readDist } from './helpers/dist.js';

// The files a merchant ships, tested as they ship: the script tag in a browser-like
// window, the ESM build through an import, and the ESM build in plain Node (SSR).

const BETAS = ['custom_checkout_server_updates_1'];
const CATALOG = { gift_wrap: { name: 'Gift wrap', unitAmount: 500 } };

type Testing = typeof import('../src/testing/index.js');
type Api = typeof import('../src/index.js');

const windows: Window[] = [];
afterEach(async () => {
  for (const w of windows.splice(0)) await w.happyDOM.close();
});

describe('dist/checkout-updates.iife.js in a page', () => {
  it('puts the API on window.CheckoutUpdates, loads Stripe through the loader from window.Stripe, and updates', async () => {
    const window = new Window({ url: 'https://shop.test/checkout', settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true } });
    windows.push(window);
    const { createFakeStripe } = (await import(distFile('testing.js'))) as Testing;
    const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG });
    Object.assign(window, { Stripe: fake.Stripe });
    window.eval(readDist('checkout-updates.iife.js')); // as a <script> tag runs it
    const api = (window as unknown as { CheckoutUpdates: Api }).CheckoutUpdates;
    expect(Object.keys(api).sort()).toEqual(['CheckoutUpdateError', 'createCheckout', 'features', 'isCheckoutUpdateError', 'mount']);

    const bodies: unknown[] = [];
    const checkout = api.createCheckout({
      publishableKey: 'pk_test_123',
      stripeOptions: { betas: BETAS },
      clientSecret: 'cs_test_secret',
      root: window.document as unknown as Document,
      endpoint: async (update) => {
        bodies.push(update.selection);
        fake.accept(update.selection);
        return new Response('{}', { status: 200 });
      },
    });
    const domEvents: string[] = [];
    window.document.addEventListener('checkout:update', (e) => domEvents.push(e.type));
    await checkout.ready;
    const result = await checkout.set('gift_wrap', true);
    expect(result.type === 'success' && result.session.total.total.amount).toBe('$25.00');
    expect(bodies).toEqual([{ gift_wrap: true }]);
    expect(domEvents).toEqual(['checkout:update']);
    expect(fake.calls.runServerUpdate).toBe(1);
  });
});

describe('dist/checkout-updates.iife.js auto-mount', () => {
  it('mounts every [data-checkout] root; a broken root is reported and does not stop the others', async () => {
    const window = new Window({ url: 'https://shop.test/checkout', settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true } });
    windows.push(window);
    const { createFakeStripe } = (await import(distFile('testing.js'))) as Testing;
    const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG });
    const accepted: unknown[] = [];
    Object.assign(window, {
      Stripe: fake.Stripe,
      // The page's endpoint, as the browser's fetch would reach it.
      fetch: async (_url: string, init: { body: string }) => {
        const { selection } = JSON.parse(init.body) as { selection: Record<string, boolean> };
        accepted.push(selection);
        fake.accept(selection);
        return new Response(null, { status: 204 });
      },
    });
    const document = window.document as unknown as Document;
    document.body.innerHTML = `
      <form id="broken" data-checkout data-client-secret="cs_x" data-endpoint="/u"></form>
      <form id="good" data-checkout data-publishable-key="pk_test_1" data-client-secret="cs_test_secret"
            data-endpoint="/update-checkout" data-betas="custom_checkout_server_updates_1">
        <input type="checkbox" data-addon="gift_wrap"><output data-checkout-amount="total"></output>
      </form>
      <form id="manual" data-checkout="manual"></form>`;
    const errors: string[] = [];
    document.addEventListener('checkout:error', (e) => errors.push(`${(e.target as Element).id}: ${(e as CustomEvent).detail.error.message}`));
    const consoleError = vi.spyOn(window.console, 'error').mockImplementation(() => {});
    window.eval(readDist('checkout-updates.iife.js'));
    await new Promise((r) => setTimeout(r, 20));
    expect(errors).toEqual(['broken: data-publishable-key: expected your publishable key (pk_test_… or pk_live_…), got ""']);
    expect(consoleError).toHaveBeenCalledTimes(1);
    const total = document.querySelector('#good output')!;
    expect(total.textContent).toBe('$20.00');
    const box = document.querySelector<HTMLInputElement>('#good input')!;
    box.checked = true;
    box.dispatchEvent(new window.Event('change', { bubbles: true }) as unknown as Event);
    await new Promise((r) => setTimeout(r, 20));
    expect(accepted).toEqual([{ gift_wrap: true }]);
    expect(total.textContent).toBe('$25.00');
    expect(fake.calls.initCheckoutElementsSdk).toBe(1); // the manual root was left alone
  });
});

describe('dist/checkout-updates.actions.iife.js after the script tag', () => {
  it('both deferred: auto-mount waits for DOMContentLoaded, then mounts with the controls of Stripe actions', async () => {
    const window = new Window({ url: 'https://shop.test/checkout', settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true } });
    windows.push(window);
    const { createFakeStripe } = (await import(distFile('testing.js'))) as Testing;
    const fake = createFakeStripe({ betas: BETAS, shippingOptions: [{ id: 'shr_standard', displayName: 'Standard', amount: 0 }, { id: 'shr_express', displayName: 'Express', amount: 1500 }] });
    Object.assign(window, { Stripe: fake.Stripe });
    const document = window.document as unknown as Document;
    document.body.innerHTML = `
      <form data-checkout data-publishable-key="pk_test_1" data-client-secret="cs_test_secret" data-endpoint="/update-checkout">
        <fieldset data-checkout-shipping-options><template><label><input type="radio"><span data-shipping-option="name"></span></label></template></fieldset>
      </form>`;
    // Deferred scripts run once the page is parsed but before DOMContentLoaded, whose start the
    // navigation entry then still gives as 0.
    Object.assign(window.performance, { getEntriesByType: (type: string) => (type === 'navigation' ? [{ domContentLoadedEventStart: 0 }] : []) });
    window.eval(readDist('checkout-updates.iife.js'));
    window.eval(readDist('checkout-updates.actions.iife.js'));
    await new Promise((r) => setTimeout(r, 20));
    expect(fake.calls.initCheckoutElementsSdk).toBe(0);
    document.dispatchEvent(new window.Event('DOMContentLoaded') as unknown as Event);
    await new Promise((r) => setTimeout(r, 20));
    const radios = [...document.querySelectorAll<HTMLInputElement>('[data-checkout-shipping-options] input')];
    expect([fake.calls.initCheckoutElementsSdk, radios.map((r) => [r.value, r.checked])]).toEqual([1, [['shr_standard', true], ['shr_express', false]]]);
  });
});

describe('dist/checkout-updates.messages.iife.js after the script tag', () => {
  it("both deferred: the page's data-message-* texts replace the library's, in [data-checkout-status] and [data-checkout-error]", async () => {
    const window = scriptWindow();
    const { createFakeStripe } = (await import(distFile('testing.js'))) as Testing;
    const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG });
    // A refusal with no words of the server's (not retried, as a 500 would be): the library's generic text.
    let answer = () => new Response(null, { status: 400 });
    Object.assign(window, { Stripe: fake.Stripe, fetch: async () => (await settle(), answer()) });
    const document = window.document as unknown as Document;
    document.body.innerHTML = `
      <form data-checkout data-publishable-key="pk_test_1" data-client-secret="cs_test_secret" data-endpoint="/update-checkout" data-betas="custom_checkout_server_updates_1"
            data-message-http="Der Server konnte diese Änderung nicht übernehmen." data-message-updating="Wird aktualisiert…">
        <input type="checkbox" data-addon="gift_wrap"><p data-checkout-status></p><p data-checkout-error hidden></p>
      </form>`;
    runDeferred(window, 'checkout-updates.iife.js');
    runDeferred(window, 'checkout-updates.messages.iife.js');
    document.dispatchEvent(new window.Event('DOMContentLoaded') as unknown as Event);
    await settle();
    const status = document.querySelector('[data-checkout-status]')!;
    const error = document.querySelector('[data-checkout-error]')!;
    const said: string[] = [];
    new window.MutationObserver(() => said.push(status.textContent ?? '')).observe(status as never, { childList: true });
    const giftWrap = async () => {
      const box = document.querySelector<HTMLInputElement>('input')!;
      box.checked = true;
      box.dispatchEvent(new window.Event('change', { bubbles: true }) as unknown as Event);
      await settle();
      await settle();
    };
    await giftWrap();
    expect([said, error.textContent, status.getAttribute('role')]).toEqual([['Wird aktualisiert…', ''], 'Der Server konnte diese Änderung nicht übernehmen.', 'status']);
    answer = () => Response.json({ error: 'Gift wrap is out of stock.' }, { status: 400 });
    await giftWrap();
    expect(error.textContent).toBe('Gift wrap is out of stock.');
  });

  it('says so when loaded before the script tag', () => {
    const window = scriptWindow();
    expect(() => window.eval(readDist('checkout-updates.messages.iife.js'))).toThrow("checkout-updates.messages.iife.js: load the library's script tag before it");
  });
});

describe('dist/checkout-updates.tabs.iife.js after the script tag', () => {
  /** A tab of the shop: its own window, Stripe.js and page, on the one session the server holds. */
  async function tab(fakes: Array<{ accept(selection: unknown): void }>) {
    const window = scriptWindow();
    const { createFakeStripe } = (await import(distFile('testing.js'))) as Testing;
    const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG });
    fakes.push(fake);
    // The browser's channel: happy-dom has none, Node's joins the tabs of this process.
    Object.assign(window, { Stripe: fake.Stripe, BroadcastChannel });
    const requests = merchantFetch(window, (_url, body) => (fakes.forEach((f) => f.accept((body as { selection: unknown }).selection)), {}));
    const document = window.document as unknown as Document;
    document.body.innerHTML = `
      <form data-checkout data-publishable-key="pk_test_1" data-client-secret="cs_test_secret" data-endpoint="/update-checkout" data-betas="custom_checkout_server_updates_1">
        <input type="checkbox" data-addon="gift_wrap"><span data-checkout-amount="total"></span>
      </form>`;
    runDeferred(window, 'checkout-updates.iife.js');
    runDeferred(window, 'checkout-updates.tabs.iife.js');
    document.dispatchEvent(new window.Event('DOMContentLoaded') as unknown as Event);
    return { window, document, fake, requests, box: document.querySelector<HTMLInputElement>('input')! };
  }

  it("both deferred: tab A's change shows in tab B's controls and amount, with no request from B", async () => {
    const fakes: Array<{ accept(selection: unknown): void }> = [];
    const a = await tab(fakes);
    const b = await tab(fakes);
    await settle();
    a.box.checked = true;
    a.box.dispatchEvent(new a.window.Event('change', { bubbles: true }) as unknown as Event);
    await settle();
    await settle();
    expect([a.requests.map(([, body]) => (body as { selection: unknown }).selection), b.requests]).toEqual([[{ gift_wrap: true }], []]);
    expect([b.box.checked, b.document.querySelector('[data-checkout-amount]')!.textContent, b.fake.calls.runServerUpdate]).toEqual([true, '$25.00', 1]);
  });

  it('says so when loaded before the script tag', () => {
    const window = scriptWindow();
    expect(() => window.eval(readDist('checkout-updates.tabs.iife.js'))).toThrow("checkout-updates.tabs.iife.js: load the library's script tag before it");
  });
});

describe('dist/checkout-updates.js (ESM)', () => {
  it('exports the public API and works with dist/testing.js', async () => {
    const api = (await import(distFile('checkout-updates.js'))) as Api;
    const { createFakeStripe, asStripe } = (await import(distFile('testing.js'))) as Testing;
    expect(Object.keys(api).sort()).toEqual(['CheckoutUpdateError', 'actionControls', 'createCheckout', 'isCheckoutUpdateError', 'mount', 'payrails', 'shareTabs', 'sharedTabs', 'shopperMessages', 'stripeCheckoutSessions', 'stripePaymentIntents', 'toCheckoutError', 'toast']);
    const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG });
    const checkout = api.createCheckout({
      stripe: asStripe(fake),
      clientSecret: 'cs_test_secret',
      endpoint: async (update) => (fake.accept(update.selection), new Response(null, { status: 204 })),
    });
    await checkout.ready;
    const result = await checkout.set('gift_wrap', true);
    expect(result.type === 'success' && result.session.total.total.minorUnitsAmount).toBe(2500);
    const error = new api.CheckoutUpdateError('http', 'x', { status: 500 });
    expect([api.isCheckoutUpdateError(error), error.name, error.status]).toEqual([true, 'CheckoutUpdateError', 500]);
  });

  it('imports in plain Node with no DOM, as server-side rendering does, and touches nothing', async () => {
    const run = promisify(execFile);
    const script = `
      const api = await import(${JSON.stringify(distFile('checkout-updates.js'))});
      const testing = await import(${JSON.stringify(distFile('testing.js'))});
      console.log(JSON.stringify({ api: Object.keys(api).sort(), testing: Object.keys(testing).sort(), window: typeof window, document: typeof document }));
    `;
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd });
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({
      api: ['CheckoutUpdateError', 'actionControls', 'createCheckout', 'isCheckoutUpdateError', 'mount', 'payrails', 'shareTabs', 'sharedTabs', 'shopperMessages', 'stripeCheckoutSessions', 'stripePaymentIntents', 'toCheckoutError', 'toast'],
      testing: ['asStripe', 'createFakePayrails', 'createFakeStripe', 'createFakeToast'],
      window: 'undefined',
      document: 'undefined',
    });
  });
});

// The script tags of Payrails and Toast, as their example pages load them: the provider's SDK
// first (the fake of dist/testing.js on window), then the library's script, deferred, so it
// mounts at DOMContentLoaded. The page's fetch answers the merchant's two URLs as the example
// server would, and records what the page sent.
const OWN_SYSTEM_API = ['CheckoutUpdateError', 'createCheckout', 'features', 'isCheckoutUpdateError', 'mount'];

function scriptWindow(): Window {
  const window = new Window({ url: 'https://shop.test/checkout', settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true } });
  windows.push(window);
  return window;
}

/** As a deferred script runs: the page parsed, DOMContentLoaded not yet fired (its start still 0). */
function runDeferred(window: Window, file: string): void {
  Object.assign(window.performance, { getEntriesByType: (type: string) => (type === 'navigation' ? [{ domContentLoadedEventStart: 0 }] : []) });
  window.eval(readDist(file));
}

/** The page's fetch: `answer` gives the merchant server's reply to each URL; every request is kept as `["POST /url", body]`. */
function merchantFetch(window: Window, answer: (url: string, body: unknown) => unknown) {
  const requests: Array<[string, unknown]> = [];
  Object.assign(window, {
    fetch: async (url: string, init: { method?: string; body?: string }) => {
      const body = init.body === undefined ? null : (JSON.parse(init.body) as unknown);
      requests.push([`${init.method} ${url}`, body]);
      return Response.json(answer(url, body));
    },
  });
  return requests;
}

const settle = () => new Promise((r) => setTimeout(r, 20));
const currency = (value: number, code: string) => new Intl.NumberFormat(undefined, { style: 'currency', currency: code }).format(value);

describe('dist/checkout-updates.payrails.iife.js in a page', () => {
  const ROOT = `
    <form id="payrails" data-checkout data-adapter="payrails" data-session-url="/payrails-session" data-endpoint="/update-payrails-amount">
      <input type="radio" name="tip" data-addon="tip" value="0" checked><input type="radio" name="tip" data-addon="tip" value="15">
      <span data-checkout-amount="total"></span><div data-payment-element></div><p data-checkout-error hidden></p>
    </form>`;

  /** The page and the merchant's server of examples/payrails.html: the execution, then a lookup per tip. */
  async function payrailsPage(html: string) {
    const window = scriptWindow();
    const { createFakePayrails } = (await import(distFile('testing.js'))) as Testing;
    const fake = createFakePayrails();
    Object.assign(window, { Payrails: fake.Payrails });
    const requests = merchantFetch(window, (url, body) => {
      if (url === '/payrails-session') return { init: fake.initPayload, amount: fake.initPayload.amount };
      const { execution_id, selection } = body as { execution_id: string; selection: { tip: string } };
      const amount = { value: selection.tip === '15' ? '52.89' : '45.99', currency: 'EUR' };
      fake.lookup(execution_id, amount);
      return { amount };
    });
    const document = window.document as unknown as Document;
    document.body.innerHTML = html;
    return { window, document, fake, requests };
  }

  it('puts exactly createCheckout, mount, payrails, the error class and the page features on window.CheckoutUpdates', () => {
    const window = scriptWindow();
    window.eval(readDist('checkout-updates.payrails.iife.js'));
    const api = (window as unknown as { CheckoutUpdates: Record<string, unknown> }).CheckoutUpdates;
    expect(Object.keys(api).sort()).toEqual([...OWN_SYSTEM_API, 'payrails'].sort());
    expect(Object.entries(api).map(([name, value]) => name === 'features' ? value : typeof value)).toEqual(['function', 'function', [], 'function', 'function', 'function']);
  });

  it('auto-mounts the data-adapter="payrails" root once the page is parsed; a tip goes to the server, then its amount to Payrails', async () => {
    const { window, document, fake, requests } = await payrailsPage(ROOT);
    runDeferred(window, 'checkout-updates.payrails.iife.js');
    await settle();
    expect(requests).toEqual([]);
    document.dispatchEvent(new window.Event('DOMContentLoaded') as unknown as Event);
    await settle();
    const total = document.querySelector('[data-checkout-amount="total"]')!;
    expect([requests, total.textContent, document.querySelectorAll('[data-payment-element] [data-payrails-card-payment-button]').length])
      .toEqual([[['POST /payrails-session', null]], currency(45.99, 'EUR'), 1]);

    document.querySelector<HTMLInputElement>('[value="15"]')!.click();
    await settle();
    expect(requests.slice(1)).toEqual([['POST /update-payrails-amount', { execution_id: 'execution_fake_1', selection: { tip: '15' }, changes: { tip: '15' } }]]);
    expect(fake.log).toEqual(['lookup 52.89 EUR', 'update 52.89 EUR']);
    expect([total.textContent, fake.amount]).toEqual([currency(52.89, 'EUR'), { value: '52.89', currency: 'EUR' }]);
  });

  it('refuses roots of another data-adapter, invalid_option on each, and still mounts the payrails root', async () => {
    const { window, document, fake, requests } = await payrailsPage(`
      <form id="toast" data-checkout data-adapter="toast" data-session-url="/toast-payment-intent" data-endpoint="/update-toast-payment-intent"><p data-checkout-error hidden></p></form>
      <form id="stripe" data-checkout data-publishable-key="pk_test_1" data-client-secret-url="/checkout-session" data-endpoint="/update-checkout"><p data-checkout-error hidden></p></form>
      ${ROOT}`);
    const errors: string[] = [];
    document.addEventListener('checkout:error', (e) => errors.push(`${(e.target as Element).id}: ${(e as CustomEvent).detail.error.code}: ${(e as CustomEvent).detail.error.message}`));
    const consoleError = vi.spyOn(window.console, 'error').mockImplementation(() => {});
    runDeferred(window, 'checkout-updates.payrails.iife.js');
    document.dispatchEvent(new window.Event('DOMContentLoaded') as unknown as Event);
    await settle();
    expect(errors).toEqual([
      'toast: invalid_option: data-adapter: "toast" is not in this script (it runs "payrails")',
      'stripe: invalid_option: data-adapter: "checkout-sessions" is not in this script (it runs "payrails")',
    ]);
    expect(consoleError).toHaveBeenCalledTimes(2);
    const shown = (id: string) => [document.querySelector(`#${id} [data-checkout-error]`)!.textContent, document.querySelector<HTMLElement>(`#${id} [data-checkout-error]`)!.hidden];
    expect([shown('toast'), shown('stripe'), shown('payrails')]).toEqual([['This checkout is not working. Please reload the page.', false], ['This checkout is not working. Please reload the page.', false], ['', true]]);

    document.querySelector<HTMLInputElement>('#payrails [value="15"]')!.click();
    await settle();
    expect(requests.map(([request]) => request)).toEqual(['POST /payrails-session', 'POST /update-payrails-amount']);
    expect([fake.log, document.querySelector('#payrails [data-checkout-amount="total"]')!.textContent]).toEqual([['lookup 52.89 EUR', 'update 52.89 EUR'], currency(52.89, 'EUR')]);
  });
});

describe('dist/checkout-updates.toast.iife.js in a page', () => {
  const ROOT = `
    <form id="toast" data-checkout data-adapter="toast" data-session-url="/toast-payment-intent" data-endpoint="/update-toast-payment-intent">
      <input type="checkbox" data-addon="cookie">
      <span data-checkout-amount="total"></span><div data-payment-element></div><p data-checkout-error hidden></p>
      <button type="submit" data-checkout-pay disabled>Pay</button>
    </form>`;

  /** The page and the merchant's server of examples/toast.html: the payment intent, then an update of it per change. */
  async function toastPage(html: string) {
    const window = scriptWindow();
    const { createFakeToast } = (await import(distFile('testing.js'))) as Testing;
    const fake = createFakeToast();
    Object.assign(window, { Toast: fake.Toast });
    // Toast's loader.js finds the element it is given by id in its page's document; the fake
    // reads the global one, which plain Node does not have.
    vi.stubGlobal('document', window.document);
    const intents: string[] = [];
    const requests = merchantFetch(window, (url, body) => {
      if (url === '/toast-payment-intent') {
        const intent = fake.createIntent({ amount: 2000, currency: 'USD', captureMethod: 'MANUAL' });
        intents.push(intent.id);
        return { paymentIntentId: intent.id, sessionSecret: intent.sessionSecret, merchantId: 'm_1', oauthToken: 't_1', amount: 2000, currency: 'USD' };
      }
      const { payment_intent_id, selection } = body as { payment_intent_id: string; selection: { cookie: boolean } };
      const amount = selection.cookie ? 2350 : 2000;
      fake.updateIntent(payment_intent_id, { amount, amountDetails: { tip: 0 } });
      return { amount, currency: 'USD' };
    });
    const document = window.document as unknown as Document;
    document.body.innerHTML = html;
    return { window, document, fake, requests, intents };
  }

  it('puts exactly createCheckout, mount, toast, the error class and the page features on window.CheckoutUpdates', () => {
    const window = scriptWindow();
    window.eval(readDist('checkout-updates.toast.iife.js'));
    const api = (window as unknown as { CheckoutUpdates: Record<string, unknown> }).CheckoutUpdates;
    expect(Object.keys(api).sort()).toEqual([...OWN_SYSTEM_API, 'toast'].sort());
    expect(Object.entries(api).map(([name, value]) => name === 'features' ? value : typeof value)).toEqual(['function', 'function', [], 'function', 'function', 'function']);
  });

  it('auto-mounts the data-adapter="toast" root once the page is parsed; a change goes to the server, then Toast fetches it', async () => {
    const { window, document, fake, requests, intents } = await toastPage(ROOT);
    runDeferred(window, 'checkout-updates.toast.iife.js');
    await settle();
    expect([requests, fake.log]).toEqual([[], []]);
    document.dispatchEvent(new window.Event('DOMContentLoaded') as unknown as Event);
    await settle();
    const total = document.querySelector('[data-checkout-amount="total"]')!;
    const iframe = document.querySelector<HTMLIFrameElement>('[data-payment-element] iframe');
    expect([requests, fake.log, total.textContent, iframe?.contentDocument?.querySelector('[data-toast-amount]')?.textContent])
      .toEqual([[['POST /toast-payment-intent', null]], ['create 2000 USD', 'initialize 2000 tip 0'], currency(20, 'USD'), 'Amount: $20.00']);

    document.querySelector<HTMLInputElement>('[data-addon="cookie"]')!.click();
    await settle();
    expect(requests.slice(1)).toEqual([['POST /update-toast-payment-intent', { payment_intent_id: intents[0], selection: { cookie: true }, changes: { cookie: true } }]]);
    expect(fake.log.slice(2)).toEqual(['update 2350 tip 0', 'fetchUpdates 2350 tip 0']);
    expect([total.textContent, iframe?.contentDocument?.querySelector('[data-toast-amount]')?.textContent]).toEqual([currency(23.5, 'USD'), 'Amount: $23.50']);
  });

  it('refuses roots of another data-adapter, invalid_option on each, and still mounts the toast root', async () => {
    const { window, document, fake, requests } = await toastPage(`
      <form id="payrails" data-checkout data-adapter="payrails" data-session-url="/payrails-session" data-endpoint="/update-payrails-amount"><p data-checkout-error hidden></p></form>
      <form id="intents" data-checkout data-adapter="payment-intents" data-publishable-key="pk_test_1" data-client-secret-url="/payment-intent" data-endpoint="/update-payment-intent"><p data-checkout-error hidden></p></form>
      ${ROOT}`);
    const errors: string[] = [];
    document.addEventListener('checkout:error', (e) => errors.push(`${(e.target as Element).id}: ${(e as CustomEvent).detail.error.code}: ${(e as CustomEvent).detail.error.message}`));
    const consoleError = vi.spyOn(window.console, 'error').mockImplementation(() => {});
    runDeferred(window, 'checkout-updates.toast.iife.js');
    document.dispatchEvent(new window.Event('DOMContentLoaded') as unknown as Event);
    await settle();
    expect(errors).toEqual([
      'payrails: invalid_option: data-adapter: "payrails" is not in this script (it runs "toast")',
      'intents: invalid_option: data-adapter: "payment-intents" is not in this script (it runs "toast")',
    ]);
    expect(consoleError).toHaveBeenCalledTimes(2);
    const shown = (id: string) => [document.querySelector(`#${id} [data-checkout-error]`)!.textContent, document.querySelector<HTMLElement>(`#${id} [data-checkout-error]`)!.hidden];
    expect([shown('payrails'), shown('intents'), shown('toast')]).toEqual([['This checkout is not working. Please reload the page.', false], ['This checkout is not working. Please reload the page.', false], ['', true]]);

    document.querySelector<HTMLInputElement>('#toast [data-addon="cookie"]')!.click();
    await settle();
    expect(requests.map(([request]) => request)).toEqual(['POST /toast-payment-intent', 'POST /update-toast-payment-intent']);
    expect([fake.log, document.querySelector('#toast [data-checkout-amount="total"]')!.textContent])
      .toEqual([['create 2000 USD', 'initialize 2000 tip 0', 'update 2350 tip 0', 'fetchUpdates 2350 tip 0'], currency(23.5, 'USD')]);
  });
});
