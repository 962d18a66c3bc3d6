// @vitest-environment happy-dom
// The shopper's language (`shopperMessages`, a page feature): `data-message-<key>` attributes
// and the `messages` option replace each text the page layer shows, and
// `[data-checkout-status]` names the states in them.
import { HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { shopperMessages } from '../src/dom/messages.js';
import { mount, type MountOptions } from '../src/dom/mount.js';
import { CheckoutUpdateError, isCheckoutUpdateError } from '../src/errors.js';
import { asStripe, createFakeStripe, type FakeStripe } from '../src/testing/index.js';
import type { Checkout, CheckoutAdapter } from '../src/types.js';
import { BETAS, CATALOG } from './helpers/checkout.js';
import { ENDPOINT, useMerchantServer } from './helpers/merchant.js';

const server = useMerchantServer();

const PAGE = `
<form data-checkout data-publishable-key="pk_test_123" data-client-secret="cs_test_fake_1_secret_abc" data-endpoint="${ENDPOINT}">
  <label><input type="checkbox" data-addon="gift_wrap"> Geschenkverpackung</label>
  <span data-checkout-amount="total"></span>
  <p data-checkout-status>–</p>
  <span data-checkout-loading hidden>Einen Moment…</span>
  <p data-checkout-error hidden></p>
  <button type="submit" data-checkout-pay>Bezahlen</button>
</form>`;

/** German for every key, as a page would write it. */
const GERMAN = {
  network: 'Keine Verbindung zum Server. Bitte prüfen Sie Ihre Verbindung.',
  timeout: 'Der Server hat nicht rechtzeitig geantwortet.',
  http: 'Der Server konnte diese Änderung nicht übernehmen.',
  session_expired: 'Diese Sitzung ist abgelaufen: Bitte laden Sie die Seite neu.',
  confirm_blocked: 'Eine Änderung ist fehlgeschlagen: Bitte prüfen Sie Ihre Auswahl.',
  offline: 'Sie sind offline.',
  server_update_failed: 'Stripe konnte die Kasse nicht aktualisieren.',
  action_failed: 'Das hat nicht geklappt.',
  updating: 'Wird aktualisiert…',
  paying: 'Zahlung läuft…',
  paid: 'Bezahlt.',
  failed_to_start: 'Diese Kasse funktioniert gerade nicht. Bitte laden Sie die Seite neu.',
};

const mounted: Checkout[] = [];
afterEach(() => {
  for (const checkout of mounted.splice(0)) checkout.destroy();
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

/** The page with `data-message-<key>` for each of `attributes`. */
function page(attributes: Record<string, string> = {}, html = PAGE): HTMLElement {
  document.body.innerHTML = html; // test fixture: the page a merchant writes
  const root = document.querySelector<HTMLElement>('[data-checkout]')!;
  for (const [key, text] of Object.entries(attributes)) root.setAttribute(`data-message-${key}`, text);
  return root;
}

function start(root: HTMLElement, options: MountOptions = {}, fake: FakeStripe = createFakeStripe({ betas: BETAS, catalog: CATALOG })) {
  server.accept = (s) => fake.accept(s);
  const checkout = mount(root, { stripe: asStripe(fake), features: [shopperMessages], ...options });
  mounted.push(checkout);
  return { root, fake, checkout };
}

const shown = (root: HTMLElement) => root.querySelector('[data-checkout-error]')!.textContent;
const status = (root: HTMLElement) => root.querySelector('[data-checkout-status]')!.textContent;

/**
 * Each text written into `el`, in order. Its `textContent` setter is wrapped: a
 * MutationObserver would see a replaced text as a removal and an addition.
 */
function writes(el: Element): string[] {
  const seen: string[] = [];
  let proto: object | null = el;
  while (proto && !Object.getOwnPropertyDescriptor(proto, 'textContent')) proto = Object.getPrototypeOf(proto);
  const own = Object.getOwnPropertyDescriptor(proto!, 'textContent')!;
  Object.defineProperty(el, 'textContent', {
    configurable: true,
    get: () => own.get!.call(el),
    set: (value: string) => (seen.push(value), own.set!.call(el, value)),
  });
  return seen;
}

/** How each key's text comes to be shown, on a mounted page: it ends with that text in [data-checkout-error]. */
const SCENARIOS: Array<[key: string, options: MountOptions, make: (s: ReturnType<typeof start>) => Promise<unknown>, english: string]> = [
  ['network', { retries: 0 }, ({ checkout }) => ((server.behaviour.reply = () => HttpResponse.error()), checkout.set('gift_wrap', true)), 'Could not reach the server. Check your connection and try again.'],
  ['timeout', { retries: 0, timeoutMs: 20 }, ({ checkout }) => ((server.behaviour.latencyMs = 200), checkout.set('gift_wrap', true)), 'The update took longer than 20 ms.'],
  ['http', { retries: 0 }, ({ checkout }) => ((server.behaviour.reply = () => new HttpResponse(null, { status: 500 })), checkout.set('gift_wrap', true)), 'The server could not apply this change (HTTP 500).'],
  ['session_expired', {}, async ({ fake, checkout }) => (fake.expire(), await new Promise((r) => setTimeout(r, 5)), checkout.set('gift_wrap', true)), 'This checkout session has expired: reload the page to start again.'],
  ['confirm_blocked', {}, async ({ root, checkout }) => {
    server.behaviour.reply = () => HttpResponse.json({ error: 'Geschenkverpackung ist ausverkauft.' }, { status: 400 });
    void checkout.set('gift_wrap', true);
    (root as HTMLFormElement).requestSubmit(); // confirm waits for the update, which fails
    await new Promise((r) => setTimeout(r, 20));
  }, 'An update failed: check your choices and pay again.'],
  ['server_update_failed', {}, ({ fake, checkout }) => (fake.failNext('runServerUpdate', 'error'), checkout.set('gift_wrap', true)), 'The Checkout Session could not be updated (injected failure).'],
  ['action_failed', {}, ({ checkout }) => checkout.applyPromotionCode('NOPE'), 'This code is invalid.'],
];

describe('data-message-<key>: each replaces the text the page shows', () => {
  it.each(SCENARIOS)('%s', async (key, options, make, english) => {
    for (const [messages, expected] of [[{}, english], [{ [key]: GERMAN[key as keyof typeof GERMAN] }, GERMAN[key as keyof typeof GERMAN]]] as const) {
      const started = start(page(messages), options);
      await started.checkout.ready;
      await make(started);
      await started.checkout.idle();
      expect(shown(started.root)).toBe(expected);
      started.checkout.destroy();
    }
  });

  it('failed_to_start: a start-up that failed says it in the page\'s words; the console gets the error', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { root, checkout } = start(page({ failed_to_start: GERMAN.failed_to_start }), { clientSecret: () => Promise.reject(new Error('session endpoint down')) });
    await checkout.ready.catch(() => {});
    expect([shown(root), logged.mock.calls.map(([e]) => isCheckoutUpdateError(e) && e.code)]).toEqual([GERMAN.failed_to_start, ['init_failed']]);
  });

  it("failed_to_start: a wrong attribute that refuses the mount is told in English, since no feature runs then", () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const root = page({ failed_to_start: GERMAN.failed_to_start }, PAGE.replace(`data-endpoint="${ENDPOINT}"`, ''));
    expect(() => mount(root, { features: [shopperMessages] })).toThrow('data-endpoint: missing; give the URL of your update endpoint');
    expect(shown(root)).toBe('This checkout is not working. Please reload the page.');
  });

  it("offline: the error event while changes wait, and Pay's refusal, say it in the page's words; coming back sends the change", async () => {
    let online = true;
    vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => online);
    const { root, checkout } = start(page({ offline: GERMAN.offline }));
    await checkout.ready;
    const heard: string[] = [];
    checkout.on('error', ({ error }) => heard.push(`${error.code}: ${error.message}`));
    online = false;
    const change = checkout.set('gift_wrap', true);
    await new Promise((r) => setTimeout(r, 20));
    expect([shown(root), server.requests.length]).toEqual([GERMAN.offline, 0]);
    const refused = await checkout.confirm();
    expect(refused.type === 'error' && [refused.error.code, refused.error.message]).toEqual(['offline', GERMAN.offline]);
    (root as HTMLFormElement).requestSubmit(); // the Pay button: refused at once, shown again
    await new Promise((r) => setTimeout(r, 20));
    // Told as the change could have gone out, and as each confirmation found it waiting.
    expect([shown(root), heard]).toEqual([GERMAN.offline, Array(3).fill(`offline: ${GERMAN.offline}`)]);
    online = true;
    window.dispatchEvent(new Event('online'));
    expect((await change).type).toBe('success');
    expect([server.requests.map((r) => r.body.selection), shown(root)]).toEqual([[{ gift_wrap: true }], '']);
  });

  it('offline: in English without the key', async () => {
    vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => false);
    const { root, checkout } = start(page());
    await checkout.ready;
    void checkout.set('gift_wrap', true);
    await new Promise((r) => setTimeout(r, 20));
    expect(shown(root)).toBe('You are offline: changes wait for the network.');
  });

  it("http: the generic text of a reply that is not JSON is replaced too, on any status", async () => {
    const { root, checkout } = start(page({ http: GERMAN.http }), { retries: 0 });
    await checkout.ready;
    server.behaviour.reply = () => new HttpResponse('<html>Bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } });
    await checkout.set('gift_wrap', true);
    expect(shown(root)).toBe(GERMAN.http);
  });

  it("a provider's own refusal keeps its words even when its code is one the page has a text for", async () => {
    const { root, checkout } = start(page({ network: GERMAN.network }));
    await checkout.ready;
    // Not a CheckoutUpdateError: the provider's plain error object, as Stripe.js gives.
    vi.spyOn(checkout.adapter, 'confirm').mockResolvedValue({ type: 'error', error: { type: 'api_connection_error', code: 'network', message: 'Stripe could not be reached.' } } as never);
    const result = await checkout.confirm();
    expect(result.type === 'error' && result.error.message).toBe('Stripe could not be reached.');
  });

  it("a start-up error keeps its own words for the console and the event, even when its code has a page text: the page shows failed_to_start", async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    // A merchant's own adapter whose start fails with a code the page has a text for.
    const down = new CheckoutUpdateError('network', 'Could not reach the session endpoint.');
    const adapter: CheckoutAdapter = {
      idField: 'id',
      start: () => Promise.reject(down),
      id: () => 'session_1',
      summarize: () => null,
      update: async () => ({ type: 'error', error: down }),
      confirm: async () => ({ type: 'error', error: down }),
    };
    const root = page({ network: GERMAN.network, failed_to_start: GERMAN.failed_to_start });
    const checkout = mount(root, { adapter, features: [shopperMessages] });
    mounted.push(checkout);
    await checkout.ready.catch(() => {});
    expect([checkout.state, shown(root), logged.mock.calls.map(([e]) => (e as Error).message)]).toEqual(['error', GERMAN.failed_to_start, ['Could not reach the session endpoint.']]);
  });

  it("http: a refusal your server worded is shown as written, even with data-message-http", async () => {
    const { root, checkout } = start(page({ http: GERMAN.http }));
    await checkout.ready;
    server.behaviour.reply = () => HttpResponse.json({ error: 'Geschenkverpackung ist ausverkauft.' }, { status: 400 });
    await checkout.set('gift_wrap', true);
    expect(shown(root)).toBe('Geschenkverpackung ist ausverkauft.');
  });

  it("a payment Stripe refused shows Stripe's own words, whatever the page's messages", async () => {
    const { root, fake, checkout } = start(page(GERMAN));
    await checkout.ready;
    fake.failNext('confirm', 'error');
    (root as HTMLFormElement).requestSubmit();
    await new Promise((r) => setTimeout(r, 20));
    expect(shown(root)).toBe('Your card was declined.');
  });
});

