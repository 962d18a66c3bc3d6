// Runs in plain Node on purpose: the fake must not need a DOM until an Element is mounted.
// The tests that mount use their own happy-dom Window.
import type { PaymentIntent, PaymentIntentResult, StripeCheckoutSession } from '@stripe/stripe-js';
import { Window } from 'happy-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { asStripe, createFakeStripe, type FakeStripeInstance, type FakeStripeOptions } from '../src/testing/index.js';

const BETA = 'custom_checkout_server_updates_1';
const SECRET = 'cs_test_fake_1_secret_abc';
type PaymentIntentStatus = PaymentIntent['status'];
const catalog: FakeStripeOptions['catalog'] = {
  gift_wrap: { name: 'Gift wrap', unitAmount: 500 },
  warranty_years: { name: 'Warranty', unitAmount: 1000 },
  shipping: { name: 'Shipping', options: { standard: 0, express: 1500 } },
};

async function load(stripe: FakeStripeInstance, clientSecret: string | Promise<string> = SECRET) {
  const sdk = stripe.initCheckoutElementsSdk({ clientSecret });
  const result = await sdk.loadActions();
  if (result.type !== 'success') throw new Error(`loadActions failed: ${result.error.message}`);
  return { sdk, actions: result.actions };
}

function summary(session: StripeCheckoutSession) {
  return {
    total: session.total.total.minorUnitsAmount,
    amount: session.total.total.amount,
    items: session.lineItems.map((item) => `${item.id} ${item.name} x${item.quantity} ${item.total.amount}`),
    canConfirm: session.canConfirm,
    status: session.status,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the session', () => {
  it('starts with the base item and fills every field as Stripe.js does', async () => {
    const { actions } = await load(createFakeStripe());
    const session = actions.getSession();
    expect(summary(session)).toEqual({
      total: 2000,
      amount: '$20.00',
      items: ['li_fake_base_1 T-shirt x1 $20.00'],
      canConfirm: true,
      status: { type: 'open' },
    });
    expect(session).toMatchObject({
      id: 'cs_test_fake_1',
      currency: 'usd',
      minorUnitsAmountDivisor: 100,
      livemode: false,
      tax: { status: 'ready' },
      total: {
        subtotal: { minorUnitsAmount: 2000, amount: '$20.00' },
        taxExclusive: { minorUnitsAmount: 0, amount: '$0.00' },
        taxInclusive: { minorUnitsAmount: 0, amount: '$0.00' },
        shippingRate: { minorUnitsAmount: 0, amount: '$0.00' },
        discount: { minorUnitsAmount: 0, amount: '$0.00' },
        appliedBalance: { minorUnitsAmount: 0, amount: '$0.00' },
        surcharge: { minorUnitsAmount: 0, amount: '$0.00' },
        balanceAppliedToNextInvoice: false,
      },
    });
    expect(session.lineItems[0]).toMatchObject({
      priceId: 'price_fake_base_1',
      unitAmount: { minorUnitsAmount: 2000, amount: '$20.00' },
      subtotal: { minorUnitsAmount: 2000, amount: '$20.00' },
      discountAmounts: [],
      taxAmounts: [],
      recurring: null,
    });
  });

  it('prices the accepted selection from the catalog: true, a quantity, an option; nothing for the rest', async () => {
    const fake = createFakeStripe({
      catalog: { ...catalog, unknown_option: { name: 'Nope', options: { a: 1 } }, no_price: { name: 'Free?' } },
      accepted: { gift_wrap: true, warranty_years: 3, shipping: 'express', unknown_option: 'b', no_price: true, not_in_catalog: true },
    });
    const { actions } = await load(fake);
    expect(summary(actions.getSession()).items).toEqual([
      'li_fake_base_1 T-shirt x1 $20.00',
      'li_fake_gift_wrap Gift wrap x1 $5.00',
      'li_fake_warranty_years Warranty x3 $30.00',
      'li_fake_shipping Shipping: express x1 $15.00',
    ]);
    expect(actions.getSession().total.total.minorUnitsAmount).toBe(7000);
  });

  it('gives no line item for false, null, 0, a negative or fractional quantity and the empty string', async () => {
    const fake = createFakeStripe({ catalog, accepted: { gift_wrap: false, warranty_years: 0, shipping: '' } });
    const { actions } = await load(fake);
    expect(actions.getSession().lineItems).toHaveLength(1);
    for (const warranty_years of [null, -1, 1.5]) {
      fake.accept({ warranty_years });
      await load(fake).then(({ actions: later }) => expect(later.getSession().lineItems).toHaveLength(1));
    }
  });

  it('formats amounts and divides by the minor units of the currency', async () => {
    const { actions } = await load(createFakeStripe({ currency: 'JPY', baseItems: [{ name: 'Tea', unitAmount: 2500, quantity: 2 }] }));
    const session = actions.getSession();
    expect(session.currency).toBe('jpy');
    expect(session.minorUnitsAmountDivisor).toBe(1);
    expect(session.total.total).toEqual({ minorUnitsAmount: 5000, amount: '¥5,000' });
  });

  it('returns the same object while nothing changed', async () => {
    const fake = createFakeStripe({ betas: [BETA], catalog });
    const { actions } = await load(fake);
    const first = actions.getSession();
    expect(actions.getSession()).toBe(first);
    fake.accept({ gift_wrap: true });
    // Accepted by the merchant's server, but Stripe.js has not re-read the session yet.
    expect(actions.getSession()).toBe(first);
    expect(fake.session).toBe(first);
  });

  it('rejects options that would give wrong amounts', () => {
    expect(() => createFakeStripe({ currency: 'dollars' })).toThrow('Expected `currency` to be an ISO currency code, got `"dollars"` (string)');
    expect(() => createFakeStripe({ catalog: { tip: { name: 'Tip', unitAmount: 4.99 } } })).toThrow(
      'Expected `catalog.tip.unitAmount` to be a whole amount in minor units >= 0, got `4.99` (number)',
    );
    expect(() => createFakeStripe({ latencyMs: -1 })).toThrow('Expected `latencyMs.loadActions` to be a number of milliseconds >= 0');
  });
});

