// The Stripe emulator's own rules, through the real `stripe` npm client over HTTP.
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type StripeEmulator } from '../examples/server/emulator.js';

let emulator: StripeEmulator;
let stripe: Stripe;

const client = (port: number, key = 'sk_test_emulator') =>
  new Stripe(key, { host: '127.0.0.1', port, protocol: 'http', telemetry: false, maxNetworkRetries: 0 });

beforeAll(async () => {
  emulator = await startEmulator();
  stripe = client(emulator.port);
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.requests.length = 0;
});

const RETURN_URL = 'http://localhost:5173/?session_id={CHECKOUT_SESSION_ID}';
const item = (name: string, unitAmount: number, quantity = 1) => ({
  price_data: { currency: 'usd', unit_amount: unitAmount, product_data: { name } },
  quantity,
});
const create = (lineItems = [item('T-shirt', 2000)]) =>
  stripe.checkout.sessions.create({ mode: 'payment', ui_mode: 'elements', return_url: RETURN_URL, line_items: lineItems });
const lineItemsOf = async (id: string) => (await stripe.checkout.sessions.listLineItems(id, { limit: 100 })).data;
const summary = (items: Stripe.LineItem[]) => items.map((li) => [li.description, li.price?.unit_amount, li.quantity]);

/** The error a promise rejects with (it must reject). */
async function rejection(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const result = await promise.then(() => null, (error: unknown) => error);
  if (!(result instanceof Stripe.errors.StripeError)) throw new Error(`Expected a StripeError, got ${String(result)}`);
  return result;
}

