// @vitest-environment happy-dom
// Toast: your server updates the payment intent (amount, and the tip whenever the amount
// changes), then the adapter calls Toast.fetchUpdates() once, which re-renders the iframe
// (seed 002). Each test reads the fake's log, in which the API's updates and the SDK's calls
// stand in the order they ran.
import { HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toast, type ToastAdapter } from '../src/adapters/toast.js';
import { createCheckout } from '../src/checkout.js';
import { createFakeToast, type FakeToast } from '../src/testing/index.js';
import type { QueueOptions, ToastIntent, ToastSdk } from '../src/index.js';
import { ENDPOINT, trackUnhandledRejections, useMerchantServer } from './helpers/merchant.js';
import { recordSummaries } from './helpers/summary-events.js';

const server = useMerchantServer();
const unhandled = trackUnhandledRejections();
afterEach(async () => {
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(unhandled.splice(0)).toEqual([]);
  document.body.replaceChildren();
});

const DAY_MS = 24 * 60 * 60 * 1000;
const START = new Date('2026-12-01T12:00:00Z');

/** The café's order in cents: $20.00 of food, a cookie ($3.50), iced tea ($2.75), a tip in percent of the food. */
function price(selection: Record<string, unknown>): { amount: number; tip: number } {
  const food = 2000 + (selection['cookie'] ? 350 : 0) + (selection['drink'] ? 275 : 0);
  const tip = Math.round((food * Number(selection['tip'] ?? 0)) / 100);
  return { amount: food + tip, tip };
}

/** The merchant's endpoint as seed 002 has it: the intent updated (amount and tip), Toast's 404 and 409 passed on. */
function updating(fake: FakeToast) {
  server.behaviour.reply = (_n, request) => {
    const body = request.body as unknown as { payment_intent_id: string; selection: Record<string, unknown> };
    const { amount, tip } = price(body.selection);
    const answer = fake.updateIntent(body.payment_intent_id, { amount, amountDetails: { tip } });
    if (answer.status === 404) return HttpResponse.json({ error: 'This order has expired. Please start again.' }, { status: 404 });
    if (answer.status === 409) return HttpResponse.json({ error: 'This order is being paid and can no longer change.' }, { status: 409 });
    return HttpResponse.json({ amount, currency: 'USD' });
  };
}

interface Setup {
  options?: Partial<QueueOptions>;
  renew?: boolean;
  pay?: boolean;
  known?: boolean;
  /** Left out of the intent the page is given. */
  without?: 'merchantId' | 'oauthToken';
  /** The id the merchant's page gave the iframe's element. */
  targetId?: string | undefined;
  /** The page's `window.Toast`, made from the stand-in's. */
  sdk?: (toast: FakeToast['Toast']) => ToastSdk;
}

async function setup({ options = {}, renew = false, pay = false, known = true, without, targetId, sdk = (fake) => fake }: Setup = {}) {
  const fake = createFakeToast({ now: START });
  const intentOf = () => {
    const created = fake.createIntent({ amount: 2000, currency: 'USD', captureMethod: 'MANUAL' });
    const intent: ToastIntent = { paymentIntentId: created.id, sessionSecret: created.sessionSecret, merchantId: 'merchant_1', oauthToken: 'token_1' };
    if (without) delete intent[without];
    return known ? { ...intent, amount: created.amount, currency: created.currency } : intent;
  };
  const adapter = toast({ toast: sdk(fake.Toast), paymentIntentId: Promise.resolve(intentOf()), pay, locale: 'en-US', ...(renew && { onSessionExpired: intentOf }) });
  const checkout = createCheckout({ adapter, endpoint: ENDPOINT, initial: { tip: '0', cookie: false, drink: false }, ...options });
  updating(fake);
  const events = recordSummaries(checkout);
  await checkout.ready;
  const target = document.createElement('div');
  if (targetId) target.id = targetId;
  document.body.append(target);
  const element = checkout.adapter.mountPaymentElement!(target);
  await until(() => fake.log.some((line) => line.startsWith('initialize')));
  return { fake, adapter: adapter as ToastAdapter, checkout, events, target, element };
}

/** The amount the stand-in's iframe shows now. */
function shown(target: Element): string | null | undefined {
  const frame = target.querySelector('iframe');
  return frame?.contentDocument?.querySelector('[data-toast-amount]')?.textContent;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
  expect(condition()).toBe(true);
}

