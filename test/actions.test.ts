// Stripe's own total-changing actions (promotion codes, shipping options, quantities, optional
// items) through the checkout's one queue: in their place among the changes, never two Stripe
// calls at once, Stripe's refusals as `action_failed`.
import { describe, expect, it } from 'vitest';
import { stripePaymentIntents } from '../src/adapters/payment-intents.js';
import { createCheckout } from '../src/checkout.js';
import { asStripe, createFakeStripe, type FakeStripeOptions } from '../src/testing/index.js';
import type { CheckoutSessionsStripeOptions, QueueOptions } from '../src/types.js';
import { CATALOG, setup } from './helpers/checkout.js';
import { ENDPOINT, unhandledRejectionsOf, useMerchantServer } from './helpers/merchant.js';

const server = useMerchantServer();

/** A session with a T-shirt whose quantity may change, two codes, two shipping rates and an optional item. */
const STORE: FakeStripeOptions = {
  baseItems: [{ name: 'T-shirt', unitAmount: 2000, adjustableQuantity: { minimum: 1, maximum: 5 } }],
  promotionCodes: { SAVE10: { percentOff: 10 }, FIVEOFF: { amountOff: 500 }, EXPIRED: { percentOff: 50, active: false } },
  shippingOptions: [
    { id: 'shr_standard', displayName: 'Standard', amount: 0 },
    { id: 'shr_express', displayName: 'Express', amount: 1500 },
  ],
  optionalItems: [{ priceId: 'price_socks', name: 'Socks', unitAmount: 800 }],
};
const SHIRT = 'li_fake_base_1';

function store(options: Partial<QueueOptions & CheckoutSessionsStripeOptions> = {}, fakeOptions: FakeStripeOptions = {}) {
  const made = setup(options, { ...STORE, ...fakeOptions });
  server.accept = (selection) => made.fake.accept(selection);
  return made;
}

const total = (checkout: { summary: { total: { minorUnitsAmount: number } } | null }) => checkout.summary?.total.minorUnitsAmount;
const methods = (fake: ReturnType<typeof createFakeStripe>) => fake.mutations.map((m) => [m.method, ...m.args]);