describe('create', () => {
  it('makes an open elements session with ids, a client secret, 24 hours to live and the total', async () => {
    const session = await create([item('T-shirt', 2000, 2), item('Gift wrap', 500)]);

    expect(session.id).toMatch(/^cs_test_[A-Za-z0-9]{58}$/);
    expect(session.client_secret).toMatch(new RegExp(`^${session.id}_secret_[A-Za-z0-9]{24}$`));
    expect(session).toMatchObject({
      object: 'checkout.session',
      status: 'open',
      mode: 'payment',
      ui_mode: 'elements',
      currency: 'usd',
      amount_subtotal: 4500,
      amount_total: 4500,
      payment_status: 'unpaid',
      return_url: RETURN_URL,
      metadata: {},
      livemode: false,
    });
    expect(session.expires_at - session.created).toBe(24 * 60 * 60);
    expect(session.line_items).toBeUndefined();
    expect(emulator.requests).toEqual([{
      method: 'POST',
      path: '/v1/checkout/sessions',
      params: {
        mode: 'payment',
        ui_mode: 'elements',
        return_url: RETURN_URL,
        line_items: [
          { price_data: { currency: 'usd', unit_amount: '2000', product_data: { name: 'T-shirt' } }, quantity: '2' },
          { price_data: { currency: 'usd', unit_amount: '500', product_data: { name: 'Gift wrap' } }, quantity: '1' },
        ],
      },
    }]);
  });

  it('refuses what Stripe refuses: no quantity, both price and price_data, unknown parameters, other ui modes', async () => {
    const base = { mode: 'payment' as const, ui_mode: 'elements' as const, return_url: RETURN_URL };
    const noQuantity = await rejection(stripe.checkout.sessions.create({ ...base, line_items: [{ price_data: item('A', 100).price_data }] }));
    expect(noQuantity).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect([noQuantity.statusCode, noQuantity.code, noQuantity.param]).toEqual([400, 'parameter_missing', 'line_items[0][quantity]']);

    const both = await rejection(stripe.checkout.sessions.create({ ...base, line_items: [{ ...item('A', 100), price: 'price_x' }] }));
    expect([both.statusCode, both.param]).toEqual([400, 'line_items[0]']);

    const unknown = await rejection(stripe.checkout.sessions.create({ ...base, line_items: [item('A', 100)], customer_email: 'a@b.c' }));
    expect([unknown.statusCode, unknown.code, unknown.param]).toEqual([400, 'parameter_unknown', 'customer_email']);

    const hosted = await rejection(stripe.checkout.sessions.create({ ...base, ui_mode: 'hosted_page', line_items: [item('A', 100)] }));
    expect([hosted.statusCode, hosted.param]).toEqual([400, 'ui_mode']);

    const noReturnUrl = await rejection(stripe.checkout.sessions.create({ mode: 'payment', ui_mode: 'elements', line_items: [item('A', 100)] }));
    expect([noReturnUrl.code, noReturnUrl.param]).toEqual(['parameter_missing', 'return_url']);

    const mixed = await rejection(create([item('A', 100), { ...item('B', 100), price_data: { ...item('B', 100).price_data, currency: 'eur' } }]));
    expect([mixed.statusCode, mixed.param]).toEqual([400, 'line_items']);
    expect(emulator.requests).toHaveLength(6);
  });

  it('answers a wrong key with an authentication error', async () => {
    const error = await rejection(client(emulator.port, 'sk_live_nope').checkout.sessions.create({ mode: 'payment' }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error.statusCode).toBe(401);
  });

  it('replays an idempotent request, and refuses its key with other parameters', async () => {
    const params = { mode: 'payment' as const, ui_mode: 'elements' as const, return_url: RETURN_URL, line_items: [item('A', 100)] };
    const first = await stripe.checkout.sessions.create(params, { idempotencyKey: 'create-once' });
    const again = await stripe.checkout.sessions.create(params, { idempotencyKey: 'create-once' });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');

    const other = await rejection(stripe.checkout.sessions.create({ ...params, line_items: [item('B', 200)] }, { idempotencyKey: 'create-once' }));
    expect(other).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });
});

describe('retrieve', () => {
  it('expands line_items on request, with ids, names, prices and quantities', async () => {
    const { id } = await create([item('T-shirt', 2000, 3)]);
    emulator.requests.length = 0;

    const plain = await stripe.checkout.sessions.retrieve(id);
    const expanded = await stripe.checkout.sessions.retrieve(id, { expand: ['line_items'] });

    expect(plain.line_items).toBeUndefined();
    expect(expanded.line_items?.has_more).toBe(false);
    expect(expanded.line_items?.data).toHaveLength(1);
    const [li] = expanded.line_items!.data;
    expect(li!.id).toMatch(/^li_[A-Za-z0-9]{24}$/);
    expect(li).toMatchObject({ object: 'item', description: 'T-shirt', quantity: 3, amount_subtotal: 6000, amount_total: 6000, currency: 'usd' });
    expect(li!.price).toMatchObject({ object: 'price', unit_amount: 2000, currency: 'usd', active: false });
    expect(emulator.requests).toEqual([
      { method: 'GET', path: `/v1/checkout/sessions/${id}`, params: {} },
      { method: 'GET', path: `/v1/checkout/sessions/${id}`, params: { expand: ['line_items'] } },
    ]);
  });

  it('refuses an unknown session with a 404 and an unknown expansion with a 400', async () => {
    const missing = await rejection(stripe.checkout.sessions.retrieve('cs_test_nothing'));
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect([missing.statusCode, missing.code]).toEqual([404, 'resource_missing']);

    const { id } = await create();
    const expand = await rejection(stripe.checkout.sessions.retrieve(id, { expand: ['payment_intent.customer'] }));
    expect([expand.statusCode, expand.param]).toEqual([400, 'expand']);
  });
});

describe('update', () => {
  it('keeps items given by id, adds new ones, removes the ones left out, follows the order, and recomputes the totals', async () => {
    const { id } = await create([item('T-shirt', 2000), item('Gift wrap', 500)]);
    const [shirt, gift] = await lineItemsOf(id);
    emulator.requests.length = 0;

    const updated = await stripe.checkout.sessions.update(id, {
      line_items: [{ id: gift!.id }, item('Shipping insurance', 300, 2)],
      expand: ['line_items'],
    });

    expect(summary(updated.line_items!.data)).toEqual([['Gift wrap', 500, 1], ['Shipping insurance', 300, 2]]);
    expect(updated.line_items!.data[0]!.id).toBe(gift!.id);
    expect(updated.line_items!.data.map((li) => li.id)).not.toContain(shirt!.id);
    expect([updated.amount_subtotal, updated.amount_total]).toEqual([1100, 1100]);
    expect(emulator.requests).toEqual([{
      method: 'POST',
      path: `/v1/checkout/sessions/${id}`,
      params: {
        line_items: [
          { id: gift!.id },
          { price_data: { currency: 'usd', unit_amount: '300', product_data: { name: 'Shipping insurance' } }, quantity: '2' },
        ],
        expand: ['line_items'],
      },
    }]);
  });

  it('updates the quantity and metadata of an item kept by id', async () => {
    const { id } = await create();
    const [shirt] = await lineItemsOf(id);

    const updated = await stripe.checkout.sessions.update(id, { line_items: [{ id: shirt!.id, quantity: 3, metadata: { size: 'M' } }] });
    const [after] = await lineItemsOf(id);

    expect(updated.amount_total).toBe(6000);
    expect(after).toMatchObject({ id: shirt!.id, quantity: 3, metadata: { size: 'M' } });
  });

  it('refuses an unknown line item id with resource_missing and changes nothing', async () => {
    const { id } = await create([item('T-shirt', 2000), item('Gift wrap', 500)]);
    const before = await lineItemsOf(id);

    const error = await rejection(stripe.checkout.sessions.update(id, { line_items: [{ id: 'li_unknown' }, item('Tip', 100)] }));

    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect([error.statusCode, error.code, error.param]).toEqual([400, 'resource_missing', 'line_items[0][id]']);
    expect(await lineItemsOf(id)).toEqual(before);
    expect((await stripe.checkout.sessions.retrieve(id)).amount_total).toBe(2500);
  });

  it('refuses the same id twice, a new item without quantity, and an empty array', async () => {
    const { id } = await create();
    const [shirt] = await lineItemsOf(id);

    const twice = await rejection(stripe.checkout.sessions.update(id, { line_items: [{ id: shirt!.id }, { id: shirt!.id }] }));
    expect([twice.statusCode, twice.param]).toEqual([400, 'line_items[1][id]']);
    const noQuantity = await rejection(stripe.checkout.sessions.update(id, { line_items: [{ id: shirt!.id }, { price_data: item('A', 1).price_data }] }));
    expect([noQuantity.code, noQuantity.param]).toEqual(['parameter_missing', 'line_items[1][quantity]']);
    const empty = await rejection(stripe.checkout.sessions.update(id, { line_items: '' as unknown as [] }));
    expect([empty.statusCode, empty.param]).toEqual([400, 'line_items']);
    expect(summary(await lineItemsOf(id))).toEqual([['T-shirt', 2000, 1]]);
  });

  it('adds an item from an active price, and refuses an inline (inactive) price', async () => {
    const { id } = await create();
    const [shirt] = await lineItemsOf(id);
    const price = emulator.createPrice({ unitAmount: 700, currency: 'usd', productName: 'Socks' });

    const updated = await stripe.checkout.sessions.update(id, { line_items: [{ id: shirt!.id }, { price, quantity: 2 }] });
    expect(updated.amount_total).toBe(3400);

    const inline = await rejection(stripe.checkout.sessions.update(id, { line_items: [{ id: shirt!.id }, { price: shirt!.price!.id, quantity: 1 }] }));
    expect([inline.statusCode, inline.param]).toEqual([400, 'line_items[1][price]']);
  });

  it('merges metadata, and unsets a key sent empty', async () => {
    const { id } = await create();
    await stripe.checkout.sessions.update(id, { metadata: { a: '1', b: '2' } });
    const updated = await stripe.checkout.sessions.update(id, { metadata: { b: '', c: '3' } });
    expect(updated.metadata).toEqual({ a: '1', c: '3' });
  });

  it('refuses to update an expired or completed session', async () => {
    const expired = await create();
    const [shirt] = await lineItemsOf(expired.id);
    const afterExpire = await stripe.checkout.sessions.expire(expired.id);
    expect(afterExpire.status).toBe('expired');

    const error = await rejection(stripe.checkout.sessions.update(expired.id, { line_items: [{ id: shirt!.id, quantity: 2 }] }));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.statusCode).toBe(400);
    expect((await stripe.checkout.sessions.retrieve(expired.id)).amount_total).toBe(2000);
    const expireAgain = await rejection(stripe.checkout.sessions.expire(expired.id));
    expect(expireAgain.statusCode).toBe(400);

    const paid = await create();
    emulator.complete(paid.id);
    const completed = await stripe.checkout.sessions.retrieve(paid.id);
    expect([completed.status, completed.payment_status]).toEqual(['complete', 'paid']);
    const refused = await rejection(stripe.checkout.sessions.update(paid.id, { metadata: { a: '1' } }));
    expect(refused.statusCode).toBe(400);
  });
});

