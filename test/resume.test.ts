// Resume on reload: `initial` as a promise, or a function returning one, is the confirmed
// selection before anything is sent; what cannot give a selection is refused as `invalid_option`.
import { describe, expect, it } from 'vitest';
import { setup } from './helpers/checkout.js';
import { useMerchantServer } from './helpers/merchant.js';

const server = useMerchantServer();

/** A promise and the function that settles it, for a selection that comes when the test says. */
function later<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((yes, no) => ((resolve = yes), (reject = no)));
  return { promise, resolve, reject };
}

describe('a promised initial selection', () => {
  it('is awaited before ready, becomes the confirmed selection, and sends nothing', async () => {
    const saved = later<Record<string, boolean | string>>();
    const { checkout, events } = setup({ initial: saved.promise });
    await new Promise((resolve) => setTimeout(resolve, 10)); // Stripe is ready by now
    expect([checkout.state, events]).toEqual(['loading', ['loading:true:init']]);
    saved.resolve({ gift_wrap: true, shipping: 'express' });
    await checkout.ready;
    expect([checkout.confirmed, checkout.selection]).toEqual([{ gift_wrap: true, shipping: 'express' }, { gift_wrap: true, shipping: 'express' }]);
    expect(events).toEqual(['loading:true:init', 'ready', 'change:$20.00', 'loading:false:init']);
    expect(server.requests).toHaveLength(0);
  });

  it('calls a function once, and a change made while it waits goes out over what it gave', async () => {
    const saved = later<Record<string, boolean>>();
    let calls = 0;
    const { fake, checkout } = setup({ initial: () => (calls++, saved.promise) });
    server.accept = (s) => fake.accept(s);
    const change = checkout.set('warranty', true);
    saved.resolve({ gift_wrap: true });
    await change;
    expect(calls).toBe(1);
    expect(server.requests.map((r) => r.body)).toEqual([
      { checkout_session_id: 'cs_test_fake_1', selection: { gift_wrap: true, warranty: true }, changes: { warranty: true } },
    ]);
    expect(checkout.confirmed).toEqual({ gift_wrap: true, warranty: true });
  });

  it('takes a plain selection from a function too', async () => {
    const { checkout } = setup({ initial: () => ({ tip: 3 }) });
    await checkout.ready;
    expect(checkout.confirmed).toEqual({ tip: 3 });
  });

  it.each([
    ['a selection with a bad value', () => Promise.resolve({ gift_wrap: { on: true } }), 'Expected the value of "gift_wrap" to be a boolean, a finite number, a string or null, got `{"on":true}` (object)'],
    ['no selection', () => Promise.resolve(null), 'Expected `initial` to be an object of add-on names to values, got `null` (object)'],
    ['a rejection', () => Promise.reject(new Error('/checkout-session answered HTTP 500')), '/checkout-session answered HTTP 500'],
    ['a throwing function', () => { throw new Error('no saved choices'); }, 'no saved choices'],
  ])('refuses %s as invalid_option, starts from {}, and the checkout still works', async (_name, initial, message) => {
    const { fake, checkout, events } = setup({ initial: initial as never });
    server.accept = (s) => fake.accept(s);
    const errors: string[] = [];
    checkout.on('error', ({ error }) => errors.push(`${error.code}: ${error.message}`));
    await checkout.ready;
    expect(errors).toEqual([`invalid_option: ${message}`]);
    expect(events).toEqual(['loading:true:init', 'error:invalid_option:{}', 'ready', 'change:$20.00', 'loading:false:init']);
    expect([checkout.state, checkout.confirmed]).toEqual(['ready', {}]);
    expect((await checkout.set('gift_wrap', true)).type).toBe('success');
    expect(server.requests.map((r) => r.body.selection)).toEqual([{ gift_wrap: true }]);
  });

  it('is what a renewed session starts from', async () => {
    const { fake, checkout } = setup({
      initial: Promise.resolve({ gift_wrap: true }),
      onSessionExpired: () => (fake.renew('cs_test_fake_2'), 'cs_test_fake_2_secret_abc'),
    });
    server.accept = (s) => fake.accept(s);
    await checkout.ready;
    fake.expire();
    await checkout.set('warranty', true);
    // The new session reflects the awaited initial: the update carries the whole selection against it.
    expect(server.requests.map((r) => r.body)).toEqual([
      { checkout_session_id: 'cs_test_fake_2', selection: { gift_wrap: true, warranty: true }, changes: { warranty: true } },
    ]);
  });
});
