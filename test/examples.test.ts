// The example pages as `npm run dev` serves them: Vite's dev server with the repository's
// config, over real HTTP, offline. Then the plain HTML checkout runs in a happy-dom window
// against that server: the stand-in reads each session from the example server's emulator,
// so the totals the page shows are the ones that server computed.
import { connect } from 'node:net';
import { Window } from 'happy-dom';
import { createLogger } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from './helpers/dev-server.js';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; frame-src 'self'; img-src 'self' data:";
const API = ['CheckoutUpdateError', 'createCheckout', 'isCheckoutUpdateError', 'mount'];

/** The attributes of a root on Payrails or Toast: their own, and none of Stripe's. */
const OWN_SYSTEM_ATTRIBUTES = ['checkout', 'adapter', 'session-url', 'endpoint', 'renew-expired', 'publishable-key', 'client-secret-url'];
/** What tells Stripe's code in a script (test/size.test.ts looks for the same). */
const STRIPE_CODE = /js\.stripe\.com|initCheckoutElementsSdk|retrievePaymentIntent|loadActions|runServerUpdate/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let dev: DevServer | undefined;
let origin = '';
let emulatorPort = 0;
const windows: Window[] = [];

beforeAll(async () => {
  const logger = createLogger('error');
  const info = logger.info;
  logger.info = (line, options) => {
    // "... a local Stripe emulator on http://127.0.0.1:PORT, ..." tells where the emulator listens.
    emulatorPort = Number(/emulator on http:\/\/127\.0\.0\.1:(\d+)/.exec(line)?.[1] ?? emulatorPort);
    info(line, options);
  };
  dev = await startDevServer(logger);
  origin = dev.origin;
}, 15_000);

afterAll(async () => {
  for (const window of windows.splice(0)) await window.happyDOM.close();
  await dev?.close();
  // Nothing may be left listening: neither the dev server nor the emulator it started.
  await waitUntilClosed(Number(new URL(origin).port));
  if (emulatorPort) await waitUntilClosed(emulatorPort);
});

function newWindow(path = '/'): Window {
  const window = new Window({
    url: `${origin}${path}`,
    settings: {
      enableJavaScriptEvaluation: true,
      suppressInsecureJavaScriptEnvironmentWarning: true,
      // Scripts are evaluated by hand below; the module scripts of Vite's client are not wanted.
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
    },
  });
  windows.push(window);
  return window;
}

async function get(path: string): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(`${origin}${path}`);
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** A page's HTML as a document, parsed without running anything. */
async function page(path: string): Promise<Document> {
  const { status, type, text } = await get(path);
  expect([status, type]).toEqual([200, 'text/html']);
  return new (newWindow().DOMParser)().parseFromString(text, 'text/html') as unknown as Document;
}

const attr = (doc: Document, selector: string, name: string) => Array.from(doc.querySelectorAll(selector), (el) => el.getAttribute(name));
const texts = (list: Element) => Array.from(list.querySelectorAll('li'), (li) => (li.textContent ?? '').replace(/\s+/g, ' ').trim());

/**
 * What a strict CSP needs of every page: the policy as written, with only the dev server's
 * nonce added to `style-src` (for Vite's error overlay), no inline script or style, and no
 * request for a favicon.
 */
function expectStrict(doc: Document): void {
  const nonces = attr(doc, 'meta[property="csp-nonce"]', 'nonce');
  expect(nonces).toEqual([expect.stringMatching(/^[A-Za-z0-9+/]{22}==$/)]);
  const policy = CSP.replace("style-src 'self'", `style-src 'self' 'nonce-${nonces[0]}'`);
  expect(attr(doc, 'meta[http-equiv="Content-Security-Policy"]', 'content')).toEqual([policy]);
  expect(Array.from(doc.querySelectorAll('script')).filter((s) => !s.hasAttribute('src') || (s.textContent ?? '').trim() !== '')).toEqual([]);
  expect(doc.querySelectorAll('style, [style]').length).toBe(0);
  expect(attr(doc, 'link[rel="stylesheet"]', 'href')).toEqual(['/styles.css']);
  expect(attr(doc, 'link[rel="icon"]', 'href')).toEqual(['data:,']);
}