describe('toast(): one update', () => {
  it('updates the intent through your server, then calls fetchUpdates() once: the iframe shows the new amount', async () => {
    const { fake, checkout, events, target } = await setup();
    events.length = 0;
    const result = await checkout.set({ cookie: true, tip: '15' });
    expect(result.type).toBe('success');
    // $23.50 of food, a 15 % tip of $3.53.
    expect(fake.log).toEqual(['create 2000 USD', 'initialize 2000 tip 0', 'update 2703 tip 353', 'fetchUpdates 2703 tip 353']);
    expect(fake.fetchUpdatesCalls).toBe(1);
    expect(server.requests.map((r) => r.body)).toEqual([{ payment_intent_id: checkout.session?.paymentIntentId, selection: { tip: '15', cookie: true, drink: false }, changes: { tip: '15', cookie: true } }]);
    expect(checkout.summary).toEqual({ currency: 'usd', total: { amount: '$27.03', minorUnitsAmount: 2703 }, lineItems: [], status: 'open' });
    expect(events).toEqual(['loading:true:update', 'change:$27.03', 'update:{"tip":"15","cookie":true}', 'loading:false:update']);
    expect(shown(target)).toBe('Amount: $27.03');
  });

  it('merges a burst made in one task into one intent update and one fetchUpdates()', async () => {
    const { fake, checkout } = await setup();
    await Promise.all([checkout.toggle('cookie'), checkout.toggle('drink'), checkout.set('tip', '20'), checkout.toggle('cookie')]);
    expect(server.requests).toHaveLength(1);
    expect(fake.log.slice(2)).toEqual(['update 2730 tip 455', 'fetchUpdates 2730 tip 455']);
  });

  it('never runs two updates at once: each intent update is followed by its own fetchUpdates()', async () => {
    const { fake, checkout } = await setup();
    server.behaviour.latencyMs = 30;
    updating(fake);
    const first = checkout.toggle('cookie');
    await new Promise((resolve) => setTimeout(resolve, 10));
    void checkout.toggle('drink');
    await checkout.set('tip', '18');
    await first;
    expect([server.requests.length, server.maxInFlight]).toEqual([2, 1]);
    expect(fake.log.slice(2)).toEqual(['update 2350 tip 0', 'fetchUpdates 2350 tip 0', 'update 3098 tip 473', 'fetchUpdates 3098 tip 473']);
  });

  it('refresh() brings the iframe up to date, with no request to your server', async () => {
    const { fake, checkout } = await setup();
    expect((await checkout.refresh()).type).toBe('success');
    expect([server.requests.length, fake.log.slice(2)]).toEqual([0, ['fetchUpdates 2000 tip 0']]);
  });
});

