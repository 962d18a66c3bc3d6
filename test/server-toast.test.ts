// The example server's Toast routes over real HTTP, in emulator mode (seed 002): the page's
// payment intent, each selection's amount and tip sent to the emulated Toast API, its 24-hour
// rule on a clock the tests set, its status rule and its tip rule, the SDK stand-in's routes,
// and every refusal with the state it leaves.
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createExampleServer, type ExampleServer } from '../examples/server/app.js';
import type { RecordedCall } from '../examples/server/emulated-backend.js';
import { isServerPath } from '../examples/server/paths.js';
import { answer, listen, post as postTo, stop } from './helpers/http.js';
import type { ToastPaymentIntent, ToastStatus } from '../examples/server/toast-emulator.js';

const START = Date.parse('2026-03-01T12:00:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;
let clock = START;
let server: ExampleServer;
let http: Server;
let base: string;
const logs: string[] = [];

beforeAll(async () => {
  server = await createExampleServer({ env: {}, log: (line) => logs.push(line), now: () => clock });
  ({ http, base } = await listen(server.app));
});
afterAll(async () => {
  await stop(http);
  await server.close();
});
beforeEach(() => {
  clock = START;
});
// No request may make the server fail (it logs every 5xx).
afterEach(() => {
  expect(logs.splice(0).filter((line) => line.startsWith('example server: 5'))).toEqual([]);
});

const toast = () => server.toast!;
/** The emulated API's requests made by `fn`. */
async function toastCalls(fn: () => Promise<unknown>): Promise<RecordedCall[]> {
  const from = toast().requests.length;
  await fn();
  return toast().requests.slice(from);
}

/** A JSON POST to this file's server (or `origin`). */
const post = (path: string, body: unknown, headers: Record<string, string> = {}, origin = base) => postTo(origin, path, body, headers);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const INVALID = 'Something in this request was not right. Please reload the page and try again.';
const UNKNOWN_PAYMENT = 'This payment could not be found. Please reload the page.';
const EXPIRED = 'This order has expired. Please reload the page to start again.';
const BEING_PAID = 'This order is already being paid, so it can no longer change.';
const UNKNOWN_ID = '3f1c0f8e-0d6a-4d8e-9a57-2b1f7c3d9e10';

interface PageIntent {
  paymentIntentId: string;
  sessionSecret: string;
}
async function newIntent(): Promise<PageIntent> {
  const { body } = await answer(await fetch(`${base}/toast-payment-intent`, { method: 'POST' }));
  return body as PageIntent;
}
const update = (id: unknown, selection: unknown, changes: unknown = {}, headers?: Record<string, string>) =>
  post('/update-toast-payment-intent', { payment_intent_id: id, selection, changes }, headers);
/** Toast's update, as the merchant's code sends it, on the emulated API's own port. */
const toastUpdate = (id: string, body: unknown) => post(`/v1/payment-intents/${id}`, body, {}, toast().url);
const intent = (id: string) => toast().intent(id)!;
/** What an intent holds of what an update changes. */
const held = (id: string) => {
  const { amount, amountDetails, status } = intent(id);
  return { amount, amountDetails, status };
};
const secretQuery = (secret: string) => `secret=${encodeURIComponent(secret)}`;

describe('POST /toast-payment-intent', () => {
  it("makes a MANUAL-capture intent at the order's price and answers what Toast.initialize needs", async () => {
    let body: unknown;
    const calls = await toastCalls(async () => {
      const res = await answer(await fetch(`${base}/toast-payment-intent`, { method: 'POST' }));
      expect(res.status).toBe(200);
      body = res.body;
    });
    const { paymentIntentId: id, sessionSecret } = body as PageIntent;
    expect(id).toMatch(UUID);
    expect(body).toEqual({ paymentIntentId: id, sessionSecret, merchantId: 'emulated-merchant', oauthToken: 'emulated-iframe-token', amount: 2000, currency: 'USD' });
    expect(calls).toEqual([{
      method: 'POST',
      path: '/v1/payment-intents',
      body: { amount: 2000, currency: 'USD', captureMethod: 'MANUAL', externalReferenceId: expect.stringMatching(UUID) },
    }]);
  });

  it("is seed 002's PaymentIntentResponse, field for field, with a session secret that must be URL-encoded", async () => {
    const { paymentIntentId: id, sessionSecret } = await newIntent();
    const { status, body } = await answer(await fetch(`${base}/__toast/v1/payment-intents/${id}`));
    expect(status).toBe(200);
    const response = body as ToastPaymentIntent;
    expect(Object.keys(response)).toEqual([
      'id', 'externalReferenceId', 'sessionSecret', 'amount', 'currency', 'captureMethod', 'status', 'paymentMethodId', 'creationDate', 'usage',
      'customerId', 'amountDetails', 'email', 'paymentMethodConfigurationDetails', 'latestPayment', 'offSession', 'standingInstructionType', 'mandateId',
    ]);
    expect(response).toEqual({
      id,
      externalReferenceId: expect.stringMatching(UUID),
      sessionSecret,
      amount: 2000,
      currency: 'USD',
      captureMethod: 'MANUAL',
      status: 'REQUIRES_PAYMENT_METHOD',
      paymentMethodId: null,
      creationDate: '2026-03-01T12:00:00.000Z',
      usage: null,
      customerId: null,
      amountDetails: { tip: 0 },
      email: null,
      paymentMethodConfigurationDetails: { id: expect.stringMatching(UUID) },
      latestPayment: null,
      offSession: false,
      standingInstructionType: null,
      mandateId: null,
    });
    expect(sessionSecret).toMatch(new RegExp(`^PI_${id}_SECRET_[A-Za-z0-9^?&]{25}$`));
    expect(sessionSecret).toContain('&');
  });
});

describe('POST /update-toast-payment-intent', () => {
  it.each([
    [{}, 2000, 0],
    [{ cookie: true }, 2350, 0],
    [{ drink: true }, 2275, 0],
    [{ tip: '15' }, 2300, 300],
    [{ drink: true, tip: '18' }, 2685, 410], // 18% of $22.75 is $4.095: rounded half up
    [{ cookie: true, tip: '20' }, 2820, 470],
    [{ cookie: true, drink: true, tip: '15' }, 3019, 394], // 15% of $26.25 is $3.9375
    [{ cookie: true, drink: true, tip: '18' }, 3098, 473], // 18% of $26.25 is $4.725
  ])('prices %j at %i cents, tip %i, and sends Toast exactly that amount and tip', async (selection, amount, tip) => {
    const { paymentIntentId: id } = await newIntent();
    let reply: unknown;
    const calls = await toastCalls(async () => {
      reply = await answer(await update(id, selection, selection));
    });
    expect(reply).toEqual({ status: 200, body: { amount, currency: 'USD', lineItems: expect.any(Array) } });
    expect(calls).toEqual([{ method: 'POST', path: `/v1/payment-intents/${id}`, body: { amount, amountDetails: { tip } } }]);
    expect(held(id)).toEqual({ amount, amountDetails: { tip }, status: 'REQUIRES_PAYMENT_METHOD' });
  });

  it('a name left out or null takes its initial value: no tip, nothing added', async () => {
    const { paymentIntentId: id } = await newIntent();
    await update(id, { cookie: true, tip: '20' });
    expect((await answer(await update(id, { cookie: null, tip: null, drink: true }))).body).toEqual({
      amount: 2275,
      currency: 'USD',
      lineItems: [
        { name: 'Breakfast sandwiches', quantity: 2, total: { amount: '$20.00', minorUnitsAmount: 2000 } },
        { name: 'Iced tea', quantity: 1, total: { amount: '$2.75', minorUnitsAmount: 275 } },
      ],
    });
    expect(held(id)).toEqual({ amount: 2275, amountDetails: { tip: 0 }, status: 'REQUIRES_PAYMENT_METHOD' });
  });
});

describe("seed 002's 24-hour rule, on the emulated API's clock", () => {
  it('an update exactly 24 hours after creationDate is accepted; 1 ms later it is a 404 and the order has expired, at the amount it had', async () => {
    const { paymentIntentId: id } = await newIntent();
    clock = START + DAY_MS;
    expect(await answer(await update(id, { tip: '15' }))).toEqual({
      status: 200,
      body: { amount: 2300, currency: 'USD', lineItems: [
        { name: 'Breakfast sandwiches', quantity: 2, total: { amount: '$20.00', minorUnitsAmount: 2000 } },
        { name: 'Tip (15%)', quantity: 1, total: { amount: '$3.00', minorUnitsAmount: 300 } },
      ] },
    });

    clock = START + DAY_MS + 1;
    const calls = await toastCalls(async () => {
      expect(await answer(await update(id, { tip: '20' }))).toEqual({ status: 404, body: { error: EXPIRED } });
    });
    expect(calls).toEqual([{ method: 'POST', path: `/v1/payment-intents/${id}`, body: { amount: 2400, amountDetails: { tip: 400 } } }]);
    expect(held(id)).toEqual({ amount: 2300, amountDetails: { tip: 300 }, status: 'REQUIRES_PAYMENT_METHOD' });
    expect(await answer(await toastUpdate(id, { amount: 2400, amountDetails: { tip: 400 } })))
      .toEqual({ status: 404, body: { error: `Payment intent ${id} has expired: it is more than 24 hours old.` } });
  });

  it('the test control ages an intent: 25 hours back, creationDate moves and an update is a 404', async () => {
    const { paymentIntentId: id } = await newIntent();
    const aged = await answer(await post(`/__toast/test/payment-intents/${id}/age`, { hours: 25 }));
    expect(aged).toEqual({ status: 200, body: { ...intent(id), creationDate: '2026-02-28T11:00:00.000Z' } });
    expect(await answer(await update(id, { cookie: true }))).toEqual({ status: 404, body: { error: EXPIRED } });
    expect(held(id)).toEqual({ amount: 2000, amountDetails: { tip: 0 }, status: 'REQUIRES_PAYMENT_METHOD' });
  });

  it('the test control refuses what is not a number of hours with 400, and an unknown intent with 404', async () => {
    const { paymentIntentId: id } = await newIntent();
    for (const body of [{ hours: -1 }, { hours: '25' }, { hours: 1e9 }, {}, { hours: 1, days: 1 }]) {
      expect((await answer(await post(`/__toast/test/payment-intents/${id}/age`, body))).status, JSON.stringify(body)).toBe(400);
    }
    expect(intent(id).creationDate).toBe('2026-03-01T12:00:00.000Z');
    expect(await answer(await post(`/__toast/test/payment-intents/${UNKNOWN_ID}/age`, { hours: 1 })))
      .toEqual({ status: 404, body: { error: `No payment intent ${UNKNOWN_ID}.` } });
  });

  it('an expired intent can still be read, and cannot be paid', async () => {
    const { paymentIntentId: id, sessionSecret } = await newIntent();
    clock = START + DAY_MS + 1;
    expect((await answer(await fetch(`${base}/__toast/session?${secretQuery(sessionSecret)}`))).status).toBe(200);
    expect(await answer(await fetch(`${base}/__toast/session/confirm?${secretQuery(sessionSecret)}`, { method: 'POST' })))
      .toEqual({ status: 404, body: { error: `Payment intent ${id} has expired: it is more than 24 hours old.` } });
    expect(intent(id).status).toBe('REQUIRES_PAYMENT_METHOD');
  });
});

describe("seed 002's status rule", () => {
  it.each<ToastStatus>(['PROCESSING', 'REQUIRES_CAPTURE', 'SUCCEEDED', 'CANCELED'])(
    'an intent in %s is not updated: Toast refuses with 409, the customer is told, the amount and tip stay',
    async (status) => {
      const { paymentIntentId: id } = await newIntent();
      await update(id, { tip: '15' });
      toast().setStatus(id, status);
      const calls = await toastCalls(async () => {
        expect(await answer(await update(id, { cookie: true }))).toEqual({ status: 409, body: { error: BEING_PAID } });
      });
      expect(calls).toEqual([{ method: 'POST', path: `/v1/payment-intents/${id}`, body: { amount: 2350, amountDetails: { tip: 0 } } }]);
      expect(await answer(await toastUpdate(id, { amount: 2350, amountDetails: { tip: 0 } })))
        .toEqual({ status: 409, body: { error: `A payment intent with a status of ${status} cannot be updated.` } });
      expect(held(id)).toEqual({ amount: 2300, amountDetails: { tip: 300 }, status });
    },
  );

  it("the page's payment leaves a MANUAL intent REQUIRES_CAPTURE, after which the merchant route answers 409 and a second payment is refused", async () => {
    const { paymentIntentId: id, sessionSecret } = await newIntent();
    await update(id, { drink: true, tip: '18' });
    const paid = await answer(await fetch(`${base}/__toast/session/confirm?${secretQuery(sessionSecret)}`, { method: 'POST' }));
    expect(paid).toEqual({ status: 200, body: { ...intent(id), status: 'REQUIRES_CAPTURE', paymentMethodId: expect.stringMatching(UUID) } });
    expect(await answer(await update(id, { drink: false }))).toEqual({ status: 409, body: { error: BEING_PAID } });
    expect(await answer(await fetch(`${base}/__toast/session/confirm?${secretQuery(sessionSecret)}`, { method: 'POST' })))
      .toEqual({ status: 409, body: { error: 'A payment intent with a status of REQUIRES_CAPTURE cannot be confirmed.' } });
    expect(held(id)).toEqual({ amount: 2685, amountDetails: { tip: 410 }, status: 'REQUIRES_CAPTURE' });
  });

  it('an AUTOMATIC intent is SUCCEEDED once paid', async () => {
    const made = await answer(await post('/__toast/v1/payment-intents', { amount: 1500, currency: 'USD', captureMethod: 'AUTOMATIC' }));
    const { id, sessionSecret } = made.body as ToastPaymentIntent;
    expect(made.status).toBe(200);
    expect((await answer(await fetch(`${base}/__toast/session/confirm?${secretQuery(sessionSecret)}`, { method: 'POST' }))).body)
      .toMatchObject({ id, status: 'SUCCEEDED', amount: 1500 });
  });
});

describe('resume on reload: the shopper\'s intent again (a cookie) while it can change, with the selection last applied', () => {
  /** POSTs to the start route with `cookie`; its reply, and the cookie it set (or `null`). */
  async function startWith(cookie?: string) {
    const res = await fetch(`${base}/toast-payment-intent`, { method: 'POST', headers: cookie ? { Cookie: cookie } : {} });
    const body = (await res.json()) as PageIntent & { amount: number; selection?: unknown };
    return { status: res.status, body, setCookie: res.headers.get('set-cookie') };
  }

  it('gives the same intent back to the cookie, at its amount, with the selection its update route applied, reading it from Toast once', async () => {
    const first = await startWith();
    const id = first.body.paymentIntentId;
    expect([first.setCookie, first.body.selection]).toEqual([`toast_payment_intent=${id}; HttpOnly; SameSite=Lax; Path=/`, undefined]);
    await update(id, { cookie: true, drink: false, tip: '15' });
    const calls = await toastCalls(async () => {
      const again = await startWith(`toast_payment_intent=${id}`);
      expect(again).toMatchObject({ status: 200, setCookie: null, body: { paymentIntentId: id, sessionSecret: first.body.sessionSecret, amount: 2703 } });
      expect(again.body.selection).toEqual({ cookie: true, drink: false, tip: '15' });
    });
    expect(calls).toEqual([{ method: 'GET', path: `/v1/payment-intents/${id}`, body: null }]);
  });

  it.each<[string, (id: string) => void]>([
    ['paid (REQUIRES_CAPTURE)', (id) => toast().setStatus(id, 'REQUIRES_CAPTURE')],
    ['processing', (id) => toast().setStatus(id, 'PROCESSING')],
    ['over 24 hours old', () => void (clock = START + DAY_MS + 1)],
  ])('gives a new intent, and a new cookie, once the old one is %s', async (_state, end) => {
    const { body: { paymentIntentId: id } } = await startWith();
    await update(id, { cookie: true });
    end(id);
    const next = await startWith(`toast_payment_intent=${id}`);
    expect(next.body.paymentIntentId).not.toBe(id);
    expect([next.setCookie, next.body.selection, next.body.amount]).toEqual([`toast_payment_intent=${next.body.paymentIntentId}; HttpOnly; SameSite=Lax; Path=/`, undefined, 2000]);
  });

  it.each([
    ['an unknown intent', `toast_payment_intent=${UNKNOWN_ID}`],
    ['a cookie that is no intent id', 'toast_payment_intent=../v1/orders'],
    ['a malformed cookie', 'toast_payment_intent=%E0%A4%A'],
  ])('gives a new intent for %s', async (_name, cookie) => {
    const next = await startWith(cookie);
    expect([next.status, next.body.paymentIntentId, next.body.selection]).toEqual([200, expect.stringMatching(UUID), undefined]);
    expect(next.setCookie).toBe(`toast_payment_intent=${next.body.paymentIntentId}; HttpOnly; SameSite=Lax; Path=/`);
  });
});

describe("the emulated API's 400s", () => {
  let id: string;
  beforeAll(async () => {
    ({ paymentIntentId: id } = await newIntent());
    await update(id, { tip: '15' });
  });
  afterEach(() => {
    expect(held(id)).toEqual({ amount: 2300, amountDetails: { tip: 300 }, status: 'REQUIRES_PAYMENT_METHOD' });
  });

  it.each([
    ['without amountDetails', { amount: 2350 }, 'amountDetails.tip is required when the amount is updated.'],
    ['with amountDetails but no tip', { amount: 2350, amountDetails: {} }, 'amountDetails.tip is required when the amount is updated.'],
    ['with a null tip', { amount: 2350, amountDetails: { tip: null } }, 'amountDetails.tip must be a whole number of minor units, 0 or more.'],
  ])('refuses a new amount %s: seed 002 wants the tip with it', async (_, body, error) => {
    expect(await answer(await toastUpdate(id, body))).toEqual({ status: 400, body: { error } });
  });

  it('takes the same amount without a tip, and changes nothing', async () => {
    expect(await answer(await toastUpdate(id, { amount: 2300 }))).toEqual({ status: 200, body: intent(id) });
  });

  it.each([
    ['zero', 0], ['negative', -100], ['a fraction', 2350.5], ['a string', '2350'], ['null', null], ['more than eight digits', 100_000_000],
  ])('refuses an amount that is %s', async (_, amount) => {
    expect(await answer(await toastUpdate(id, { amount, amountDetails: { tip: 0 } })))
      .toEqual({ status: 400, body: { error: 'amount must be a positive integer of minor units, at most 99999999.' } });
  });

  it.each([['negative', -1], ['a fraction', 1.5], ['a string', '100']])('refuses a tip that is %s', async (_, tip) => {
    expect(await answer(await toastUpdate(id, { amount: 2350, amountDetails: { tip } })))
      .toEqual({ status: 400, body: { error: 'amountDetails.tip must be a whole number of minor units, 0 or more.' } });
  });

  it('refuses a tip over the amount, a tip without its amount, unknown fields and a body that is not an object', async () => {
    expect(await answer(await toastUpdate(id, { amount: 2350, amountDetails: { tip: 2351 } })))
      .toEqual({ status: 400, body: { error: 'amountDetails.tip cannot be more than the amount.' } });
    expect(await answer(await toastUpdate(id, { amountDetails: { tip: 100 } })))
      .toEqual({ status: 400, body: { error: 'amountDetails needs the amount it is part of: send amount with it.' } });
    expect(await answer(await toastUpdate(id, { amount: 2350, amountDetails: { tip: 50, gratuity: 50 } })))
      .toEqual({ status: 400, body: { error: '`amountDetails` has an unknown field `gratuity`; it takes tip.' } });
    expect(await answer(await toastUpdate(id, { amount: 2350, amountDetails: { tip: 50 }, currency: 'CAD' })))
      .toEqual({ status: 400, body: { error: 'The body has an unknown field `currency`; it takes amount, amountDetails, email, customerId.' } });
    expect(await answer(await toastUpdate(id, [2350]))).toEqual({ status: 400, body: { error: 'The body must be a JSON object.' } });
    expect(await answer(await toastUpdate(id, { email: 'not an email' }))).toEqual({ status: 400, body: { error: 'email is not valid.' } });
  });

  it('refuses at creation a tip, an unknown currency or capture method, and a missing amount', async () => {
    const create = (body: unknown) => post('/v1/payment-intents', body, {}, toast().url);
    expect(await answer(await create({ amount: 2000, currency: 'USD', amountDetails: { tip: 100 } })))
      .toEqual({ status: 400, body: { error: 'Tip can only be added when you update the payment intent.' } });
    for (const currency of ['usd', 'EUR', undefined]) {
      expect(await answer(await create({ amount: 2000, currency }))).toEqual({ status: 400, body: { error: 'currency must be one of USD, CAD.' } });
    }
    expect(await answer(await create({ amount: 2000, currency: 'USD', captureMethod: 'LATER' })))
      .toEqual({ status: 400, body: { error: 'captureMethod must be MANUAL or AUTOMATIC.' } });
    expect((await answer(await create({ currency: 'USD' }))).status).toBe(400);
  });
});

describe('POST /update-toast-payment-intent refuses before Toast is called', () => {
  let id: string;
  beforeAll(async () => {
    ({ paymentIntentId: id } = await newIntent());
    await update(id, { cookie: true });
  });
  /** Nothing reached Toast and the intent is as it was. */
  async function refusedUntouched(fn: () => Promise<unknown>) {
    expect(await toastCalls(fn)).toEqual([]);
    expect(held(id)).toEqual({ amount: 2350, amountDetails: { tip: 0 }, status: 'REQUIRES_PAYMENT_METHOD' });
  }

  it.each([
    ["the Payrails page's tip", { tip: '10' }, 'Choose a tip of 0, 15, 18 or 20 percent.'],
    ['a tip as a number', { tip: 18 }, 'Choose a tip of 0, 15, 18 or 20 percent.'],
    ['a cookie as text', { cookie: 'yes' }, 'The cookie is either added or not.'],
    ['a drink as a number', { drink: 1 }, 'The drink is either added or not.'],
    ['an option this page does not have', { quantity: 2 }, 'One of the options you chose is not available.'],
    ['an array', [true], 'The options you chose could not be read.'],
  ])('refuses %s with 400', async (_, selection, error) => {
    await refusedUntouched(async () => {
      expect(await answer(await update(id, selection))).toEqual({ status: 400, body: { error } });
    });
  });

  it('checks `changes` too, wants a selection and an Idempotency-Key', async () => {
    await refusedUntouched(async () => {
      expect(await answer(await update(id, { drink: true }, { drink: 'on' }))).toEqual({ status: 400, body: { error: 'The drink is either added or not.' } });
      expect(await answer(await post('/update-toast-payment-intent', { payment_intent_id: id }))).toEqual({ status: 400, body: { error: 'The options you chose could not be read.' } });
      const res = await fetch(`${base}/update-toast-payment-intent`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ payment_intent_id: id, selection: { drink: true }, changes: {} }),
      });
      expect(await answer(res)).toEqual({ status: 400, body: { error: INVALID } });
    });
  });

  it('refuses a malformed intent id, other body keys, and a body that is not JSON', async () => {
    await refusedUntouched(async () => {
      for (const bad of ['pi_123', 42, `${id}/../x`, `PI_${id}`]) {
        expect(await answer(await update(bad, { drink: true })), String(bad)).toEqual({ status: 400, body: { error: UNKNOWN_PAYMENT } });
      }
      expect(await answer(await post('/update-toast-payment-intent', { payment_intent_id: id, selection: {}, amount: 1 }))).toEqual({ status: 400, body: { error: INVALID } });
      expect((await answer(await post('/update-toast-payment-intent', 'drink=true', { 'Content-Type': 'text/plain' }))).status).toBe(415);
    });
  });

  it('a well-formed id Toast does not know is a 404, after one request', async () => {
    const calls = await toastCalls(async () => {
      expect(await answer(await update(UNKNOWN_ID, { drink: true }))).toEqual({ status: 404, body: { error: EXPIRED } });
    });
    expect(calls).toEqual([{ method: 'POST', path: `/v1/payment-intents/${UNKNOWN_ID}`, body: { amount: 2275, amountDetails: { tip: 0 } } }]);
  });
});