describe('idempotency: what Stripe saves under a key', () => {
  const replayed = (error: Stripe.errors.StripeError) => error.headers?.['idempotent-replayed'];

  it('replays an error the endpoint gave once it ran: an update to a session that has ended', async () => {
    const { id } = await create();
    await stripe.checkout.sessions.expire(id);
    emulator.requests.length = 0;

    const first = await rejection(stripe.checkout.sessions.update(id, { metadata: { a: '1' } }, { idempotencyKey: 'ended-once' }));
    const again = await rejection(stripe.checkout.sessions.update(id, { metadata: { a: '1' } }, { idempotencyKey: 'ended-once' }));

    expect([first.statusCode, first.message, replayed(first)]).toEqual([400, 'This Checkout Session is expired: only open sessions can be updated.', undefined]);
    expect([again.statusCode, again.message, replayed(again)]).toEqual([400, first.message, 'true']);
    // The same key with other parameters is still a misuse, as after a success.
    const other = await rejection(stripe.checkout.sessions.update(id, { metadata: { a: '2' } }, { idempotencyKey: 'ended-once' }));
    expect(other).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(emulator.requests.map((r) => r.method)).toEqual(['POST', 'POST', 'POST']);
  });

  it('saves nothing for parameters that failed validation: the corrected request runs under the same key', async () => {
    const params = { mode: 'payment' as const, ui_mode: 'elements' as const, return_url: RETURN_URL };
    const invalid = { ...params, line_items: [{ price_data: item('A', 100).price_data }] };

    const first = await rejection(stripe.checkout.sessions.create(invalid, { idempotencyKey: 'fix-me' }));
    const again = await rejection(stripe.checkout.sessions.create(invalid, { idempotencyKey: 'fix-me' }));
    expect([first.code, replayed(first), again.code, replayed(again)]).toEqual(['parameter_missing', undefined, 'parameter_missing', undefined]);

    const corrected = await stripe.checkout.sessions.create({ ...params, line_items: [item('A', 100)] }, { idempotencyKey: 'fix-me' });
    expect([corrected.status, corrected.lastResponse.headers['idempotent-replayed']]).toEqual(['open', undefined]);
    const replay = await stripe.checkout.sessions.create({ ...params, line_items: [item('A', 100)] }, { idempotencyKey: 'fix-me' });
    expect([replay.id, replay.lastResponse.headers['idempotent-replayed']]).toEqual([corrected.id, 'true']);
  });

  it('saves nothing for an unknown id, in the URL or in a parameter', async () => {
    const unknown = (key: string) => rejection(stripe.checkout.sessions.update('cs_test_unknown', { metadata: { a: '1' } }, { idempotencyKey: key }));
    const [first, again] = [await unknown('no-such'), await unknown('no-such')];
    expect([first.statusCode, first.code, replayed(first), again.statusCode, replayed(again)]).toEqual([404, 'resource_missing', undefined, 404, undefined]);

    const { id } = await create();
    const gone = () => rejection(stripe.checkout.sessions.update(id, { line_items: [{ id: 'li_gone' }] }, { idempotencyKey: 'gone-item' }));
    const [a, b] = [await gone(), await gone()];
    expect([a.code, a.param, replayed(a), b.code, replayed(b)]).toEqual(['resource_missing', 'line_items[0][id]', undefined, 'resource_missing', undefined]);
  });
});

describe('list line items', () => {
  it('pages with limit and starting_after, and the client pages through them all', async () => {
    const { id } = await create([item('A', 100), item('B', 200), item('C', 300)]);

    const first = await stripe.checkout.sessions.listLineItems(id, { limit: 2 });
    expect([first.data.map((li) => li.description), first.has_more]).toEqual([['A', 'B'], true]);
    const next = await stripe.checkout.sessions.listLineItems(id, { limit: 2, starting_after: first.data[1]!.id });
    expect([next.data.map((li) => li.description), next.has_more]).toEqual([['C'], false]);

    const before = await stripe.checkout.sessions.listLineItems(id, { limit: 1, ending_before: next.data[0]!.id });
    expect([before.data.map((li) => li.description), before.has_more]).toEqual([['B'], true]);

    const all = await stripe.checkout.sessions.listLineItems(id, { limit: 1 }).autoPagingToArray({ limit: 10 });
    expect(all.map((li) => li.description)).toEqual(['A', 'B', 'C']);
  });

  it('refuses an unknown cursor, and a session it does not know', async () => {
    const { id } = await create();
    const cursor = await rejection(stripe.checkout.sessions.listLineItems(id, { starting_after: 'li_nope' }));
    expect([cursor.statusCode, cursor.code, cursor.param]).toEqual([400, 'resource_missing', 'starting_after']);
    const session = await rejection(stripe.checkout.sessions.listLineItems('cs_test_nope'));
    expect([session.statusCode, session.code]).toEqual([404, 'resource_missing']);
  });
});

describe('other endpoints', () => {
  it('answers what it does not emulate with a 404', async () => {
    const error = await rejection(stripe.rawRequest('GET', '/v1/customers', {}));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect([error.statusCode, error.message]).toEqual([404, 'Unrecognized request URL (GET: /v1/customers).']);
    const list = await rejection(stripe.checkout.sessions.list());
    expect(list.statusCode).toBe(404);
  });
});

