import { describe, expect, it } from 'vitest';
import { createCheckout } from '../src/checkout.js';
import { isCheckoutUpdateError } from '../src/errors.js';
import type { Stripe } from '../src/types.js';
import { BETAS, record, setup } from './helpers/checkout.js';
import { ENDPOINT, unhandledRejectionsOf, useMerchantServer } from './helpers/merchant.js';
import { createFakeStripe } from '../src/testing/index.js';

const server = useMerchantServer();

/** Awaits `ready` and returns the code it rejected with. */
async function rejection(ready: Promise<unknown>): Promise<string> {
  try {
    await ready;
  } catch (e) {
    return isCheckoutUpdateError(e) ? e.code : `not a CheckoutUpdateError: ${String(e)}`;
  }
  return 'resolved';
}

describe('start-up', () => {
  it('returns at once and emits nothing before the caller could attach listeners', async () => {
    const { checkout } = setup();
    const lines = record(checkout); // attached after createCheckout returned
    expect(checkout.state).toBe('loading');
    expect(checkout.session).toBe(null);
    await checkout.ready;
    expect(lines).toEqual(['loading:true:init', 'ready', 'change:$20.00', 'loading:false:init']);
    expect(checkout.state).toBe('ready');
  });

  it('starts loading Stripe.js and fetching the client secret at the same moment', async () => {
    const order: string[] = [];
    const fake = createFakeStripe({ betas: BETAS });
    const checkout = createCheckout({
      stripe: new Promise<Stripe>((resolve) => setTimeout(() => (order.push('stripe'), resolve(fake as unknown as Stripe)), 40)),
      clientSecret: () => (order.push('secret asked'), new Promise((resolve) => setTimeout(() => (order.push('secret'), resolve('cs_secret')), 40))),
      endpoint: ENDPOINT,
    });
    await checkout.ready;
    // The secret was asked for before Stripe.js had loaded: the waits overlap (the benchmark
    // measures the time saved).
    expect(order).toEqual(['secret asked', 'stripe', 'secret']);
    expect(fake.clientSecrets).toEqual(['cs_secret']);
    expect(fake.calls.initCheckoutElementsSdk).toBe(1);
    expect(fake.calls.loadActions).toBe(1);
  });

  it('gives stripe_load_failed when loadStripe gives null (no window, as on a server)', async () => {
    const checkout = createCheckout({ publishableKey: 'pk_test_123', clientSecret: 'cs_secret', endpoint: ENDPOINT });
    const lines = record(checkout);
    expect(await rejection(checkout.ready)).toBe('stripe_load_failed');
    await expect(checkout.ready).rejects.toThrowError('Stripe.js could not be loaded: loadStripe gave null');
    expect(lines).toEqual(['loading:true:init', 'error:stripe_load_failed:{}', 'loading:false:init']);
    expect(checkout.state).toBe('error');
  });

  it('gives stripe_load_failed when the given Stripe promise rejects, naming what to check, with the rejection as the cause', async () => {
    const blocked = new Error('blocked by CSP');
    const checkout = createCheckout({ stripe: Promise.reject(blocked), clientSecret: 'cs_secret', endpoint: ENDPOINT });
    expect(await rejection(checkout.ready)).toBe('stripe_load_failed');
    await expect(checkout.ready).rejects.toMatchObject({ message: 'Stripe.js could not be loaded (check the network and script-src in your CSP): blocked by CSP', cause: blocked });
  });

  it.each([
    ['resolves to something that is not a string', () => Promise.resolve(42), 'The client secret could not be obtained: not a string'],
    ['rejects with no words', () => Promise.reject({}), 'The client secret could not be obtained: unknown error'],
  ])('gives init_failed when the client secret function %s', async (_name, clientSecret, message) => {
    const { checkout, fake } = setup({ clientSecret: clientSecret as never });
    await expect(checkout.ready).rejects.toMatchObject({ code: 'init_failed', message });
    expect(fake.calls.initCheckoutElementsSdk).toBe(0);
  });

  it('gives init_failed when the client secret promise rejects, and answers changes made meanwhile with it', async () => {
    const { checkout, events, fake } = setup({ clientSecret: () => Promise.reject(new Error('503 from /checkout-session')) });
    const change = checkout.set('gift_wrap', true);
    expect(await rejection(checkout.ready)).toBe('init_failed');
    const result = await change;
    expect(result.type === 'error' && [result.error.code, result.error.message]).toEqual(['init_failed', 'The client secret could not be obtained: 503 from /checkout-session']);
    expect(events).toEqual([
      'loading:true:init', 'error:init_failed:{}', 'loading:false:init',
      'loading:true:update', 'error:init_failed:{"gift_wrap":null}', 'loading:false:update',
    ]);
    expect(checkout.selection).toEqual({});
    expect(fake.calls.initCheckoutElementsSdk).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  it("gives init_failed when initCheckoutElementsSdk throws, with Stripe's words", async () => {
    const { checkout } = setup({}, { fail: { initCheckoutElementsSdk: true } });
    expect(await rejection(checkout.ready)).toBe('init_failed');
    await expect(checkout.ready).rejects.toThrowError('initCheckoutElementsSdk failed: initCheckoutElementsSdk failed: a failure injected by createFakeStripe.');
  });

  it('gives load_actions_failed when loadActions gives {type: "error"} or rejects', async () => {
    const a = setup({}, { fail: { loadActions: 'error' } });
    expect(await rejection(a.checkout.ready)).toBe('load_actions_failed');
    await expect(a.checkout.ready).rejects.toThrowError('Stripe could not load the checkout: The Checkout Session could not be loaded (injected failure).');
    const b = setup({}, { fail: { loadActions: 'reject' } });
    expect(await rejection(b.checkout.ready)).toBe('load_actions_failed');
    expect(b.events).toEqual(['loading:true:init', 'error:load_actions_failed:{}', 'loading:false:init']);
  });

  it('without the beta flag: beta_required once at start-up, ready still resolves, every update gives it', async () => {
    const { checkout, events } = setup({}, { betas: [] });
    const session = await checkout.ready;
    expect(session.id).toBe('cs_test_fake_1');
    const errors: string[] = [];
    checkout.on('error', ({ error }) => errors.push(error.message));
    const result = await checkout.set('gift_wrap', true);
    expect(result.type === 'error' && result.error.code).toBe('beta_required');
    expect(errors[0]).toContain("betas: ['custom_checkout_server_updates_1']");
    expect(events).toEqual([
      'loading:true:init', 'ready', 'change:$20.00', 'error:beta_required:{}', 'loading:false:init',
      'loading:true:update', 'error:beta_required:{"gift_wrap":null}', 'loading:false:update',
    ]);
    expect(server.requests).toHaveLength(0);
  });

  it('throws invalid_option synchronously for options that cannot work', () => {
    const base = { clientSecret: 'cs', endpoint: ENDPOINT };
    expect(() => createCheckout({ ...base } as never)).toThrowError('Expected exactly one of `publishableKey` or `stripe`, got neither');
    expect(() => createCheckout({ ...base, publishableKey: 'pk_test', stripe: {} as Stripe })).toThrowError(/got both/);
    expect(() => createCheckout({ ...base, publishableKey: 'sk_live_oops' })).toThrowError('Expected `publishableKey` to be a string starting with "pk_", got `"sk_live_oops"` (string)');
    expect(() => createCheckout({ ...base, publishableKey: 'pk_test', endpoint: 42 as never })).toThrowError(/Expected `endpoint` to be/);
    expect(() => createCheckout({ ...base, publishableKey: 'pk_test', mode: 'fast' as never })).toThrowError('Expected `mode` to be "latest" or "serial", got `"fast"` (string)');
    expect(() => createCheckout({ ...base, publishableKey: 'pk_test', timeoutMs: 25_000 })).toThrowError('Expected `timeoutMs` to be a number from 1 to 19999, got `25000` (number)');
    expect(() => createCheckout({ ...base, publishableKey: 'pk_test', clientSecret: '' })).toThrowError('Expected `clientSecret` to be a string, a promise or a function, got `""` (string)');
    expect(() => createCheckout({ ...base, publishableKey: 'pk_test', onSessionExpired: 'renew' as never })).toThrowError('Expected `onSessionExpired` to be a function, got `"renew"` (string)');
    expect(() => createCheckout({ ...base, publishableKey: 'pk_test', initial: { tip: [] as never } })).toThrowError(/value of "tip"/);
    expect(() => createCheckout({ ...base, publishableKey: 'pk_test', initial: ['tip'] as never })).toThrowError('Expected `initial` to be an object of add-on names to values, got `["tip"]` (object)');
  });

  it('sees a rejection that nobody handles (the check below can fail)', async () => {
    const leaked = await unhandledRejectionsOf(() => void Promise.reject(new Error('nobody awaits this')));
    expect(leaked.map(String)).toEqual(['Error: nobody awaits this']);
  });

  it('leaves no unhandled rejection when nobody awaits a start-up that fails: the error event tells it', async () => {
    const codes: string[] = [];
    const leaked = await unhandledRejectionsOf(() => {
      const broken = [
        setup({}, { fail: { initCheckoutElementsSdk: true } }).checkout,
        setup({}, { fail: { loadActions: 'reject' } }).checkout,
        createCheckout({ stripe: Promise.reject(new Error('blocked by CSP')), clientSecret: 'cs_secret', endpoint: ENDPOINT }),
      ];
      for (const checkout of broken) checkout.on('error', ({ error }) => codes.push(error.code));
    });
    expect(codes.sort()).toEqual(['init_failed', 'load_actions_failed', 'stripe_load_failed']);
    expect(leaked).toEqual([]);
  });
});