describe('runServerUpdate', () => {
  it('moves the totals to what the server accepted, keeping the base item id', async () => {
    const fake = createFakeStripe({ betas: [BETA], catalog });
    const { actions } = await load(fake);
    const before = actions.getSession();
    const result = await actions.runServerUpdate(async () => fake.accept({ gift_wrap: true }));
    expect(result.type).toBe('success');
    if (result.type !== 'success') return;
    expect(summary(result.session)).toEqual({
      total: 2500,
      amount: '$25.00',
      items: ['li_fake_base_1 T-shirt x1 $20.00', 'li_fake_gift_wrap Gift wrap x1 $5.00'],
      canConfirm: true,
      status: { type: 'open' },
    });
    expect(result.session.lineItems[0]!.id).toBe(before.lineItems[0]!.id);
    expect(actions.getSession()).toBe(result.session);
    expect(fake.session).toBe(result.session);
    expect(fake.calls).toMatchObject({ runServerUpdate: 1, runServerUpdateInFlight: 0, maxRunServerUpdateInFlight: 1 });
  });

  it('is absent without the beta flag, present with it in the options or in Stripe(pk, {betas})', async () => {
    const without = await load(createFakeStripe());
    expect('runServerUpdate' in without.actions).toBe(false);
    expect(without.actions.runServerUpdate).toBeUndefined();

    const viaOptions = await load(createFakeStripe({ betas: [BETA] }));
    expect(typeof viaOptions.actions.runServerUpdate).toBe('function');

    const fake = createFakeStripe();
    const viaConstructor = await load(fake.Stripe('pk_test_123', { betas: [BETA] }));
    expect(typeof viaConstructor.actions.runServerUpdate).toBe('function');
    const plain = await load(fake.Stripe('pk_test_123'));
    expect('runServerUpdate' in plain.actions).toBe(false);
  });

  it('ignores what the function returns: a 400 Response still succeeds', async () => {
    const fake = createFakeStripe({ betas: [BETA], catalog });
    const { actions } = await load(fake);
    const result = await actions.runServerUpdate(async () => new Response('{"error":"Nope"}', { status: 400 }));
    expect(result.type).toBe('success');
    if (result.type === 'success') expect(result.session.total.total.minorUnitsAmount).toBe(2000);
  });

  it('resolves an error and does not re-read when the function rejects', async () => {
    const fake = createFakeStripe({ betas: [BETA], catalog });
    const { actions } = await load(fake);
    const result = await actions.runServerUpdate(async () => {
      fake.accept({ gift_wrap: true });
      throw new TypeError('Failed to fetch');
    });
    expect(result).toEqual({ type: 'error', error: { message: 'The server update failed: Failed to fetch', code: null } });
    expect(summary(actions.getSession())).toMatchObject({ total: 2000, canConfirm: true });
  });

  it('gives up on a function that takes longer than Stripe\'s 20 s limit', async () => {
    vi.useFakeTimers();
    const fake = createFakeStripe({ betas: [BETA], catalog });
    const { actions } = await load(fake);
    let settled: unknown;
    void actions.runServerUpdate(() => new Promise(() => {})).then((result) => (settled = result));
    await vi.advanceTimersByTimeAsync(19_999);
    expect(settled).toBeUndefined();
    expect(fake.calls.runServerUpdateInFlight).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toEqual({
      type: 'error',
      error: { message: 'The server update timed out: its function did not finish within 20000 ms.', code: null },
    });
    expect(fake.calls.runServerUpdateInFlight).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('takes serverUpdateLimitMs and latencyMs from the options', async () => {
    vi.useFakeTimers();
    const fake = createFakeStripe({ betas: [BETA], catalog, serverUpdateLimitMs: 1000, latencyMs: { runServerUpdate: 300 } });
    const { actions } = await load(fake);
    const results: string[] = [];
    void actions.runServerUpdate(() => new Promise((resolve) => setTimeout(resolve, 999))).then((r) => results.push(r.type));
    await vi.advanceTimersByTimeAsync(999 + 299);
    expect(results).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(results).toEqual(['success']);
  });

  it('runs calls one after another, the next function only once the call before resolved, and counts the calls begun meanwhile', async () => {
    const fake = createFakeStripe({ betas: [BETA], catalog });
    const { actions } = await load(fake);
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = actions.runServerUpdate(async () => {
      events.push('first function');
      await gate;
      fake.accept({ gift_wrap: true });
    });
    const second = actions.runServerUpdate(async () => {
      events.push('second function');
      fake.accept({ gift_wrap: true, warranty_years: 1 });
    });
    void first.then((result) => events.push(`first resolved ${result.type === 'success' && result.session.total.total.amount}`));
    void second.then((result) => events.push(`second resolved ${result.type === 'success' && result.session.total.total.amount}`));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).toEqual(['first function']);
    expect(fake.calls).toMatchObject({ runServerUpdate: 2, runServerUpdateInFlight: 2, maxRunServerUpdateInFlight: 2 });
    release();
    await second;
    expect(events).toEqual(['first function', 'first resolved $25.00', 'second function', 'second resolved $35.00']);
    expect(fake.calls).toMatchObject({ runServerUpdate: 2, runServerUpdateInFlight: 0, maxRunServerUpdateInFlight: 2 });
  });

  it('counts one in flight for calls made each after the one before resolved', async () => {
    const fake = createFakeStripe({ betas: [BETA], catalog });
    const { actions } = await load(fake);
    for (let i = 0; i < 3; i += 1) expect((await actions.runServerUpdate(async () => {})).type).toBe('success');
    expect(fake.calls).toMatchObject({ runServerUpdate: 3, runServerUpdateInFlight: 0, maxRunServerUpdateInFlight: 1 });
  });

  it('starts the next queued call after one that failed or rejected, in order', async () => {
    const fake = createFakeStripe({ betas: [BETA], catalog });
    const { actions } = await load(fake);
    const order: string[] = [];
    fake.failNext('runServerUpdate', 'reject');
    const results = await Promise.allSettled([
      actions.runServerUpdate(async () => void order.push('one')),
      actions.runServerUpdate(async () => {
        order.push('two');
        throw new TypeError('Failed to fetch');
      }),
      actions.runServerUpdate(async () => void order.push('three')),
    ]);
    expect(order).toEqual(['one', 'two', 'three']);
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value.type : `rejected: ${(result.reason as Error).message}`))).toEqual([
      'rejected: runServerUpdate failed: a failure injected by createFakeStripe.',
      'error',
      'success',
    ]);
    expect(fake.calls).toMatchObject({ runServerUpdateInFlight: 0, maxRunServerUpdateInFlight: 3 });
  });

  it('refuses a queued call without calling its function when the call before it learnt the session ended', async () => {
    const fake = createFakeStripe({ betas: [BETA], catalog });
    const { actions } = await load(fake);
    const second = vi.fn(async () => {});
    const results = await Promise.all([actions.runServerUpdate(async () => fake.expire({ silent: true })), actions.runServerUpdate(second)]);
    expect(results).toEqual([
      { type: 'error', error: { message: 'This Checkout Session is no longer active.', code: null } },
      { type: 'error', error: { message: 'This Checkout Session is no longer active.', code: null } },
    ]);
    expect(second).not.toHaveBeenCalled();
    expect(fake.calls).toMatchObject({ runServerUpdate: 2, runServerUpdateInFlight: 0 });
  });

  it('tells change handlers once per new session: canConfirm false while pending, then the new totals', async () => {
    const fake = createFakeStripe({ betas: [BETA], catalog });
    const { sdk, actions } = await load(fake);
    const seen: StripeCheckoutSession[] = [];
    sdk.on('change', (session) => seen.push(session));
    const result = await actions.runServerUpdate(async () => {
      expect(seen).toHaveLength(1);
      fake.accept({ gift_wrap: true });
    });
    expect(seen.map((session) => [session.total.total.amount, session.lineItems.length, session.canConfirm])).toEqual([
      ['$20.00', 1, false],
      ['$25.00', 2, true],
    ]);
    expect(seen[1]).toBe(result.type === 'success' ? result.session : null);
    expect(seen[1]).toBe(actions.getSession());
  });

  it('keeps canConfirm false until the last queued call ends', async () => {
    const fake = createFakeStripe({ betas: [BETA], catalog });
    const { sdk, actions } = await load(fake);
    const seen: boolean[] = [];
    sdk.on('change', (session) => seen.push(session.canConfirm));
    await Promise.all([actions.runServerUpdate(async () => {}), actions.runServerUpdate(async () => {})]);
    expect(seen).toEqual([false, true]);
  });

  it('calls the function but fails the re-read on an injected failure', async () => {
    const fake = createFakeStripe({ betas: [BETA], catalog });
    const { actions } = await load(fake);
    const fn = vi.fn(async () => fake.accept({ gift_wrap: true }));
    fake.failNext('runServerUpdate', 'error');
    expect(await actions.runServerUpdate(fn)).toEqual({
      type: 'error',
      error: { message: 'The Checkout Session could not be updated (injected failure).', code: null },
    });
    fake.failNext('runServerUpdate', 'reject');
    await expect(actions.runServerUpdate(fn)).rejects.toThrow('runServerUpdate failed: a failure injected by createFakeStripe.');
    expect(fn).toHaveBeenCalledTimes(2);
    expect(actions.getSession().total.total.minorUnitsAmount).toBe(2000);
    expect((await actions.runServerUpdate(fn)).type).toBe('success');
    expect(actions.getSession().total.total.minorUnitsAmount).toBe(2500);
  });

  it('refuses without calling the function once the session expired', async () => {
    const fake = createFakeStripe({ betas: [BETA], catalog });
    const { sdk, actions } = await load(fake);
    const seen: StripeCheckoutSession[] = [];
    sdk.on('change', (session) => seen.push(session));
    fake.expire();
    expect(seen.map((session) => session.status)).toEqual([{ type: 'expired' }]);
    expect(seen[0]!.canConfirm).toBe(false);
    const fn = vi.fn(async () => {});
    expect(await actions.runServerUpdate(fn)).toEqual({
      type: 'error',
      error: { message: 'This Checkout Session is no longer active.', code: null },
    });
    expect(fn).not.toHaveBeenCalled();
    expect(fake.calls.maxRunServerUpdateInFlight).toBe(0);
  });

  it('learns of a silent expiry only at its next read: the function runs, then the update is refused', async () => {
    const fake = createFakeStripe({ betas: [BETA], catalog });
    const { sdk, actions } = await load(fake);
    const seen: string[] = [];
    sdk.on('change', (session) => seen.push(`${session.status.type} ${session.canConfirm} ${session.total.total.amount}`));
    fake.expire({ silent: true });
    expect(seen).toEqual([]);
    expect(fake.session.status).toEqual({ type: 'open' });
    const fn = vi.fn(async () => fake.accept({ gift_wrap: true }));
    expect(await actions.runServerUpdate(fn)).toEqual({
      type: 'error',
      error: { message: 'This Checkout Session is no longer active.', code: null },
    });
    expect(fn).toHaveBeenCalledOnce();
    expect(seen).toEqual(['open false $20.00', 'expired false $20.00']);
    expect(fake.session.status).toEqual({ type: 'expired' });
  });

  it('learns of a silent expiry at confirm', async () => {
    const fake = createFakeStripe();
    const { sdk, actions } = await load(fake);
    const seen: string[] = [];
    sdk.on('change', (session) => seen.push(session.status.type));
    void actions.getSession().total.total.amount;
    fake.expire({ silent: true });
    expect(await actions.confirm()).toEqual({ type: 'error', error: { message: 'This Checkout Session is no longer active.', code: null } });
    expect(seen).toEqual(['expired']);
  });
});