describe('time', () => {
  it('expires a session 24 hours after it was created', async () => {
    let now = Date.UTC(2026, 0, 1);
    const clock = await startEmulator({ now: () => now });
    try {
      const timed = client(clock.port);
      const { id } = await timed.checkout.sessions.create({ mode: 'payment', ui_mode: 'elements', return_url: RETURN_URL, line_items: [item('A', 100)] });
      now += 24 * 60 * 60 * 1000 - 1000;
      expect((await timed.checkout.sessions.retrieve(id)).status).toBe('open');
      now += 1000;
      expect((await timed.checkout.sessions.retrieve(id)).status).toBe('expired');
      const error = await rejection(timed.checkout.sessions.update(id, { metadata: { a: '1' } }));
      expect(error.statusCode).toBe(400);
    } finally {
      await clock.close();
    }
  });

  it('waits latencyMs before each answer', async () => {
    const slow = await startEmulator({ latencyMs: 60 });
    try {
      const started = performance.now();
      await rejection(client(slow.port).checkout.sessions.retrieve('cs_test_none'));
      expect(performance.now() - started).toBeGreaterThanOrEqual(55);
      expect(slow.requests).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });
});

describe('payment intents', () => {
  const createIntent = (params: Partial<Stripe.PaymentIntentCreateParams> = {}, options?: Stripe.RequestOptions) =>
    stripe.paymentIntents.create({ amount: 2000, currency: 'usd', automatic_payment_methods: { enabled: true }, ...params }, options);
  /** The error's status, type, code, param and message, in that order. */
  const described = (error: Stripe.errors.StripeError) => [error.statusCode, error.rawType, error.code, error.param, error.message];
  const amountOf = (id: string) => emulator.paymentIntent(id)?.amount;

  describe('create', () => {
    it('makes a requires_payment_method intent with an id, a client secret, the amount, metadata and description', async () => {
      const intent = await createIntent({ metadata: { quantity: '1' }, description: 'T-shirt' });

      expect(intent.id).toMatch(/^pi_[A-Za-z0-9]{24}$/);
      expect(intent.client_secret).toMatch(new RegExp(`^${intent.id}_secret_[A-Za-z0-9]{25}$`));
      expect(intent).toMatchObject({
        object: 'payment_intent',
        amount: 2000,
        amount_received: 0,
        currency: 'usd',
        status: 'requires_payment_method',
        automatic_payment_methods: { enabled: true },
        payment_method: null,
        payment_method_types: ['card'],
        metadata: { quantity: '1' },
        description: 'T-shirt',
        canceled_at: null,
        livemode: false,
      });
      expect(emulator.requests).toEqual([{
        method: 'POST',
        path: '/v1/payment_intents',
        params: { amount: '2000', currency: 'usd', automatic_payment_methods: { enabled: 'true' }, metadata: { quantity: '1' }, description: 'T-shirt' },
      }]);
    });

    it('enables automatic payment methods by default, with no metadata and no description', async () => {
      const intent = await stripe.paymentIntents.create({ amount: 50, currency: 'usd' });
      expect([intent.automatic_payment_methods, intent.metadata, intent.description]).toEqual([{ enabled: true }, {}, null]);
    });

    it.each([
      ['usd', '$0.50 usd', 50],
      ['eur', '€0.50 eur', 50],
      ['gbp', '£0.30 gbp', 30],
      ['jpy', '¥50 jpy', 50],
      ['hkd', '$4.00 hkd', 400],
      ['sek', '3.00 sek', 300],
    ])('refuses an amount below the minimum charge in %s, and takes the minimum', async (currency, minimum, amount) => {
      const error = await rejection(createIntent({ currency, amount: amount - 1 }));
      expect(described(error)).toEqual([400, 'invalid_request_error', 'amount_too_small', 'amount', `Amount must be at least ${minimum}`]);
      expect((await createIntent({ currency, amount })).amount).toBe(amount);
    });

    it('refuses more than eight digits, and takes 99999999', async () => {
      const error = await rejection(createIntent({ amount: 100_000_000 }));
      expect(described(error)).toEqual([400, 'invalid_request_error', 'amount_too_large', 'amount', 'Amount must be no more than $999,999.99']);
      const yen = await rejection(createIntent({ currency: 'jpy', amount: 100_000_000 }));
      expect(yen.message).toBe('Amount must be no more than ¥99,999,999');
      expect((await createIntent({ amount: 99_999_999 })).amount).toBe(99_999_999);
    });

    it.each([
      ['zero', 0, 'This value must be greater than or equal to 1.'],
      ['negative', -500, 'This value must be greater than or equal to 1.'],
      ['a fraction', 1000.5, 'Invalid integer: 1000.5'],
      ['text', 'lots', 'Invalid integer: lots'],
    ])('refuses an amount that is %s as an invalid integer', async (_, amount, message) => {
      const error = await rejection(createIntent({ amount: amount as number }));
      expect(described(error)).toEqual([400, 'invalid_request_error', 'parameter_invalid_integer', 'amount', message]);
    });

    it('refuses a missing amount or currency, a currency it has no minimum for, other payment method settings and unknown parameters', async () => {
      const noAmount = await rejection(stripe.paymentIntents.create({ currency: 'usd' } as Stripe.PaymentIntentCreateParams));
      expect([noAmount.code, noAmount.param]).toEqual(['parameter_missing', 'amount']);
      const noCurrency = await rejection(stripe.paymentIntents.create({ amount: 2000 } as Stripe.PaymentIntentCreateParams));
      expect([noCurrency.code, noCurrency.param]).toEqual(['parameter_missing', 'currency']);
      for (const currency of ['inr', 'USD']) {
        const other = await rejection(createIntent({ currency }));
        expect([other.statusCode, other.param, other.message.split('.')[0]]).toEqual([400, 'currency', `Invalid currency: ${currency}`]);
      }
      const manual = await rejection(createIntent({ automatic_payment_methods: { enabled: false } }));
      expect([manual.statusCode, manual.param]).toEqual([400, 'automatic_payment_methods[enabled]']);
      const types = await rejection(createIntent({ payment_method_types: ['card'] } as Partial<Stripe.PaymentIntentCreateParams>));
      expect([types.statusCode, types.code, types.param]).toEqual([400, 'parameter_unknown', 'payment_method_types']);
      expect(emulator.requests).toHaveLength(6);
    });
  });

  describe('retrieve', () => {
    it('answers the intent as create did, and an unknown id with a 404', async () => {
      const created = await createIntent({ metadata: { a: '1' } });
      const { lastResponse: _created, ...fromCreate } = created;
      const { lastResponse: _retrieved, ...retrieved } = await stripe.paymentIntents.retrieve(created.id);
      expect(retrieved).toEqual(fromCreate);

      const missing = await rejection(stripe.paymentIntents.retrieve('pi_nope'));
      expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(described(missing)).toEqual([404, 'invalid_request_error', 'resource_missing', 'intent', "No such payment_intent: 'pi_nope'"]);
    });
  });

  describe('update', () => {
    it('changes the amount and description and merges metadata, unsetting a key sent empty', async () => {
      const { id } = await createIntent({ metadata: { a: '1', b: '2' } });
      emulator.requests.length = 0;

      const updated = await stripe.paymentIntents.update(id, { amount: 4500, metadata: { b: '', c: '3' }, description: 'Two T-shirts' });

      expect([updated.amount, updated.metadata, updated.description, updated.status]).toEqual([4500, { a: '1', c: '3' }, 'Two T-shirts', 'requires_payment_method']);
      expect(emulator.paymentIntent(id)).toEqual({ id, status: 'requires_payment_method', amount: 4500, currency: 'usd', description: 'Two T-shirts', metadata: { a: '1', c: '3' } });
      expect(emulator.requests).toEqual([{ method: 'POST', path: `/v1/payment_intents/${id}`, params: { amount: '4500', metadata: { b: '', c: '3' }, description: 'Two T-shirts' } }]);
    });

    it("checks the amount against the intent's own currency, and a refused update changes nothing", async () => {
      const { id } = await createIntent({ currency: 'gbp', amount: 1000, metadata: { a: '1' } });

      const small = await rejection(stripe.paymentIntents.update(id, { amount: 29, metadata: { a: '2' } }));
      expect(described(small)).toEqual([400, 'invalid_request_error', 'amount_too_small', 'amount', 'Amount must be at least £0.30 gbp']);
      const currency = await rejection(stripe.paymentIntents.update(id, { currency: 'usd' }));
      expect([currency.code, currency.param]).toEqual(['parameter_unknown', 'currency']);
      const unknown = await rejection(stripe.paymentIntents.update('pi_nope', { amount: 1000 }));
      expect([unknown.statusCode, unknown.code]).toEqual([404, 'resource_missing']);

      expect(emulator.paymentIntent(id)).toMatchObject({ amount: 1000, metadata: { a: '1' } });
      expect((await stripe.paymentIntents.update(id, { amount: 30 })).amount).toBe(30);
    });

    it.each([
      ['processing', (id: string) => emulator.processPaymentIntent(id)],
      ['succeeded', (id: string) => emulator.succeedPaymentIntent(id)],
      ['canceled', (id: string) => emulator.cancelPaymentIntent(id)],
    ])('refuses a new amount once the intent is %s, with payment_intent_unexpected_state and the intent', async (status, move) => {
      const { id } = await createIntent();
      move(id);

      const error = await rejection(stripe.paymentIntents.update(id, { amount: 3000, metadata: { a: '1' } }));

      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(described(error)).toEqual([
        400,
        'invalid_request_error',
        'payment_intent_unexpected_state',
        'amount',
        `This PaymentIntent's amount could not be updated because it has a status of ${status}. ` +
          'You may only update the amount of a PaymentIntent with one of the following statuses: requires_payment_method, requires_confirmation, requires_action.',
      ]);
      expect([error.payment_intent?.id, error.payment_intent?.status, error.payment_intent?.amount]).toEqual([id, status, 2000]);
      expect(emulator.paymentIntent(id)).toMatchObject({ status, amount: 2000, metadata: {} });
    });

    it('still updates metadata and description once the intent has succeeded, as Stripe does', async () => {
      const { id } = await createIntent();
      emulator.succeedPaymentIntent(id);
      const updated = await stripe.paymentIntents.update(id, { metadata: { order: '42' }, description: 'Paid' });
      expect([updated.status, updated.amount, updated.metadata, updated.description]).toEqual(['succeeded', 2000, { order: '42' }, 'Paid']);
    });
  });

  describe('idempotency', () => {
    const replayed = (error: Stripe.errors.StripeError) => error.headers?.['idempotent-replayed'];

    it('replays the refusal of a new amount for an intent that has succeeded', async () => {
      const { id } = await createIntent();
      emulator.succeedPaymentIntent(id);
      const first = await rejection(stripe.paymentIntents.update(id, { amount: 3000 }, { idempotencyKey: 'too-late' }));
      const again = await rejection(stripe.paymentIntents.update(id, { amount: 3000 }, { idempotencyKey: 'too-late' }));
      expect([first.code, replayed(first), again.code, again.message, replayed(again)])
        .toEqual(['payment_intent_unexpected_state', undefined, 'payment_intent_unexpected_state', first.message, 'true']);
    });

    it('saves nothing for an amount below the minimum, so the corrected amount runs under the same key', async () => {
      const { id } = await createIntent();
      const small = await rejection(stripe.paymentIntents.update(id, { amount: 10 }, { idempotencyKey: 'fix-amount' }));
      expect([small.code, replayed(small)]).toEqual(['amount_too_small', undefined]);

      const fixed = await stripe.paymentIntents.update(id, { amount: 1000 }, { idempotencyKey: 'fix-amount' });
      expect([fixed.amount, fixed.lastResponse.headers['idempotent-replayed']]).toEqual([1000, undefined]);
      const replay = await stripe.paymentIntents.update(id, { amount: 1000 }, { idempotencyKey: 'fix-amount' });
      expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
      expect(amountOf(id)).toBe(1000);
    });
  });

  describe('test helpers', () => {
    it('move an intent through its statuses as payments would, and refuse moves Stripe would not make', async () => {
      const paid = await createIntent();
      emulator.succeedPaymentIntent(paid.id);
      const afterPaying = await stripe.paymentIntents.retrieve(paid.id);
      expect([afterPaying.status, afterPaying.amount_received]).toEqual(['succeeded', 2000]);
      expect(afterPaying.payment_method).toMatch(/^pm_[A-Za-z0-9]{24}$/);
      expect(() => emulator.succeedPaymentIntent(paid.id)).toThrow(`PaymentIntent ${paid.id} is succeeded: it cannot succeed.`);
      expect(() => emulator.cancelPaymentIntent(paid.id)).toThrow(`PaymentIntent ${paid.id} is succeeded: it cannot be canceled.`);

      const debit = await createIntent();
      emulator.processPaymentIntent(debit.id);
      expect(emulator.paymentIntent(debit.id)?.status).toBe('processing');
      expect(() => emulator.processPaymentIntent(debit.id)).toThrow(`PaymentIntent ${debit.id} is processing: it cannot start processing.`);
      emulator.succeedPaymentIntent(debit.id);
      expect(emulator.paymentIntent(debit.id)?.status).toBe('succeeded');

      const dropped = await createIntent();
      emulator.cancelPaymentIntent(dropped.id);
      const canceled = await stripe.paymentIntents.retrieve(dropped.id);
      expect([canceled.status, typeof canceled.canceled_at, canceled.cancellation_reason]).toEqual(['canceled', 'number', null]);
      expect(() => emulator.succeedPaymentIntent(dropped.id)).toThrow(`PaymentIntent ${dropped.id} is canceled: it cannot succeed.`);

      expect(emulator.paymentIntent('pi_nope')).toBeNull();
      expect(() => emulator.cancelPaymentIntent('pi_nope')).toThrow('No PaymentIntent pi_nope.');
    });

    it('give the intent as Stripe.js gives it to a publishable key: no metadata', async () => {
      const intent = await createIntent({ metadata: { quantity: '1' }, description: 'T-shirt' });
      expect(emulator.browserPaymentIntent(intent.client_secret!)).toEqual({
        id: intent.id,
        object: 'payment_intent',
        amount: 2000,
        canceled_at: null,
        cancellation_reason: null,
        capture_method: 'automatic',
        client_secret: intent.client_secret,
        confirmation_method: 'automatic',
        created: intent.created,
        currency: 'usd',
        description: 'T-shirt',
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
      expect(emulator.browserPaymentIntent(`${intent.id}_secret_wrong`)).toBeNull();
    });
  });
});

describe('coupons and promotion codes', () => {
  it('makes a percent-off and an amount-off coupon, and codes on them that list by code, whatever its case', async () => {
    const percent = await stripe.coupons.create({ percent_off: 12.5, duration: 'once', name: '12.5% off' });
    const amount = await stripe.coupons.create({ amount_off: 500, currency: 'usd', name: '$5 off' });
    expect([percent.percent_off, percent.amount_off, percent.currency, percent.duration, percent.name]).toEqual([12.5, null, null, 'once', '12.5% off']);
    expect([amount.percent_off, amount.amount_off, amount.currency, amount.duration]).toEqual([null, 500, 'usd', 'once']);

    const code = `Twelve-${Date.now()}`;
    const promo = await stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: percent.id }, code });
    expect(promo).toMatchObject({ object: 'promotion_code', code, active: true, promotion: { type: 'coupon', coupon: percent.id } });
    expect(promo.id).toMatch(/^promo_/);
    const listed = await stripe.promotionCodes.list({ code: code.toLowerCase() });
    expect(listed.data.map((p) => p.id)).toEqual([promo.id]);
    expect((await stripe.promotionCodes.list({ code, active: false })).data).toEqual([]);
  });

  it('refuses what Stripe refuses: both or neither amount, amount_off without currency, other durations, unknown coupons, a second active code', async () => {
    const errors = await Promise.all([
      rejection(stripe.coupons.create({ percent_off: 10, amount_off: 100, currency: 'usd' })),
      rejection(stripe.coupons.create({ name: 'nothing off' })),
      rejection(stripe.coupons.create({ amount_off: 100 })),
      rejection(stripe.coupons.create({ percent_off: 0 })),
      rejection(stripe.coupons.create({ percent_off: 101 })),
      rejection(stripe.coupons.create({ percent_off: 10, duration: 'forever' })),
      rejection(stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: 'nope' }, code: 'NOPE' })),
      rejection(stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: 'nope' }, code: 'bad code!' })),
    ]);
    expect(errors.map((e) => [e.statusCode, e.code, e.param])).toEqual([
      [400, 'parameter_invalid', 'percent_off'],
      [400, 'parameter_invalid', 'percent_off'],
      [400, 'parameter_missing', 'currency'],
      [400, 'parameter_invalid', 'percent_off'],
      [400, 'parameter_invalid', 'percent_off'],
      [400, 'parameter_invalid', 'duration'],
      [400, 'resource_missing', 'promotion[coupon]'],
      [400, 'resource_missing', 'promotion[coupon]'],
    ]);
    const coupon = await stripe.coupons.create({ percent_off: 10 });
    const code = `DUP-${Date.now()}`;
    await stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id }, code });
    const second = await rejection(stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id }, code: code.toLowerCase() }));
    expect([second.code, second.message]).toEqual(['resource_already_exists', 'An active promotion code with this code already exists.']);
    // An inactive one with the same code may exist beside it.
    expect((await stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id }, code, active: false })).active).toBe(false);
  });
});

