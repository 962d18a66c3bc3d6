// The example server over real HTTP, in emulator mode: validation before Stripe, session
// states, the line_items it sends, idempotent repeats, the delta endpoint, two tabs
// updating one session at once, and the PaymentIntent routes.
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createExampleServer, type ExampleServer } from '../examples/server/app.js';
import type { BrowserSession, RecordedRequest } from '../examples/server/emulator.js';
import { ensurePromotionCodes, oncePromotionCodes } from '../examples/server/promotions.js';
import { createFakeStripe, type FakeRemoteSession } from '../src/testing/index.js';
import { answer, listen, post as postTo, stop } from './helpers/http.js';

let server: ExampleServer;
let http: Server;
let base: string;
const logs: string[] = [];

beforeAll(async () => {
  server = await createExampleServer({ env: {}, log: (line) => logs.push(line) });
  ({ http, base } = await listen(server.app));
});
afterAll(async () => {
  await stop(http);
  await server.close();
});
// No request may make the server fail (it logs every 5xx).
afterEach(() => {
  expect(logs.splice(0).filter((line) => line.startsWith('example server: 5'))).toEqual([]);
});

const emulator = () => server.emulator!;
/** The emulator requests made by `fn`. */
async function stripeCalls(fn: () => Promise<unknown>): Promise<RecordedRequest[]> {
  const from = emulator().requests.length;
  await fn();
  return emulator().requests.slice(from);
}

async function newSession() {
  const res = await fetch(`${base}/checkout-session`, { method: 'POST' });
  const { clientSecret } = (await res.json()) as { clientSecret: string };
  const id = clientSecret.split('_secret_')[0]!;
  return { id, clientSecret, items: () => emulator().browserSession(clientSecret)!.lineItems };
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) => postTo(base, path, body, headers);

const update = (id: string, selection: unknown, changes: unknown = {}, headers?: Record<string, string>) =>
  post('/update-checkout', { checkout_session_id: id, selection, changes }, headers);
const toggle = (id: string, productId: unknown, key?: string) =>
  post('/update-custom-amount', { checkout_session_id: id, product_id: productId }, key ? { 'Idempotency-Key': key } : {});

/** How the server records a toggle's key on the session: the first 12 base64url characters of its SHA-256. */
const digest = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 12);
/** The session metadata the delta endpoint writes: its four record values, all sent on every write. */
const toggleKeys = (...values: string[]) =>
  Object.fromEntries([0, 1, 2, 3].map((i) => [`toggle_keys_${i}`, values[i] ?? '']));

const addOn = (name: string, unitAmount: number, addon: string, value: string, quantity = 1) => ({
  price_data: { currency: 'usd', unit_amount: String(unitAmount), product_data: { name } },
  quantity: String(quantity),
  metadata: { addon, value },
});

const INVALID = 'Something in this request was not right. Please reload the page and try again.';
const UNKNOWN_SESSION = 'This checkout could not be found. Please reload the page.';
const UNKNOWN_PAYMENT = 'This payment could not be found. Please reload the page.';

async function newIntent() {
  const res = await fetch(`${base}/payment-intent`, { method: 'POST' });
  const { clientSecret } = (await res.json()) as { clientSecret: string };
  const id = clientSecret.split('_secret_')[0]!;
  return { id, clientSecret, state: () => emulator().paymentIntent(id)! };
}
const updateIntent = (id: unknown, selection: unknown, changes: unknown = {}, headers?: Record<string, string>) =>
  post('/update-payment-intent', { payment_intent_id: id, selection, changes }, headers);
/** The metadata the server writes for a selection: every name, as text. */
const selectionMetadata = (changed: Record<string, string> = {}) =>
  ({ quantity: '1', gift_wrap: 'false', insurance: 'false', warranty_years: '0', shipping: 'standard', tip: '0', ...changed });
/** The key the server sends to Stripe for a request's Idempotency-Key on an intent. */
const stripeKey = (id: string, key: string) => `update-payment-intent-${createHash('sha256').update(`${id}\n${key}`).digest('base64url')}`;

/** The T-shirt line every session starts with, as the emulator decodes it. */
const SHIRT_LINE = { price_data: { currency: 'usd', unit_amount: '2000', product_data: { name: 'T-shirt' } }, quantity: '1', metadata: { item: 'tshirt' } };
/** The session create request the server sends, with these parameters beside mode, ui_mode and return_url. */
const createRequest = (params: object) => ({
  method: 'POST',
  path: '/v1/checkout/sessions',
  params: { mode: 'payment', ui_mode: 'elements', return_url: `${base}/return.html?session_id={CHECKOUT_SESSION_ID}`, ...params },
});

describe('POST /checkout-session', () => {
  it('creates an elements session with the T-shirt and answers only its client secret', async () => {
    const calls = await stripeCalls(async () => {
      const res = await fetch(`${base}/checkout-session`, { method: 'POST' });
      const { status, body } = await answer(res);
      expect(status).toBe(200);
      expect(Object.keys(body as object)).toEqual(['clientSecret']);
      expect((body as { clientSecret: string }).clientSecret).toMatch(/^cs_test_[A-Za-z0-9]+_secret_[A-Za-z0-9]+$/);
    });
    expect(calls).toEqual([createRequest({ line_items: [SHIRT_LINE] })]);
  });
});

describe('GET /checkout-session-status (the return page)', () => {
  it('answers how the session stands, and nothing else: open and unpaid, then complete and paid', async () => {
    const { id } = await newSession();
    const status = async () => answer(await fetch(`${base}/checkout-session-status?session_id=${id}`));
    expect(await status()).toEqual({ status: 200, body: { status: 'open', payment_status: 'unpaid', amount_total: 2000, currency: 'usd' } });
    emulator().complete(id);
    expect(await status()).toEqual({ status: 200, body: { status: 'complete', payment_status: 'paid', amount_total: 2000, currency: 'usd' } });
  });

  it('refuses a malformed session id with 400, before Stripe, and an unknown one with 404', async () => {
    const calls = await stripeCalls(async () => {
      expect((await answer(await fetch(`${base}/checkout-session-status?session_id=pi_123`))).status).toBe(400);
      expect((await answer(await fetch(`${base}/checkout-session-status`))).status).toBe(400);
    });
    expect(calls).toEqual([]);
    expect(await answer(await fetch(`${base}/checkout-session-status?session_id=cs_test_unknown1`))).toEqual({ status: 404, body: { error: 'This checkout could not be found. Please reload the page.' } });
  });
});