describe('loadActions and the client secret', () => {
  it('resolves an error value or rejects, as the failure kind says', async () => {
    const erring = createFakeStripe({ fail: { loadActions: 'error' } });
    expect(await erring.initCheckoutElementsSdk({ clientSecret: SECRET }).loadActions()).toEqual({
      type: 'error',
      error: { message: 'The Checkout Session could not be loaded (injected failure).', code: null },
    });
    const rejecting = createFakeStripe({ fail: { loadActions: 'reject' } });
    await expect(rejecting.initCheckoutElementsSdk({ clientSecret: SECRET }).loadActions()).rejects.toThrow(
      'loadActions failed: a failure injected by createFakeStripe.',
    );
  });

  it('fails the next calls only, with failNext', async () => {
    const fake = createFakeStripe();
    fake.failNext('loadActions', 'error', 2);
    const sdk = fake.initCheckoutElementsSdk({ clientSecret: SECRET });
    expect((await sdk.loadActions()).type).toBe('error');
    expect((await sdk.loadActions()).type).toBe('error');
    const third = await sdk.loadActions();
    expect(third.type).toBe('success');
    const fourth = await sdk.loadActions();
    expect(fourth.type === 'success' && third.type === 'success' && fourth.actions === third.actions).toBe(true);
    expect(fake.calls.loadActions).toBe(4);
  });

  it('awaits a client secret promise and records every secret', async () => {
    const fake = createFakeStripe();
    await load(fake, Promise.resolve('cs_test_fake_1_secret_promised'));
    await load(fake, SECRET);
    expect(fake.clientSecrets).toEqual(['cs_test_fake_1_secret_promised', SECRET]);
    expect(fake.calls.initCheckoutElementsSdk).toBe(2);
  });

  it('turns a rejected client secret promise into an error value', async () => {
    const sdk = createFakeStripe().initCheckoutElementsSdk({ clientSecret: Promise.reject(new Error('503 from /checkout-session')) });
    expect(await sdk.loadActions()).toEqual({
      type: 'error',
      error: { message: 'Failed to get the client secret: 503 from /checkout-session', code: null },
    });
  });

  it('throws synchronously for a missing client secret or an injected init failure', () => {
    const fake = createFakeStripe();
    const message = 'Invalid value for initCheckoutElementsSdk: clientSecret should be a client secret string or Promise';
    expect(() => fake.initCheckoutElementsSdk({ clientSecret: '' })).toThrow(message);
    expect(() => fake.initCheckoutElementsSdk({} as never)).toThrow(message);
    expect(() => createFakeStripe({ fail: { initCheckoutElementsSdk: true } }).initCheckoutElementsSdk({ clientSecret: SECRET })).toThrow(
      'initCheckoutElementsSdk failed',
    );
  });

  it('waits latencyMs on a timer', async () => {
    vi.useFakeTimers();
    const sdk = createFakeStripe({ latencyMs: 250 }).initCheckoutElementsSdk({ clientSecret: SECRET });
    let type: string | undefined;
    void sdk.loadActions().then((result) => (type = result.type));
    await vi.advanceTimersByTimeAsync(249);
    expect(type).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(type).toBe('success');
  });
});

