// @vitest-environment happy-dom
// The root's attributes (data-betas, data-mode, data-debounce-ms, data-renew-expired,
// data-client-secret-url), mount's own options, and what number and toggle controls send.
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount, type MountOptions } from '../src/dom/mount.js';
import { isCheckoutUpdateError } from '../src/errors.js';
import { asStripe, createFakeStripe, type FakeStripe } from '../src/testing/index.js';
import type { Checkout } from '../src/types.js';
import { BETAS, CATALOG } from './helpers/checkout.js';
import { ENDPOINT, useMerchantServer } from './helpers/merchant.js';

const server = useMerchantServer();
const START_URL = 'http://shop.test/checkout-session';
const SECRET = 'cs_test_fake_1_secret_abc';

/** A root with a checkbox, a select, a toggle and whatever `extra` adds; `attributes` go on the root. */
function html(attributes = '', extra = '') {
  return `
<form data-checkout data-publishable-key="pk_test_123" data-client-secret="${SECRET}"
      data-endpoint="${ENDPOINT}" ${attributes}>
  <input type="checkbox" data-addon="gift_wrap">
  <select data-addon="shipping"><option value="standard">Standard</option><option value="express">Express</option></select>
  <button type="button" data-addon="insurance">Insurance</button>
  ${extra}
  <span data-checkout-amount="total">–</span>
  <div data-payment-element></div>
  <p data-checkout-error hidden></p>
  <button type="submit" data-checkout-pay disabled>Pay</button>
</form>`;
}

const CATALOG_WITH_INSURANCE = { ...CATALOG, insurance: { name: 'Insurance', unitAmount: 300 } };

const mounted: Checkout[] = [];
afterEach(() => {
  for (const checkout of mounted.splice(0)) checkout.destroy();
  document.body.replaceChildren();
  delete (window as { Stripe?: unknown }).Stripe;
});

const wait = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
const change = (el: Element) => el.dispatchEvent(new Event('change', { bubbles: true }));

function page(markup: string): HTMLFormElement {
  document.body.innerHTML = markup; // test fixture: the page a merchant writes
  return document.querySelector<HTMLFormElement>('[data-checkout]')!;
}

/** Mounts `markup` over a fake Stripe (`fake`, or a new one) without awaiting `ready`. */
function mountPage(markup: string, options: MountOptions = {}, fake: FakeStripe = createFakeStripe({ betas: BETAS, catalog: CATALOG_WITH_INSURANCE })) {
  const root = page(markup);
  server.accept = (s) => fake.accept(s);
  const checkout = mount(root, { stripe: asStripe(fake), ...options });
  mounted.push(checkout);
  return { root, fake, checkout, $: <T extends Element = HTMLElement>(selector: string) => root.querySelector<T>(selector)! };
}

/**
 * Stripe.js as the page layer loads it without a `stripe` option (window.Stripe), calling `fake`
 * and recording each construction. @stripe/stripe-js loads it once per page, so the stand-in
 * the first test gives serves them all: it calls the fake of the test at hand.
 */
let stripeJs = { fake: null as FakeStripe | null, constructed: [] as unknown[] };
function stubStripeJs(fake: FakeStripe) {
  stripeJs = { fake, constructed: [] };
  (window as { Stripe?: unknown }).Stripe = Object.assign(
    (key: string, options?: { betas?: string[] }) => (stripeJs.constructed.push([key, options]), stripeJs.fake!.Stripe(key, options)),
    { version: fake.Stripe.version },
  );
  server.accept = (s) => fake.accept(s);
  return stripeJs.constructed;
}

/** What `mount` threw, as `code: message`. */
function refusal(root: HTMLElement, options: MountOptions = {}) {
  vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    mounted.push(mount(root, options));
  } catch (e) {
    return isCheckoutUpdateError(e) && `${e.code}: ${e.message}`;
  }
  return 'mounted';
}

async function start(markup: string, options: MountOptions = {}) {
  const started = mountPage(markup, options);
  await started.checkout.ready;
  return started;
}

/** Types `value` into `input` and waits until what it caused has settled. */
async function enter(checkout: Checkout, input: HTMLInputElement, value: string) {
  input.value = value;
  change(input);
  await checkout.idle();
  return input.getAttribute('aria-invalid');
}