describe('destroy()', () => {
  it("gives the checkout back the confirm it had, and [data-checkout-status] follows the root no more", async () => {
    let before: unknown;
    const root = page();
    const { checkout } = start(root, { features: [(_root, c) => ((before = c.confirm), () => {}), shopperMessages] });
    await checkout.ready;
    expect(checkout.confirm).not.toBe(before); // wrapped, to reword its refusals
    checkout.destroy();
    root.setAttribute('aria-busy', 'true'); // the page's own, after the checkout is gone
    root.setAttribute('data-checkout-state', 'paying');
    await new Promise((r) => setTimeout(r, 0));
    expect([checkout.confirm, status(root)]).toEqual([before, '–']);
  });
});

describe('the messages option', () => {
  it('wins over the attribute of the same key; the other attributes still count', async () => {
    const { root, checkout } = start(page({ http: GERMAN.http, updating: GERMAN.updating }), { retries: 0, messages: { http: 'Änderung abgelehnt.' } });
    await checkout.ready;
    server.behaviour.latencyMs = 20;
    server.behaviour.reply = () => new HttpResponse(null, { status: 500 });
    const done = checkout.set('gift_wrap', true);
    await Promise.resolve(); // the status follows what mount shows, once it has shown it
    expect(status(root)).toBe(GERMAN.updating);
    await done;
    expect(shown(root)).toBe('Änderung abgelehnt.');
  });
});