describe('confirm', () => {
  it('refuses until the page read the total, as Stripe.js does', async () => {
    const fake = createFakeStripe();
    const { actions } = await load(fake);
    await expect(actions.confirm()).rejects.toMatchObject({ name: 'IntegrationError' });
    const session = actions.getSession();
    void [session.total.total.minorUnitsAmount, session.currency];
    await expect(actions.confirm()).rejects.toMatchObject({ name: 'IntegrationError' });
    void session.minorUnitsAmountDivisor;
    expect((await actions.confirm()).type).toBe('success');
  });

  it('completes the session, tells the change handlers and records its arguments', async () => {
    const fake = createFakeStripe();
    const { sdk, actions } = await load(fake);
    const seen: StripeCheckoutSession[] = [];
    sdk.on('change', (session) => seen.push(session));
    void actions.getSession().total.total.amount;
    const result = await actions.confirm({ returnUrl: 'https://shop.example/done' });
    expect(result.type).toBe('success');
    expect(result.type === 'success' && result.session.status).toEqual({ type: 'complete', paymentStatus: 'paid' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBe(actions.getSession());
    expect(fake.session.status).toEqual({ type: 'complete', paymentStatus: 'paid' });
    expect(fake.confirmArgs).toEqual([{ returnUrl: 'https://shop.example/done' }]);
    expect(await actions.confirm()).toEqual({ type: 'error', error: { message: 'This Checkout Session is no longer active.', code: null } });
    expect(fake.confirmArgs).toEqual([{ returnUrl: 'https://shop.example/done' }, undefined]);
  });

  it('fails as a declined payment or a rejection when told to', async () => {
    const fake = createFakeStripe();
    const { actions } = await load(fake);
    void actions.getSession().total.total.amount;
    fake.failNext('confirm', 'error');
    fake.failNext('confirm', 'reject');
    expect(await actions.confirm()).toEqual({
      type: 'error',
      error: { message: 'Your card was declined.', code: 'paymentFailed', paymentFailed: { declineCode: null } },
    });
    await expect(actions.confirm()).rejects.toThrow('confirm failed');
    expect(actions.getSession().status).toEqual({ type: 'open' });
    expect(fake.calls.confirm).toBe(2);
  });
});

describe('several SDK instances and sessions', () => {
  it('share the server: expire() and complete() reach every instance on the session', async () => {
    const fake = createFakeStripe({ betas: [BETA], catalog });
    const one = await load(fake);
    const two = await load(fake);
    const heard: string[] = [];
    one.sdk.on('change', (session) => heard.push(`one ${session.status.type}`));
    two.sdk.on('change', (session) => heard.push(`two ${session.status.type}`));
    fake.complete();
    expect(heard).toEqual(['one complete', 'two complete']);
    expect(() => fake.expire()).toThrow('is already complete');
  });

  it('renew() starts a fresh open session with the initial selection; old instances keep theirs', async () => {
    const fake = createFakeStripe({ betas: [BETA], catalog, accepted: { gift_wrap: true } });
    const old = await load(fake, 'cs_test_fake_1_secret_a');
    fake.accept({ gift_wrap: false, warranty_years: 2 });
    fake.expire();
    fake.renew();
    expect(fake.accepted).toEqual({ gift_wrap: true });
    const next = await load(fake, 'cs_test_fake_2_secret_b');
    expect(next.actions.getSession()).toMatchObject({ id: 'cs_test_fake_2', status: { type: 'open' } });
    expect(next.actions.getSession().total.total.minorUnitsAmount).toBe(2500);
    expect(old.actions.getSession()).toMatchObject({ id: 'cs_test_fake_1', status: { type: 'expired' } });
    expect(fake.session).toBe(next.actions.getSession());
    expect(fake.clientSecrets).toEqual(['cs_test_fake_1_secret_a', 'cs_test_fake_2_secret_b']);
    fake.renew('cs_test_custom');
    expect(fake.session.id).toBe('cs_test_custom');
  });
});

describe('fake.Stripe', () => {
  it('checks the publishable key like Stripe() and works with or without new', () => {
    const fake = createFakeStripe();
    expect(() => fake.Stripe('')).toThrow('You used an empty string');
    expect(() => fake.Stripe('sk_test_123')).toThrow('secret key');
    expect(typeof new fake.Stripe('pk_test_123').initCheckoutElementsSdk).toBe('function');
    expect(fake.Stripe.version).toBe('endive');
  });

  it('is picked up by @stripe/stripe-js from window.Stripe', async () => {
    const fake = createFakeStripe({ betas: [BETA] });
    const window = new Window();
    vi.stubGlobal('window', Object.assign(window, { Stripe: fake.Stripe }));
    vi.stubGlobal('document', window.document);
    const { loadStripe } = await import('@stripe/stripe-js/pure');
    const stripe = await loadStripe('pk_test_123');
    const { actions } = await load(stripe as unknown as FakeStripeInstance);
    expect(typeof actions.runServerUpdate).toBe('function');
    expect(asStripe(fake).initCheckoutElementsSdk).toBe(fake.initCheckoutElementsSdk);
    await window.happyDOM.close();
  });
});

describe('the Payment Element', () => {
  function page() {
    const window = new Window();
    window.document.body.innerHTML = '<form><div id="payment"></div></form>';
    return window;
  }

  it('mounts one placeholder child and unmounts it', async () => {
    const window = page();
    vi.stubGlobal('document', window.document);
    const fake = createFakeStripe();
    const sdk = fake.initCheckoutElementsSdk({ clientSecret: SECRET });
    const element = sdk.createPaymentElement({ layout: 'tabs' });
    const ready = vi.fn();
    expect(element.on('ready', ready)).toBe(element);
    element.mount('#payment');
    const host = window.document.querySelector('#payment')!;
    expect(host.children).toHaveLength(1);
    expect(host.firstElementChild!.outerHTML).toBe('<div data-fake-payment-element="">Payment Element (test mode)</div>');
    expect(ready).not.toHaveBeenCalled();
    await Promise.resolve();
    expect(ready).toHaveBeenCalledExactlyOnceWith({ elementType: 'payment' });
    expect(() => element.mount('#payment')).toThrow('already mounted');
    element.unmount();
    expect(host.children).toHaveLength(0);
    element.mount(host as unknown as HTMLElement);
    expect(host.children).toHaveLength(1);
    expect(sdk.getPaymentElement()).toBe(element);
    expect(fake.calls.createPaymentElement).toBe(1);
    await window.happyDOM.close();
  });

  it('allows one per SDK until destroyed, and names a selector that matches nothing', async () => {
    const window = page();
    vi.stubGlobal('document', window.document);
    const sdk = createFakeStripe().initCheckoutElementsSdk({ clientSecret: SECRET });
    const element = sdk.createPaymentElement();
    expect(() => sdk.createPaymentElement()).toThrow('Can only create one payment Element');
    expect(() => element.mount('#nowhere')).toThrow('The selector you specified (#nowhere) applies to no DOM elements');
    element.mount('#payment');
    element.destroy();
    expect(window.document.querySelector('[data-fake-payment-element]')).toBeNull();
    expect(sdk.getPaymentElement()).toBeNull();
    expect(() => element.mount('#payment')).toThrow('destroyed');
    expect(sdk.createPaymentElement()).not.toBe(element);
    await window.happyDOM.close();
  });
});

describe('a remote session (the `remote` option)', () => {
  /** A server holding line items, as the example server's emulator does. */
  function remoteServer() {
    const state = {
      reads: [] as string[],
      session: {
        id: 'cs_test_remote_1',
        status: 'open' as 'open' | 'expired' | 'complete',
        lineItems: [{ id: 'li_base', price: 'price_1TshirtRemote', name: 'T-shirt', unitAmount: 2000, quantity: 1 }],
      },
    };
    const remote = async (secret: string) => (state.reads.push(secret), structuredClone(state.session));
    return { state, remote };
  }

  /** A fake on `remote` that completes through `remoteComplete`, loaded, with its total read (confirm needs it). */
  async function payable(remote: NonNullable<FakeStripeOptions['remote']>, remoteComplete: NonNullable<FakeStripeOptions['remoteComplete']>) {
    const fake = createFakeStripe({ betas: ['custom_checkout_server_updates_1'], remote, remoteComplete });
    const loaded = await fake.initCheckoutElementsSdk({ clientSecret: 'cs_test_remote_1_secret_x' }).loadActions();
    if (loaded.type !== 'success') throw new Error('loadActions failed');
    void loaded.actions.getSession().total.total.amount;
    return { fake, actions: loaded.actions };
  }

  it('shows the line items and total the remote server holds, read at load and after each server update', async () => {
    const { state, remote } = remoteServer();
    const fake = createFakeStripe({ betas: ['custom_checkout_server_updates_1'], remote });
    const sdk = fake.initCheckoutElementsSdk({ clientSecret: 'cs_test_remote_1_secret_x' });
    const loaded = await sdk.loadActions();
    if (loaded.type !== 'success') throw new Error('loadActions failed');
    expect(loaded.actions.getSession().id).toBe('cs_test_remote_1');
    expect(loaded.actions.getSession().total.total.amount).toBe('$20.00');
    const result = await loaded.actions.runServerUpdate(async () => {
      state.session.lineItems.push({ id: 'li_gift', price: 'price_1GiftRemote', name: 'Gift wrap', unitAmount: 500, quantity: 2 });
    });
    expect(result.type === 'success' && result.session.total.total.amount).toBe('$30.00');
    expect(result.type === 'success' && result.session.lineItems.map((item) => [item.id, item.priceId, item.name, item.quantity])).toEqual([
      ['li_base', 'price_1TshirtRemote', 'T-shirt', 1],
      ['li_gift', 'price_1GiftRemote', 'Gift wrap', 2],
    ]);
    expect(state.reads).toEqual(['cs_test_remote_1_secret_x', 'cs_test_remote_1_secret_x']);
  });

  it('reports each line item with the Price id the remote server gives, and refuses a line item without one', async () => {
    const { state, remote } = remoteServer();
    const fake = createFakeStripe({ remote });
    const loaded = await fake.initCheckoutElementsSdk({ clientSecret: 'cs_test_remote_1_secret_x' }).loadActions();
    expect(loaded.type === 'success' && loaded.actions.getSession().lineItems.map((item) => item.priceId)).toEqual(['price_1TshirtRemote']);
    expect(fake.session.lineItems.map((item) => item.priceId)).toEqual(['price_1TshirtRemote']);
    state.session.lineItems.push({ id: 'li_nameless', name: 'Gift wrap', unitAmount: 500, quantity: 1 } as never);
    expect(await fake.initCheckoutElementsSdk({ clientSecret: 'cs_test_remote_1_secret_x' }).loadActions()).toEqual({
      type: 'error',
      error: { message: "The Checkout Session could not be loaded: the remote session's line item li_nameless has no `price` (its Price id)", code: null },
    });
  });

  it('learns an expiry from the remote server, and reports a remote that fails as an error value', async () => {
    const { state, remote } = remoteServer();
    let down = false;
    const fake = createFakeStripe({ betas: ['custom_checkout_server_updates_1'], remote: (s) => (down ? Promise.reject(new Error('emulator down')) : remote(s)) });
    const loaded = await fake.initCheckoutElementsSdk({ clientSecret: 'cs_test_remote_1_secret_x' }).loadActions();
    if (loaded.type !== 'success') throw new Error('loadActions failed');
    state.session.status = 'expired';
    const refused = await loaded.actions.runServerUpdate(async () => {});
    expect(refused).toEqual({ type: 'error', error: { message: 'This Checkout Session is no longer active.', code: null } });
    expect(loaded.actions.getSession().status).toEqual({ type: 'expired' });
    down = true;
    const failedLoad = await fake.initCheckoutElementsSdk({ clientSecret: 'cs_test_remote_1_secret_x' }).loadActions();
    expect(failedLoad).toEqual({ type: 'error', error: { message: 'The Checkout Session could not be loaded: emulator down', code: null } });
  });

  it('completes the session on the remote server when confirm succeeds, once, and only then', async () => {
    const { state, remote } = remoteServer();
    const completed: string[] = [];
    const remoteComplete = async (id: string) => {
      completed.push(id);
      state.session.status = 'complete';
    };
    const fake = createFakeStripe({ betas: ['custom_checkout_server_updates_1'], remote, remoteComplete });
    const loaded = await fake.initCheckoutElementsSdk({ clientSecret: 'cs_test_remote_1_secret_x' }).loadActions();
    if (loaded.type !== 'success') throw new Error('loadActions failed');
    await expect(loaded.actions.confirm()).rejects.toMatchObject({ name: 'IntegrationError' }); // the total was not read
    expect(completed).toEqual([]);
    void loaded.actions.getSession().total.total.amount;
    const paid = await loaded.actions.confirm();
    expect(paid.type === 'success' && paid.session.status).toEqual({ type: 'complete', paymentStatus: 'paid' });
    expect(await loaded.actions.confirm()).toEqual({ type: 'error', error: { message: 'This Checkout Session is no longer active.', code: null } });
    expect(completed).toEqual(['cs_test_remote_1']);
    expect(state.session.status).toBe('complete');
    // A page loaded afterwards reads the session as the server holds it: paid.
    const reloaded = await fake.initCheckoutElementsSdk({ clientSecret: 'cs_test_remote_1_secret_x' }).loadActions();
    expect(reloaded.type === 'success' && reloaded.actions.getSession().status).toEqual({ type: 'complete', paymentStatus: 'paid' });
  });

  it('gives an error value and keeps the session open when the remote server refuses to complete it', async () => {
    const { remote } = remoteServer();
    let refuse = true;
    const remoteComplete = async () => {
      if (refuse) throw new Error('HTTP 409: This checkout is not open.');
    };
    const { fake, actions } = await payable(remote, remoteComplete);
    expect(await actions.confirm()).toEqual({
      type: 'error',
      error: { message: 'The payment could not be completed: HTTP 409: This checkout is not open.', code: null },
    });
    expect(actions.getSession().status).toEqual({ type: 'open' });
    refuse = false;
    expect((await actions.confirm()).type).toBe('success');
    expect(fake.calls.confirm).toBe(2);
  });

  it('learns the status the remote server holds when it refuses to complete the session', async () => {
    const { state, remote } = remoteServer();
    const remoteComplete = async () => {
      state.session.status = 'expired'; // it expired on the server while the customer paid
      throw new Error('This checkout is not open.');
    };
    const { actions } = await payable(remote, remoteComplete);
    expect(await actions.confirm()).toEqual({
      type: 'error',
      error: { message: 'The payment could not be completed: This checkout is not open.', code: null },
    });
    expect(actions.getSession().status).toEqual({ type: 'expired' });
  });

  it('refuses a remote or remoteComplete that is not a function', () => {
    expect(() => createFakeStripe({ remote: 'https://emulator.test' as never })).toThrow(new TypeError('Expected `remote` to be a function, got `"https://emulator.test"` (string)'));
    expect(() => createFakeStripe({ remoteComplete: {} as never })).toThrow(new TypeError('Expected `remoteComplete` to be a function, got `{}` (object)'));
  });
});

describe('Payment Intents: elements, retrievePaymentIntent and fetchUpdates', () => {
  const shirt = { id: 'pi_fake1', client_secret: 'pi_fake1_secret_fake', amount: 2000, currency: 'usd' };

  it('gives each session a PaymentIntent priced like it, in the shape a publishable key sees', async () => {
    const fake = createFakeStripe({ catalog });
    const intent = fake.paymentIntent;
    expect(intent).toEqual({
      ...shirt,
      object: 'payment_intent',
      canceled_at: null,
      cancellation_reason: null,
      capture_method: 'automatic',
      confirmation_method: 'automatic',
      created: expect.any(Number),
      description: null,
      last_payment_error: null,
      livemode: false,
      next_action: null,
      payment_method: null,
      payment_method_types: ['card'],
      receipt_email: null,
      setup_future_usage: null,
      shipping: null,
      status: 'requires_payment_method',
    });
    expect(await fake.retrievePaymentIntent(shirt.client_secret)).toEqual({ paymentIntent: intent });
    fake.accept({ gift_wrap: true, shipping: 'express' });
    expect((await fake.retrievePaymentIntent(shirt.client_secret)).paymentIntent?.amount).toBe(4000);
    expect(fake.calls.retrievePaymentIntent).toBe(2);
  });

  it('answers an unknown intent or a wrong secret with Stripe\'s error values, and rejects a secret not of its form', async () => {
    const fake = createFakeStripe();
    expect(await fake.retrievePaymentIntent('pi_fake9_secret_fake')).toEqual({
      error: { type: 'invalid_request_error', code: 'resource_missing', param: 'intent', message: "No such payment_intent: 'pi_fake9'" },
    });
    expect(await fake.retrievePaymentIntent('pi_fake1_secret_other')).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'payment_intent_invalid_parameter',
        param: 'client_secret',
        message: 'The client_secret provided does not match the client_secret associated with the PaymentIntent.',
      },
    });
    await expect(fake.retrievePaymentIntent('pi_mock_1_secret_x')).rejects.toMatchObject({
      name: 'IntegrationError',
      message: 'Invalid value for retrievePaymentIntent: clientSecret should be a client secret of the form ${id}_secret_${secret}. You specified: pi_mock_1_secret_x.',
    });
    expect(fake.calls.retrievePaymentIntent).toBe(3);
  });

  it('fails retrievePaymentIntent as an error value or a rejection when told to', async () => {
    const fake = createFakeStripe({ latencyMs: { retrievePaymentIntent: 100 } });
    vi.useFakeTimers();
    fake.failNext('retrievePaymentIntent', 'error');
    fake.failNext('retrievePaymentIntent', 'reject');
    const results: unknown[] = [];
    const first = fake.retrievePaymentIntent(shirt.client_secret).then((result) => results.push(result));
    await vi.advanceTimersByTimeAsync(99);
    expect(results).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await first;
    expect(results).toEqual([{ error: { type: 'api_error', message: 'The PaymentIntent could not be retrieved (injected failure).' } }]);
    const second = expect(fake.retrievePaymentIntent(shirt.client_secret)).rejects.toThrow('retrievePaymentIntent failed: a failure injected by createFakeStripe.');
    await vi.advanceTimersByTimeAsync(100);
    await second;
    const third = fake.retrievePaymentIntent(shirt.client_secret);
    await vi.advanceTimersByTimeAsync(100);
    expect((await third).paymentIntent?.status).toBe('requires_payment_method');
  });

  it('elements() takes a PaymentIntent client secret, throws at once for one not of Stripe\'s form, and refuses what it does not model', () => {
    const fake = createFakeStripe();
    expect(() => fake.elements({ clientSecret: 'pi_fake1' })).toThrow(
      expect.objectContaining({
        name: 'IntegrationError',
        message: 'Invalid value for elements(): clientSecret should be a client secret of the form ${id}_secret_${secret}. You specified: pi_fake1.',
      }),
    );
    expect(() => fake.elements({ mode: 'payment', amount: 2000, currency: 'usd' } as never)).toThrow('is not implemented by createFakeStripe');
    expect(() => fake.elements({})).toThrow('is not implemented by createFakeStripe');
    expect(() => fake.elements({ clientSecret: 'seti_1_secret_2' })).toThrow('with a SetupIntent is not implemented');
    expect(fake.calls.elements).toBe(4);
  });

  it('a group creates one Payment Element and nothing else; submit() resolves {}; update() resolves and emits update-end', async () => {
    const fake = createFakeStripe();
    const elements = fake.elements({ clientSecret: shirt.client_secret });
    expect(elements.getElement('payment')).toBeNull();
    const element = elements.create('payment', { layout: 'tabs' });
    expect(elements.getElement('payment')).toBe(element);
    expect(() => elements.create('payment')).toThrow('Can only create one payment Element');
    expect(() => elements.create('address', { mode: 'shipping' })).toThrow(`elements.create("address") is not implemented by createFakeStripe; only 'payment' is.`);
    expect(elements.getElement('address')).toBeNull();
    expect(fake.calls).toMatchObject({ elements: 1, createPaymentElement: 2 });
    expect(await elements.submit()).toEqual({});
    const events: string[] = [];
    elements.on('update-end', () => events.push('update-end'));
    const updated = elements.update({ locale: 'fr' }).then(() => events.push('resolved'));
    expect(events).toEqual([]);
    await updated;
    expect(events).toEqual(['update-end', 'resolved']);
  });

  it('reads the intent when the group is created, and again only at fetchUpdates', async () => {
    const fake = createFakeStripe({ catalog });
    const elements = fake.elements({ clientSecret: shirt.client_secret });
    fake.accept({ gift_wrap: true });
    // Accepted by the merchant's server; the Payment Element shows the intent it fetched.
    expect(fake.paymentIntent.amount).toBe(2000);
    expect((await fake.retrievePaymentIntent(shirt.client_secret)).paymentIntent?.amount).toBe(2500);
    expect(await elements.fetchUpdates()).toEqual({});
    expect(fake.paymentIntent.amount).toBe(2500);
    expect(fake.calls).toMatchObject({ fetchUpdates: 1, fetchUpdatesInFlight: 0, maxFetchUpdatesInFlight: 1, fetchUpdatesOverlapping: 0 });
  });

  it('lets fetchUpdates calls overlap, as Stripe documents no queue for them, and counts those begun before the previous one resolved', async () => {
    vi.useFakeTimers();
    const fake = createFakeStripe({ catalog, latencyMs: { fetchUpdates: 100 } });
    const elements = fake.elements({ clientSecret: shirt.client_secret });
    const all = Promise.all([elements.fetchUpdates(), elements.fetchUpdates(), elements.fetchUpdates()]);
    expect(fake.calls).toMatchObject({ fetchUpdates: 3, fetchUpdatesInFlight: 3, maxFetchUpdatesInFlight: 3, fetchUpdatesOverlapping: 2 });
    await vi.advanceTimersByTimeAsync(100);
    expect(await all).toEqual([{}, {}, {}]);
    const one = elements.fetchUpdates();
    await vi.advanceTimersByTimeAsync(100);
    await one;
    expect(fake.calls).toMatchObject({ fetchUpdates: 4, fetchUpdatesInFlight: 0, maxFetchUpdatesInFlight: 3, fetchUpdatesOverlapping: 2 });
  });

  it('fails fetchUpdates as an error value or a rejection when told to, keeping the intent it showed', async () => {
    const fake = createFakeStripe({ catalog });
    const elements = fake.elements({ clientSecret: shirt.client_secret });
    fake.accept({ gift_wrap: true });
    fake.failNext('fetchUpdates', 'error');
    fake.failNext('fetchUpdates', 'reject');
    expect(await elements.fetchUpdates()).toEqual({ error: { message: 'The PaymentIntent could not be fetched (injected failure).' } });
    await expect(elements.fetchUpdates()).rejects.toThrow('fetchUpdates failed: a failure injected by createFakeStripe.');
    expect(fake.paymentIntent.amount).toBe(2000);
    expect(await elements.fetchUpdates()).toEqual({});
    expect(fake.paymentIntent.amount).toBe(2500);
    expect(fake.calls).toMatchObject({ fetchUpdates: 3, fetchUpdatesInFlight: 0, fetchUpdatesOverlapping: 0 });
  });

  it('gives fetchUpdates an error value for an intent Stripe does not know', async () => {
    const elements = createFakeStripe().elements({ clientSecret: 'pi_fake7_secret_fake' });
    expect(await elements.fetchUpdates()).toEqual({ error: { message: "No such payment_intent: 'pi_fake7'" } });
  });

  it('follows the session: complete() succeeds the intent, expire() cancels it, renew() starts a new one; groups learn at their next read', async () => {
    const fake = createFakeStripe({ catalog });
    const elements = fake.elements({ clientSecret: shirt.client_secret });
    fake.complete();
    expect(fake.paymentIntent.status).toBe('requires_payment_method');
    expect((await fake.retrievePaymentIntent(shirt.client_secret)).paymentIntent).toMatchObject({ status: 'succeeded', payment_method: 'pm_fake_card' });
    await elements.fetchUpdates();
    expect(fake.paymentIntent.status).toBe('succeeded');

    fake.renew();
    expect(fake.paymentIntent).toMatchObject({ id: 'pi_fake2', client_secret: 'pi_fake2_secret_fake', status: 'requires_payment_method', amount: 2000 });
    fake.expire();
    expect(fake.paymentIntent).toMatchObject({ id: 'pi_fake2', status: 'canceled', cancellation_reason: 'automatic', canceled_at: expect.any(Number) });
    expect((await fake.retrievePaymentIntent(shirt.client_secret)).paymentIntent?.status).toBe('succeeded');
  });

  it('is on instances from fake.Stripe(pk) too, sharing the intents', async () => {
    const fake = createFakeStripe({ catalog });
    const stripe = fake.Stripe('pk_test_123');
    fake.accept({ gift_wrap: true });
    expect((await stripe.retrievePaymentIntent(shirt.client_secret)).paymentIntent?.amount).toBe(2500);
    expect(stripe.elements({ clientSecret: shirt.client_secret }).create('payment')).toBeDefined();
    expect(fake.paymentIntent.amount).toBe(2500);
    expect(fake.calls).toMatchObject({ elements: 1, retrievePaymentIntent: 1, createPaymentElement: 1 });
  });

  it('refuses wrong latencies for the new methods', () => {
    expect(() => createFakeStripe({ latencyMs: { fetchUpdates: -5 } })).toThrow('Expected `latencyMs.fetchUpdates` to be a number of milliseconds >= 0, got `-5` (number)');
  });
});