describe('npm run dev: the pages', () => {
  it('serves the index, linking to the eight pages', async () => {
    const doc = await page('/');
    expectStrict(doc);
    expect(attr(doc, 'main a', 'href')).toEqual(['/plain.html', '/de.html', '/payment-intents.html', '/promotions.html', '/payrails.html', '/toast.html', '/spa.html', '/react.html', '/delta.html']);
    expect(doc.body.textContent).toContain('emulator');
    expect(doc.body.textContent).toContain('STRIPE_SECRET_KEY=sk_test_... VITE_STRIPE_PUBLISHABLE_KEY=pk_test_... npm run dev');
  });

  it('serves plain.html: attributes only, the stand-in before the library and two tabs after it, no script of its own', async () => {
    const doc = await page('/plain.html');
    expectStrict(doc);
    // Vite's client, then the classic scripts, in this order, with `vite-ignore` dropped.
    expect(Array.from(doc.querySelectorAll('script'), (s) => [s.getAttribute('src'), s.getAttribute('type'), s.hasAttribute('defer')]))
      .toEqual([['/@vite/client', 'module', false], ['/stripe-stand-in.js', null, false], ['/checkout-updates.iife.js', null, true], ['/checkout-updates.tabs.iife.js', null, true]]);
    const form = doc.querySelector('form[data-checkout]')!;
    expect(Object.fromEntries(['checkout', 'publishable-key', 'client-secret-url', 'endpoint', 'betas'].map((n) => [n, form.getAttribute(`data-${n}`)]))).toEqual({
      checkout: '',
      'publishable-key': 'pk_test_offline_emulator',
      'client-secret-url': '/checkout-session',
      endpoint: '/update-checkout',
      betas: 'custom_checkout_server_updates_1',
    });
    expect(Array.from(form.querySelectorAll('[data-addon]'), (el) => `${el.tagName.toLowerCase()}:${el.getAttribute('type')}:${el.getAttribute('data-addon')}`)).toEqual([
      'input:number:quantity',
      'input:checkbox:gift_wrap',
      'button:button:insurance',
      'input:number:warranty_years',
      'select:null:shipping',
      'input:radio:tip',
      'input:radio:tip',
      'input:radio:tip',
      'input:radio:tip',
    ]);
    expect(attr(doc, 'input[data-addon="tip"]', 'value')).toEqual(['0', '10', '15', '20']);
    expect(attr(doc, 'select[data-addon="shipping"] option', 'value')).toEqual(['standard', 'express']);
    expect(attr(doc, '[data-addon="warranty_years"]', 'max')).toEqual(['3']);
    // Every control has a label.
    for (const input of doc.querySelectorAll('input[id], select[id]')) expect(doc.querySelector(`label[for="${input.id}"]`), input.id).not.toBeNull();
    expect(attr(doc, '[data-checkout-amount]', 'data-checkout-amount')).toEqual(['subtotal', 'total']);
    const row = form.querySelector<HTMLTemplateElement>('ul[data-checkout-line-items] > template')!.content;
    expect(Array.from(row.querySelectorAll('[data-line-item]'), (el) => el.getAttribute('data-line-item'))).toEqual(['name', 'quantity', 'total']);
    expect(form.querySelector('[data-payment-element]')).not.toBeNull();
    expect(attr(doc, '[data-checkout-error]', 'role')).toEqual(['alert']);
    expect(form.querySelector('[data-checkout-loading][hidden]')).not.toBeNull();
    expect(attr(doc, 'button[data-checkout-pay]', 'type')).toEqual(['submit']);
    expect(attr(doc, 'button[data-checkout-pay]', 'disabled')).toEqual(['']); // until the library enables it
  });

  it('serves de.html: plain.html in German, lang="de", every key of the library\'s texts given by a data-message-* attribute', async () => {
    const doc = await page('/de.html');
    expectStrict(doc);
    expect(Array.from(doc.querySelectorAll('script'), (s) => s.getAttribute('src'))).toEqual(['/@vite/client', '/stripe-stand-in.js', '/checkout-updates.iife.js', '/checkout-updates.messages.iife.js']);
    expect(doc.documentElement.getAttribute('lang')).toBe('de');
    const form = doc.querySelector('form[data-checkout]')!;
    const keys = Array.from(form.attributes, (a) => a.name).filter((name) => name.startsWith('data-message-')).map((name) => name.slice('data-message-'.length));
    expect(keys).toEqual(['network', 'timeout', 'http', 'session_expired', 'confirm_blocked', 'offline', 'server_update_failed', 'action_failed', 'updating', 'paying', 'paid', 'failed_to_start']);
    expect(form.getAttribute('data-message-updating')).toBe('Wird aktualisiert…');
    expect([attr(doc, '[data-checkout-status]', 'class'), form.querySelector('[data-checkout-loading]')]).toEqual([['status'], null]);
    expect(attr(doc, 'button[data-checkout-pay]', 'disabled')).toEqual(['']);
  });

  it('serves payment-intents.html: the Payment Intents script tag and attributes only, no script of its own', async () => {
    const doc = await page('/payment-intents.html');
    expectStrict(doc);
    expect(Array.from(doc.querySelectorAll('script'), (s) => [s.getAttribute('src'), s.getAttribute('type'), s.hasAttribute('defer')]))
      .toEqual([['/@vite/client', 'module', false], ['/stripe-stand-in.js', null, false], ['/checkout-updates.payment-intents.iife.js', null, true]]);
    const form = doc.querySelector('form[data-checkout]')!;
    expect(Object.fromEntries(['adapter', 'publishable-key', 'client-secret-url', 'endpoint', 'return-url', 'betas'].map((n) => [n, form.getAttribute(`data-${n}`)]))).toEqual({
      adapter: 'payment-intents',
      'publishable-key': 'pk_test_offline_emulator',
      'client-secret-url': '/payment-intent',
      endpoint: '/update-payment-intent',
      'return-url': '/return.html',
      betas: null,
    });
    // A PaymentIntent has one amount and no line items.
    expect(attr(doc, '[data-checkout-amount]', 'data-checkout-amount')).toEqual(['total']);
    expect(form.querySelector('[data-checkout-line-items]')).toBeNull();
    expect(form.querySelector('[data-payment-element]')).not.toBeNull();
  });

  it('serves payrails.html: Payrails\' stand-in, then the Payrails script tag, and attributes only, no script of its own', async () => {
    const doc = await page('/payrails.html');
    expectStrict(doc);
    expect(Array.from(doc.querySelectorAll('script'), (s) => [s.getAttribute('src'), s.getAttribute('type'), s.hasAttribute('defer')]))
      .toEqual([['/@vite/client', 'module', false], ['/payrails-stand-in.js', null, false], ['/checkout-updates.payrails.iife.js', null, true]]);
    expect(attr(doc, '[data-checkout]', 'data-adapter')).toEqual(['payrails']);
    const form = doc.querySelector('form[data-checkout]')!;
    expect(Object.fromEntries(OWN_SYSTEM_ATTRIBUTES.map((n) => [n, form.getAttribute(`data-${n}`)]))).toEqual({
      checkout: '',
      adapter: 'payrails',
      'session-url': '/payrails-session',
      endpoint: '/update-payrails-amount',
      'renew-expired': null,
      'publishable-key': null,
      'client-secret-url': null,
    });
    expect(Array.from(form.querySelectorAll('[data-addon]'), (el) => `${el.getAttribute('type')}:${el.getAttribute('data-addon')}:${el.getAttribute('value')}`))
      .toEqual(['radio:tip:0', 'radio:tip:10', 'radio:tip:15', 'radio:tip:20']);
    expect(attr(doc, '[data-checkout-amount]', 'data-checkout-amount')).toEqual(['total']);
    expect(form.querySelector('[data-payment-element]')).not.toBeNull();
    expect(attr(doc, '[data-checkout-error]', 'role')).toEqual(['alert']);
    // Payrails' own card button pays: the page has no Pay button of its own.
    expect(form.querySelector('[data-checkout-pay]')).toBeNull();
  });

  it('serves toast.html: Toast\'s stand-in, then the Toast script tag, and attributes only, no script of its own', async () => {
    const doc = await page('/toast.html');
    expectStrict(doc);
    expect(Array.from(doc.querySelectorAll('script'), (s) => [s.getAttribute('src'), s.getAttribute('type'), s.hasAttribute('defer')]))
      .toEqual([['/@vite/client', 'module', false], ['/toast-stand-in.js', null, false], ['/checkout-updates.toast.iife.js', null, true]]);
    expect(attr(doc, '[data-checkout]', 'data-adapter')).toEqual(['toast']);
    const form = doc.querySelector('form[data-checkout]')!;
    expect(Object.fromEntries(OWN_SYSTEM_ATTRIBUTES.map((n) => [n, form.getAttribute(`data-${n}`)]))).toEqual({
      checkout: '',
      adapter: 'toast',
      'session-url': '/toast-payment-intent',
      endpoint: '/update-toast-payment-intent',
      'renew-expired': null,
      'publishable-key': null,
      'client-secret-url': null,
    });
    expect(Array.from(form.querySelectorAll('[data-addon]'), (el) => `${el.getAttribute('type')}:${el.getAttribute('data-addon')}:${el.getAttribute('value')}`))
      .toEqual(['checkbox:cookie:null', 'checkbox:drink:null', 'radio:tip:0', 'radio:tip:15', 'radio:tip:18', 'radio:tip:20']);
    for (const input of doc.querySelectorAll('input[id]')) expect(doc.querySelector(`label[for="${input.id}"]`), input.id).not.toBeNull();
    expect(attr(doc, '[data-checkout-amount]', 'data-checkout-amount')).toEqual(['total']);
    expect(form.querySelector('[data-payment-element]')).not.toBeNull();
    expect(attr(doc, '[data-checkout-error]', 'role')).toEqual(['alert']);
    expect([attr(doc, 'button[data-checkout-pay]', 'type'), attr(doc, 'button[data-checkout-pay]', 'disabled')]).toEqual([['submit'], ['']]);
  });

  it('serves spa.html with its module script and the stand-in, and spa.ts with checkout-updates resolved to the sources', async () => {
    const doc = await page('/spa.html');
    expectStrict(doc);
    expect(attr(doc, 'script', 'src')).toEqual(['/@vite/client', '/stripe-stand-in.js', '/spa.ts']);
    for (const id of ['options', 'line-items', 'total', 'payment-element', 'error', 'paid', 'pay', 'expire', 'log']) expect(doc.getElementById(id), id).not.toBeNull();
    expect(doc.getElementById('log')?.tagName).toBe('OL');
    expect(doc.getElementById('pay')?.hasAttribute('disabled')).toBe(true);
    const spa = await get('/spa.ts');
    expect([spa.status, spa.type]).toEqual([200, 'text/javascript']);
    expect(spa.text).toMatch(/import \{ createCheckout \} from "\/@fs\/.*\/src\/index\.ts"/);
  });

  it('serves react.html with its module script and the stand-in, and react.tsx with its JSX compiled by Vite', async () => {
    const doc = await page('/react.html');
    expectStrict(doc);
    expect(attr(doc, 'script', 'src')).toEqual(['/@vite/client', '/stripe-stand-in.js', '/react.tsx']);
    expect(doc.getElementById('app')?.getAttribute('data-publishable-key')).toBe('pk_test_offline_emulator');
    const react = await get('/react.tsx');
    expect([react.status, react.type]).toEqual([200, 'text/javascript']);
    expect(react.text).toMatch(/import \{ createCheckout \} from "\/@fs\/.*\/src\/index\.ts"/);
    expect(react.text).not.toMatch(/<App /);
  });

  it('serves delta.html: a manual root, the two classic scripts and delta.ts', async () => {
    const doc = await page('/delta.html');
    expectStrict(doc);
    expect(attr(doc, 'script', 'src')).toEqual(['/@vite/client', '/stripe-stand-in.js', '/checkout-updates.iife.js', '/delta.ts']);
    expect(attr(doc, 'form', 'data-checkout')).toEqual(['manual']);
    expect(attr(doc, '[data-addon]', 'data-addon')).toEqual(['gift_wrap', 'insurance']);
    expect(attr(doc, 'button[data-checkout-pay]', 'disabled')).toEqual(['']);
    const delta = await get('/delta.ts');
    expect(delta.text).toMatch(/mode: "serial",\s+endpoint: \{\s+url: "\/update-custom-amount"/);
  });
});

describe('npm run dev: the classic scripts', () => {
  it('/checkout-updates.iife.js is src/global.ts as one script defining window.CheckoutUpdates', async () => {
    const { status, type, text } = await get('/checkout-updates.iife.js');
    expect([status, type]).toEqual([200, 'text/javascript; charset=utf-8']);
    const window = newWindow();
    window.eval(text);
    const api = (window as unknown as { CheckoutUpdates: Record<string, unknown> }).CheckoutUpdates;
    expect(Object.keys(api).sort()).toEqual([...API, 'features'].sort());
    expect(typeof api['mount']).toBe('function');
  });

  it('/checkout-updates.actions.iife.js adds the controls of Stripe actions to the first script, and says so when loaded without it', async () => {
    const [base, actions] = await Promise.all([get('/checkout-updates.iife.js'), get('/checkout-updates.actions.iife.js')]);
    expect([actions.status, actions.type]).toEqual([200, 'text/javascript; charset=utf-8']);
    const window = newWindow();
    window.eval(base.text);
    window.eval(actions.text);
    const api = (window as unknown as { CheckoutUpdates: { features: unknown[] } }).CheckoutUpdates;
    expect([api.features.length, typeof api.features[0]]).toEqual([1, 'function']);
    const alone = newWindow();
    expect(() => alone.eval(actions.text)).toThrow('checkout-updates.actions.iife.js: load checkout-updates.iife.js before it');
  });

  it('/checkout-updates.messages.iife.js adds the shopper\'s language to every script tag, and says so when loaded without one', async () => {
    const files = ['/checkout-updates.iife.js', '/checkout-updates.payment-intents.iife.js', '/checkout-updates.payrails.iife.js', '/checkout-updates.toast.iife.js'];
    const [messages, ...bases] = await Promise.all(['/checkout-updates.messages.iife.js', ...files].map(get));
    expect([messages!.status, messages!.type]).toEqual([200, 'text/javascript; charset=utf-8']);
    const added = bases.map((base) => {
      const window = newWindow();
      window.eval(base.text);
      window.eval(messages!.text);
      const { features } = (window as unknown as { CheckoutUpdates: { features: unknown[] } }).CheckoutUpdates;
      return [features.length, typeof features[0]];
    });
    expect(added).toEqual(files.map(() => [1, 'function']));
    expect(() => newWindow().eval(messages!.text)).toThrow("checkout-updates.messages.iife.js: load the library's script tag before it");
  });

  it('/checkout-updates.payment-intents.iife.js is src/global-payment-intents.ts: the same global, with stripePaymentIntents', async () => {
    const { status, type, text } = await get('/checkout-updates.payment-intents.iife.js');
    expect([status, type]).toEqual([200, 'text/javascript; charset=utf-8']);
    const window = newWindow();
    window.eval(text);
    const api = (window as unknown as { CheckoutUpdates: Record<string, unknown> }).CheckoutUpdates;
    expect(Object.keys(api).sort()).toEqual([...API, 'features', 'stripePaymentIntents'].sort());
    expect(text).not.toContain('runServerUpdate');
  });

  it('/checkout-updates.payrails.iife.js is src/global-payrails.ts: the global with payrails, and no Stripe code', async () => {
    const { status, type, text } = await get('/checkout-updates.payrails.iife.js');
    expect([status, type]).toEqual([200, 'text/javascript; charset=utf-8']);
    const window = newWindow();
    window.eval(text);
    const api = (window as unknown as { CheckoutUpdates: Record<string, unknown> }).CheckoutUpdates;
    expect(Object.keys(api).sort()).toEqual([...API, 'features', 'payrails'].sort());
    expect(text).not.toMatch(STRIPE_CODE);
  });

  it('/checkout-updates.toast.iife.js is src/global-toast.ts: the global with toast, and no Stripe code', async () => {
    const { status, type, text } = await get('/checkout-updates.toast.iife.js');
    expect([status, type]).toEqual([200, 'text/javascript; charset=utf-8']);
    const window = newWindow();
    window.eval(text);
    const api = (window as unknown as { CheckoutUpdates: Record<string, unknown> }).CheckoutUpdates;
    expect(Object.keys(api).sort()).toEqual([...API, 'features', 'toast'].sort());
    expect(text).not.toMatch(STRIPE_CODE);
  });

  it('/payrails-stand-in.js is one classic script whose window.Payrails starts on the example server\'s init payload', async () => {
    const { status, type, text } = await get('/payrails-stand-in.js');
    expect([status, type]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(text).not.toMatch(/^\s*(import|export)\b/m);
    const window = newWindow();
    window.eval(text);
    const Payrails = (window as unknown as { Payrails: { init(payload: unknown): { query(key: 'executionId'): string } } }).Payrails;
    expect([typeof Payrails.init, typeof (window as unknown as { PayrailsStandIn?: unknown }).PayrailsStandIn]).toEqual(['function', 'object']);
    const { init } = (await (await fetch(`${origin}/payrails-session`, { method: 'POST' })).json()) as { init: { executionId: string } };
    expect(Payrails.init(init).query('executionId')).toBe(init.executionId);

    // Payrails' real SDK already on the page is left alone.
    const other = newWindow();
    const real = { init: () => null };
    Object.assign(other, { Payrails: real });
    other.eval(text);
    expect([(other as unknown as { Payrails: unknown }).Payrails === real, 'PayrailsStandIn' in other]).toEqual([true, false]);
  });

  it('/toast-stand-in.js is one classic script whose window.Toast has the functions of Toast\'s loader.js', async () => {
    const { status, type, text } = await get('/toast-stand-in.js');
    expect([status, type]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(text).not.toMatch(/^\s*(import|export)\b/m);
    const window = newWindow();
    window.eval(text);
    const Toast = (window as unknown as { Toast: Record<string, unknown> }).Toast;
    expect(Object.fromEntries(Object.entries(Toast).map(([name, value]) => [name, typeof value]))).toEqual({
      initialize: 'function',
      fetchUpdates: 'function',
      createPaymentMethod: 'function',
      confirmPayment: 'function',
    });
    expect(typeof (window as unknown as { ToastStandIn?: unknown }).ToastStandIn).toBe('object');

    // Toast's real loader.js already on the page is left alone.
    const other = newWindow();
    const real = { initialize: () => null };
    Object.assign(other, { Toast: real });
    other.eval(text);
    expect([(other as unknown as { Toast: unknown }).Toast === real, 'ToastStandIn' in other]).toEqual([true, false]);
  });

  it('/stripe-stand-in.js is one classic script whose window.Stripe reads sessions from the emulator', async () => {
    const { status, type, text } = await get('/stripe-stand-in.js');
    expect([status, type]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(text).not.toMatch(/^\s*(import|export)\b/m);
    const window = newWindow();
    Object.assign(window, { fetch: fetchFrom(window) });
    window.eval(text);
    const Stripe = (window as unknown as { Stripe: StripeLike }).Stripe;
    expect([typeof Stripe, Stripe.version]).toEqual(['function', 'endive']);

    const { clientSecret } = (await (await fetch(`${origin}/checkout-session`, { method: 'POST' })).json()) as { clientSecret: string };
    const sdk = Stripe('pk_test_offline_emulator', { betas: ['custom_checkout_server_updates_1'] }).initCheckoutElementsSdk({ clientSecret });
    const loaded = await sdk.loadActions();
    expect(loaded.type).toBe('success');
    const session = loaded.actions!.getSession();
    expect([session.id, session.total.total.amount, session.lineItems.map((item) => item.name)]).toEqual([clientSecret.split('_secret_')[0], '$20.00', ['T-shirt']]);
    expect(typeof loaded.actions!.runServerUpdate).toBe('function');

    // A real Stripe.js already on the page is left alone.
    const other = newWindow();
    const real = Object.assign(() => null, { version: 'real' });
    Object.assign(other, { Stripe: real });
    other.eval(text);
    expect((other as unknown as { Stripe: unknown }).Stripe).toBe(real);
  });

  it('/stripe-stand-in.js also works as the content of Stripe.js\'s own URL, which the loader adds when window.Stripe is missing', async () => {
    const standIn = (await get('/stripe-stand-in.js')).text;
    const requested: string[] = [];
    const window = new Window({
      url: `${origin}/`,
      settings: {
        enableJavaScriptEvaluation: true,
        suppressInsecureJavaScriptEnvironmentWarning: true,
        // What an end-to-end suite does with STRIPE_STAND_IN=route: answer js.stripe.com with the
        // stand-in. happy-dom loads a script added without `async` synchronously, firing `load`
        // inside appendChild, before the loader listens for it; a browser fires it later, so do that too.
        fetch: {
          interceptor: {
            beforeSyncRequest: ({ request, window: page }) => {
              requested.push(request.url);
              setTimeout(() => page.document.querySelector(`script[src="${request.url}"]`)?.dispatchEvent(new page.Event('load')));
              const headers = new page.Headers({ 'Content-Type': 'text/javascript' });
              return { status: 200, statusText: 'OK', ok: true, url: request.url, redirected: false, headers, body: Buffer.from(standIn) };
            },
          },
        },
      },
    });
    windows.push(window);
    Object.assign(window, { fetch: fetchFrom(window) });
    window.eval((await get('/checkout-updates.iife.js')).text);
    const api = (window as unknown as { CheckoutUpdates: typeof import('../src/index.js') }).CheckoutUpdates;
    const checkout = api.createCheckout({
      publishableKey: 'pk_test_offline_emulator',
      stripeOptions: { betas: ['custom_checkout_server_updates_1'] },
      clientSecret: async () => ((await (await fetch(`${origin}/checkout-session`, { method: 'POST' })).json()) as { clientSecret: string }).clientSecret,
      endpoint: '/update-checkout',
      root: window.document as unknown as Document,
    });
    const session = await checkout.ready;
    expect(requested).toEqual(['https://js.stripe.com/endive/stripe.js']);
    expect(session.total.total.amount).toBe('$20.00');
    const result = await checkout.set('gift_wrap', true);
    expect(result.type === 'success' && result.session.total.total.amount).toBe('$25.00');
    checkout.destroy();
  });
});

describe('npm run dev: the example server\'s Payrails and Toast sessions', () => {
  it('POST /payrails-session answers {init: {executionId, amount}, amount}: a new execution at the order\'s €45.99', async () => {
    const answers = await Promise.all([1, 2].map(() => fetch(`${origin}/payrails-session`, { method: 'POST' })));
    expect(answers.map((r) => [r.status, r.headers.get('content-type')])).toEqual([[200, 'application/json; charset=utf-8'], [200, 'application/json; charset=utf-8']]);
    const [first, second] = (await Promise.all(answers.map((r) => r.json()))) as Array<{ init: { executionId: string } }>;
    const amount = { value: '45.99', currency: 'EUR' };
    expect(first).toEqual({ init: { executionId: expect.stringMatching(UUID), amount }, amount });
    expect(second!.init.executionId).not.toBe(first!.init.executionId);
    // The execution exists on the emulated Payrails backend, authorised at that amount.
    const execution = await (await fetch(`${origin}/__payrails/executions/${first!.init.executionId}`)).json();
    expect(execution).toEqual({ executionId: first!.init.executionId, amount, authorised: amount, status: 'created' });
  });

  it('POST /toast-payment-intent answers {paymentIntentId, sessionSecret, merchantId, oauthToken, amount, currency}: a new intent of $20.00', async () => {
    const answer = await fetch(`${origin}/toast-payment-intent`, { method: 'POST' });
    expect([answer.status, answer.headers.get('content-type')]).toEqual([200, 'application/json; charset=utf-8']);
    const intent = (await answer.json()) as { paymentIntentId: string; sessionSecret: string };
    // The secret is `PI_<id>_SECRET_` and 25 random characters (the emulator's, as Toast's look).
    expect(intent).toEqual({
      paymentIntentId: expect.stringMatching(UUID),
      sessionSecret: `PI_${intent.paymentIntentId}_SECRET_${intent.sessionSecret.slice(-25)}`,
      merchantId: 'emulated-merchant',
      oauthToken: 'emulated-iframe-token',
      amount: 2000,
      currency: 'USD',
    });
    // The stand-in's Toast.initialize finds the intent by that secret on the emulated Toast API.
    const held = (await (await fetch(`${origin}/__toast/session?secret=${encodeURIComponent(intent.sessionSecret)}`)).json()) as Record<string, unknown>;
    expect([held['id'], held['amount'], held['currency'], held['status'], held['amountDetails']]).toEqual([intent.paymentIntentId, 2000, 'USD', 'REQUIRES_PAYMENT_METHOD', { tip: 0 }]);
  });
});

describe('npm run dev: plain.html, offline, end to end', () => {
  it('shows the total the server computed, updates it from a checkbox and a toggle button, and pays', async () => {
    const window = newWindow('/plain.html');
    const document = window.document as unknown as Document;
    Object.assign(window, { fetch: fetchFrom(window) });
    document.write((await get('/plain.html')).text);
    const form = document.querySelector('form')!;
    const total = form.querySelector('[data-checkout-amount="total"]')!;
    const items = form.querySelector('[data-checkout-line-items]')!;
    const pay = form.querySelector<HTMLButtonElement>('[data-checkout-pay]')!;
    const started = next(form, 'checkout:loading', (detail) => detail['loading'] === false);

    window.eval((await get('/stripe-stand-in.js')).text);
    window.eval((await get('/checkout-updates.iife.js')).text); // auto-mounts the form
    expect((await started).detail).toEqual({ loading: false, reason: 'init' });
    expect(emulatorPort).toBeGreaterThan(0);
    expect(total.textContent).toBe('$20.00');
    expect(texts(items)).toEqual(['T-shirt × 1 $20.00']);
    expect([pay.disabled, form.getAttribute('aria-busy')]).toEqual([false, null]);

    const giftWrap = form.querySelector<HTMLInputElement>('[data-addon="gift_wrap"]')!;
    let updated = next(form, 'checkout:update');
    giftWrap.checked = true;
    giftWrap.dispatchEvent(new window.Event('change', { bubbles: true }) as unknown as Event);
    expect(form.getAttribute('aria-busy')).toBe('true');
    expect((await updated).detail['changes']).toEqual({ gift_wrap: true });
    expect(total.textContent).toBe('$25.00');
    expect(texts(items)).toEqual(['T-shirt × 1 $20.00', 'Gift wrap × 1 $5.00']);

    const insurance = form.querySelector<HTMLButtonElement>('button[data-addon="insurance"]')!;
    updated = next(form, 'checkout:update');
    const idle = next(form, 'checkout:loading', (detail) => detail['loading'] === false);
    insurance.click();
    expect((await updated).detail['changes']).toEqual({ insurance: true });
    await idle;
    expect([total.textContent, insurance.getAttribute('aria-pressed')]).toEqual(['$28.00', 'true']);
    expect(texts(items)).toEqual(['T-shirt × 1 $20.00', 'Gift wrap × 1 $5.00', 'Shipping insurance × 1 $3.00']);
    expect([pay.disabled, form.querySelector('[data-checkout-error]')!.hasAttribute('hidden')]).toEqual([false, true]);

    // The stand-in's confirm completes the session without leaving the page.
    const paid = next(form, 'checkout:change', (detail) => (detail['session'] as { status: { type: string } }).status.type === 'complete');
    pay.click();
    await paid;
    expect(pay.disabled).toBe(true);
  }, 15_000);
});

interface StripeLike {
  (key: string, options?: { betas?: string[] }): {
    initCheckoutElementsSdk(options: { clientSecret: string }): {
      loadActions(): Promise<{ type: string; actions?: { getSession(): { id: string; total: { total: { amount: string } }; lineItems: Array<{ name: string }> }; runServerUpdate?: unknown } }>;
    };
  };
  version: string;
}

/**
 * The window's fetch: Node's own, with relative URLs against the dev server, as a browser
 * on that page would send them. The window's AbortSignal is followed by a Node one, which
 * is the only kind Node's fetch takes.
 */
function fetchFrom(window: Window): typeof fetch {
  return (input, init = {}) => {
    const { signal: pageSignal, ...rest } = init;
    const controller = new AbortController();
    if (pageSignal?.aborted) controller.abort(pageSignal.reason);
    pageSignal?.addEventListener('abort', () => controller.abort(pageSignal.reason));
    const headers = rest.headers === undefined ? undefined : [...new window.Headers(rest.headers as never)];
    return fetch(new URL(String(input), origin), { ...rest, ...(headers && { headers }), signal: controller.signal });
  };
}

type Detail = Record<string, unknown>;

/** The next `type` event on `target` whose detail passes `test`, or a failure after 5 s. */
function next(target: EventTarget, type: string, test: (detail: Detail) => boolean = () => true): Promise<CustomEvent<Detail>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      target.removeEventListener(type, listener);
      reject(new Error(`no ${type} event within 5 s`));
    }, 5_000);
    function listener(event: Event): void {
      if (!test((event as CustomEvent<Detail>).detail)) return;
      clearTimeout(timer);
      target.removeEventListener(type, listener);
      resolve(event as CustomEvent<Detail>);
    }
    target.addEventListener(type, listener);
  });
}

/** Resolves once nothing accepts connections on `port` (a closing server may take a moment). */
async function waitUntilClosed(port: number): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (await accepts(port)) {
    if (Date.now() > deadline) throw new Error(`127.0.0.1:${port} still accepts connections after the server closed`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
