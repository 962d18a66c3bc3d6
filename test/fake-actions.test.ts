// The fake's Stripe actions, called raw (without the library): the session fields Stripe.js
// fills for them, the refusals in Stripe's result shapes, and one queue with runServerUpdate.
import type { StripeCheckoutSession } from '@stripe/stripe-js';
import { describe, expect, it } from 'vitest';
import { createFakeStripe, type FakeStripeInstance, type FakeStripeOptions } from '../src/testing/index.js';

const BETA = 'custom_checkout_server_updates_1';
const OPTIONS: FakeStripeOptions = {
  betas: [BETA],
  catalog: { gift_wrap: { name: 'Gift wrap', unitAmount: 500 } },
  baseItems: [
    { name: 'T-shirt', unitAmount: 2000, adjustableQuantity: { minimum: 1, maximum: 3 } },
    { name: 'Mug', unitAmount: 1000 },
  ],
  promotionCodes: { SAVE10: { percentOff: 10 }, FIVEOFF: { amountOff: 500 }, OLD: { percentOff: 50, active: false } },
  shippingOptions: [
    { id: 'shr_standard', displayName: 'Standard', amount: 0 },
    { id: 'shr_express', displayName: 'Express', amount: 1500, deliveryEstimate: { minimum: { unit: 'business_day', value: 1 }, maximum: null } },
  ],
  optionalItems: [{ priceId: 'price_socks', name: 'Socks', unitAmount: 800 }],
};

async function load(stripe: FakeStripeInstance) {
  const result = await stripe.initCheckoutElementsSdk({ clientSecret: 'cs_test_fake_1_secret_abc' }).loadActions();
  if (result.type !== 'success') throw new Error(result.error.message);
  return result.actions;
}

const totals = (s: StripeCheckoutSession) => ({
  subtotal: s.total.subtotal.minorUnitsAmount,
  discount: s.total.discount.minorUnitsAmount,
  shipping: s.total.shippingRate.minorUnitsAmount,
  total: s.total.total.minorUnitsAmount,
});