describe('toast(): what your server answers', () => {
  const EXPECTED = 'The server\'s reply must be JSON {"amount": 2000, "currency": "USD"}, the amount a positive whole number of minor units.';

  it.each([
    ['no amount', { currency: 'USD' }],
    ['an amount in major units', { amount: '20.00', currency: 'USD' }],
    ['a fractional amount', { amount: 2000.5, currency: 'USD' }],
    ['a zero amount', { amount: 0, currency: 'USD' }],
    ['no currency', { amount: 2000 }],
  ])('%s: an http error saying what it must answer; fetchUpdates() is not called; the change goes back', async (_name, reply) => {
    const { fake, checkout, events } = await setup();
    events.length = 0;
    server.behaviour.reply = () => HttpResponse.json(reply);
    const result = await checkout.toggle('cookie');
    expect(result.type === 'error' && [result.error.code, result.error.message]).toEqual(['http', EXPECTED]);
    expect([fake.fetchUpdatesCalls, checkout.selection['cookie'], checkout.summary?.total.amount]).toEqual([0, false, '$20.00']);
    expect(events).toEqual(['loading:true:update', 'error:http:{"cookie":false}', 'loading:false:update']);
    // The intent may hold an amount the page never showed: paying waits for the next good
    // reply. A refresh brings the iframe up to what Toast holds, but not the page.
    const blocked = await checkout.confirm();
    expect(blocked.type === 'error' && blocked.error.code).toBe('confirm_blocked');
    await checkout.refresh();
    expect((await checkout.confirm()).type).toBe('error');
    updating(fake);
    await checkout.toggle('drink');
    expect((await checkout.confirm()).type).toBe('success');
  });

  it("your server's refusal (a 400) changed nothing: no fetchUpdates(), and the page may still pay", async () => {
    const { fake, checkout } = await setup();
    server.behaviour.reply = () => HttpResponse.json({ error: 'The kitchen is out of cookies.' }, { status: 400 });
    const result = await checkout.toggle('cookie');
    expect(result.type === 'error' && [result.error.code, result.error.message]).toEqual(['http', 'The kitchen is out of cookies.']);
    expect([fake.fetchUpdatesCalls, (await checkout.confirm()).type]).toEqual([0, 'success']);
  });

  it('a 3xx is no refusal: your server may have changed the intent, so paying waits for its next good reply', async () => {
    const { fake, checkout } = await setup();
    server.behaviour.reply = () => new HttpResponse(null, { status: 300 });
    const result = await checkout.toggle('cookie');
    expect(result.type === 'error' && [result.error.code, result.error.status]).toEqual(['http', 300]);
    const blocked = await checkout.confirm();
    expect([fake.fetchUpdatesCalls, blocked.type === 'error' && blocked.error.code]).toEqual([0, 'confirm_blocked']);
  });

  const COOKIE = { name: 'Cookie', quantity: 1, total: { amount: '$3.50', minorUnitsAmount: 350 } };
  it.each([
    ['in the summary\'s shape are shown beside the amount', [COOKIE], [COOKIE]],
    ['with one item that has no total are all left out', [COOKIE, { name: 'Napkins', quantity: 2 }], []],
    ['with a quantity in words are left out', [{ ...COOKIE, quantity: 'one' }], []],
  ])('line items %s; the amount is taken either way', async (_name, lineItems, shown) => {
    const { checkout } = await setup();
    server.behaviour.reply = () => HttpResponse.json({ amount: 2350, currency: 'USD', lineItems });
    expect((await checkout.toggle('cookie')).type).toBe('success');
    expect(checkout.summary).toEqual({ currency: 'usd', total: { amount: '$23.50', minorUnitsAmount: 2350 }, lineItems: shown, status: 'open' });
  });
});

describe('toast(): an intent that can take no more changes', () => {
  it('over 24 hours old: Toast answers 404, your server passes it on: session_expired, no fetchUpdates(), the expiry message', async () => {
    const { fake, checkout, events } = await setup();
    events.length = 0;
    fake.now = new Date(START.getTime() + DAY_MS + 1);
    const result = await checkout.toggle('cookie');
    expect(result.type === 'error' && [result.error.code, result.error.message]).toEqual(['session_expired', 'This checkout session has expired: reload the page to start again.']);
    expect([checkout.state, fake.fetchUpdatesCalls, fake.log.slice(2)]).toEqual(['expired', 0, ['update 2350 tip 0: 404']]);
    expect(events).toEqual(['loading:true:update', 'change:$20.00:expired', 'expired:$20.00:expired', 'error:session_expired:{"cookie":false}', 'loading:false:update']);
    // Behind it, for the merchant's code: your server's 404 and its words.
    expect(result.type === 'error' && result.error.cause).toMatchObject({ code: 'session_expired', status: 404, message: 'This order has expired. Please start again.', cause: { code: 'http', status: 404 } });
    const later = await checkout.toggle('drink');
    expect(later.type === 'error' && later.error.code).toBe('session_expired');
    expect(server.requests).toHaveLength(1);
  });

  it('just under 24 hours old it still takes the change', async () => {
    const { fake, checkout } = await setup();
    fake.now = new Date(START.getTime() + DAY_MS - 1);
    expect((await checkout.toggle('cookie')).type).toBe('success');
  });

  it.each(['PROCESSING', 'REQUIRES_CAPTURE'] as const)('%s: Toast refuses, your server answers 409: session_expired, the checkout complete', async (status) => {
    const { fake, checkout } = await setup();
    fake.setStatus(checkout.session!.paymentIntentId, status);
    const result = await checkout.toggle('cookie');
    expect(result.type === 'error' && [result.error.code, result.error.message]).toEqual(['session_expired', 'This checkout is already complete.']);
    expect([checkout.state, fake.fetchUpdatesCalls]).toEqual(['complete', 0]);
    expect(result.type === 'error' && result.error.cause).toMatchObject({ code: 'session_expired', status: 409, message: 'This order is being paid and can no longer change.', cause: { code: 'http', status: 409 } });
  });

  it('with onSessionExpired, a new intent replaces the expired one and the whole selection goes to it as one update', async () => {
    const { fake, checkout, events, target } = await setup({ renew: true });
    await checkout.set('tip', '15');
    const first = checkout.session!.paymentIntentId;
    events.length = 0;
    fake.now = new Date(START.getTime() + DAY_MS + 1);
    // New intents are dated now: the renewed one is fresh.
    const result = await checkout.toggle('cookie');
    expect(result.type).toBe('success');
    const second = checkout.session!.paymentIntentId;
    expect(second).not.toBe(first);
    expect(server.requests.map((r) => (r.body as unknown as { payment_intent_id: string }).payment_intent_id)).toEqual([first, first, second]);
    expect(server.requests[2]?.body.changes).toEqual({ tip: '15', cookie: true });
    expect(fake.intent(second)).toMatchObject({ amount: 2703, amountDetails: { tip: 353 } });
    expect(events).toEqual(['loading:true:update', 'change:$23.00:expired', 'expired:$23.00:expired', 'ready:$20.00', 'change:$20.00', 'change:$27.03', 'update:{"tip":"15","cookie":true}', 'loading:false:update']);
    // The page layer mounts the iframe again on `ready`; here, as the page would.
    checkout.adapter.mountPaymentElement!(target);
    await until(() => fake.log.filter((line) => line.startsWith('initialize')).length === 2);
  });
});