describe('number controls: what the browser\'s validation accepts', () => {
  it('counts the step from min, as the browser does: with min=1 step=2 it sends 3 and 5 and refuses 4', async () => {
    const { checkout, $ } = await start(html('', '<input type="number" data-addon="warranty" min="1" step="2" value="1">'));
    const warranty = $<HTMLInputElement>('[data-addon=warranty]');
    // happy-dom 21 counts the step from 0, not from min (HTML's "step base"): this input's
    // verdict is the browser's. The page has no step rule of its own; it takes this verdict.
    Object.defineProperty(warranty, 'validity', {
      get: () => {
        const n = Number(warranty.value);
        return { valid: warranty.value !== '' && n >= Number(warranty.min) && (n - Number(warranty.min)) % Number(warranty.step) === 0 };
      },
    });
    const marks = [];
    for (const value of ['3', '4', '5']) marks.push(await enter(checkout, warranty, value));
    expect(marks).toEqual([null, 'true', null]);
    expect(server.requests.map((r) => r.body.changes)).toEqual([{ warranty: 3 }, { warranty: 5 }]);
  });

  it('without min, max or step, sends any whole number, negative or large; step="any" sends fractions, negative ones too', async () => {
    const { checkout, $ } = await start(html('', '<input type="number" data-addon="warranty" value="0"><input type="number" data-addon="amount" step="any" value="0">'));
    const warranty = $<HTMLInputElement>('[data-addon=warranty]');
    const amount = $<HTMLInputElement>('[data-addon=amount]');
    const marks = [];
    for (const value of ['-7', '250000', '0']) marks.push(await enter(checkout, warranty, value));
    for (const value of ['-2.75', '0.01']) marks.push(await enter(checkout, amount, value));
    expect(marks).toEqual([null, null, null, null, null]);
    // Without `step`, it is 1: a fraction is refused there.
    expect(await enter(checkout, warranty, '1.5')).toBe('true');
    expect(server.requests.map((r) => r.body.changes)).toEqual([
      { warranty: -7 }, { warranty: 250000 }, { warranty: 0 }, { amount: -2.75 }, { amount: 0.01 },
    ]);
  });
});

describe('toggle buttons', () => {
  it('a second click switches it off: sends false and shows aria-pressed="false"', async () => {
    const { checkout, $ } = await start(html());
    const insurance = $('[data-addon=insurance]');
    const pressed: Array<string | null> = [insurance.getAttribute('aria-pressed')];
    for (let i = 0; i < 2; i++) {
      insurance.click();
      await checkout.idle();
      pressed.push(insurance.getAttribute('aria-pressed'));
    }
    expect(pressed).toEqual(['false', 'true', 'false']);
    expect(server.requests.map((r) => r.body.changes)).toEqual([{ insurance: true }, { insurance: false }]);
    expect(checkout.confirmed).toMatchObject({ insurance: false });
  });
});