describe('Payment Intents: confirmPayment', () => {
  const SECRET_PI = 'pi_fake1_secret_fake';
  const RETURN_URL = 'https://shop.example/done';

  /** A page with a mounted Payment Element of a group on the fake's first intent. */
  async function mounted(fake: ReturnType<typeof createFakeStripe>, stripe: FakeStripeInstance = fake) {
    const window = new Window({ url: 'https://shop.example/checkout' });
    window.document.body.innerHTML = '<form><div id="payment"></div></form>';
    vi.stubGlobal('document', window.document);
    const elements = stripe.elements({ clientSecret: SECRET_PI });
    elements.create('payment').mount('#payment');
    return { window, elements };
  }

  it('pays: the intent succeeds, the session completes, and the page is never navigated', async () => {
    const fake = createFakeStripe({ catalog });
    const { window, elements } = await mounted(fake);
    const checkout = await load(fake);
    const heard: string[] = [];
    checkout.sdk.on('change', (session) => heard.push(session.status.type));
    fake.accept({ gift_wrap: true });
    // Typed as Stripe.js's redirect: 'always' (it navigates instead of resolving); the fake resolves.
    const result = (await fake.confirmPayment({ elements, confirmParams: { return_url: RETURN_URL } })) as PaymentIntentResult;
    expect(result.error).toBeUndefined();
    expect(result.paymentIntent).toMatchObject({ id: 'pi_fake1', amount: 2500, status: 'succeeded', payment_method: 'pm_fake_card' });
    expect(fake.paymentIntent).toEqual(result.paymentIntent);
    expect(heard).toEqual(['complete']);
    expect(fake.session.status).toEqual({ type: 'complete', paymentStatus: 'paid' });
    expect(window.location.href).toBe('https://shop.example/checkout');
    expect(fake.confirmPaymentArgs).toEqual([{ elements, confirmParams: { return_url: RETURN_URL } }]);
    expect(fake.calls.confirmPayment).toBe(1);
    await window.happyDOM.close();
  });

  it('takes redirect: if_required without confirmParams, and refuses to pay an intent twice', async () => {
    const fake = createFakeStripe();
    const { window, elements } = await mounted(fake);
    expect((await fake.confirmPayment({ elements, redirect: 'if_required' })).paymentIntent?.status).toBe('succeeded');
    const again = await fake.confirmPayment({ elements, redirect: 'if_required' });
    expect(again.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'payment_intent_unexpected_state',
      message: 'You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.',
      payment_intent: { id: 'pi_fake1', status: 'succeeded' },
    });
    expect(fake.calls.confirmPayment).toBe(2);
    await window.happyDOM.close();
  });

  it('refuses a canceled intent, and the group learns its status', async () => {
    const fake = createFakeStripe();
    const { window, elements } = await mounted(fake);
    fake.expire();
    expect(fake.paymentIntent.status).toBe('requires_payment_method');
    const result = await fake.confirmPayment({ elements, redirect: 'if_required' });
    expect(result.error).toMatchObject({ code: 'payment_intent_unexpected_state', message: 'You cannot confirm this PaymentIntent because it has a status of canceled.' });
    expect(fake.paymentIntent.status).toBe('canceled');
    await window.happyDOM.close();
  });

  it('validates as Stripe.js does, rejecting with an IntegrationError and paying nothing', async () => {
    const fake = createFakeStripe();
    const window = new Window();
    window.document.body.innerHTML = '<div id="payment"></div>';
    vi.stubGlobal('document', window.document);
    const elements = fake.elements({ clientSecret: SECRET_PI });
    const refusal = (message: string) => expect.objectContaining({ name: 'IntegrationError', message });
    await expect(fake.confirmPayment({ confirmParams: { return_url: RETURN_URL } } as never)).rejects.toEqual(
      refusal('Invalid value for stripe.confirmPayment(): elements should be an Elements group made by stripe.elements(), got `undefined` (undefined).'),
    );
    await expect(fake.confirmPayment({ elements, confirmParams: { return_url: RETURN_URL } })).rejects.toEqual(
      refusal('Invalid value for stripe.confirmPayment(): elements should have a mounted Payment Element or Express Checkout Element.'),
    );
    const element = elements.create('payment');
    element.mount('#payment');
    await expect(fake.confirmPayment({ elements } as never)).rejects.toEqual(
      refusal("stripe.confirmPayment(): the `confirmParams.return_url` argument is required unless passing `redirect: 'if_required'`"),
    );
    await expect(fake.confirmPayment({ elements, redirect: 'always', confirmParams: {} } as never)).rejects.toEqual(
      refusal("stripe.confirmPayment(): the `confirmParams.return_url` argument is required unless passing `redirect: 'if_required'`"),
    );
    await expect(fake.confirmPayment({ elements, redirect: 'never' } as never)).rejects.toEqual(
      refusal("Invalid value for stripe.confirmPayment(): redirect should be 'always' or 'if_required', got `\"never\"` (string)."),
    );
    await expect(fake.confirmPayment({ elements, clientSecret: SECRET_PI, redirect: 'if_required' })).rejects.toThrow(
      'confirmPayment({clientSecret}) is not implemented by createFakeStripe',
    );
    element.unmount();
    await expect(fake.confirmPayment({ elements, redirect: 'if_required' })).rejects.toEqual(
      refusal('Invalid value for stripe.confirmPayment(): elements should have a mounted Payment Element or Express Checkout Element.'),
    );
    expect(fake.calls.confirmPayment).toBe(7);
    expect(fake.confirmPaymentArgs).toHaveLength(7);
    expect((await fake.retrievePaymentIntent(SECRET_PI)).paymentIntent?.status).toBe('requires_payment_method');
    await window.happyDOM.close();
  });

  it('fails as a declined card or a rejection when told to, leaving the intent unpaid', async () => {
    const fake = createFakeStripe({ latencyMs: { confirmPayment: 50 } });
    const { window, elements } = await mounted(fake);
    fake.failNext('confirmPayment', 'error');
    fake.failNext('confirmPayment', 'reject');
    expect(await fake.confirmPayment({ elements, redirect: 'if_required' })).toEqual({
      error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' },
    });
    await expect(fake.confirmPayment({ elements, redirect: 'if_required' })).rejects.toThrow('confirmPayment failed: a failure injected by createFakeStripe.');
    expect((await fake.retrievePaymentIntent(SECRET_PI)).paymentIntent?.status).toBe('requires_payment_method');
    expect(fake.session.status).toEqual({ type: 'open' });
    expect((await fake.confirmPayment({ elements, redirect: 'if_required' })).paymentIntent?.status).toBe('succeeded');
    expect(fake.calls.confirmPayment).toBe(3);
    await window.happyDOM.close();
  });

  it('works with an instance from fake.Stripe(pk) and a group from another instance of the same fake', async () => {
    const fake = createFakeStripe();
    const { window, elements } = await mounted(fake, fake.Stripe('pk_test_123'));
    expect((await fake.Stripe('pk_test_456').confirmPayment({ elements, redirect: 'if_required' })).paymentIntent?.status).toBe('succeeded');
    expect(fake.calls).toMatchObject({ elements: 1, confirmPayment: 1 });
    await window.happyDOM.close();
  });
});