describe("Stripe's own actions", () => {
  it('applies a promotion code: the exact events, an update event naming the action, the discount from Stripe', async () => {
    const { fake, checkout, events } = store();
    await checkout.ready;
    events.length = 0;
    const result = await checkout.applyPromotionCode('SAVE10');
    expect(result.type).toBe('success');
    expect(events).toEqual([
      'loading:true:update', 'change:$20.00:cannot-confirm', 'change:$18.00', 'update:{"type":"applyPromotionCode","code":"SAVE10"}', 'loading:false:update',
    ]);
    expect([total(checkout), checkout.summary?.discount?.minorUnitsAmount]).toEqual([1800, 200]);
    expect(methods(fake)).toEqual([['applyPromotionCode', 'SAVE10']]);
    expect(server.requests).toHaveLength(0);
    // Nothing the customer chose changed: an action is not a selection.
    expect([checkout.selection, checkout.confirmed]).toEqual([{}, {}]);
  });

  it('runs each of the six through the SDK with its own arguments, and the totals follow Stripe', async () => {
    const { fake, checkout } = store();
    await checkout.ready;
    const totals: Array<number | undefined> = [];
    for (const step of [
      () => checkout.applyPromotionCode('FIVEOFF'),
      () => checkout.updateShippingOption('shr_express'),
      () => checkout.updateLineItemQuantity(SHIRT, 3),
      () => checkout.addOptionalLineItem('price_socks'),
      () => checkout.removeOptionalLineItem('price_socks'),
      () => checkout.removePromotionCode(),
    ]) {
      expect((await step()).type).toBe('success');
      totals.push(total(checkout));
    }
    expect(methods(fake)).toEqual([
      ['applyPromotionCode', 'FIVEOFF'],
      ['updateShippingOption', 'shr_express'],
      ['updateLineItemQuantity', { lineItem: SHIRT, quantity: 3 }],
      ['addOptionalLineItem', 'price_socks'],
      ['removeOptionalLineItem', 'price_socks'],
      ['removePromotionCode'],
    ]);
    // $20 − $5; + $15 shipping; 3 shirts; + $8 socks; − socks; no code.
    expect(totals).toEqual([1500, 3000, 7000, 7800, 7000, 7500]);
  });

  it('keeps each action in its place: changes before it merge and go first, changes after it go after, one Stripe call at a time', async () => {
    const { fake, checkout } = store();
    server.behaviour.latencyMs = 20;
    await checkout.ready;
    const results = [
      checkout.set('gift_wrap', true),
      checkout.set('warranty', 1),
      checkout.applyPromotionCode('SAVE10'),
      checkout.set('tip', 3),
      checkout.toggle('gift_wrap'),
    ];
    await checkout.idle();
    expect(methods(fake)).toEqual([['runServerUpdate'], ['applyPromotionCode', 'SAVE10'], ['runServerUpdate']]);
    expect(server.requests.map((r) => r.body.changes)).toEqual([{ gift_wrap: true, warranty: 1 }, { tip: 3, gift_wrap: false }]);
    expect([fake.calls.maxMutationsInFlight, server.maxInFlight]).toEqual([1, 1]);
    expect((await Promise.all(results)).map((r) => r.type)).toEqual(Array(5).fill('success'));
    // $20 + $20 warranty + $3 tip, 10 % off.
    expect(total(checkout)).toBe(3870);
  });

  it('waits behind an update in flight, and the changes made after it wait for it', async () => {
    const { fake, checkout } = store({}, { latencyMs: { applyPromotionCode: 20 } });
    server.behaviour.latencyMs = 20;
    await checkout.ready;
    void checkout.set('gift_wrap', true);
    await new Promise((r) => setTimeout(r, 5)); // the update is in flight
    void checkout.updateShippingOption('shr_express');
    void checkout.set('warranty', 1);
    void checkout.set('tip', 2);
    await checkout.idle();
    expect(methods(fake)).toEqual([['runServerUpdate'], ['updateShippingOption', 'shr_express'], ['runServerUpdate']]);
    expect(server.requests.map((r) => r.body.changes)).toEqual([{ gift_wrap: true }, { warranty: 1, tip: 2 }]);
    expect(fake.calls.maxMutationsInFlight).toBe(1);
  });

  it('never merges two actions away: two codes in one task are two calls, in order', async () => {
    const { fake, checkout } = store();
    await checkout.ready;
    const [a, b] = await Promise.all([checkout.applyPromotionCode('SAVE10'), checkout.applyPromotionCode('FIVEOFF')]);
    expect([a.type, b.type]).toEqual(['success', 'success']);
    expect(methods(fake)).toEqual([['applyPromotionCode', 'SAVE10'], ['applyPromotionCode', 'FIVEOFF']]);
    expect(total(checkout)).toBe(1500);
  });

  it("sends only the last quantity of a burst for one item, others' apart; serial mode sends each", async () => {
    const { fake, checkout } = store({}, { optionalItems: [] });
    await checkout.ready;
    const results = await Promise.all([2, 3, 4].map((n) => checkout.updateLineItemQuantity(SHIRT, n)));
    expect(methods(fake)).toEqual([['updateLineItemQuantity', { lineItem: SHIRT, quantity: 4 }]]);
    expect(new Set(results).size).toBe(1);
    expect(total(checkout)).toBe(8000);

    const serial = store({ mode: 'serial' });
    await serial.checkout.ready;
    await Promise.all([2, 3].map((n) => serial.checkout.updateLineItemQuantity(SHIRT, n)));
    expect(methods(serial.fake)).toEqual([
      ['updateLineItemQuantity', { lineItem: SHIRT, quantity: 2 }],
      ['updateLineItemQuantity', { lineItem: SHIRT, quantity: 3 }],
    ]);
  });

  it("turns Stripe's refusal into action_failed with Stripe's words and error, reverts nothing, and goes on", async () => {
    const { fake, checkout, events } = store();
    await checkout.ready;
    await checkout.set('gift_wrap', true);
    events.length = 0;
    const errors: unknown[] = [];
    checkout.on('error', ({ error }) => errors.push(error));
    const [refused, next] = await Promise.all([checkout.applyPromotionCode('EXPIRED'), checkout.set('tip', 1)]);
    expect(refused.type === 'error' && [refused.error.code, refused.error.message, refused.error.cause]).toEqual([
      'action_failed',
      'This code is invalid.',
      { message: 'This code is invalid.', code: 'invalidCode' },
    ]);
    expect(errors).toEqual([refused.type === 'error' && refused.error]);
    expect(events.filter((e) => e.startsWith('error'))).toEqual(['error:action_failed:{}']);
    expect(next.type).toBe('success');
    expect(checkout.selection).toEqual({ gift_wrap: true, tip: 1 });
    expect(total(checkout)).toBe(2600);
  });

  it('turns a rejected action into action_failed with its message', async () => {
    const { fake, checkout } = store();
    await checkout.ready;
    fake.failNext('updateShippingOption', 'reject');
    const result = await checkout.updateShippingOption('shr_express');
    expect(result.type === 'error' && result.error.code).toBe('action_failed');
    expect(result.type === 'error' && result.error.message).toMatch(/injected/);
    expect(checkout.state).toBe('ready');
  });

  it('refuses bad arguments at once with invalid_option, queueing and sending nothing', async () => {
    const { fake, checkout, events } = store();
    await checkout.ready;
    events.length = 0;
    const calls = [
      checkout.applyPromotionCode(''),
      checkout.applyPromotionCode('   '),
      checkout.updateShippingOption(undefined as unknown as string),
      checkout.updateLineItemQuantity(SHIRT, 1.5),
      checkout.updateLineItemQuantity(SHIRT, -1),
      checkout.updateLineItemQuantity(SHIRT, '2' as unknown as number),
      checkout.updateLineItemQuantity('li_unknown', 2),
      checkout.addOptionalLineItem(''),
    ];
    expect(checkout.pending).toBe(false);
    const messages = (await Promise.all(calls)).map((r) => r.type === 'error' && `${r.error.code}: ${r.error.message}`);
    expect(messages).toEqual([
      'invalid_option: Expected `code` of applyPromotionCode() to be a non-empty string, got `""` (string)',
      'invalid_option: Expected `code` of applyPromotionCode() to be a non-empty string, got `"   "` (string)',
      'invalid_option: Expected `shippingOptionId` of updateShippingOption() to be a non-empty string, got `undefined` (undefined)',
      'invalid_option: Expected `quantity` of updateLineItemQuantity() to be a whole number of 0 or more, got `1.5` (number)',
      'invalid_option: Expected `quantity` of updateLineItemQuantity() to be a whole number of 0 or more, got `-1` (number)',
      'invalid_option: Expected `quantity` of updateLineItemQuantity() to be a whole number of 0 or more, got `"2"` (string)',
      'invalid_option: Expected `lineItemId` of updateLineItemQuantity() to be a line item of the session, got `"li_unknown"` (string)',
      'invalid_option: Expected `priceId` of addOptionalLineItem() to be a non-empty string, got `""` (string)',
    ]);
    expect([fake.mutations, events]).toEqual([[], []]);
  });

  it.each([
    [0, 'success $0.00'],
    [1, 'action_failed The quantity of T-shirt must be between 1 and 5'],
  ])("passes a quantity of 0 on to Stripe, which judges it by the item's bounds (minimum %i)", async (minimum, outcome) => {
    const { fake, checkout } = store({}, { baseItems: [{ name: 'T-shirt', unitAmount: 2000, adjustableQuantity: { minimum, maximum: 5 } }] });
    await checkout.ready;
    const result = await checkout.updateLineItemQuantity(SHIRT, 0);
    expect(result.type === 'error' ? `${result.error.code} ${result.error.message}` : `success ${checkout.summary?.total.amount}`).toBe(outcome);
    expect(methods(fake)).toEqual([['updateLineItemQuantity', { lineItem: SHIRT, quantity: 0 }]]);
  });

  it('confirm waits for an action, and a failed action it waited for blocks it', async () => {
    const { fake, checkout } = store({}, { latencyMs: { applyPromotionCode: 20 } });
    await checkout.ready;
    void checkout.applyPromotionCode('SAVE10');
    expect((await checkout.confirm()).type).toBe('success');
    expect([methods(fake), fake.calls.confirm]).toEqual([[['applyPromotionCode', 'SAVE10']], 1]);

    const second = store({}, { latencyMs: { applyPromotionCode: 20 } });
    await second.checkout.ready;
    void second.checkout.applyPromotionCode('NOPE');
    const blocked = await second.checkout.confirm();
    expect(blocked.type === 'error' && blocked.error.code).toBe('confirm_blocked');
    expect(second.fake.calls.confirm).toBe(0);
  });

  it('destroy() with an action in flight resolves it destroyed and emits nothing more', async () => {
    const { fake, checkout, events } = store({}, { latencyMs: { applyPromotionCode: 20 } });
    await checkout.ready;
    events.length = 0;
    const inFlight = checkout.applyPromotionCode('SAVE10');
    const waiting = checkout.updateShippingOption('shr_express');
    await new Promise((r) => setTimeout(r, 5));
    checkout.destroy();
    const results = await Promise.all([inFlight, waiting, checkout.removePromotionCode()]);
    expect(results.map((r) => r.type === 'error' && r.error.code)).toEqual(['destroyed', 'destroyed', 'destroyed']);
    await new Promise((r) => setTimeout(r, 30));
    // Both before destroy(): the action's start, and Stripe holding confirmation back.
    expect(events).toEqual(['loading:true:update', 'change:$20.00:cannot-confirm']);
    expect(methods(fake)).toEqual([['applyPromotionCode', 'SAVE10']]);
  });

  it.each([
    ['expires before the action is made', false],
    ['expires while the action waits', true],
  ])('with onSessionExpired, a session that %s is renewed, the selection re-applied there, then the action runs on it', async (_, waiting) => {
    const made = store({ onSessionExpired: () => (made.fake.renew('cs_test_fake_2'), 'cs_test_fake_2_secret') });
    const { fake, checkout } = made;
    await checkout.ready;
    await checkout.set('gift_wrap', true);
    if (!waiting) fake.expire();
    const applied = checkout.applyPromotionCode('SAVE10');
    if (waiting) fake.expire();
    expect((await applied).type).toBe('success');
    expect(server.requests.map((r) => [r.body.checkout_session_id, r.body.changes])).toEqual([
      ['cs_test_fake_1', { gift_wrap: true }],
      ['cs_test_fake_2', { gift_wrap: true }],
    ]);
    expect(methods(fake)).toEqual([['runServerUpdate'], ['runServerUpdate'], ['applyPromotionCode', 'SAVE10']]);
    // ($20 + $5 gift wrap) − 10 %
    expect([checkout.session?.id, total(checkout), checkout.confirmed]).toEqual(['cs_test_fake_2', 2250, { gift_wrap: true }]);
  });

  it('on Payment Intents, each resolves invalid_option saying so, and nothing is called', async () => {
    const fake = createFakeStripe({ catalog: CATALOG });
    const checkout = createCheckout({ adapter: stripePaymentIntents({ stripe: asStripe(fake), clientSecret: 'pi_fake1_secret_fake' }), endpoint: ENDPOINT });
    await checkout.ready;
    const results = await Promise.all([checkout.applyPromotionCode('SAVE10'), checkout.removeOptionalLineItem('price_socks')]);
    expect(results.map((r) => r.type === 'error' && `${r.error.code}: ${r.error.message}`)).toEqual([
      'invalid_option: applyPromotionCode() needs Stripe Checkout Sessions',
      'invalid_option: removeOptionalLineItem() needs Stripe Checkout Sessions',
    ]);
    expect([fake.calls.fetchUpdates, checkout.pending]).toEqual([0, false]);
  });

  it('leaves no unhandled rejection when nobody reads the results of actions that fail or that a destroy cut short', async () => {
    const { fake, checkout, events } = store({}, { latencyMs: { applyPromotionCode: 20 } });
    const leaked = await unhandledRejectionsOf(async () => {
      await checkout.ready;
      fake.failNext('updateShippingOption', 'reject');
      void checkout.updateShippingOption('shr_express');
      void checkout.applyPromotionCode('EXPIRED');
      await checkout.idle();
      void checkout.applyPromotionCode('SAVE10');
      void checkout.removePromotionCode();
      await new Promise((r) => setTimeout(r, 5));
      checkout.destroy();
    });
    expect(events.filter((e) => e.startsWith('error'))).toEqual(['error:action_failed:{}', 'error:action_failed:{}']);
    expect(leaked).toEqual([]);
  });
});