describe("the fake's Stripe actions", () => {
  it('starts with the first shipping rate chosen, every rate listed, the optional items unselected and the bounds on the item', async () => {
    const actions = await load(createFakeStripe(OPTIONS));
    const session = actions.getSession();
    expect(totals(session)).toEqual({ subtotal: 3000, discount: 0, shipping: 0, total: 3000 });
    expect(session.shipping?.shippingOption.id).toBe('shr_standard');
    expect(session.shippingOptions.map((o) => [o.id, o.displayName, o.amount, o.deliveryEstimate?.minimum?.value ?? null])).toEqual([
      ['shr_standard', 'Standard', '$0.00', null],
      ['shr_express', 'Express', '$15.00', 1],
    ]);
    expect(session.optionalItems?.map((i) => [i.priceId, i.unitAmount.amount, i.isSelected])).toEqual([['price_socks', '$8.00', false]]);
    expect(session.lineItems.map((i) => i.adjustableQuantity)).toEqual([{ minimum: 1, maximum: 3 }, null]);
  });

  it('applies a percent and an amount code (one at a time), a rate, a quantity and an optional item, with exact totals', async () => {
    const actions = await load(createFakeStripe(OPTIONS));
    const steps = [
      await actions.applyPromotionCode('save10'),
      await actions.updateShippingOption('shr_express'),
      await actions.updateLineItemQuantity({ lineItem: 'li_fake_base_1', quantity: 3 }),
      await actions.addOptionalLineItem('price_socks'),
      await actions.applyPromotionCode('FIVEOFF'),
      await actions.removeOptionalLineItem('price_socks'),
      await actions.removePromotionCode(),
    ];
    expect(steps.map((r) => (r.type === 'success' ? totals(r.session) : r.error))).toEqual([
      { subtotal: 3000, discount: 300, shipping: 0, total: 2700 },
      { subtotal: 3000, discount: 300, shipping: 1500, total: 4200 },
      { subtotal: 7000, discount: 700, shipping: 1500, total: 7800 },
      { subtotal: 7800, discount: 780, shipping: 1500, total: 8520 },
      { subtotal: 7800, discount: 500, shipping: 1500, total: 8800 },
      { subtotal: 7000, discount: 500, shipping: 1500, total: 8000 },
      { subtotal: 7000, discount: 0, shipping: 1500, total: 8500 },
    ]);
    const applied = steps[4]!.type === 'success' ? steps[4]!.session.discountAmounts : null;
    expect(applied).toEqual([{ minorUnitsAmount: 500, amount: '$5.00', displayName: 'FIVEOFF', promotionCode: 'FIVEOFF', recurring: null, percentOff: null }]);
    expect(steps[3]!.type === 'success' && steps[3]!.session.lineItems.map((i) => `${i.id} x${i.quantity}`)).toEqual([
      'li_fake_base_1 x3', 'li_fake_base_2 x1', 'li_fake_price_socks x1',
    ]);
  });

  it("refuses in Stripe's shapes, changing nothing: a bad or inactive code, an unknown rate, item or price, a fixed item, a quantity out of bounds", async () => {
    const actions = await load(createFakeStripe(OPTIONS));
    const before = actions.getSession();
    const results = [
      await actions.applyPromotionCode('NOPE'),
      await actions.applyPromotionCode('OLD'),
      await actions.updateShippingOption('shr_none'),
      await actions.updateLineItemQuantity({ lineItem: 'li_nope', quantity: 2 }),
      await actions.updateLineItemQuantity({ lineItem: 'li_fake_base_2', quantity: 2 }),
      await actions.updateLineItemQuantity({ lineItem: 'li_fake_base_1', quantity: 4 }),
      await actions.addOptionalLineItem('price_nope'),
      await actions.removeOptionalLineItem('price_socks'),
    ];
    expect(results.map((r) => r.type === 'error' && r.error)).toEqual([
      { message: 'This code is invalid.', code: 'invalidCode' },
      { message: 'This code is invalid.', code: 'invalidCode' },
      { message: 'No such shipping option: shr_none', code: null },
      { message: 'No such line item: li_nope', code: null },
      { message: 'The quantity of Mug cannot be changed', code: null },
      { message: 'The quantity of T-shirt must be between 1 and 3', code: null },
      { message: 'No such optional item: price_nope', code: null },
      { message: 'The optional item price_socks is not on this session', code: null },
    ]);
    expect(actions.getSession()).toEqual(before);
  });

  it("keeps what the actions did across the merchant server's updates", async () => {
    const fake = createFakeStripe(OPTIONS);
    const actions = await load(fake);
    await actions.updateLineItemQuantity({ lineItem: 'li_fake_base_1', quantity: 2 });
    await actions.addOptionalLineItem('price_socks');
    await actions.applyPromotionCode('SAVE10');
    const result = await actions.runServerUpdate(async () => fake.accept({ gift_wrap: true }));
    expect(result.type === 'success' && [totals(result.session), result.session.lineItems.map((i) => `${i.name} x${i.quantity}`)]).toEqual([
      { subtotal: 6300, discount: 630, shipping: 0, total: 5670 },
      ['T-shirt x2', 'Mug x1', 'Gift wrap x1', 'Socks x1'],
    ]);
  });

  it('runs actions and runServerUpdate in one queue, in call order, counting the calls made before the previous one resolved', async () => {
    const fake = createFakeStripe({ ...OPTIONS, latencyMs: { runServerUpdate: 10, applyPromotionCode: 10 } });
    const actions = await load(fake);
    const order: string[] = [];
    const update = actions.runServerUpdate(async () => void order.push('function'));
    const code = actions.applyPromotionCode('SAVE10').then(() => order.push('code'));
    await Promise.all([update.then(() => order.push('update')), code]);
    expect(order).toEqual(['function', 'update', 'code']);
    expect(fake.mutations).toEqual([
      { method: 'runServerUpdate', args: [] },
      { method: 'applyPromotionCode', args: ['SAVE10'] },
    ]);
    expect(fake.calls).toMatchObject({ mutationsInFlight: 0, maxMutationsInFlight: 2, maxRunServerUpdateInFlight: 1, applyPromotionCode: 1 });
  });

  it('holds canConfirm false while an action is pending, and takes failures and latency like the other methods', async () => {
    const fake = createFakeStripe({ ...OPTIONS, latencyMs: { updateShippingOption: 5 } });
    const actions = await load(fake);
    const pending = actions.updateShippingOption('shr_express');
    expect(actions.getSession().canConfirm).toBe(false);
    expect((await pending).type).toBe('success');
    expect(actions.getSession().canConfirm).toBe(true);
    fake.failNext('updateShippingOption', 'error');
    fake.failNext('addOptionalLineItem', 'reject');
    expect(await actions.updateShippingOption('shr_standard')).toEqual({
      type: 'error',
      error: { message: 'The updateShippingOption action failed (injected failure).', code: null },
    });
    await expect(actions.addOptionalLineItem('price_socks')).rejects.toThrow(/injected/);
    expect(actions.getSession().shipping?.shippingOption.id).toBe('shr_express');
  });

  it('refuses every action on a session that ended, and learns the status from it', async () => {
    const fake = createFakeStripe(OPTIONS);
    const actions = await load(fake);
    fake.expire({ silent: true });
    expect(await actions.applyPromotionCode('SAVE10')).toEqual({ type: 'error', error: { message: 'This Checkout Session is no longer active.', code: null } });
    expect(actions.getSession().status).toEqual({ type: 'expired' });
  });

  it('rejects the actions with `remote`, where the remote server would have to perform them', async () => {
    const remote = async () => ({ id: 'cs_r', status: 'open' as const, lineItems: [{ id: 'li_1', price: 'price_1', name: 'T-shirt', unitAmount: 2000, quantity: 1 }] });
    const actions = await load(createFakeStripe({ ...OPTIONS, remote }));
    await expect(actions.applyPromotionCode('SAVE10')).rejects.toThrow('actions.applyPromotionCode() is not implemented by createFakeStripe with `remote`.');
  });

  it('with `remoteAction`, runs each action on the remote server in the one queue, and shows its answer', async () => {
    const session = { id: 'cs_r', status: 'open' as const, lineItems: [{ id: 'li_1', price: 'price_1', name: 'T-shirt', unitAmount: 2000, quantity: 1, adjustableQuantity: { minimum: 1, maximum: 5 } }] };
    const log: string[] = [];
    let release: () => void = () => {};
    const remoteAction = async (secret: string, action: { method: string; args: unknown[] }) => {
      log.push(`${action.method} ${JSON.stringify(action.args)} start`);
      if (action.method === 'updateLineItemQuantity') await new Promise<void>((resolve) => (release = resolve));
      log.push(`${action.method} end`);
      if (action.method === 'applyPromotionCode') throw Object.assign(new Error('This code is invalid.'), { code: 'invalidCode' });
      if (action.method === 'removePromotionCode') throw 'down';
      return { ...session, lineItems: [{ ...session.lineItems[0]!, quantity: 4 }], discounts: [{ promotionCode: 'TEN', amount: 333 }], shippingOptions: [{ id: 'shr_1', displayName: 'Std', amount: 250, deliveryEstimate: null }], shippingOptionId: 'shr_1' };
    };
    const fake = createFakeStripe({ ...OPTIONS, remote: async () => (log.push('read'), session), remoteAction });
    const actions = await load(fake);
    const quantity = actions.updateLineItemQuantity({ lineItem: 'li_1', quantity: 4 });
    const update = actions.runServerUpdate(async () => void log.push('server update'));
    const code = actions.applyPromotionCode('nope');
    const failed = actions.removePromotionCode();
    await new Promise((resolve) => setTimeout(resolve, 5));
    release();
    const done = await quantity;
    expect(done.type === 'success' && [done.session.lineItems[0]!.quantity, totals(done.session), done.session.shipping?.shippingOption.id]).toEqual([4, { subtotal: 8000, discount: 333, shipping: 250, total: 7917 }, 'shr_1']);
    expect((await update).type).toBe('success');
    expect(await code).toEqual({ type: 'error', error: { message: 'This code is invalid.', code: 'invalidCode' } });
    expect(await failed).toEqual({ type: 'error', error: { message: 'down', code: null } });
    expect(log).toEqual([
      'read',
      'updateLineItemQuantity [{"lineItem":"li_1","quantity":4}] start',
      'updateLineItemQuantity end',
      'server update',
      'read',
      'applyPromotionCode ["nope"] start',
      'applyPromotionCode end',
      'read',
      'removePromotionCode [] start',
      'removePromotionCode end',
      'read',
    ]);
    expect(fake.calls.maxMutationsInFlight).toBe(4);
    // What the last read said: the remote `session` above, with no discount.
    expect(totals(actions.getSession())).toEqual({ subtotal: 2000, discount: 0, shipping: 0, total: 2000 });
  });

  it('refuses options that cannot be a session', () => {
    expect(() => createFakeStripe({ remoteAction: async () => ({ id: 'cs', status: 'open', lineItems: [] }) })).toThrow(
      'Expected `remote` with `remoteAction`: the session is read from the same server',
    );
    const made = (options: FakeStripeOptions) => () => createFakeStripe(options);
    expect(made({ promotionCodes: { X: {} } })).toThrow('Expected promotionCodes.X to have exactly one of `percentOff` and `amountOff`');
    expect(made({ promotionCodes: { X: { percentOff: 120 } } })).toThrow('Expected promotionCodes.X.percentOff to be in (0, 100], got `120` (number)');
    expect(made({ shippingOptions: [{ id: 's', displayName: 'S', amount: 1.5 }] })).toThrow('shippingOptions.s.amount');
    expect(made({ baseItems: [{ name: 'T', unitAmount: 100, quantity: 2, adjustableQuantity: { minimum: 3, maximum: 5 } }] })).toThrow(
      'to hold the quantity 2 between whole numbers 0 <= minimum <= maximum <= 999999',
    );
  });
});
