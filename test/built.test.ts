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

describe('dist/checkout-updates.js (ESM)', () => {
  it('exports the public API and works with dist/testing.js', async () => {
    const api = (await import(distFile('checkout-updates.js'))) as Api;
    const { createFakeStripe, asStripe } = (await import(distFile('testing.js'))) as Testing;
    expect(Object.keys(api).sort()).toEqual(['CheckoutUpdateError', 'actionControls', 'createCheckout', 'isCheckoutUpdateError', 'mount', 'payrails', 'stripeCheckoutSessions', 'stripePaymentIntents', 'toCheckoutError', 'toast']);
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
      api: ['CheckoutUpdateError', 'actionControls', 'createCheckout', 'isCheckoutUpdateError', 'mount', 'payrails', 'stripeCheckoutSessions', 'stripePaymentIntents', 'toCheckoutError', 'toast'],
      testing: ['asStripe', 'createFakePayrails', 'createFakeStripe', 'createFakeToast'],
      window: 'undefined',
      document: 'undefined',
    });
  });
});