describe('Payment Intents on a remote server (remotePaymentIntent, remoteConfirmPayment)', () => {
  const SECRET_PI = 'pi_3Remote_secret_abc';

  /** A server holding one PaymentIntent, as the example server's emulator does. */
  function intentServer() {
    const state = {
      reads: [] as string[],
      confirms: [] as string[],
      refuse: undefined as string | undefined,
      intent: { id: 'pi_3Remote', object: 'payment_intent' as const, amount: 2000, currency: 'usd', status: 'requires_payment_method' as PaymentIntentStatus, client_secret: SECRET_PI },
    };
    const remotePaymentIntent = async (secret: string) => {
      state.reads.push(secret);
      return secret === SECRET_PI ? structuredClone(state.intent) : null;
    };
    const remoteConfirmPayment = async (secret: string) => {
      state.confirms.push(secret);
      if (state.refuse) throw new Error(state.refuse);
      state.intent.status = 'succeeded';
      return structuredClone(state.intent);
    };
    return { state, remotePaymentIntent, remoteConfirmPayment };
  }

  async function mountedOn(fake: ReturnType<typeof createFakeStripe>) {
    const window = new Window();
    window.document.body.innerHTML = '<div id="payment"></div>';
    vi.stubGlobal('document', window.document);
    const elements = fake.elements({ clientSecret: SECRET_PI });
    elements.create('payment').mount('#payment');
    await new Promise((resolve) => setTimeout(resolve));
    return { window, elements };
  }

  it('reads the intent from the server when a group is created, at each fetchUpdates and each retrievePaymentIntent', async () => {
    const { state, remotePaymentIntent } = intentServer();
    const fake = createFakeStripe({ remotePaymentIntent, catalog });
    expect(() => fake.paymentIntent).toThrow('with `remotePaymentIntent`, fake.paymentIntent is known once an Elements group has read one');
    const elements = fake.elements({ clientSecret: SECRET_PI });
    await new Promise((resolve) => setTimeout(resolve));
    expect(fake.paymentIntent).toMatchObject({ id: 'pi_3Remote', amount: 2000, capture_method: 'automatic', payment_method_types: ['card'] });
    state.intent.amount = 2500;
    expect((await fake.retrievePaymentIntent(SECRET_PI)).paymentIntent?.amount).toBe(2500);
    expect(fake.paymentIntent.amount).toBe(2000);
    expect(await elements.fetchUpdates()).toEqual({});
    expect(fake.paymentIntent.amount).toBe(2500);
    expect(state.reads).toEqual([SECRET_PI, SECRET_PI, SECRET_PI]);
    fake.accept({ gift_wrap: true }); // the local catalog plays no part
    expect(fake.paymentIntent.amount).toBe(2500);
  });

  it('answers null as resource_missing and a failed read as an error value', async () => {
    const { remotePaymentIntent } = intentServer();
    let down = false;
    const fake = createFakeStripe({ remotePaymentIntent: (secret) => (down ? Promise.reject(new Error('emulator down')) : remotePaymentIntent(secret)) });
    expect(await fake.retrievePaymentIntent('pi_3Other_secret_x')).toEqual({
      error: { type: 'invalid_request_error', code: 'resource_missing', param: 'intent', message: "No such payment_intent: 'pi_3Other'" },
    });
    down = true;
    expect(await fake.retrievePaymentIntent(SECRET_PI)).toEqual({ error: { type: 'api_connection_error', message: 'The PaymentIntent could not be read: emulator down' } });
    const elements = fake.elements({ clientSecret: SECRET_PI });
    expect(await elements.fetchUpdates()).toEqual({ error: { message: 'The PaymentIntent could not be read: emulator down' } });
    expect(() => fake.paymentIntent).toThrow('fake.paymentIntent is known once');
  });

  it('takes the newest read when fetchUpdates calls overlap and answer out of order', async () => {
    const gates: Array<() => void> = [];
    let amount = 2000;
    const remotePaymentIntent = async () => {
      const answer = { id: 'pi_3Remote', amount: (amount += 500), currency: 'usd', status: 'requires_payment_method' as const, client_secret: SECRET_PI };
      await new Promise<void>((resolve) => gates.push(resolve));
      return answer;
    };
    const fake = createFakeStripe({ remotePaymentIntent });
    const elements = fake.elements({ clientSecret: SECRET_PI }); // read 1: 2500
    const older = elements.fetchUpdates(); // read 2: 3000
    const newer = elements.fetchUpdates(); // read 3: 3500
    await new Promise((resolve) => setTimeout(resolve));
    gates[2]!();
    await newer;
    gates[1]!();
    gates[0]!();
    await older;
    await new Promise((resolve) => setTimeout(resolve));
    expect(fake.paymentIntent.amount).toBe(3500);
    expect(fake.calls).toMatchObject({ fetchUpdates: 2, fetchUpdatesOverlapping: 1, maxFetchUpdatesInFlight: 2 });
  });

  it('confirms on the server, once, after a successful confirmPayment, and resolves with what the server holds', async () => {
    const { state, remotePaymentIntent, remoteConfirmPayment } = intentServer();
    const fake = createFakeStripe({ remotePaymentIntent, remoteConfirmPayment });
    const { window, elements } = await mountedOn(fake);
    fake.failNext('confirmPayment', 'error');
    expect((await fake.confirmPayment({ elements, redirect: 'if_required' })).error?.code).toBe('card_declined');
    await expect(fake.confirmPayment({ elements } as never)).rejects.toMatchObject({ name: 'IntegrationError' });
    expect(state.confirms).toEqual([]);
    const paid = (await fake.confirmPayment({ elements, confirmParams: { return_url: 'https://shop.example/done' } })) as PaymentIntentResult;
    expect(paid.paymentIntent).toMatchObject({ id: 'pi_3Remote', status: 'succeeded' });
    expect(state.confirms).toEqual([SECRET_PI]);
    expect(fake.paymentIntent.status).toBe('succeeded');
    expect(fake.session.status).toEqual({ type: 'open' }); // a remote intent is not the fake's local session
    await window.happyDOM.close();
  });

  it('gives an error value and re-reads the intent when the server refuses to confirm it', async () => {
    const { state, remotePaymentIntent, remoteConfirmPayment } = intentServer();
    const fake = createFakeStripe({ remotePaymentIntent, remoteConfirmPayment });
    const { window, elements } = await mountedOn(fake);
    state.refuse = 'HTTP 409: This PaymentIntent cannot be confirmed.';
    state.intent.status = 'canceled'; // canceled on the server meanwhile
    const readsBefore = state.reads.length;
    expect(await fake.confirmPayment({ elements, redirect: 'if_required' })).toEqual({
      error: { type: 'invalid_request_error', message: 'The payment could not be completed: HTTP 409: This PaymentIntent cannot be confirmed.' },
    });
    expect(state.reads.length - readsBefore).toBe(1);
    expect(fake.paymentIntent.status).toBe('canceled');
    expect(state.confirms).toEqual([SECRET_PI]);
    await window.happyDOM.close();
  });

  it('without remoteConfirmPayment, a confirmed intent succeeds in the fake\'s copy until the next read', async () => {
    const { remotePaymentIntent } = intentServer();
    const fake = createFakeStripe({ remotePaymentIntent });
    const { window, elements } = await mountedOn(fake);
    expect((await fake.confirmPayment({ elements, redirect: 'if_required' })).paymentIntent?.status).toBe('succeeded');
    expect(fake.paymentIntent.status).toBe('succeeded');
    await elements.fetchUpdates();
    expect(fake.paymentIntent.status).toBe('requires_payment_method');
    await window.happyDOM.close();
  });

  it('refuses remote options that are not functions, and remoteConfirmPayment without remotePaymentIntent', () => {
    expect(() => createFakeStripe({ remotePaymentIntent: 'https://emulator.test' as never })).toThrow(
      new TypeError('Expected `remotePaymentIntent` to be a function, got `"https://emulator.test"` (string)'),
    );
    expect(() => createFakeStripe({ remoteConfirmPayment: async () => ({}) as never })).toThrow(
      new TypeError('Expected `remotePaymentIntent` with `remoteConfirmPayment`: the confirmed intent is read from the same server'),
    );
  });
});