describe("the hosted checkout stand-in's routes", () => {
  it('GET /__toast/session reads the intent of an encoded secret; an unencoded one is cut at its & and not found', async () => {
    const { paymentIntentId: id, sessionSecret } = await newIntent();
    await update(id, { cookie: true, tip: '18' });
    const res = await fetch(`${base}/__toast/session?${secretQuery(sessionSecret)}`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await answer(res)).toEqual({ status: 200, body: intent(id) });
    expect(intent(id)).toMatchObject({ amount: 2773, amountDetails: { tip: 423 } });
    expect(await answer(await fetch(`${base}/__toast/session?secret=${sessionSecret}`)))
      .toEqual({ status: 404, body: { error: 'No payment intent has this sessionSecret.' } });
  });

  it('refuses a missing secret with 400 and an unknown one with 404, for reading and paying', async () => {
    for (const method of ['GET', 'POST']) {
      const path = method === 'GET' ? '/__toast/session' : '/__toast/session/confirm';
      expect((await answer(await fetch(`${base}${path}`, { method }))).status).toBe(400);
      expect((await answer(await fetch(`${base}${path}?secret=`, { method }))).status).toBe(400);
      expect((await answer(await fetch(`${base}${path}?${secretQuery(`PI_${UNKNOWN_ID}_SECRET_x&y`)}`, { method }))).status).toBe(404);
    }
  });
});

