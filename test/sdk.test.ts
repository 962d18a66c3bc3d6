// `sdk`: a Checkout Elements SDK instance the app created (or a framework's provider did), which
// the checkout shares instead of creating its own.
import { describe, expect, it } from 'vitest';
import { stripeCheckoutSessions } from '../src/adapters/checkout-sessions.js';
import { createCheckout } from '../src/checkout.js';
import { CheckoutUpdateError } from '../src/errors.js';
import { createFakeStripe } from '../src/testing/index.js';
import type { Stripe } from '../src/types.js';
import { BETAS, CATALOG, record } from './helpers/checkout.js';
import { ENDPOINT, trackUnhandledRejections, useMerchantServer } from './helpers/merchant.js';

const server = useMerchantServer();
const unhandled = trackUnhandledRejections();

/** An SDK instance made as an app makes it, and a checkout over it. */
function setupWithSdk() {
  const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG });
  const sdk = fake.initCheckoutElementsSdk({ clientSecret: 'cs_test_fake_1_secret_abc' });
  server.accept = (s) => fake.accept(s);
  const checkout = createCheckout({ sdk, endpoint: ENDPOINT });
  return { fake, sdk, checkout, events: record(checkout) };
}

describe('a Checkout Elements SDK instance given as `sdk`', () => {
  it('sends an update through it that moves the total, and never creates an SDK of its own', async () => {
    const { fake, sdk, checkout, events } = setupWithSdk();
    await checkout.ready;
    expect(checkout.sdk).toBe(sdk);
    const result = await checkout.set('gift_wrap', true);
    expect(result.type).toBe('success');
    expect(server.requests.map((r) => r.body)).toEqual([
      { checkout_session_id: 'cs_test_fake_1', selection: { gift_wrap: true }, changes: { gift_wrap: true } },
    ]);
    expect(checkout.summary?.total.amount).toBe('$25.00');
    expect(events).toEqual([
      'loading:true:init',
      'ready',
      'change:$20.00',
      'loading:false:init',
      'loading:true:update',
      'change:$20.00:cannot-confirm',
      'change:$25.00',
      'update:{"gift_wrap":true}',
      'loading:false:update',
    ]);
    // The app made its one instance; the checkout loaded that instance's actions.
    expect(fake.calls.initCheckoutElementsSdk).toBe(1);
    expect(fake.calls.loadActions).toBe(1);
    expect(fake.calls.runServerUpdate).toBe(1);
    expect(unhandled).toEqual([]);
  });

  it("shares an instance whose actions its creator loaded already (react-stripe-js's provider does)", async () => {
    const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG });
    const sdk = fake.initCheckoutElementsSdk({ clientSecret: 'cs_test_fake_1_secret_abc' });
    const loaded = await sdk.loadActions();
    server.accept = (s) => fake.accept(s);
    const checkout = createCheckout({ sdk, endpoint: ENDPOINT });
    await checkout.ready;
    expect(loaded.type === 'success' && checkout.actions).toBe(loaded.type === 'success' && loaded.actions);
    await checkout.set('warranty', true);
    // The creator's own view of the session moved too: one session, one SDK.
    expect(loaded.type === 'success' && loaded.actions.getSession().total.total.amount).toBe('$40.00');
    expect(fake.calls.initCheckoutElementsSdk).toBe(1);
    expect(fake.calls.loadActions).toBe(2);
  });

  it('works as an adapter option too', async () => {
    const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG });
    const sdk = fake.initCheckoutElementsSdk({ clientSecret: 'cs_test_fake_1_secret_abc' });
    server.accept = (s) => fake.accept(s);
    const checkout = createCheckout({ adapter: stripeCheckoutSessions({ sdk, returnUrl: 'https://shop.test/thanks' }), endpoint: ENDPOINT });
    await checkout.ready;
    await checkout.set('tip', 3);
    expect(checkout.summary?.total.amount).toBe('$23.00');
    expect(checkout.sdk).toBe(sdk);
    expect(fake.calls.initCheckoutElementsSdk).toBe(1);
  });

  it('leaves an expired session to its creator: expired, no renewal, no new SDK', async () => {
    const { fake, checkout, events } = setupWithSdk();
    await checkout.ready;
    events.length = 0;
    fake.expire();
    expect(checkout.state).toBe('expired');
    expect(events).toEqual(['change:$20.00:cannot-confirm:expired', 'expired']);
    expect(fake.calls.initCheckoutElementsSdk).toBe(1);
  });

  it('destroy leaves the instance to its creator, and its later changes reach no listener', async () => {
    const { fake, sdk, checkout, events } = setupWithSdk();
    await checkout.ready;
    const heard: string[] = [];
    sdk.on('change', (session) => heard.push(session.total.total.amount));
    checkout.destroy();
    events.length = 0;
    // The app goes on using its instance: its actions still work, and the checkout stays quiet.
    fake.accept({ gift_wrap: true });
    const loaded = await sdk.loadActions();
    expect(loaded.type === 'success' && (await loaded.actions.runServerUpdate(async () => {})).type).toBe('success');
    expect(heard.at(-1)).toBe('$25.00');
    expect(events).toEqual([]);
    expect(checkout.state).toBe('destroyed');
  });

  it('gives load_actions_failed when the given instance cannot load its actions', async () => {
    const fake = createFakeStripe({ betas: BETAS, fail: { loadActions: 'error' } });
    const sdk = fake.initCheckoutElementsSdk({ clientSecret: 'cs_test_fake_1_secret_abc' });
    const checkout = createCheckout({ sdk, endpoint: ENDPOINT });
    const events = record(checkout);
    await expect(checkout.ready).rejects.toMatchObject({ code: 'load_actions_failed' });
    expect(events).toEqual(['loading:true:init', 'error:load_actions_failed:{}', 'loading:false:init']);
  });
});

describe('the Stripe options beside `sdk` (which the types refuse)', () => {
  it.each([
    ['publishableKey', { publishableKey: 'pk_test_123' }],
    ['stripe', {}],
    ['clientSecret', { clientSecret: 'cs_test_other_secret_abc' }],
    // Renewal makes a new session and so a new SDK, which the app's elements would not be on.
    ['onSessionExpired', {}],
  ])('reads none of them in JavaScript: `%s` changes nothing, the given SDK is used and nothing is loaded', async (name, extra) => {
    const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG });
    const sdk = fake.initCheckoutElementsSdk({ clientSecret: 'cs_test_fake_1_secret_abc' });
    let renewals = 0;
    const given = { ...extra, ...(name === 'stripe' && { stripe: fake as unknown as Stripe }), ...(name === 'onSessionExpired' && { onSessionExpired: () => (renewals++, 'cs_test_fake_2_secret_abc') }) };
    const checkout = createCheckout({ sdk, endpoint: ENDPOINT, ...(given as object) });
    await checkout.ready;
    fake.expire();
    await checkout.idle();
    expect([checkout.sdk === sdk, fake.calls.initCheckoutElementsSdk, renewals, checkout.state]).toEqual([true, 1, 0, 'expired']);
  });

  it('refuses `sdk` beside `adapter`, as the other Stripe options', () => {
    const fake = createFakeStripe({ betas: BETAS });
    const sdk = fake.initCheckoutElementsSdk({ clientSecret: 'cs_test_fake_1_secret_abc' });
    const adapter = stripeCheckoutSessions({ sdk });
    expect(() => createCheckout({ adapter, endpoint: ENDPOINT, ...({ sdk } as object) })).toThrowError('Give `sdk` to the adapter, not beside `adapter`');
  });
});