describe('the example stand-in (examples/stand-in/stripe.ts) on the emulator\'s PaymentIntent routes', () => {
  const SECRET_PI = 'pi_3Emulated_secret_abc';
  const intent = { id: 'pi_3Emulated', object: 'payment_intent', amount: 2000, currency: 'usd', status: 'requires_payment_method', client_secret: SECRET_PI };

  /** The stand-in loaded as a page loads it, with `fetch` answering as the emulator's routes would. */
  async function standIn(answer: (method: string, url: string) => Response) {
    const { buildStandIn } = await import('../examples/stand-in/build.js');
    const window = new Window({ url: 'http://shop.test/', settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true } });
    window.document.body.innerHTML = '<div id="payment"></div>';
    const requests: string[] = [];
    const fetch = async (input: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      requests.push(`${method} ${input}`);
      return answer(method, input);
    };
    Object.assign(window, { fetch });
    window.eval(await buildStandIn());
    const stripe = (window as unknown as { Stripe: (pk: string) => FakeStripeInstance }).Stripe('pk_test_offline_emulator');
    return { window, stripe, requests };
  }

  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

  it('reads the intent from GET /__emulator/payment_intent and confirms it with POST /__emulator/payment_intent/confirm', async () => {
    let held = { ...intent };
    const { window, stripe, requests } = await standIn((method) => {
      if (method === 'POST') held = { ...held, status: 'succeeded' };
      return json(200, held);
    });
    expect((await stripe.retrievePaymentIntent(SECRET_PI)).paymentIntent).toMatchObject({ id: 'pi_3Emulated', amount: 2000, status: 'requires_payment_method' });
    const elements = stripe.elements({ clientSecret: SECRET_PI });
    elements.create('payment').mount(window.document.querySelector('#payment') as unknown as HTMLElement);
    expect(await elements.fetchUpdates()).toEqual({});
    const paid = await stripe.confirmPayment({ elements, redirect: 'if_required' });
    expect(paid.paymentIntent).toMatchObject({ id: 'pi_3Emulated', status: 'succeeded' });
    const read = `GET /__emulator/payment_intent?client_secret=${SECRET_PI}`;
    expect(requests).toEqual([read, read, read, `POST /__emulator/payment_intent/confirm?client_secret=${SECRET_PI}`]);
    await window.happyDOM.close();
  });

  it('answers the emulator\'s 404 as resource_missing, a 404 with no emulator behind it as a failed read, and a refused confirm with the emulator\'s error', async () => {
    let route: 'missing' | 'absent' | 'refused' = 'missing';
    const { window, stripe } = await standIn((method) => {
      if (route === 'missing') return json(404, { error: 'No such PaymentIntent.' });
      if (route === 'absent') return new Response('<pre>Cannot GET /__emulator/payment_intent</pre>', { status: 404, headers: { 'Content-Type': 'text/html' } });
      return method === 'POST' ? json(409, { error: 'This PaymentIntent cannot be confirmed.' }) : json(200, intent);
    });
    expect((await stripe.retrievePaymentIntent(SECRET_PI)).error).toMatchObject({ code: 'resource_missing', message: "No such payment_intent: 'pi_3Emulated'" });
    route = 'absent';
    expect((await stripe.retrievePaymentIntent(SECRET_PI)).error).toEqual({
      type: 'api_connection_error',
      message: 'The PaymentIntent could not be read: the emulator did not give the PaymentIntent (HTTP 404); is the example server in emulator mode?',
    });
    route = 'refused';
    const elements = stripe.elements({ clientSecret: SECRET_PI });
    elements.create('payment').mount(window.document.querySelector('#payment') as unknown as HTMLElement);
    expect((await stripe.confirmPayment({ elements, redirect: 'if_required' })).error).toEqual({
      type: 'invalid_request_error',
      message: 'The payment could not be completed: This PaymentIntent cannot be confirmed.',
    });
    await window.happyDOM.close();
  });
});
