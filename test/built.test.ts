import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Window } from 'happy-dom';
import { afterEach, describe, expect, it } from 'vitest';
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
    expect(Object.keys(api).sort()).toEqual(['CheckoutUpdateError', 'createCheckout', 'isCheckoutUpdateError']);

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

describe('dist/checkout-updates.js (ESM)', () => {
  it('exports the public API and works with dist/testing.js', async () => {
    const api = (await import(distFile('checkout-updates.js'))) as Api;
    const { createFakeStripe, asStripe } = (await import(distFile('testing.js'))) as Testing;
    expect(Object.keys(api).sort()).toEqual(['CheckoutUpdateError', 'createCheckout', 'isCheckoutUpdateError']);
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
      api: ['CheckoutUpdateError', 'createCheckout', 'isCheckoutUpdateError'],
      testing: ['asStripe', 'createFakeStripe'],
      window: 'undefined',
      document: 'undefined',
    });
  });
});