describe('an unknown key', () => {
  it.each<[string, Record<string, string>, MountOptions, string]>([
    ['a data-message-* attribute', { colour: 'Rot' }, {}, 'data-message-colour: expected one of network, timeout, http, session_expired, confirm_blocked, offline, server_update_failed, action_failed, updating, paying, paid, failed_to_start'],
    ['a key of the messages option', {}, { messages: { paid: 'Bezahlt.', colour: 'Rot' } as MountOptions['messages'] & object }, '`messages`.colour: expected one of network, timeout, http, session_expired, confirm_blocked, offline, server_update_failed, action_failed, updating, paying, paid, failed_to_start'],
    ['a text of the messages option that is not a string', {}, { messages: { paid: 5 } as unknown as MountOptions['messages'] & object }, '`messages`.paid: expected a string'],
    ['data-message-constructor', { constructor: 'x' }, {}, 'data-message-constructor: expected one of network, timeout, http, session_expired, confirm_blocked, offline, server_update_failed, action_failed, updating, paying, paid, failed_to_start'],
    ['data-message-__proto__', { ['__proto__']: 'x' }, {}, 'data-message-__proto__: expected one of network, timeout, http, session_expired, confirm_blocked, offline, server_update_failed, action_failed, updating, paying, paid, failed_to_start'],
  ])('in %s is refused as invalid_option naming it; the page says it cannot start, and nothing is mounted', (_where, attributes, options, message) => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const root = page({ ...attributes, failed_to_start: GERMAN.failed_to_start });
    const before = root.outerHTML;
    const events: string[] = [];
    root.addEventListener('checkout:error', (e) => events.push((e as CustomEvent).detail.error.message));
    const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG });
    let thrown: unknown;
    try {
      mount(root, { stripe: asStripe(fake), features: [shopperMessages], ...options });
    } catch (e) {
      thrown = e;
    }
    expect(isCheckoutUpdateError(thrown) && [thrown.code, thrown.message]).toEqual(['invalid_option', message]);
    expect([events, logged.mock.calls.length]).toEqual([[message], 1]);
    // The page's messages were refused with it: the sentence is the English one.
    expect(shown(root)).toBe('This checkout is not working. Please reload the page.');
    expect(fake.clientSecrets).toEqual([]);
    const error = root.querySelector<HTMLElement>('[data-checkout-error]')!;
    error.textContent = '';
    error.hidden = true;
    expect(root.outerHTML).toBe(before);
  });
});