describe('attributes of the root', () => {
  it('data-betas, space or comma separated, reaches Stripe(); without it, updates give beta_required', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    // The page layer loads Stripe.js itself (no `stripe` option): @stripe/stripe-js takes window.Stripe.
    const constructed = stubStripeJs(createFakeStripe({ betas: [], catalog: CATALOG_WITH_INSURANCE }));
    const withBetas = mount(page(html('data-betas=" custom_checkout_server_updates_1, other_beta_2  third_beta"')));
    mounted.push(withBetas);
    await withBetas.ready;
    const result = await withBetas.set('gift_wrap', true);
    expect(constructed).toEqual([['pk_test_123', { betas: ['custom_checkout_server_updates_1', 'other_beta_2', 'third_beta'] }]]);
    expect([result.type, server.requests.length]).toEqual(['success', 1]);
    withBetas.destroy();

    const without = mount(page(html()));
    mounted.push(without);
    await without.ready;
    const refused = await without.set('gift_wrap', true);
    expect(constructed[1]).toEqual(['pk_test_123', undefined]);
    expect([refused.type === 'error' && refused.error.code, server.requests.length]).toEqual(['beta_required', 1]);
    expect(consoleError.mock.calls.map(([e]) => isCheckoutUpdateError(e) && e.code)).toEqual(['beta_required', 'beta_required']);
  });

  it('are read without the spaces and line breaks around them; one of spaces only is missing', async () => {
    const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG_WITH_INSURANCE });
    const constructed = stubStripeJs(fake);
    const padded = html('data-mode=" serial\n"').replace('"pk_test_123"', '"\n  pk_test_123 "').replace(`"${SECRET}"`, `" ${SECRET}\n"`).replace(`"${ENDPOINT}"`, `"  ${ENDPOINT} "`);
    const checkout = mount(page(padded));
    mounted.push(checkout);
    await checkout.ready;
    await checkout.set('gift_wrap', true);
    expect([constructed, fake.clientSecrets, server.requests.map((r) => r.body.changes)]).toEqual([[['pk_test_123', undefined]], [SECRET], [{ gift_wrap: true }]]);
    expect(refusal(page(html().replace(`"${ENDPOINT}"`, '" \n "')))).toBe('invalid_option: data-endpoint: missing; give the URL of your update endpoint');
  });

  it('data-mode="serial" sends one request per change, in order', async () => {
    const { checkout, $ } = await start(html('data-mode="serial"'));
    const gift = $<HTMLInputElement>('[data-addon=gift_wrap]');
    gift.checked = true;
    change(gift);
    $<HTMLSelectElement>('[data-addon=shipping]').value = 'express';
    change($('[data-addon=shipping]'));
    $('[data-addon=insurance]').click();
    await checkout.idle();
    expect(server.requests.map((r) => r.body.changes)).toEqual([{ gift_wrap: true }, { shipping: 'express' }, { insurance: true }]);
    expect(server.maxInFlight).toBe(1);
  });

  it('data-debounce-ms merges the changes made within its window into one request', async () => {
    const { checkout, $ } = await start(html('data-debounce-ms="200"'));
    const gift = $<HTMLInputElement>('[data-addon=gift_wrap]');
    gift.checked = true;
    change(gift);
    await wait(20);
    $<HTMLSelectElement>('[data-addon=shipping]').value = 'express';
    change($('[data-addon=shipping]'));
    await wait(20);
    $('[data-addon=insurance]').click();
    await wait(20);
    expect(server.requests).toHaveLength(0); // each change starts the window again
    await checkout.idle();
    expect(server.requests.map((r) => r.body.changes)).toEqual([{ gift_wrap: true, shipping: 'express', insurance: true }]);
  });

  it('data-renew-expired: an expired session is replaced by a new one from data-client-secret-url, with the selection sent again', async () => {
    let fake: FakeStripe;
    const posts: string[] = [];
    server.use(http.post(START_URL, () => {
      posts.push(`POST ${posts.length + 1}`);
      if (posts.length === 1) return HttpResponse.json({ clientSecret: SECRET });
      fake.renew('cs_test_fake_2'); // the merchant's server created a new session
      return HttpResponse.json({ clientSecret: 'cs_test_fake_2_secret_xyz' });
    }));
    fake = createFakeStripe({ betas: BETAS, catalog: CATALOG_WITH_INSURANCE });
    const { root, checkout, $ } = mountPage(html(`data-client-secret-url="${START_URL}" data-renew-expired`).replace(`data-client-secret="${SECRET}"`, ''), {}, fake);
    await checkout.ready;
    const gift = $<HTMLInputElement>('[data-addon=gift_wrap]');
    gift.checked = true;
    change(gift);
    await checkout.idle();
    const states: string[] = [];
    checkout.on('expired', () => states.push(`expired ${root.getAttribute('data-checkout-state')}`));
    checkout.on('ready', () => states.push(`ready ${gift.checked}`));
    fake.expire();
    await wait(5);
    await checkout.idle();
    expect(posts).toEqual(['POST 1', 'POST 2']);
    expect(fake.clientSecrets).toEqual([SECRET, 'cs_test_fake_2_secret_xyz']);
    // The controls keep the shopper's choice through the renewal, while it is sent again.
    expect(states).toEqual(['expired expired', 'ready true']);
    expect(gift.checked).toBe(true);
    expect(server.requests.map((r) => [r.body.checkout_session_id, r.body.changes])).toEqual([
      ['cs_test_fake_1', { gift_wrap: true }],
      ['cs_test_fake_2', { gift_wrap: true }],
    ]);
    expect([checkout.state, checkout.session?.id, root.getAttribute('data-checkout-state'), $<HTMLButtonElement>('[data-checkout-pay]').disabled]).toEqual(['ready', 'cs_test_fake_2', 'ready', false]);
    expect(checkout.confirmed).toEqual({ gift_wrap: true, shipping: 'standard', insurance: false });
    // The Payment Element of the new session replaces the old one.
    expect([fake.calls.createPaymentElement, $('[data-payment-element]').children.length]).toEqual([2, 1]);
    expect([$('[data-checkout-amount=total]').textContent, $('[data-checkout-error]').hidden]).toEqual(['$25.00', true]);
  });

  it('without data-renew-expired, an expired session stays expired: data-client-secret-url is asked once, and Pay stays disabled', async () => {
    const posts: string[] = [];
    server.use(http.post(START_URL, () => (posts.push('POST'), HttpResponse.json({ clientSecret: SECRET }))));
    const { root, fake, checkout, $ } = mountPage(html(`data-client-secret-url="${START_URL}"`).replace(`data-client-secret="${SECRET}"`, ''));
    await checkout.ready;
    fake.expire();
    await wait(5);
    await checkout.idle();
    expect([posts, checkout.state, root.getAttribute('data-checkout-state'), $<HTMLButtonElement>('[data-checkout-pay]').disabled]).toEqual([['POST'], 'expired', 'expired', true]);
  });

  it.each([
    ['answering 500', () => new HttpResponse('Internal Server Error', { status: 500 }), 'answered HTTP 500'],
    ['answering without clientSecret (client_secret)', () => HttpResponse.json({ client_secret: SECRET }), 'answered no clientSecret'],
  ])('a data-client-secret-url %s shows the shopper one sentence, keeps Pay disabled, and tells the console why', async (_name, reply, why) => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    server.use(http.post(START_URL, reply));
    const { root, fake, checkout, $ } = mountPage(html(`data-client-secret-url="${START_URL}"`).replace(`data-client-secret="${SECRET}"`, ''));
    await expect(checkout.ready).rejects.toMatchObject({ code: 'init_failed' });
    const shown = $('[data-checkout-error]');
    expect([shown.textContent, shown.hidden, shown.getAttribute('role')]).toEqual(['This checkout is not working. Please reload the page.', false, 'alert']);
    expect([$<HTMLButtonElement>('[data-checkout-pay]').disabled, root.getAttribute('data-checkout-state'), root.hasAttribute('aria-busy')]).toEqual([true, 'error', false]);
    expect(consoleError.mock.calls.map(([e]) => isCheckoutUpdateError(e) && `${e.code}: ${e.message}`)).toEqual([
      `init_failed: The client secret could not be obtained: ${START_URL} ${why}`,
    ]);
    expect(fake.calls.initCheckoutElementsSdk).toBe(0);
  });
});