describe('validation, before Stripe is called', () => {
  let id: string;
  beforeAll(async () => {
    ({ id } = await newSession());
  });

  const selectionCases: [string, unknown, string][] = [
    ['an unknown add-on', { gift_card: true }, 'One of the options you chose is not available.'],
    ['a negative quantity', { quantity: -1 }, 'Choose between 1 and 10 T-shirts.'],
    ['a zero quantity', { quantity: 0 }, 'Choose between 1 and 10 T-shirts.'],
    ['a huge quantity', { quantity: 1e9 }, 'Choose between 1 and 10 T-shirts.'],
    ['a fractional quantity', { quantity: 1.5 }, 'Choose between 1 and 10 T-shirts.'],
    ['a quantity as text', { quantity: '2' }, 'Choose between 1 and 10 T-shirts.'],
    ['a boolean as text', { gift_wrap: 'true' }, 'Gift wrap is either on or off.'],
    ['a boolean as a number', { insurance: 1 }, 'Shipping insurance is either on or off.'],
    ['a warranty too long', { warranty_years: 4 }, 'Choose a warranty of 0 to 3 years.'],
    ['an unknown shipping speed', { shipping: 'overnight' }, 'Choose standard or express shipping.'],
    ['a tip as a number', { tip: 10 }, 'Choose a tip of 0, 10, 15 or 20 percent.'],
    ['a tip not offered', { tip: '12' }, 'Choose a tip of 0, 10, 15 or 20 percent.'],
    ['a selection that is an array', [true], 'The options you chose could not be read.'],
    ['a selection that is text', 'gift_wrap', 'The options you chose could not be read.'],
  ];

  it.each(selectionCases)('refuses %s with 400', async (_, selection, error) => {
    const calls = await stripeCalls(async () => {
      expect(await answer(await update(id, selection))).toEqual({ status: 400, body: { error } });
    });
    expect(calls).toEqual([]);
  });

  it('checks `changes` as it checks `selection`, and wants a selection', async () => {
    const calls = await stripeCalls(async () => {
      expect(await answer(await update(id, { gift_wrap: true }, { gift_card: true })))
        .toEqual({ status: 400, body: { error: 'One of the options you chose is not available.' } });
      expect(await answer(await post('/update-checkout', { checkout_session_id: id })))
        .toEqual({ status: 400, body: { error: 'The options you chose could not be read.' } });
    });
    expect(calls).toEqual([]);
  });

  const rawCases: [string, string][] = [
    ['__proto__ at the top', `{"__proto__": {"isAdmin": true}, "checkout_session_id": "ID", "selection": {}}`],
    ['__proto__ in the selection', `{"checkout_session_id": "ID", "selection": {"__proto__": {"gift_wrap": true}}}`],
    ['constructor in the selection', `{"checkout_session_id": "ID", "selection": {"constructor": {"prototype": {"x": 1}}}}`],
    ['prototype deep inside', `{"checkout_session_id": "ID", "selection": {}, "changes": {"a": [{"prototype": 1}]}}`],
    ['a key not in the body', `{"checkout_session_id": "ID", "selection": {}, "price": 1}`],
    ['JSON that does not parse', `{"checkout_session_id": "ID", "selection": {`],
    ['JSON that is not an object', `["ID"]`],
  ];

  it.each(rawCases)('refuses %s with 400', async (_, text) => {
    const calls = await stripeCalls(async () => {
      expect(await answer(await post('/update-checkout', text.replace('ID', id)))).toEqual({ status: 400, body: { error: INVALID } });
    });
    expect(calls).toEqual([]);
  });

  it.each([
    ['missing', undefined],
    ['a number', 42],
    ['another kind of id', 'pi_3MtwBwLkdIwHu7ix28a3tqPa'],
    ['with a character not allowed', 'cs_test_abc!def'],
    ['empty after the prefix', 'cs_test_'],
    ['too long', `cs_test_${'a'.repeat(201)}`],
  ])('refuses a session id that is %s with 400', async (_, sessionId) => {
    const calls = await stripeCalls(async () => {
      expect(await answer(await post('/update-checkout', { checkout_session_id: sessionId, selection: {} })))
        .toEqual({ status: 400, body: { error: UNKNOWN_SESSION } });
      expect(await answer(await post('/update-custom-amount', { checkout_session_id: sessionId, product_id: 'gift_wrap' })))
        .toEqual({ status: 400, body: { error: UNKNOWN_SESSION } });
    });
    expect(calls).toEqual([]);
  });

  it('refuses a body over 2 kB with 413', async () => {
    const body = JSON.stringify({ checkout_session_id: id, selection: { tip: 'x'.repeat(2100) } });
    expect(body.length).toBeGreaterThan(2048);
    const calls = await stripeCalls(async () => {
      expect(await answer(await post('/update-checkout', body))).toEqual({ status: 413, body: { error: 'This request is too large.' } });
      expect(await answer(await post('/update-custom-amount', body))).toEqual({ status: 413, body: { error: 'This request is too large.' } });
    });
    expect(calls).toEqual([]);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['JSON under another type', 'application/vnd.api+json'],
  ])('refuses %s with 415', async (_, type) => {
    const calls = await stripeCalls(async () => {
      for (const path of ['/update-checkout', '/update-custom-amount']) {
        const res = await post(path, { checkout_session_id: id, selection: {} }, { 'Content-Type': type });
        expect(await answer(res)).toEqual({ status: 415, body: { error: 'Please send this request as JSON.' } });
      }
    });
    expect(calls).toEqual([]);
  });

  it('refuses a request with no body and no content type with 415', async () => {
    const res = await fetch(`${base}/update-checkout`, { method: 'POST' });
    expect(await answer(res)).toEqual({ status: 415, body: { error: 'Please send this request as JSON.' } });
  });

  it('refuses a malformed Idempotency-Key with 400', async () => {
    const calls = await stripeCalls(async () => {
      expect(await answer(await update(id, {}, {}, { 'Idempotency-Key': 'two words' }))).toEqual({ status: 400, body: { error: INVALID } });
      expect(await answer(await post('/update-custom-amount', { checkout_session_id: id, product_id: 'gift_wrap' }, { 'Idempotency-Key': 'x'.repeat(256) })))
        .toEqual({ status: 400, body: { error: INVALID } });
    });
    expect(calls).toEqual([]);
  });

  it.each([
    ['an unknown add-on', 'gift_card', 'That option is not available.'],
    ['a name from the prototype', 'constructor', 'That option is not available.'],
    ['__proto__', '__proto__', 'That option is not available.'],
    ['a number', 7, 'That option is not available.'],
    ['an add-on that is not on or off', 'shipping', 'That option cannot be switched on or off.'],
    ['the quantity', 'quantity', 'That option cannot be switched on or off.'],
  ])('the delta endpoint refuses %s with 400', async (_, productId, error) => {
    const calls = await stripeCalls(async () => {
      expect(await answer(await toggle(id, productId))).toEqual({ status: 400, body: { error } });
    });
    expect(calls).toEqual([]);
  });

  it('a well-formed id Stripe does not know is a 404, after one retrieve', async () => {
    const unknown = `cs_test_${'a'.repeat(58)}`;
    const calls = await stripeCalls(async () => {
      expect(await answer(await update(unknown, {}))).toEqual({ status: 404, body: { error: UNKNOWN_SESSION } });
    });
    expect(calls).toEqual([{ method: 'GET', path: `/v1/checkout/sessions/${unknown}`, params: { expand: ['line_items', 'discounts.coupon'] } }]);
  });

  describe('POST /update-payment-intent, as /update-checkout', () => {
    let intentId: string;
    beforeAll(async () => {
      ({ id: intentId } = await newIntent());
    });

    it.each(selectionCases)('refuses %s with 400', async (_, selection, error) => {
      const calls = await stripeCalls(async () => {
        expect(await answer(await updateIntent(intentId, selection))).toEqual({ status: 400, body: { error } });
      });
      expect(calls).toEqual([]);
    });

    it('checks `changes` as it checks `selection`, and wants a selection', async () => {
      const calls = await stripeCalls(async () => {
        expect(await answer(await updateIntent(intentId, { gift_wrap: true }, { gift_card: true })))
          .toEqual({ status: 400, body: { error: 'One of the options you chose is not available.' } });
        expect(await answer(await post('/update-payment-intent', { payment_intent_id: intentId })))
          .toEqual({ status: 400, body: { error: 'The options you chose could not be read.' } });
      });
      expect(calls).toEqual([]);
    });

    it.each(rawCases)('refuses %s with 400', async (_, text) => {
      const body = text.replace('checkout_session_id', 'payment_intent_id').replace('ID', intentId);
      const calls = await stripeCalls(async () => {
        expect(await answer(await post('/update-payment-intent', body))).toEqual({ status: 400, body: { error: INVALID } });
      });
      expect(calls).toEqual([]);
    });

    it.each([
      ['missing', undefined],
      ['a number', 42],
      ['a session id', 'cs_test_a1b2c3'],
      ['a client secret', 'pi_abc_secret_def'],
      ['with a character not allowed', 'pi_abc!def'],
      ['empty after the prefix', 'pi_'],
      ['too long', `pi_${'a'.repeat(201)}`],
    ])('refuses a payment intent id that is %s with 400', async (_, intent) => {
      const calls = await stripeCalls(async () => {
        expect(await answer(await updateIntent(intent, {}))).toEqual({ status: 400, body: { error: UNKNOWN_PAYMENT } });
      });
      expect(calls).toEqual([]);
    });

    it('wants an Idempotency-Key, and a well-formed one', async () => {
      const body = JSON.stringify({ payment_intent_id: intentId, selection: { gift_wrap: true } });
      const calls = await stripeCalls(async () => {
        const none = await fetch(`${base}/update-payment-intent`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
        expect(await answer(none)).toEqual({ status: 400, body: { error: INVALID } });
        expect(await answer(await updateIntent(intentId, {}, {}, { 'Idempotency-Key': 'two words' }))).toEqual({ status: 400, body: { error: INVALID } });
        expect(await answer(await updateIntent(intentId, {}, {}, { 'Idempotency-Key': 'x'.repeat(256) }))).toEqual({ status: 400, body: { error: INVALID } });
      });
      expect(calls).toEqual([]);
    });

    it('refuses a body over 2 kB with 413, and one that is not JSON with 415', async () => {
      const body = JSON.stringify({ payment_intent_id: intentId, selection: { tip: 'x'.repeat(2100) } });
      const calls = await stripeCalls(async () => {
        expect(await answer(await post('/update-payment-intent', body))).toEqual({ status: 413, body: { error: 'This request is too large.' } });
        const form = await post('/update-payment-intent', { payment_intent_id: intentId, selection: {} }, { 'Content-Type': 'application/x-www-form-urlencoded' });
        expect(await answer(form)).toEqual({ status: 415, body: { error: 'Please send this request as JSON.' } });
      });
      expect(calls).toEqual([]);
    });

    it('does not let an amount from the request reach Stripe', async () => {
      const calls = await stripeCalls(async () => {
        expect((await updateIntent(intentId, { gift_wrap: true, amount: 1 })).status).toBe(400);
        expect((await post('/update-payment-intent', { payment_intent_id: intentId, selection: {}, amount: 1 })).status).toBe(400);
      });
      expect(calls).toEqual([]);
    });

    it('a well-formed id Stripe does not know is a 404, after one retrieve', async () => {
      const unknown = `pi_${'a'.repeat(24)}`;
      const calls = await stripeCalls(async () => {
        expect(await answer(await updateIntent(unknown, {}))).toEqual({ status: 404, body: { error: UNKNOWN_PAYMENT } });
      });
      expect(calls).toEqual([{ method: 'GET', path: `/v1/payment_intents/${unknown}`, params: {} }]);
    });
  });
});

describe('sessions that have ended', () => {
  it('answers 409 for a completed session, and does not update it', async () => {
    const { id } = await newSession();
    expect(await answer(await post(`/__emulator/complete/${id}`, ''))).toEqual({ status: 200, body: { id, status: 'complete' } });

    const calls = await stripeCalls(async () => {
      expect(await answer(await update(id, { gift_wrap: true }))).toEqual({ status: 409, body: { error: 'This checkout has already been paid.' } });
      expect(await answer(await toggle(id, 'gift_wrap'))).toEqual({ status: 409, body: { error: 'This checkout has already been paid.' } });
    });
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([`GET /v1/checkout/sessions/${id}`, `GET /v1/checkout/sessions/${id}`]);
  });

  it('answers 409 for an expired session, and does not update it', async () => {
    const { id, items } = await newSession();
    expect(await answer(await post(`/__emulator/expire/${id}`, ''))).toEqual({ status: 200, body: { id, status: 'expired' } });
    expect(await answer(await post(`/__emulator/expire/${id}`, ''))).toEqual({ status: 409, body: { error: 'This checkout is not open.' } });

    const calls = await stripeCalls(async () => {
      const expired = { status: 409, body: { error: 'This checkout has expired. Please reload the page to start again.' } };
      expect(await answer(await update(id, { gift_wrap: true }))).toEqual(expired);
      expect(await answer(await toggle(id, 'gift_wrap'))).toEqual(expired);
    });
    expect(calls.map((c) => c.method)).toEqual(['GET', 'GET']);
    expect(items().map((li) => li.name)).toEqual(['T-shirt']);
  });
});

describe('POST /update-checkout', () => {
  it('retransmits the T-shirt by id and prices each chosen add-on from the catalog', async () => {
    const { id, items } = await newSession();
    const [shirt] = items();
    const selection = { gift_wrap: true, insurance: false, warranty_years: 2, shipping: 'express', tip: '10', quantity: 1 };

    const calls = await stripeCalls(async () => {
      expect(await answer(await update(id, selection, { gift_wrap: true })))
        .toEqual({ status: 200, body: { id, amount_total: 2000 + 500 + 2 * 1000 + 1500 + 200 } });
    });

    expect(calls).toEqual([
      { method: 'GET', path: `/v1/checkout/sessions/${id}`, params: { expand: ['line_items', 'discounts.coupon'] } },
      {
        method: 'POST',
        path: `/v1/checkout/sessions/${id}`,
        params: {
          line_items: [
            { id: shirt!.id, quantity: '1' },
            addOn('Gift wrap', 500, 'gift_wrap', 'true'),
            addOn('Extended warranty (per year)', 1000, 'warranty_years', '2', 2),
            addOn('Express shipping', 1500, 'shipping', 'express'),
            addOn('Tip (10%)', 200, 'tip', '10'),
          ],
        },
      },
    ]);
    expect(items().map((li) => [li.name, li.unitAmount, li.quantity])).toEqual([
      ['T-shirt', 2000, 1],
      ['Gift wrap', 500, 1],
      ['Extended warranty (per year)', 1000, 2],
      ['Express shipping', 1500, 1],
      ['Tip (10%)', 200, 1],
    ]);
  });

  it('keeps unchanged add-ons by id, re-prices the tip, and removes what is no longer chosen', async () => {
    const { id, items } = await newSession();
    await update(id, { gift_wrap: true, warranty_years: 2, shipping: 'express', tip: '10' });
    const [shirt, gift, , shipping] = items();

    const calls = await stripeCalls(async () => {
      // Two T-shirts, no warranty: the tip follows the T-shirts' subtotal.
      expect(await answer(await update(id, { quantity: 2, gift_wrap: true, shipping: 'express', tip: '10' })))
        .toEqual({ status: 200, body: { id, amount_total: 4000 + 500 + 1500 + 400 } });
    });

    expect(calls[1]!.params).toEqual({
      line_items: [
        { id: shirt!.id, quantity: '2' },
        { id: gift!.id },
        { id: shipping!.id },
        addOn('Tip (10%)', 400, 'tip', '10'),
      ],
    });
    expect(items().map((li) => [li.id === shirt!.id || li.id === gift!.id || li.id === shipping!.id, li.name, li.quantity])).toEqual([
      [true, 'T-shirt', 2],
      [true, 'Gift wrap', 1],
      [true, 'Express shipping', 1],
      [false, 'Tip (10%)', 1],
    ]);
  });

  it('a missing name or null takes the initial value, so an empty selection leaves only the T-shirt', async () => {
    const { id, items } = await newSession();
    await update(id, { gift_wrap: true, quantity: 3 });
    const [shirt] = items();

    expect(await answer(await update(id, { gift_wrap: null }))).toEqual({ status: 200, body: { id, amount_total: 2000 } });
    expect(items()).toEqual([{ id: shirt!.id, price: shirt!.price, name: 'T-shirt', unitAmount: 2000, quantity: 1, adjustableQuantity: null }]);
  });

  it('is idempotent: the same request again gives the same total and line items, and writes nothing', async () => {
    const { id, items } = await newSession();
    const selection = { gift_wrap: true, tip: '15', warranty_years: 1 };
    const first = await answer(await update(id, selection));
    const after = items();

    const calls = await stripeCalls(async () => {
      for (let i = 0; i < 3; i++) expect(await answer(await update(id, selection))).toEqual(first);
    });

    expect(first).toEqual({ status: 200, body: { id, amount_total: 2000 + 500 + 1000 + 300 } });
    expect(calls.map((c) => c.method)).toEqual(['GET', 'GET', 'GET']);
    expect(items()).toEqual(after);
  });

  it('does not let a price or name from the request reach Stripe', async () => {
    const { id } = await newSession();
    const calls = await stripeCalls(async () => {
      expect((await update(id, { gift_wrap: true, unit_amount: 1 })).status).toBe(400);
      expect((await post('/update-checkout', { checkout_session_id: id, selection: { gift_wrap: true }, amount: 1 })).status).toBe(400);
    });
    expect(calls).toEqual([]);
  });
});

describe('POST /update-custom-amount (delta)', () => {
  it('toggles an add-on on and off, keeping the rest by id', async () => {
    const { id, items } = await newSession();
    await update(id, { tip: '20' });
    const [shirt, tip] = items();

    const on = await stripeCalls(async () => {
      expect(await answer(await toggle(id, 'gift_wrap', 'toggle-1'))).toEqual({ status: 200, body: { id, amount_total: 2000 + 400 + 500 } });
    });
    expect(on[1]).toEqual({
      method: 'POST',
      path: `/v1/checkout/sessions/${id}`,
      params: {
        line_items: [{ id: shirt!.id, quantity: '1' }, addOn('Gift wrap', 500, 'gift_wrap', 'true'), { id: tip!.id }],
        metadata: toggleKeys(`${digest('toggle-1')}:2900`),
      },
    });

    const off = await stripeCalls(async () => {
      expect(await answer(await toggle(id, 'gift_wrap', 'toggle-2'))).toEqual({ status: 200, body: { id, amount_total: 2000 + 400 } });
    });
    expect(off[1]!.params).toEqual({
      line_items: [{ id: shirt!.id, quantity: '1' }, { id: tip!.id }],
      metadata: toggleKeys(`${digest('toggle-1')}:2900 ${digest('toggle-2')}:2400`),
    });

    expect(await answer(await toggle(id, 'insurance', 'toggle-3'))).toEqual({ status: 200, body: { id, amount_total: 2000 + 300 + 400 } });
    expect(items().map((li) => li.name)).toEqual(['T-shirt', 'Shipping insurance', 'Tip (20%)']);
  });

  it('a retry with the same Idempotency-Key does not toggle again', async () => {
    const { id, items } = await newSession();
    expect(await answer(await toggle(id, 'gift_wrap', 'retry-me'))).toEqual({ status: 200, body: { id, amount_total: 2500 } });
    const after = items();

    const calls = await stripeCalls(async () => {
      expect(await answer(await toggle(id, 'gift_wrap', 'retry-me'))).toEqual({ status: 200, body: { id, amount_total: 2500 } });
    });
    expect(calls.map((c) => c.method)).toEqual(['GET']);
    expect(items()).toEqual(after);
  });

  it('a retry of a toggle after another tab toggled gets its first answer again and toggles nothing', async () => {
    const { id, items } = await newSession();
    // Tab 1 switches gift wrap on and loses the reply; tab 2 switches insurance on; tab 1 retries.
    expect(await answer(await toggle(id, 'gift_wrap', 'tab-1'))).toEqual({ status: 200, body: { id, amount_total: 2500 } });
    expect(await answer(await toggle(id, 'insurance', 'tab-2'))).toEqual({ status: 200, body: { id, amount_total: 2800 } });
    const after = items();

    const calls = await stripeCalls(async () => {
      expect(await answer(await toggle(id, 'gift_wrap', 'tab-1'))).toEqual({ status: 200, body: { id, amount_total: 2500 } });
      expect(await answer(await toggle(id, 'insurance', 'tab-2'))).toEqual({ status: 200, body: { id, amount_total: 2800 } });
    });
    expect(calls.map((c) => c.method)).toEqual(['GET', 'GET']);
    expect(items()).toEqual(after);
    expect(after.map((li) => li.name)).toEqual(['T-shirt', 'Gift wrap', 'Shipping insurance']);
  });

  it('remembers the keys of the last 50 toggles, whatever their length, within Stripe\'s metadata limits', async () => {
    const { id } = await newSession();
    // 255 characters, the longest key the server accepts: 50 of them would not fit in metadata as they are.
    const keys = Array.from({ length: 51 }, (_, i) => `${i}-`.padEnd(255, 'k'));
    const totals: number[] = [];
    for (const key of keys) totals.push(((await answer(await toggle(id, 'gift_wrap', key))).body as { amount_total: number }).amount_total);
    expect(totals).toEqual(keys.map((_, i) => (i % 2 === 0 ? 2500 : 2000)));

    const replays = await stripeCalls(async () => {
      for (const [i, key] of keys.entries()) {
        if (i === 0) continue;
        expect(await answer(await toggle(id, 'gift_wrap', key))).toEqual({ status: 200, body: { id, amount_total: totals[i] } });
      }
    });
    expect(replays.map((c) => c.method)).toEqual(Array(50).fill('GET'));

    const { metadata } = await server.stripe.checkout.sessions.retrieve(id);
    const entries = keys.slice(1).map((key, i) => `${digest(key)}:${totals[i + 1]}`);
    expect(metadata).toEqual({
      toggle_keys_0: entries.slice(0, 16).join(' '),
      toggle_keys_1: entries.slice(16, 32).join(' '),
      toggle_keys_2: entries.slice(32, 48).join(' '),
      toggle_keys_3: entries.slice(48).join(' '),
    });
    expect(Object.values(metadata!).map((value) => value.length <= 500)).toEqual([true, true, true, true]);

    // The 51st key back is forgotten: it toggles gift wrap off again (the library retries within
    // seconds, not 50 toggles later).
    const forgotten = await stripeCalls(async () => {
      expect(await answer(await toggle(id, 'gift_wrap', keys[0]))).toEqual({ status: 200, body: { id, amount_total: 2000 } });
    });
    expect(forgotten.map((c) => c.method)).toEqual(['GET', 'POST']);
  });
});

/**
 * Holds every write the server sends to Stripe (`checkout.sessions.update`) until the test lets
 * it go, so that two requests interleave exactly as a test says: both read the session, then
 * their writes reach the emulator in a chosen order. The emulator itself is untouched.
 */
function holdWrites() {
  const sessions = server.stripe.checkout.sessions;
  const write = sessions.update.bind(sessions);
  const held: (() => void)[] = [];
  const spy = vi.spyOn(sessions, 'update').mockImplementation((...args: Parameters<typeof write>) =>
    new Promise<void>((release) => held.push(release)).then(() => write(...args)));
  return {
    /** Resolves once `count` writes have been held since the start; fails after a second. */
    until: (count: number) => vi.waitFor(() => expect(held).toHaveLength(count), { interval: 1 }),
    /** Sends the `index`-th write held (0 first) on to the emulator. */
    release: (index: number) => held[index]!(),
    restore: () => spy.mockRestore(),
  };
}

describe('two tabs updating one session at once', () => {
  let writes: ReturnType<typeof holdWrites>;
  afterEach(() => writes.restore());

  const CHANGED = { status: 409, body: { error: 'This checkout changed in another tab. Please check your choices.' } };
  const lineItemIds = (call: RecordedRequest | undefined) =>
    (call!.params['line_items'] as { id?: string }[]).map((li) => li.id ?? 'new');

  /** A session with the T-shirt, gift wrap and insurance, whose next writes are held. */
  async function sessionToRaceOn() {
    const session = await newSession();
    await update(session.id, { gift_wrap: true, insurance: true });
    writes = holdWrites();
    return { ...session, lineItems: session.items() };
  }

  /** Both requests read the session; then `first` writes and is answered, and `second`'s write is still held. */
  async function bothRead(first: () => Promise<Response>, second: () => Promise<Response>) {
    const a = first();
    await writes.until(1);
    const b = second();
    await writes.until(2);
    writes.release(0);
    return { first: await answer(await a), second: b };
  }

  it('a whole selection that lost the race reads the session again and is applied: 200 and 200', async () => {
    const { id, items, lineItems: [shirt, gift, insurance] } = await sessionToRaceOn();

    const calls = await stripeCalls(async () => {
      // Tab A keeps gift wrap and drops insurance; tab B keeps insurance (by id) and drops gift wrap.
      const { first, second } = await bothRead(() => update(id, { gift_wrap: true }), () => update(id, { insurance: true }));
      expect(first).toEqual({ status: 200, body: { id, amount_total: 2500 } });
      writes.release(1); // B retransmits the insurance line A just removed
      await writes.until(3);
      writes.release(2);
      expect(await answer(await second)).toEqual({ status: 200, body: { id, amount_total: 2300 } });
    });

    expect(calls.map((c) => c.method)).toEqual(['GET', 'GET', 'POST', 'POST', 'GET', 'POST']);
    expect(lineItemIds(calls[2])).toEqual([shirt!.id, gift!.id]);
    expect(lineItemIds(calls[3])).toEqual([shirt!.id, insurance!.id]);
    expect(lineItemIds(calls[5])).toEqual([shirt!.id, 'new']);
    expect(items().map((li) => [li.name, li.quantity])).toEqual([['T-shirt', 1], ['Shipping insurance', 1]]);
  });

  it('a whole selection that loses the race twice is a 409 with words for the customer, never a 5xx', async () => {
    const { id, items, lineItems: [shirt, gift, insurance] } = await sessionToRaceOn();

    const calls = await stripeCalls(async () => {
      const { first, second } = await bothRead(() => update(id, { gift_wrap: true }), () => update(id, { gift_wrap: true, insurance: true, tip: '10' }));
      expect(first).toEqual({ status: 200, body: { id, amount_total: 2500 } });
      // Tab C reads after A and empties the selection, while B reads again after its first conflict.
      const c = update(id, {});
      await writes.until(3);
      writes.release(1);
      await writes.until(4);
      writes.release(2);
      expect(await answer(await c)).toEqual({ status: 200, body: { id, amount_total: 2000 } });
      writes.release(3); // B's second try retransmits the gift wrap line C just removed
      expect(await answer(await second)).toEqual(CHANGED);
    });

    expect(calls.map((c) => c.method)).toEqual(['GET', 'GET', 'POST', 'GET', 'POST', 'GET', 'POST', 'POST']);
    expect(lineItemIds(calls[4])).toEqual([shirt!.id, gift!.id, insurance!.id, 'new']);
    expect(lineItemIds(calls[7])).toEqual([shirt!.id, gift!.id, 'new', 'new']);
    expect(items().map((li) => li.name)).toEqual(['T-shirt']);
  });

  it('two toggles at once are both applied, and each key then replays its own answer', async () => {
    const { id, items } = await sessionToRaceOn();

    const calls = await stripeCalls(async () => {
      // Tab A switches gift wrap off, tab B insurance; B's first write retransmits the gift wrap line.
      const { first, second } = await bothRead(() => toggle(id, 'gift_wrap', 'tab-a'), () => toggle(id, 'insurance', 'tab-b'));
      expect(first).toEqual({ status: 200, body: { id, amount_total: 2300 } });
      writes.release(1);
      await writes.until(3);
      writes.release(2);
      expect(await answer(await second)).toEqual({ status: 200, body: { id, amount_total: 2000 } });
    });
    expect(calls.map((c) => c.method)).toEqual(['GET', 'GET', 'POST', 'POST', 'GET', 'POST']);
    expect(items().map((li) => li.name)).toEqual(['T-shirt']);

    const replays = await stripeCalls(async () => {
      expect(await answer(await toggle(id, 'gift_wrap', 'tab-a'))).toEqual({ status: 200, body: { id, amount_total: 2300 } });
      expect(await answer(await toggle(id, 'insurance', 'tab-b'))).toEqual({ status: 200, body: { id, amount_total: 2000 } });
    });
    expect(replays.map((c) => c.method)).toEqual(['GET', 'GET']);
  });
});

describe('POST /payment-intent', () => {
  it('creates an intent priced from the catalog, with the selection as metadata, and answers only its client secret', async () => {
    const calls = await stripeCalls(async () => {
      const { status, body } = await answer(await fetch(`${base}/payment-intent`, { method: 'POST' }));
      expect(status).toBe(200);
      expect(Object.keys(body as object)).toEqual(['clientSecret']);
      expect((body as { clientSecret: string }).clientSecret).toMatch(/^pi_[A-Za-z0-9]+_secret_[A-Za-z0-9]+$/);
    });
    expect(calls).toEqual([{
      method: 'POST',
      path: '/v1/payment_intents',
      params: { amount: '2000', currency: 'usd', automatic_payment_methods: { enabled: 'true' }, metadata: selectionMetadata() },
    }]);
  });
});

describe('GET /payment-intent-status (the return page)', () => {
  const status = async (query: string) => answer(await fetch(`${base}/payment-intent-status${query}`));

  it('answers how the payment stands, and nothing else', async () => {
    const { id } = await newIntent();
    expect(await status(`?payment_intent=${id}`)).toEqual({ status: 200, body: { status: 'requires_payment_method', amount: 2000, currency: 'usd' } });
    emulator().succeedPaymentIntent(id);
    const res = await fetch(`${base}/payment-intent-status?payment_intent=${id}`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await answer(res)).toEqual({ status: 200, body: { status: 'succeeded', amount: 2000, currency: 'usd' } });
  });

  it('refuses a malformed id with 400, before Stripe, and an unknown one with 404', async () => {
    const calls = await stripeCalls(async () => {
      expect(await status('?payment_intent=cs_test_abc')).toEqual({ status: 400, body: { error: UNKNOWN_PAYMENT } });
      expect(await status('')).toEqual({ status: 400, body: { error: UNKNOWN_PAYMENT } });
    });
    expect(calls).toEqual([]);
    expect(await status('?payment_intent=pi_unknown1')).toEqual({ status: 404, body: { error: UNKNOWN_PAYMENT } });
  });
});

describe('POST /update-payment-intent', () => {
  it('prices the selection from the catalog and writes the amount and the selection', async () => {
    const { id, state } = await newIntent();
    const selection = { gift_wrap: true, insurance: false, warranty_years: 2, shipping: 'express', tip: '10', quantity: 1 };

    const calls = await stripeCalls(async () => {
      expect(await answer(await updateIntent(id, selection, { gift_wrap: true })))
        .toEqual({ status: 200, body: { id, amount: 2000 + 500 + 2 * 1000 + 1500 + 200, currency: 'usd' } });
    });

    const metadata = selectionMetadata({ gift_wrap: 'true', warranty_years: '2', shipping: 'express', tip: '10' });
    expect(calls).toEqual([
      { method: 'GET', path: `/v1/payment_intents/${id}`, params: {} },
      { method: 'POST', path: `/v1/payment_intents/${id}`, params: { amount: '6200', metadata } },
    ]);
    expect(state()).toMatchObject({ status: 'requires_payment_method', amount: 6200, metadata });
  });

  it('a missing name or null takes the initial value: the tip follows the T-shirts, an empty selection is the T-shirt alone', async () => {
    const { id, state } = await newIntent();
    expect(await answer(await updateIntent(id, { quantity: 3, tip: '20' }))).toEqual({ status: 200, body: { id, amount: 6000 + 1200, currency: 'usd' } });
    expect(await answer(await updateIntent(id, { quantity: null }))).toEqual({ status: 200, body: { id, amount: 2000, currency: 'usd' } });
    expect(state()).toMatchObject({ amount: 2000, metadata: selectionMetadata() });
  });

  it('is idempotent: the same selection again answers the same and writes nothing', async () => {
    const { id } = await newIntent();
    const first = await answer(await updateIntent(id, { insurance: true }));
    const calls = await stripeCalls(async () => {
      for (let i = 0; i < 3; i++) expect(await answer(await updateIntent(id, { insurance: true }))).toEqual(first);
    });
    expect(first).toEqual({ status: 200, body: { id, amount: 2300, currency: 'usd' } });
    expect(calls.map((c) => c.method)).toEqual(['GET', 'GET', 'GET']);
  });

  it("sends the request's Idempotency-Key on to Stripe, namespaced to this route and intent", async () => {
    const { id } = await newIntent();
    const spy = vi.spyOn(server.stripe.paymentIntents, 'update');
    try {
      await updateIntent(id, { gift_wrap: true }, {}, { 'Idempotency-Key': 'tab-key-1' });
      expect(spy.mock.calls).toEqual([[id, { amount: 2500, metadata: selectionMetadata({ gift_wrap: 'true' }) }, { idempotencyKey: stripeKey(id, 'tab-key-1') }]]);
    } finally {
      spy.mockRestore();
    }
  });

  it("a retry whose first answer was lost gets Stripe's first answer again, and does not undo another tab's write", async () => {
    const { id, state } = await newIntent();
    // Tab A switches gift wrap on and loses the reply; tab B switches to insurance; tab A retries.
    expect(await answer(await updateIntent(id, { gift_wrap: true }, {}, { 'Idempotency-Key': 'tab-a' }))).toEqual({ status: 200, body: { id, amount: 2500, currency: 'usd' } });
    expect(await answer(await updateIntent(id, { insurance: true }, {}, { 'Idempotency-Key': 'tab-b' }))).toEqual({ status: 200, body: { id, amount: 2300, currency: 'usd' } });

    const calls = await stripeCalls(async () => {
      expect(await answer(await updateIntent(id, { gift_wrap: true }, {}, { 'Idempotency-Key': 'tab-a' }))).toEqual({ status: 200, body: { id, amount: 2500, currency: 'usd' } });
    });

    expect(calls.map((c) => c.method)).toEqual(['GET', 'POST']);
    expect(state()).toMatchObject({ amount: 2300, metadata: selectionMetadata({ insurance: 'true' }) });
  });

  it('refuses a key used before with another selection with 400, and changes nothing', async () => {
    const { id, state } = await newIntent();
    await updateIntent(id, { gift_wrap: true }, {}, { 'Idempotency-Key': 'used-once' });
    await updateIntent(id, {}, {}, { 'Idempotency-Key': 'back-to-start' });

    expect(await answer(await updateIntent(id, { insurance: true }, {}, { 'Idempotency-Key': 'used-once' }))).toEqual({ status: 400, body: { error: INVALID } });
    expect(state()).toMatchObject({ amount: 2000, metadata: selectionMetadata() });
  });
});

describe('payment intents that can no longer change', () => {
  it.each([
    ['processing', (id: string) => emulator().processPaymentIntent(id), 'This payment is being processed, so the order can no longer change.'],
    ['succeeded', (id: string) => emulator().succeedPaymentIntent(id), 'This checkout has already been paid.'],
    ['canceled', (id: string) => emulator().cancelPaymentIntent(id), 'This checkout was canceled. Please reload the page to start again.'],
  ])('answers 409 for an intent that is %s, after reading it, and does not write', async (status, move, error) => {
    const { id, state } = await newIntent();
    move(id);

    const calls = await stripeCalls(async () => {
      expect(await answer(await updateIntent(id, { gift_wrap: true }))).toEqual({ status: 409, body: { error } });
    });

    expect(calls).toEqual([{ method: 'GET', path: `/v1/payment_intents/${id}`, params: {} }]);
    expect(state()).toMatchObject({ status, amount: 2000, metadata: selectionMetadata() });
  });

  it("answers 409 when the shopper paid between the server's read and its write: Stripe refused the write", async () => {
    const { id, state } = await newIntent();
    const intents = server.stripe.paymentIntents;
    const write = intents.update.bind(intents);
    const spy = vi.spyOn(intents, 'update').mockImplementationOnce((...args: Parameters<typeof write>) => {
      emulator().succeedPaymentIntent(id);
      return write(...args);
    });
    try {
      const calls = await stripeCalls(async () => {
        expect(await answer(await updateIntent(id, { gift_wrap: true }))).toEqual({ status: 409, body: { error: 'This checkout has already been paid.' } });
      });
      expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([`GET /v1/payment_intents/${id}`, `POST /v1/payment_intents/${id}`]);
      expect(state()).toMatchObject({ status: 'succeeded', amount: 2000, metadata: selectionMetadata() });
    } finally {
      spy.mockRestore();
    }
  });
});

describe('GET /__emulator/payment_intent', () => {
  it('answers the intent as Stripe.js gives it to a publishable key: no metadata', async () => {
    const { id, clientSecret } = await newIntent();
    await updateIntent(id, { gift_wrap: true });
    const res = await fetch(`${base}/__emulator/payment_intent?client_secret=${encodeURIComponent(clientSecret)}`);
    const { status, body } = await answer(res);

    expect(status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(body).toEqual({
      id,
      object: 'payment_intent',
      amount: 2500,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: 'automatic',
      client_secret: clientSecret,
      confirmation_method: 'automatic',
      created: expect.any(Number),
      currency: 'usd',
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
  });

  it('refuses a malformed client secret with 400 and an unknown one with 404', async () => {
    const read = async (secret: string) => answer(await fetch(`${base}/__emulator/payment_intent?client_secret=${secret}`));
    expect(await read('nope')).toEqual({ status: 400, body: { error: UNKNOWN_PAYMENT } });
    expect(await read('cs_test_abc_secret_def')).toEqual({ status: 400, body: { error: UNKNOWN_PAYMENT } });
    expect(await read('pi_abc_secret_def')).toEqual({ status: 404, body: { error: UNKNOWN_PAYMENT } });
  });
});

describe('POST /__emulator/payment_intent/confirm', () => {
  const confirm = async (secret: string) =>
    answer(await fetch(`${base}/__emulator/payment_intent/confirm?client_secret=${encodeURIComponent(secret)}`, { method: 'POST' }));

  it('pays the intent as a test card would, answers it in the browser shape, and the server then refuses changes', async () => {
    const { id, clientSecret, state } = await newIntent();

    const paid = await confirm(clientSecret);

    expect(paid).toEqual({ status: 200, body: { ...emulator().browserPaymentIntent(clientSecret), status: 'succeeded' } });
    expect((paid.body as { payment_method: string }).payment_method).toMatch(/^pm_/);
    expect(state().status).toBe('succeeded');
    expect(await answer(await updateIntent(id, { gift_wrap: true }))).toEqual({ status: 409, body: { error: 'This checkout has already been paid.' } });
    expect(await confirm(clientSecret)).toEqual({ status: 409, body: { error: 'This checkout has already been paid.' } });
  });

  it('refuses an intent that cannot be confirmed with 409, an unknown one with 404 and a malformed secret with 400', async () => {
    const processing = await newIntent();
    emulator().processPaymentIntent(processing.id);
    expect(await confirm(processing.clientSecret)).toEqual({ status: 409, body: { error: 'This payment is being processed, so the order can no longer change.' } });
    const canceled = await newIntent();
    emulator().cancelPaymentIntent(canceled.id);
    expect(await confirm(canceled.clientSecret)).toEqual({ status: 409, body: { error: 'This checkout was canceled. Please reload the page to start again.' } });
    expect([processing.state().status, canceled.state().status]).toEqual(['processing', 'canceled']);

    expect(await confirm('pi_abc_secret_def')).toEqual({ status: 404, body: { error: UNKNOWN_PAYMENT } });
    expect(await confirm('pi_abc')).toEqual({ status: 400, body: { error: UNKNOWN_PAYMENT } });
  });
});

describe('GET /__emulator/session', () => {
  it('answers the session as a browser stand-in needs it', async () => {
    const { id, clientSecret } = await newSession();
    await update(id, { gift_wrap: true });
    const res = await fetch(`${base}/__emulator/session?client_secret=${encodeURIComponent(clientSecret)}`);
    const { status, body } = await answer(res);

    // The line items and their Price ids as the emulator's own API lists them.
    const listed = await fetch(`http://127.0.0.1:${emulator().port}/v1/checkout/sessions/${id}/line_items`, { headers: { Authorization: 'Bearer sk_test_emulator' } });
    const [shirt, gift] = ((await listed.json()) as { data: Array<{ id: string; price: { id: string } }> }).data;

    expect(status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(body).toEqual({
      id,
      status: 'open',
      currency: 'usd',
      lineItems: [
        { id: shirt!.id, price: shirt!.price.id, name: 'T-shirt', unitAmount: 2000, quantity: 1, adjustableQuantity: null },
        { id: gift!.id, price: gift!.price.id, name: 'Gift wrap', unitAmount: 500, quantity: 1, adjustableQuantity: null },
      ],
      amountSubtotal: 2500,
      amountDiscount: 0,
      amountShipping: 0,
      amountTotal: 2500,
      discounts: [],
      shippingOptions: [],
      shippingOptionId: null,
      optionalItems: [],
      expiresAt: expect.any(Number),
    });
  });

  it('refuses a malformed client secret with 400 and an unknown one with 404', async () => {
    const malformed = await fetch(`${base}/__emulator/session?client_secret=nope`);
    expect(await answer(malformed)).toEqual({ status: 400, body: { error: UNKNOWN_SESSION } });
    const unknown = await fetch(`${base}/__emulator/session?client_secret=cs_test_abc_secret_def`);
    expect(await answer(unknown)).toEqual({ status: 404, body: { error: UNKNOWN_SESSION } });
  });
});

describe('modes', () => {
  it('logs emulator mode on start', async () => {
    const lines: string[] = [];
    const other = await createExampleServer({ env: { EMULATOR_LATENCY_MS: '25' }, log: (line) => lines.push(line) });
    await other.close();
    expect(other.mode).toBe('emulator');
    expect(other.emulator!.latencyMs).toBe(25);
    expect(lines).toEqual([`checkout-updates example server: emulator mode (no STRIPE_SECRET_KEY): a local Stripe emulator on http://127.0.0.1:${other.emulator!.port}, 25 ms latency.`]);
  });

  it('with STRIPE_SECRET_KEY talks to Stripe: no emulator, no emulator routes', async () => {
    const lines: string[] = [];
    const real = await createExampleServer({ env: { STRIPE_SECRET_KEY: 'sk_test_123' }, log: (line) => lines.push(line) });
    const { http: realHttp, base: realBase } = await listen(real.app);
    try {
      expect([real.mode, real.emulator]).toEqual(['stripe', null]);
      expect(lines).toEqual([
        'checkout-updates example server: Stripe mode, test key; no emulator.',
        '  The pages also need VITE_STRIPE_PUBLISHABLE_KEY (pk_test_...).',
      ]);
      expect((await fetch(`${realBase}/__emulator/session?client_secret=cs_test_a_secret_b`)).status).toBe(404);
      expect((await fetch(`${realBase}/__emulator/expire/cs_test_a`, { method: 'POST' })).status).toBe(404);
      expect((await fetch(`${realBase}/__emulator/payment_intent?client_secret=pi_a_secret_b`)).status).toBe(404);
      expect((await fetch(`${realBase}/__emulator/payment_intent/confirm?client_secret=pi_a_secret_b`, { method: 'POST' })).status).toBe(404);
    } finally {
      await stop(realHttp);
      await real.close();
    }
  });

  it('refuses an EMULATOR_LATENCY_MS that is not a whole number of milliseconds', async () => {
    await expect(createExampleServer({ env: { EMULATOR_LATENCY_MS: 'slow' }, log: () => {} }))
      .rejects.toThrow('EMULATOR_LATENCY_MS must be a whole number of milliseconds from 0 to 60000, got `slow`.');
  });
});

describe('the promotions page: POST /promotions-session and Stripe\'s own actions', () => {
  async function promotionsSession() {
    const res = await fetch(`${base}/promotions-session`, { method: 'POST' });
    expect(res.status).toBe(200);
    const { clientSecret } = (await res.json()) as { clientSecret: string };
    return { id: clientSecret.split('_secret_')[0]!, clientSecret };
  }
  async function act(clientSecret: string, method: string, ...args: unknown[]) {
    const res = await fetch(`${base}/__emulator/session/action?client_secret=${encodeURIComponent(clientSecret)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ method, args }),
    });
    return answer(res) as Promise<{ status: number; body: BrowserSession & { error?: string; code?: string | null } }>;
  }
  const shown = (s: BrowserSession) => [s.lineItems.map((li) => [li.name, li.quantity]), s.amountSubtotal, s.amountDiscount, s.amountShipping, s.amountTotal];

  it('made SAVE10, FIVEOFF and an inactive EXPIRED at start, once: making them again creates nothing', async () => {
    const codes = await server.stripe.promotionCodes.list({ limit: 100 });
    expect(codes.data.map((p) => [p.code, p.active]).sort()).toEqual([['EXPIRED', false], ['FIVEOFF', true], ['SAVE10', true]]);
    const calls = await stripeCalls(() => ensurePromotionCodes(server.stripe));
    expect(calls.map((c) => [c.method, c.path, c.params])).toEqual(['SAVE10', 'FIVEOFF', 'EXPIRED'].map((code) => ['GET', '/v1/promotion_codes', { code, limit: '1' }]));
  });

  it('with a real key, makes the codes on first need, once, and tries again after a failure', async () => {
    let lists = 0;
    const flaky = {
      promotionCodes: {
        list: async () => {
          lists += 1;
          if (lists === 1) throw new Error('network down');
          return { data: [{}] };
        },
      },
    } as unknown as Parameters<typeof oncePromotionCodes>[0];
    const made = oncePromotionCodes(flaky);
    await expect(made()).rejects.toThrow('network down');
    await made();
    await made();
    // The failed try listed once; the second listed all three (each exists); the third did nothing.
    expect(lists).toBe(4);
  });

  it('creates a session with codes allowed, two shipping rates (Standard chosen) and the T-shirt adjustable from 1 to 10', async () => {
    let made: { id: string; clientSecret: string } | undefined;
    const calls = await stripeCalls(async () => {
      made = await promotionsSession();
    });
    expect(calls).toEqual([createRequest({
      allow_promotion_codes: 'true',
      shipping_options: [
        { shipping_rate_data: { type: 'fixed_amount', display_name: 'Standard shipping', fixed_amount: { amount: '0', currency: 'usd' }, delivery_estimate: { minimum: { unit: 'business_day', value: '5' }, maximum: { unit: 'business_day', value: '7' } } } },
        { shipping_rate_data: { type: 'fixed_amount', display_name: 'Express shipping', fixed_amount: { amount: '1500', currency: 'usd' }, delivery_estimate: { minimum: { unit: 'business_day', value: '1' }, maximum: { unit: 'business_day', value: '2' } } } },
      ],
      line_items: [{ ...SHIRT_LINE, adjustable_quantity: { enabled: 'true', minimum: '1', maximum: '10' } }],
    })]);
    const session = emulator().browserSession(made!.clientSecret)!;
    expect([session.shippingOptions.map((o) => [o.displayName, o.amount]), session.shippingOptionId === session.shippingOptions[0]!.id]).toEqual([[['Standard shipping', 0], ['Express shipping', 1500]], true]);
    expect(session.lineItems.map((li) => li.adjustableQuantity)).toEqual([{ minimum: 1, maximum: 10 }]);
    expect(session.optionalItems).toEqual([]);
  });

  it('the customer raises the quantity through the action, then adds gift wrap and a tip: the quantity stays, the tip follows it, the total is right', async () => {
    const { id, clientSecret } = await promotionsSession();
    const [shirt] = emulator().browserSession(clientSecret)!.lineItems;
    expect((await act(clientSecret, 'updateLineItemQuantity', { lineItem: shirt!.id, quantity: 3 })).body.amountTotal).toBe(6000);
    const express = emulator().browserSession(clientSecret)!.shippingOptions[1]!.id;
    await act(clientSecret, 'updateShippingOption', express);
    await act(clientSecret, 'applyPromotionCode', 'save10');

    // The page's selection still says quantity 1: the server must not restate it.
    let res: Response | undefined;
    const calls = await stripeCalls(async () => {
      res = await update(id, { quantity: 1, gift_wrap: true, tip: '10' });
    });
    // 3 T-shirts 6000 + gift wrap 500 + tip 10 % of 6000 = 7100; SAVE10 takes 710; Express adds 1500.
    expect(await answer(res!)).toEqual({ status: 200, body: { id, amount_total: 7890 } });
    expect(calls[1]!.params).toEqual({ line_items: [{ id: shirt!.id }, addOn('Gift wrap', 500, 'gift_wrap', 'true'), addOn('Tip (10%)', 600, 'tip', '10')] });
    const after = emulator().browserSession(clientSecret)!;
    expect(shown(after)).toEqual([[['T-shirt', 3], ['Gift wrap', 1], ['Tip (10%)', 1]], 7100, 710, 1500, 7890]);
    expect(after.discounts).toEqual([{ promotionCode: 'SAVE10', amount: 710, percentOff: 10 }]);
  });

  it('the delta endpoint records the total with the discount and shipping, so a retry replays what Stripe answered', async () => {
    const { id, clientSecret } = await promotionsSession();
    await act(clientSecret, 'applyPromotionCode', 'FIVEOFF');
    const first = await answer(await toggle(id, 'gift_wrap', 'delta-promo-1'));
    expect(first).toEqual({ status: 200, body: { id, amount_total: 2500 - 500 } });
    expect(await answer(await toggle(id, 'gift_wrap', 'delta-promo-1'))).toEqual(first);
    expect(emulator().browserSession(clientSecret)!.amountTotal).toBe(2000);
  });

  it('never drops a line it did not add, such as an optional item Stripe added, when an add-on changes', async () => {
    // Stripe refuses optional_items on elements sessions, so a line added straight through the API stands in for one.
    const { id, clientSecret } = await promotionsSession();
    const [shirt] = emulator().browserSession(clientSecret)!.lineItems;
    await server.stripe.checkout.sessions.update(id, {
      line_items: [{ id: shirt!.id }, { price_data: { currency: 'usd', unit_amount: 800, product_data: { name: 'Socks' } }, quantity: 1 }],
    });
    const socks = emulator().browserSession(clientSecret)!.lineItems[1]!;
    expect(await answer(await update(id, { insurance: true }))).toEqual({ status: 200, body: { id, amount_total: 2000 + 800 + 300 } });
    expect(emulator().browserSession(clientSecret)!.lineItems.map((li) => [li.id === socks.id, li.name])).toEqual([[false, 'T-shirt'], [true, 'Socks'], [false, 'Shipping insurance']]);
  });

  it('answers a refused action with 4xx {error, code} and changes nothing', async () => {
    const { id, clientSecret } = await promotionsSession();
    await act(clientSecret, 'applyPromotionCode', 'SAVE10');
    const before = emulator().browserSession(clientSecret)!;
    const [shirt] = before.lineItems;
    expect(await act(clientSecret, 'applyPromotionCode', 'EXPIRED')).toEqual({ status: 400, body: { error: 'This code is invalid.', code: 'invalidCode' } });
    expect(await act(clientSecret, 'applyPromotionCode', 'NOSUCHCODE')).toEqual({ status: 400, body: { error: 'This code is invalid.', code: 'invalidCode' } });
    expect(await act(clientSecret, 'updateLineItemQuantity', { lineItem: shirt!.id, quantity: 11 })).toEqual({ status: 400, body: { error: 'The quantity of T-shirt must be between 1 and 10', code: null } });
    expect(await act(clientSecret, 'updateShippingOption', 'shr_nope')).toEqual({ status: 400, body: { error: 'No such shipping option: shr_nope', code: null } });
    expect(await act(clientSecret, 'addOptionalLineItem', 'price_socks')).toEqual({ status: 400, body: { error: 'No such optional item: price_socks', code: null } });
    expect(emulator().browserSession(clientSecret)).toEqual(before);
    // A plain session allows no codes.
    const plain = await newSession();
    expect(await act(plain.clientSecret, 'applyPromotionCode', 'SAVE10')).toEqual({ status: 400, body: { error: 'This code is invalid.', code: 'invalidCode' } });
    await fetch(`${base}/__emulator/expire/${id}`, { method: 'POST' });
    expect(await act(clientSecret, 'removePromotionCode')).toEqual({ status: 409, body: { error: 'This Checkout Session is no longer active.', code: null } });
    expect(emulator().browserSession(clientSecret)!.discounts).toEqual(before.discounts);
  });

  it('refuses a malformed client secret or body with 400 and an unknown secret with 404', async () => {
    const post = (query: string, body: unknown) =>
      fetch(`${base}/__emulator/session/action${query}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then(answer);
    const { clientSecret } = await promotionsSession();
    const secret = `?client_secret=${encodeURIComponent(clientSecret)}`;
    const badBody = 'Expected {method, args} with method one of applyPromotionCode, removePromotionCode, updateShippingOption, updateLineItemQuantity, addOptionalLineItem, removeOptionalLineItem and args an array of at most one value.';
    expect(await post('?client_secret=nope', { method: 'removePromotionCode', args: [] })).toEqual({ status: 400, body: { error: UNKNOWN_SESSION } });
    expect(await post('?client_secret=cs_test_abc_secret_def', { method: 'removePromotionCode', args: [] })).toEqual({ status: 404, body: { error: UNKNOWN_SESSION } });
    expect(await post(secret, { method: 'confirm', args: [] })).toEqual({ status: 400, body: { error: badBody } });
    expect(await post(secret, { method: 'applyPromotionCode', args: 'SAVE10' })).toEqual({ status: 400, body: { error: badBody } });
    expect(await post(secret, { method: 'applyPromotionCode', args: ['SAVE10'], extra: 1 })).toEqual({ status: 400, body: { error: INVALID } });
  });

  describe('createFakeStripe with remote and remoteAction, against this server', () => {
    const remote = async (secret: string) => (await (await fetch(`${base}/__emulator/session?client_secret=${encodeURIComponent(secret)}`)).json()) as FakeRemoteSession;
    const remoteAction = async (secret: string, action: unknown) => {
      const res = await fetch(`${base}/__emulator/session/action?client_secret=${encodeURIComponent(secret)}`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(action),
      });
      const body = (await res.json()) as FakeRemoteSession & { error?: string; code?: string };
      if (!res.ok) throw Object.assign(new Error(body.error), { code: body.code });
      return body;
    };
    async function loaded(clientSecret: string) {
      const fake = createFakeStripe({ betas: ['custom_checkout_server_updates_1'], remote, remoteAction });
      const sdk = fake.initCheckoutElementsSdk({ clientSecret });
      const result = await sdk.loadActions();
      if (result.type !== 'success') throw new Error('loadActions failed');
      return { fake, sdk, actions: result.actions };
    }

    it('shows what the server computed after each action: discount, shipping, quantity; server updates keep them', async () => {
      const { id, clientSecret } = await promotionsSession();
      const { fake, sdk, actions } = await loaded(clientSecret);
      const heard: string[] = [];
      sdk.on('change', (session) => heard.push(`${session.canConfirm ? '' : 'busy '}${session.total.total.amount}`));
      const sdkSession = actions.getSession();
      expect([sdkSession.shippingOptions.map((o) => [o.displayName, o.amount, o.deliveryEstimate?.minimum?.value]), sdkSession.shipping?.shippingOption.displayName]).toEqual([
        [['Standard shipping', '$0.00', 5], ['Express shipping', '$15.00', 1]],
        'Standard shipping',
      ]);
      expect(sdkSession.lineItems[0]!.adjustableQuantity).toEqual({ minimum: 1, maximum: 10 });

      const applied = await actions.applyPromotionCode('save10');
      expect(applied.type === 'success' && [applied.session.discountAmounts, applied.session.total.total.amount]).toEqual([
        [{ amount: '$2.00', minorUnitsAmount: 200, displayName: 'SAVE10', promotionCode: 'SAVE10', recurring: null, percentOff: 10 }],
        '$18.00',
      ]);
      const express = actions.getSession().shippingOptions[1]!.id;
      const shipped = await actions.updateShippingOption(express);
      expect(shipped.type === 'success' && [shipped.session.shipping?.shippingOption.id, shipped.session.total.shippingRate.amount, shipped.session.total.total.amount]).toEqual([express, '$15.00', '$33.00']);
      const shirt = actions.getSession().lineItems[0]!.id;
      const more = await actions.updateLineItemQuantity({ lineItem: shirt, quantity: 2 });
      // 4000 - 400 + 1500
      expect(more.type === 'success' && [more.session.lineItems[0]!.quantity, more.session.total.total.minorUnitsAmount]).toEqual([2, 5100]);

      const updated = await actions.runServerUpdate(() => update(id, { gift_wrap: true, quantity: 1 }));
      // 4000 + 500 = 4500, less 450, plus 1500
      expect(updated.type === 'success' && [updated.session.lineItems.map((li) => [li.name, li.quantity]), updated.session.total.discount.minorUnitsAmount, updated.session.total.total.minorUnitsAmount]).toEqual([
        [['T-shirt', 2], ['Gift wrap', 1]],
        450,
        5550,
      ]);
      // Each action and update: busy while in flight, then the total the server computed.
      expect(heard).toEqual(['busy $20.00', '$18.00', 'busy $18.00', '$33.00', 'busy $33.00', '$51.00', 'busy $51.00', '$55.50']);
      expect(fake.calls.maxMutationsInFlight).toBe(1);
    });

    it("resolves the server's refusal as Stripe's error value and keeps the session it showed", async () => {
      const { id, clientSecret } = await promotionsSession();
      const { actions } = await loaded(clientSecret);
      await actions.applyPromotionCode('FIVEOFF');
      const before = actions.getSession();
      expect(await actions.applyPromotionCode('EXPIRED')).toEqual({ type: 'error', error: { message: 'This code is invalid.', code: 'invalidCode' } });
      expect(await actions.updateLineItemQuantity({ lineItem: before.lineItems[0]!.id, quantity: 0 })).toEqual({ type: 'error', error: { message: 'The quantity of T-shirt must be between 1 and 10', code: null } });
      expect(actions.getSession()).toEqual(before);
      expect(before.total.total.amount).toBe('$15.00');
      // The session ends on the server: the refusal's re-read tells the SDK.
      await fetch(`${base}/__emulator/expire/${id}`, { method: 'POST' });
      expect(await actions.removePromotionCode()).toEqual({ type: 'error', error: { message: 'This Checkout Session is no longer active.', code: null } });
      expect(actions.getSession().status).toEqual({ type: 'expired' });
      expect(emulator().browserSession(clientSecret)!.discounts.map((d) => d.promotionCode)).toEqual(['FIVEOFF']);
    });
  });
});

describe('resume on reload: one open session per shopper (a cookie), with the selection last applied', () => {
  /** POSTs to a start route with `cookie`; its reply, and the cookie it set (or `null`). */
  async function startWith(path: string, cookie?: string) {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: cookie ? { Cookie: cookie } : {} });
    const body = (await res.json()) as { clientSecret: string; selection?: unknown };
    return { status: res.status, body, setCookie: res.headers.get('set-cookie'), id: body.clientSecret.split('_secret_')[0]! };
  }
  const PLAIN_PAGE = { quantity: 2, gift_wrap: true, insurance: false, warranty_years: 1, shipping: 'express', tip: '10' };

  it.each([
    ['/checkout-session', 'checkout_session', (id: string, selection: unknown) => update(id, selection)],
    ['/payment-intent', 'payment_intent', (id: string, selection: unknown) => updateIntent(id, selection)],
  ])('%s gives the same open session back to the cookie, with the selection its update route applied', async (path, name, apply) => {
    const first = await startWith(path);
    expect(first.setCookie).toBe(`${name}=${first.id}; HttpOnly; SameSite=Lax; Path=/`);
    expect(first.body).toEqual({ clientSecret: first.body.clientSecret });
    const cookie = `other=1; ${name}=${first.id}`;

    // Reloaded before any change: the same session, nothing applied yet.
    expect(await startWith(path, cookie)).toMatchObject({ status: 200, id: first.id, body: { clientSecret: first.body.clientSecret }, setCookie: null });

    expect((await apply(first.id, PLAIN_PAGE)).status).toBe(200);
    const again = await startWith(path, cookie);
    expect([again.id, again.body, again.setCookie]).toEqual([first.id, { clientSecret: first.body.clientSecret, selection: PLAIN_PAGE }, null]);
    // Each change replaces it: the page's whole selection, as it sent it.
    expect((await apply(first.id, { ...PLAIN_PAGE, gift_wrap: false })).status).toBe(200);
    expect((await startWith(path, cookie)).body.selection).toEqual({ ...PLAIN_PAGE, gift_wrap: false });
  });

  it.each([
    ['expired', (id: string) => post(`/__emulator/expire/${id}`, '')],
    ['complete', (id: string) => post(`/__emulator/complete/${id}`, '')],
  ])('gives a new session, and a new cookie, once the old one is %s', async (_state, end) => {
    const first = await startWith('/checkout-session');
    await update(first.id, PLAIN_PAGE);
    expect((await end(first.id)).status).toBe(200);
    const next = await startWith('/checkout-session', `checkout_session=${first.id}`);
    expect(next.id).not.toBe(first.id);
    expect([next.body, next.setCookie]).toEqual([{ clientSecret: next.body.clientSecret }, `checkout_session=${next.id}; HttpOnly; SameSite=Lax; Path=/`]);
    expect(emulator().status(next.id)).toBe('open');
  });

  it('gives a new payment intent once the old one is paid', async () => {
    const first = await startWith('/payment-intent');
    emulator().succeedPaymentIntent(first.id);
    const next = await startWith('/payment-intent', `payment_intent=${first.id}`);
    expect([next.id === first.id, next.body, next.setCookie]).toEqual([false, { clientSecret: next.body.clientSecret }, `payment_intent=${next.id}; HttpOnly; SameSite=Lax; Path=/`]);
  });

  it.each([
    ['no cookie', undefined],
    ['an unknown session', 'checkout_session=cs_test_unknown123'],
    ['a malformed cookie', 'checkout_session=%E0%A4%A'],
    ['a cookie that is no session id', 'checkout_session=../../v1/customers'],
  ])('gives a new session for %s', async (_name, cookie) => {
    const known = await startWith('/checkout-session');
    const next = await startWith('/checkout-session', cookie);
    expect(next.id).not.toBe(known.id);
    expect([next.status, next.body, next.setCookie]).toEqual([200, { clientSecret: next.body.clientSecret }, `checkout_session=${next.id}; HttpOnly; SameSite=Lax; Path=/`]);
  });
});