describe('promotion codes, shipping options, adjustable quantities and actions on a session', () => {
  const shipping = [
    { shipping_rate_data: { type: 'fixed_amount' as const, display_name: 'Standard', fixed_amount: { amount: 0, currency: 'usd' }, delivery_estimate: { minimum: { unit: 'business_day' as const, value: 5 }, maximum: { unit: 'business_day' as const, value: 7 } } } },
    { shipping_rate_data: { type: 'fixed_amount' as const, display_name: 'Express', fixed_amount: { amount: 1500, currency: 'usd' } } },
  ];
  let save: string;
  let fiveOff: string;
  beforeAll(async () => {
    const percent = await stripe.coupons.create({ percent_off: 15 });
    const amount = await stripe.coupons.create({ amount_off: 5000, currency: 'usd' });
    const eur = await stripe.coupons.create({ amount_off: 100, currency: 'eur' });
    save = `SAVE15-${Date.now()}`;
    fiveOff = `BIG-${Date.now()}`;
    await stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: percent.id }, code: save });
    await stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: amount.id }, code: fiveOff });
    await stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: percent.id }, code: 'OFF-NOW', active: false });
    await stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: eur.id }, code: 'EUROS' });
  });
  const promoSession = (allow = true) => stripe.checkout.sessions.create({
    mode: 'payment', ui_mode: 'elements', return_url: RETURN_URL, allow_promotion_codes: allow, shipping_options: shipping,
    line_items: [{ ...item('T-shirt', 1999), adjustable_quantity: { enabled: true, minimum: 1, maximum: 10 } }, item('Gift wrap', 500)],
  });
  const act = (secret: string, method: string, ...args: unknown[]) => {
    try {
      return emulator.browserAction(secret, method, args);
    } catch (error) {
      return { refused: [(error as Error).message, (error as { code: unknown }).code, (error as { status: number }).status] };
    }
  };

  it('selects the first shipping rate, reports the bounds, and the totals include shipping', async () => {
    const session = await promoSession();
    expect(session).toMatchObject({
      allow_promotion_codes: true,
      amount_subtotal: 2499,
      amount_total: 2499,
      discounts: [],
      optional_items: null,
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    });
    expect(session.shipping_options.map((o) => o.shipping_amount)).toEqual([0, 1500]);
    expect(session.shipping_cost).toEqual({ amount_subtotal: 0, amount_tax: 0, amount_total: 0, shipping_rate: session.shipping_options[0]!.shipping_rate });
    const [shirt, gift] = await lineItemsOf(session.id);
    expect([shirt!.adjustable_quantity, gift!.adjustable_quantity]).toEqual([{ enabled: true, minimum: 1, maximum: 10 }, null]);
    const browser = emulator.browserSession(session.client_secret!)!;
    expect(browser.shippingOptions).toEqual([
      { id: session.shipping_options[0]!.shipping_rate, displayName: 'Standard', amount: 0, deliveryEstimate: { minimum: { unit: 'business_day', value: 5 }, maximum: { unit: 'business_day', value: 7 } } },
      { id: session.shipping_options[1]!.shipping_rate, displayName: 'Express', amount: 1500, deliveryEstimate: null },
    ]);
    expect([browser.shippingOptionId, browser.lineItems.map((li) => li.adjustableQuantity)]).toEqual([session.shipping_options[0]!.shipping_rate, [{ minimum: 1, maximum: 10 }, null]]);
  });

  it('applies a code (trimmed, any case): a percentage off the subtotal rounded to the cent, not off shipping; a new code replaces it', async () => {
    const session = await promoSession();
    const secret = session.client_secret!;
    act(secret, 'updateShippingOption', session.shipping_options[1]!.shipping_rate);
    const applied = act(secret, 'applyPromotionCode', `  ${save.toLowerCase()} `) as BrowserSessionOf;
    // 15 % of 2499 is 374.85: 375 off.
    expect([applied.amountSubtotal, applied.amountDiscount, applied.amountShipping, applied.amountTotal]).toEqual([2499, 375, 1500, 3624]);
    expect(applied.discounts).toEqual([{ promotionCode: save, amount: 375, percentOff: 15 }]);
    const read = await stripe.checkout.sessions.retrieve(session.id, { expand: ['discounts.coupon'] });
    expect([read.amount_total, read.total_details, (read.discounts![0]!.coupon as Stripe.Coupon).percent_off]).toEqual([3624, { amount_discount: 375, amount_shipping: 1500, amount_tax: 0 }, 15]);
    // $50 off a $24.99 subtotal takes the subtotal, and shipping is still paid.
    const capped = act(secret, 'applyPromotionCode', fiveOff) as BrowserSessionOf;
    expect([capped.amountDiscount, capped.amountTotal, capped.discounts.length]).toEqual([2499, 1500, 1]);
    const removed = act(secret, 'removePromotionCode') as BrowserSessionOf;
    expect([removed.amountDiscount, removed.amountTotal, removed.discounts]).toEqual([0, 3999, []]);
  });

  it('refuses an unknown, inactive or other-currency code, and any code without allow_promotion_codes, as invalidCode; the session stays', async () => {
    const session = await promoSession();
    const secret = session.client_secret!;
    act(secret, 'applyPromotionCode', save);
    for (const code of ['NOPE', 'OFF-NOW', 'EUROS']) {
      expect(act(secret, 'applyPromotionCode', code)).toEqual({ refused: ['This code is invalid.', 'invalidCode', 400] });
    }
    expect(emulator.browserSession(secret)!.discounts).toEqual([{ promotionCode: save, amount: 375, percentOff: 15 }]);
    const closed = await promoSession(false);
    expect(act(closed.client_secret!, 'applyPromotionCode', save)).toEqual({ refused: ['This code is invalid.', 'invalidCode', 400] });
    expect((await stripe.checkout.sessions.retrieve(closed.id)).discounts).toEqual([]);
  });

  it('sets an adjustable quantity within its bounds, refuses others, unknown items, rates and optional items, and keeps the session', async () => {
    const session = await promoSession();
    const secret = session.client_secret!;
    const [shirt, gift] = emulator.browserSession(secret)!.lineItems;
    expect((act(secret, 'updateLineItemQuantity', { lineItem: shirt!.id, quantity: 4 }) as BrowserSessionOf).amountTotal).toBe(4 * 1999 + 500);
    expect([
      act(secret, 'updateLineItemQuantity', { lineItem: shirt!.id, quantity: 11 }),
      act(secret, 'updateLineItemQuantity', { lineItem: shirt!.id, quantity: 0 }),
      act(secret, 'updateLineItemQuantity', { lineItem: shirt!.id, quantity: 2.5 }),
      act(secret, 'updateLineItemQuantity', { lineItem: gift!.id, quantity: 2 }),
      act(secret, 'updateLineItemQuantity', { lineItem: 'li_nope', quantity: 2 }),
      act(secret, 'updateShippingOption', 'shr_nope'),
      act(secret, 'addOptionalLineItem', 'price_x'),
      act(secret, 'removeOptionalLineItem', 'price_x'),
      act(secret, 'refund'),
    ]).toEqual([
      { refused: ['The quantity of T-shirt must be between 1 and 10', null, 400] },
      { refused: ['The quantity of T-shirt must be between 1 and 10', null, 400] },
      { refused: ['The quantity of T-shirt must be between 1 and 10', null, 400] },
      { refused: ['The quantity of Gift wrap cannot be changed', null, 400] },
      { refused: ['No such line item: li_nope', null, 400] },
      { refused: ['No such shipping option: shr_nope', null, 400] },
      { refused: ['No such optional item: price_x', null, 400] },
      { refused: ['The optional item price_x is not on this session', null, 400] },
      { refused: ['Unknown action refund', null, 400] },
    ]);
    expect(summary(await lineItemsOf(session.id))).toEqual([['T-shirt', 1999, 4], ['Gift wrap', 500, 1]]);
    // A retransmission by id keeps the bounds, and must respect them.
    const kept = await stripe.checkout.sessions.update(session.id, { line_items: [{ id: shirt!.id }, { id: gift!.id }], expand: ['line_items'] });
    expect(kept.line_items!.data[0]!.adjustable_quantity).toEqual({ enabled: true, minimum: 1, maximum: 10 });
    const over = await rejection(stripe.checkout.sessions.update(session.id, { line_items: [{ id: shirt!.id, quantity: 12 }] }));
    expect([over.code, over.param]).toEqual(['parameter_invalid', 'line_items[0][quantity]']);
    expect(act('cs_test_nope_secret_x', 'removePromotionCode')).toBeNull();
    await stripe.checkout.sessions.expire(session.id);
    expect(act(secret, 'removePromotionCode')).toEqual({ refused: ['This Checkout Session is no longer active.', null, 409] });
  });

  it("refuses optional_items on an elements session, shipping_rate ids, other rate types and currencies, and bounds that do not hold the quantity", async () => {
    const base = { mode: 'payment' as const, ui_mode: 'elements' as const, return_url: RETURN_URL };
    const rate = (data: object) => [{ shipping_rate_data: { type: 'fixed_amount', display_name: 'Standard', fixed_amount: { amount: 0, currency: 'usd' }, ...data } }] as Stripe.Checkout.SessionCreateParams.ShippingOption[];
    const errors = await Promise.all([
      rejection(stripe.checkout.sessions.create({ ...base, line_items: [item('T-shirt', 2000)], optional_items: [{ price: 'price_x', quantity: 1 }] })),
      rejection(stripe.checkout.sessions.create({ ...base, line_items: [item('T-shirt', 2000)], shipping_options: [{ shipping_rate: 'shr_x' }] })),
      rejection(stripe.checkout.sessions.create({ ...base, line_items: [item('T-shirt', 2000)], shipping_options: rate({ fixed_amount: { amount: 0, currency: 'eur' } }) })),
      rejection(stripe.checkout.sessions.create({ ...base, line_items: [item('T-shirt', 2000)], shipping_options: rate({ display_name: '' }) })),
      rejection(stripe.checkout.sessions.create({ ...base, line_items: [item('T-shirt', 2000)], shipping_options: Array(6).fill(rate({})[0]) })),
      rejection(stripe.checkout.sessions.create({ ...base, line_items: [{ ...item('T-shirt', 2000, 120), adjustable_quantity: { enabled: true } }] })),
      rejection(stripe.checkout.sessions.create({ ...base, line_items: [{ ...item('T-shirt', 2000), adjustable_quantity: { enabled: true, minimum: 5, maximum: 3 } }] })),
    ]);
    expect(errors.map((e) => [e.code, e.param])).toEqual([
      ['parameter_invalid', 'optional_items'],
      ['parameter_invalid', 'shipping_options[0][shipping_rate]'],
      ['parameter_invalid', 'shipping_options[0][shipping_rate_data][fixed_amount][currency]'],
      ['parameter_invalid', 'shipping_options[0][shipping_rate_data][display_name]'],
      ['parameter_invalid', 'shipping_options'],
      ['parameter_invalid', 'line_items[0][quantity]'],
      ['parameter_invalid', 'line_items[0][adjustable_quantity]'],
    ]);
    // Defaults: 0 to 99.
    const session = await stripe.checkout.sessions.create({ ...base, line_items: [{ ...item('T-shirt', 2000), adjustable_quantity: { enabled: true } }], expand: ['line_items'] });
    expect(session.line_items!.data[0]!.adjustable_quantity).toEqual({ enabled: true, minimum: 0, maximum: 99 });
  });

  it('a quantity of 0 removes an adjustable item, but never the last one', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'payment', ui_mode: 'elements', return_url: RETURN_URL,
      line_items: [{ ...item('T-shirt', 2000), adjustable_quantity: { enabled: true } }, { ...item('Socks', 500), adjustable_quantity: { enabled: true } }],
    });
    const secret = session.client_secret!;
    const [shirt, socks] = emulator.browserSession(secret)!.lineItems;
    expect((act(secret, 'updateLineItemQuantity', { lineItem: socks!.id, quantity: 0 }) as BrowserSessionOf).lineItems.map((li) => li.name)).toEqual(['T-shirt']);
    expect(act(secret, 'updateLineItemQuantity', { lineItem: shirt!.id, quantity: 0 })).toEqual({ refused: ['T-shirt is the only item and cannot be removed', null, 400] });
  });
});

type BrowserSessionOf = NonNullable<ReturnType<StripeEmulator['browserSession']>>;