describe('toast(): when fetchUpdates fails', () => {
  it('keeps the change (the intent has it), reports server_update_failed, and refuses to pay until the iframe is up to date', async () => {
    const { fake, checkout, events } = await setup();
    events.length = 0;
    fake.failNext('fetchUpdates', 'The hosted checkout could not be reached.');
    const result = await checkout.toggle('cookie');
    expect(result.type === 'error' && [result.error.code, result.error.message]).toEqual(['server_update_failed', 'The hosted checkout could not be reached.']);
    expect([checkout.selection, checkout.confirmed, checkout.summary?.total.amount]).toEqual([{ tip: '0', cookie: true, drink: false }, { tip: '0', cookie: true, drink: false }, '$23.50']);
    expect(events).toEqual(['loading:true:update', 'change:$23.50', 'error:server_update_failed:{}', 'loading:false:update']);
    const blocked = await checkout.confirm();
    expect(blocked.type === 'error' && [blocked.error.code, blocked.error.message]).toEqual(['confirm_blocked', 'The payment form could not be brought up to date: choose again, then pay.']);
    expect((await checkout.refresh()).type).toBe('success');
    expect((await checkout.confirm()).type).toBe('success');
  });
});

describe('toast(): paying', () => {
  it('confirm() alone is the go-ahead: it waits for the update in flight and pays nothing', async () => {
    const { fake, checkout } = await setup();
    server.behaviour.latencyMs = 20;
    updating(fake);
    void checkout.toggle('drink');
    const result = await checkout.confirm();
    expect(result).toEqual({ type: 'success', session: expect.objectContaining({ amount: 2275, status: 'open' }) });
    expect(fake.log.slice(2)).toEqual(['update 2275 tip 0', 'fetchUpdates 2275 tip 0']);
  });

  it('with pay: true, confirm() pays through createPaymentMethod and confirmPayment at the amount the iframe shows', async () => {
    const { fake, checkout, events } = await setup({ pay: true });
    await checkout.set('tip', '20');
    events.length = 0;
    const result = await checkout.confirm();
    expect(result).toEqual({ type: 'success', session: expect.objectContaining({ amount: 2400, status: 'complete' }) });
    expect(fake.log.slice(4)).toEqual(['createPaymentMethod', 'confirmPayment 2400 USD: REQUIRES_CAPTURE']);
    expect([checkout.state, events]).toEqual(['complete', ['change:$24.00:complete']]);
  });

  it("with pay: true, a declined card is the error confirm() resolves, with Toast's words; the checkout stays open", async () => {
    const { fake, checkout } = await setup({ pay: true });
    fake.failNext('confirmPayment', 'The card was declined.');
    const result = await checkout.confirm();
    expect(result).toEqual({ type: 'error', error: expect.objectContaining({ code: 'server_update_failed', message: 'The card was declined.', cause: { message: 'The card was declined.' } }) });
    expect(checkout.state).toBe('ready');
  });

  it('with pay: true, a refusal Toast gives without words reads "Toast could not take the payment."; its event is the cause', async () => {
    const { checkout } = await setup({ pay: true, sdk: (fake) => ({ ...fake, confirmPayment: (_paid, refused) => refused({ type: 'PAYMENT_FAILED' }) }) });
    const result = await checkout.confirm();
    expect(result).toEqual({ type: 'error', error: expect.objectContaining({ code: 'server_update_failed', message: 'Toast could not take the payment.', cause: { type: 'PAYMENT_FAILED' } }) });
    expect(checkout.state).toBe('ready');
  });
});