describe('[data-checkout-status]', () => {
  it.each([
    ['English by default', {}, ['', 'Updating…', '', 'Paying…', 'Paid.']],
    ['in the page\'s words', { updating: GERMAN.updating, paying: GERMAN.paying, paid: GERMAN.paid }, ['', GERMAN.updating, '', GERMAN.paying, GERMAN.paid]],
  ])('says updating, then paying, then paid (%s), gets role=status, and destroy() restores it', async (_name, messages, sequence) => {
    const root = page(messages);
    const el = root.querySelector('[data-checkout-status]')!;
    const written = writes(el);
    const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG, latencyMs: { confirm: 20 } });
    const { checkout } = start(root, {}, fake);
    await checkout.ready;
    server.behaviour.latencyMs = 20;
    await checkout.set('gift_wrap', true);
    (root as HTMLFormElement).requestSubmit();
    await new Promise((r) => setTimeout(r, 60));
    expect(checkout.state).toBe('complete');
    expect([written, el.getAttribute('role'), root.querySelector<HTMLElement>('[data-checkout-loading]')!.textContent]).toEqual([sequence, 'status', 'Einen Moment…']);
    checkout.destroy();
    expect([el.textContent, el.hasAttribute('role')]).toEqual(['–', false]);
  });

  it('keeps a role the page gave it, and says nothing while the checkout starts or after an error', async () => {
    const root = page({}, PAGE.replace('<p data-checkout-status>', '<p data-checkout-status role="log">'));
    const { checkout } = start(root, { retries: 0 });
    expect(status(root)).toBe('');
    await checkout.ready;
    server.behaviour.reply = () => new HttpResponse(null, { status: 500 });
    await checkout.set('gift_wrap', true);
    expect([status(root), root.querySelector('[data-checkout-status]')!.getAttribute('role')]).toEqual(['', 'log']);
  });
});