describe('modes', () => {
  it('with STRIPE_SECRET_KEY: no emulated Toast, nothing under /__toast, and the routes say Toast is not set up', async () => {
    const real = await createExampleServer({ env: { STRIPE_SECRET_KEY: 'sk_test_123' }, log: () => {} });
    const served = await listen(real.app);
    try {
      expect(real.toast).toBe(null);
      expect((await fetch(`${served.base}/__toast/v1/payment-intents/${UNKNOWN_ID}`)).status).toBe(404);
      expect((await fetch(`${served.base}/__toast/session?secret=x`)).status).toBe(404);
      expect(await answer(await fetch(`${served.base}/toast-payment-intent`, { method: 'POST' })))
        .toEqual({ status: 503, body: { error: 'Toast is not set up on this server.' } });
    } finally {
      await stop(served.http);
      await real.close();
    }
  });

  it('with TOAST_API_URL: calls that API with the token and the location, gives the page the iframe credentials, and maps its 404, JSON or not', async () => {
    const received: { method: string; path: string; headers: Record<string, string | undefined>; body: unknown }[] = [];
    const app = express();
    app.use(express.json());
    app.post('/v1/payment-intents', (req, res) => {
      received.push({ method: 'POST', path: req.path, headers: { authorization: req.get('authorization'), location: req.get('toast-restaurant-external-id') }, body: req.body });
      res.json({ id: UNKNOWN_ID, sessionSecret: 'PI_secret', amount: 2000, currency: 'USD', status: 'REQUIRES_PAYMENT_METHOD' });
    });
    app.post('/v1/payment-intents/:id', (req, res) => {
      received.push({ method: 'POST', path: req.path, headers: { authorization: req.get('authorization'), location: req.get('toast-restaurant-external-id') }, body: req.body });
      // Not JSON, as a gateway in front of the API may answer: its status still counts.
      res.status(404).type('html').send('<h1>Not found</h1>');
    });
    const provider = await listen(app);
    const env = { TOAST_API_URL: provider.base, TOAST_API_TOKEN: 'payment-token', TOAST_MERCHANT_ID: 'location-guid', TOAST_IFRAME_TOKEN: 'iframe-token' };
    const other = await createExampleServer({ env, log: () => {} });
    const served = await listen(other.app);
    try {
      expect(other.toast).toBe(null);
      expect(await answer(await fetch(`${served.base}/toast-payment-intent`, { method: 'POST' }))).toEqual({
        status: 200,
        body: { paymentIntentId: UNKNOWN_ID, sessionSecret: 'PI_secret', merchantId: 'location-guid', oauthToken: 'iframe-token', amount: 2000, currency: 'USD' },
      });
      expect(await answer(await post('/update-toast-payment-intent', { payment_intent_id: UNKNOWN_ID, selection: { tip: '15' } }, {}, served.base)))
        .toEqual({ status: 404, body: { error: EXPIRED } });
      const headers = { authorization: 'Bearer payment-token', location: 'location-guid' };
      expect(received).toEqual([
        { method: 'POST', path: '/v1/payment-intents', headers, body: { amount: 2000, currency: 'USD', captureMethod: 'MANUAL', externalReferenceId: expect.stringMatching(UUID) } },
        { method: 'POST', path: `/v1/payment-intents/${UNKNOWN_ID}`, headers, body: { amount: 2300, amountDetails: { tip: 300 } } },
      ]);
    } finally {
      await stop(served.http);
      await other.close();
      await stop(provider.http);
    }
  });

  it('TOAST_API_URL without the location and the iframe token stops the server at start', async () => {
    await expect(createExampleServer({ env: { TOAST_API_URL: 'https://toast.example' }, log: () => {} }))
      .rejects.toThrow('TOAST_API_URL needs TOAST_MERCHANT_ID and TOAST_IFRAME_TOKEN too.');
  });

  it("Vite's dev server passes the Toast paths to the app", () => {
    expect(['/toast-payment-intent', '/update-toast-payment-intent', '/__toast/session'].map(isServerPath)).toEqual([true, true, true]);
  });
});