describe('toast(): start', () => {
  it('knows no amount before the first update unless given it: summary null, ready resolves', async () => {
    const { checkout } = await setup({ known: false });
    expect(checkout.summary).toBeNull();
    await checkout.toggle('cookie');
    expect(checkout.summary?.total.amount).toBe('$23.50');
  });

  it('takes the id as a string, with the starting amount beside it', async () => {
    const fake = createFakeToast();
    const checkout = createCheckout({ adapter: toast({ toast: fake.Toast, paymentIntentId: 'intent_1', amount: 1500, currency: 'USD', locale: 'en-US' }), endpoint: ENDPOINT });
    await checkout.ready;
    expect([checkout.session?.paymentIntentId, checkout.summary?.total]).toEqual(['intent_1', { amount: '$15.00', minorUnitsAmount: 1500 }]);
  });

  it.each([
    ['an intent with an empty id', { paymentIntentId: '' }],
    ['no intent at all', undefined],
  ])('fails the start with init_failed when the promise gives %s', async (_name, intent) => {
    const fake = createFakeToast();
    const checkout = createCheckout({ adapter: toast({ toast: fake.Toast, paymentIntentId: Promise.resolve(intent as ToastIntent) }), endpoint: ENDPOINT });
    await expect(checkout.ready).rejects.toMatchObject({ code: 'init_failed', message: 'Toast could not start: no payment intent id' });
  });

  it.each([
    ['no options', undefined, "Expected `toast` to be Toast's SDK (window.Toast, from loader.js), got `undefined` (undefined)"],
    ['no SDK', { paymentIntentId: 'i' }, "Expected `toast` to be Toast's SDK (window.Toast, from loader.js), got `undefined` (undefined)"],
    ["what is not Toast's SDK", { toast: {}, paymentIntentId: 'i' }, "Expected `toast` to be Toast's SDK (window.Toast, from loader.js), got `{}` (object)"],
    ['an onSessionExpired that is not a function', { toast: { fetchUpdates() {} }, paymentIntentId: 'i', onSessionExpired: 'renew' }, 'Expected `onSessionExpired` to be a function, got `"renew"` (string)'],
  ])('refuses %s at once, with invalid_option', (_name, options, message) => {
    expect(() => toast(options as never)).toThrow(expect.objectContaining({ code: 'invalid_option', message }));
  });

  it.each([
    ['an amount without its currency', { amount: 1500 }],
    ['a currency without an amount', { currency: 'USD' }],
  ])('takes %s as no amount: summary null until the first update', async (_name, start) => {
    const fake = createFakeToast();
    const checkout = createCheckout({ adapter: toast({ toast: fake.Toast, paymentIntentId: 'intent_1', locale: 'en-US', ...start }), endpoint: ENDPOINT });
    const session = await checkout.ready;
    expect([session.amount, session.currency, checkout.summary]).toEqual([null, null, null]);
  });
});

describe("toast(): the iframe's element", () => {
  it.each([
    ['one without an id is named toast-checkout while the iframe is in it, and no longer after', undefined, 'toast-checkout', ''],
    ["one with the page's own id keeps it, during and after", 'pay-here', 'pay-here', 'pay-here'],
  ])('%s', async (_name, targetId, during, after) => {
    const { fake, target, element } = await setup({ targetId });
    expect([target.id, target.querySelectorAll('iframe').length, fake.log.at(-1)]).toEqual([during, 1, 'initialize 2000 tip 0']);
    element.destroy();
    expect([target.id, target.childElementCount]).toEqual([after, 0]);
  });

  it.each(['merchantId', 'oauthToken'] as const)('an intent without %s: Toast refuses to show the form, and the console says why', async (without) => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const { fake, target } = await setup({ without });
      const refusal = `Toast.initialize needs ${without} (non-empty strings).`;
      expect(logged.mock.calls).toEqual([['Toast could not show the payment form', { message: refusal }]]);
      expect([fake.log.slice(1), target.childElementCount]).toEqual([[`initialize: ${refusal}`], 0]);
    } finally {
      logged.mockRestore();
    }
  });
});