describe('options given to mount', () => {
  it('publishableKey, clientSecret and endpoint given to mount need no attribute on the root', async () => {
    const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG_WITH_INSURANCE });
    const constructed = stubStripeJs(fake);
    const bare = html().replace('data-publishable-key="pk_test_123"', '').replace(`data-client-secret="${SECRET}"`, '').replace(`data-endpoint="${ENDPOINT}"`, '');
    const checkout = mount(page(bare), { publishableKey: 'pk_test_given', clientSecret: 'cs_test_fake_1_secret_given', endpoint: ENDPOINT });
    mounted.push(checkout);
    await checkout.ready;
    await checkout.set('gift_wrap', true);
    expect([constructed, fake.clientSecrets, server.requests.map((r) => r.body.changes)]).toEqual([[['pk_test_given', undefined]], ['cs_test_fake_1_secret_given'], [{ gift_wrap: true }]]);
  });

  it('elementsOptions reach initCheckoutElementsSdk beside the client secret', async () => {
    const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG_WITH_INSURANCE });
    const init = vi.spyOn(fake, 'initCheckoutElementsSdk');
    const elementsOptions = { appearance: { theme: 'night' as const }, loader: 'never' as const };
    const { checkout } = mountPage(html(), { elementsOptions }, fake);
    await checkout.ready;
    expect(init.mock.calls).toEqual([[{ clientSecret: SECRET, elementsOptions }]]);
  });
});
