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
