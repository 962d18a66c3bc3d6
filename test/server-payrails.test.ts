// The example server's Payrails routes over real HTTP, in emulator mode (seed 003): the page's
// execution, each tip's amount authorised through the emulated backend's lookup before the
// answer, the payment refused with a 401 when its amount is not the one authorised, and every
// refusal with the state it leaves.
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createExampleServer, type ExampleServer } from '../examples/server/app.js';
import type { RecordedCall } from '../examples/server/emulated-backend.js';
import { isServerPath } from '../examples/server/paths.js';
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

const payrails = () => server.payrails!;
/** The emulated backend's requests made by `fn`. */
async function backendCalls(fn: () => Promise<unknown>): Promise<RecordedCall[]> {
  const from = payrails().requests.length;
  await fn();
  return payrails().requests.slice(from);
}

/** A JSON POST to this file's server (or `origin`). */
const post = (path: string, body: unknown, headers: Record<string, string> = {}, origin = base) => postTo(origin, path, body, headers);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const INVALID = 'Something in this request was not right. Please reload the page and try again.';
const UNKNOWN_PAYMENT = 'This payment could not be found. Please reload the page.';
const MISMATCH = 'The amount does not match the amount authorised by lookup.';
const eur = (value: string) => ({ value, currency: 'EUR' });
const money = (amount: string, minorUnitsAmount: number) => ({ amount, minorUnitsAmount });
const ORDER_LINE = { name: 'Order', quantity: 1, total: money('€45.99', 4599) };

async function newExecution(): Promise<string> {
  const { body } = await answer(await fetch(`${base}/payrails-session`, { method: 'POST' }));
  return (body as { init: { executionId: string } }).init.executionId;
}
const update = (id: unknown, selection: unknown, changes: unknown = {}, headers?: Record<string, string>) =>
  post('/update-payrails-amount', { execution_id: id, selection, changes }, headers);
const lookupPath = (id: string) => `/merchant/executions/${id}/lookup`;
/** The SDK stand-in's payment, from the page's origin. */
const authorize = (id: string, amount: unknown) => post(`/__payrails/executions/${id}/authorize`, { amount });
const execution = (id: string) => payrails().execution(id);

describe('POST /payrails-session', () => {
  it("makes an execution at the order's amount and answers the SDK's init payload with it", async () => {
    let body: unknown;
    const calls = await backendCalls(async () => {
      const res = await answer(await fetch(`${base}/payrails-session`, { method: 'POST' }));
      expect(res.status).toBe(200);
      body = res.body;
    });
    const { init } = body as { init: { executionId: string } };
    expect(init.executionId).toMatch(UUID);
    expect(body).toEqual({ init: { executionId: init.executionId, amount: eur('45.99') }, amount: eur('45.99') });
    expect(calls).toEqual([{ method: 'POST', path: '/merchant/client/init', body: { amount: eur('45.99') } }]);
    expect(await answer(await fetch(`${base}/__payrails/executions/${init.executionId}`))).toEqual({
      status: 200,
      body: { executionId: init.executionId, amount: eur('45.99'), authorised: eur('45.99'), status: 'created' },
    });
  });

  it('an execution no update touched is paid at its init amount: the backend authorised it at creation', async () => {
    const id = await newExecution();
    expect(await answer(await authorize(id, eur('45.99')))).toEqual({ status: 200, body: { executionId: id, status: 'authorized', amount: eur('45.99') } });
  });
});

describe('POST /update-payrails-amount', () => {
  it.each([
    ['0', '45.99', [ORDER_LINE]],
    ['10', '50.59', [ORDER_LINE, { name: 'Tip (10%)', quantity: 1, total: money('€4.60', 460) }]],
    ['15', '52.89', [ORDER_LINE, { name: 'Tip (15%)', quantity: 1, total: money('€6.90', 690) }]],
    ['20', '55.19', [ORDER_LINE, { name: 'Tip (20%)', quantity: 1, total: money('€9.20', 920) }]],
  ])('a tip of %s percent is €%s: one lookup with exactly that amount, then the same amount and the lines in the answer', async (tip, value, lineItems) => {
    const id = await newExecution();
    let reply: unknown;
    const calls = await backendCalls(async () => {
      reply = await answer(await update(id, { tip }, { tip }));
    });
    expect(reply).toEqual({ status: 200, body: { amount: eur(value), lineItems } });
    expect(calls).toEqual([{ method: 'POST', path: lookupPath(id), body: { amount: eur(value) } }]);
    expect(execution(id)).toEqual({ executionId: id, amount: eur('45.99'), authorised: eur(value), status: 'created' });
  });

  it('writes each amount as seed 003\'s "%.2f" of its floating-point total', () => {
    // The seed's own arithmetic (45.99 + 45.99 * tip) for the strings the tests above expect.
    expect([0, 0.1, 0.15, 0.2].map((tip) => (45.99 + 45.99 * tip).toFixed(2))).toEqual(['45.99', '50.59', '52.89', '55.19']);
  });

  it('has the lookup done before it answers: when the answer arrives the backend already holds its amount', async () => {
    const id = await newExecution();
    payrails().latencyMs = 30;
    try {
      const res = await update(id, { tip: '15' });
      const heldWhenAnswered = execution(id)!.authorised;
      const { body } = await answer(res);
      expect(heldWhenAnswered).toEqual((body as { amount: unknown }).amount);
      expect(heldWhenAnswered).toEqual(eur('52.89'));
    } finally {
      payrails().latencyMs = 0;
    }
  });

  it('a name left out or null takes the initial value: no tip', async () => {
    const id = await newExecution();
    await update(id, { tip: '20' });
    expect((await answer(await update(id, { tip: null }))).body).toEqual({ amount: eur('45.99'), lineItems: [ORDER_LINE] });
    await update(id, { tip: '20' });
    expect((await answer(await update(id, {}))).body).toEqual({ amount: eur('45.99'), lineItems: [ORDER_LINE] });
    expect(execution(id)!.authorised).toEqual(eur('45.99'));
  });
});

describe('paying: only the amount the last lookup authorised', () => {
  let id: string;
  beforeAll(async () => {
    id = await newExecution();
    await update(id, { tip: '10' });
    await update(id, { tip: '15' });
  });

  it.each([
    ['the init amount', eur('45.99')],
    ['an earlier lookup\'s amount', eur('50.59')],
    ['the currency in lower case', { value: '52.89', currency: 'eur' }],
    ['the value with a third decimal', eur('52.890')],
    ['the value with one decimal less', eur('52.9')],
  ])('refuses %s with 401, and the execution stays unpaid at the authorised amount', async (_, amount) => {
    expect(await answer(await authorize(id, amount))).toEqual({ status: 401, body: { error: MISMATCH } });
    expect(execution(id)).toEqual({ executionId: id, amount: eur('45.99'), authorised: eur('52.89'), status: 'created' });
  });

  it('accepts exactly the authorised value and currency strings with 200; then a second payment is 409', async () => {
    expect(await answer(await authorize(id, eur('52.89')))).toEqual({ status: 200, body: { executionId: id, status: 'authorized', amount: eur('52.89') } });
    expect(await answer(await authorize(id, eur('52.89')))).toEqual({ status: 409, body: { error: 'This execution has already been paid.' } });
    expect(execution(id)).toEqual({ executionId: id, amount: eur('45.99'), authorised: eur('52.89'), status: 'authorized' });
  });

  it('once paid, a new tip is a 409 for the customer: the lookup is refused and the amount paid stays', async () => {
    const calls = await backendCalls(async () => {
      expect(await answer(await update(id, { tip: '20' }))).toEqual({ status: 409, body: { error: 'This checkout has already been paid.' } });
    });
    expect(calls).toEqual([{ method: 'POST', path: lookupPath(id), body: { amount: eur('55.19') } }]);
    expect(execution(id)).toEqual({ executionId: id, amount: eur('45.99'), authorised: eur('52.89'), status: 'authorized' });
  });
});

describe('POST /update-payrails-amount refuses before Payrails is called', () => {
  let id: string;
  beforeAll(async () => {
    id = await newExecution();
    await update(id, { tip: '15' });
  });
  /** Nothing reached the backend and the execution is as it was. */
  async function refusedUntouched(fn: () => Promise<unknown>) {
    expect(await backendCalls(fn)).toEqual([]);
    expect(execution(id)).toEqual({ executionId: id, amount: eur('45.99'), authorised: eur('52.89'), status: 'created' });
  }

  it.each([
    ['a tip that is not offered', { tip: '25' }, 'Choose a tip of 0, 10, 15 or 20 percent.'],
    ['a tip as a number', { tip: 15 }, 'Choose a tip of 0, 10, 15 or 20 percent.'],
    ["the Toast page's tip", { tip: '18' }, 'Choose a tip of 0, 10, 15 or 20 percent.'],
    ['a tip with a percent sign', { tip: '15%' }, 'Choose a tip of 0, 10, 15 or 20 percent.'],
    ['an option this page does not have', { tip: '15', cookie: true }, 'One of the options you chose is not available.'],
    ['a name from the prototype', { toString: '15' }, 'One of the options you chose is not available.'],
    ['an array', ['15'], 'The options you chose could not be read.'],
    ['a string', '15', 'The options you chose could not be read.'],
    ['null', null, 'The options you chose could not be read.'],
  ])('refuses %s with 400', async (_, selection, error) => {
    await refusedUntouched(async () => {
      expect(await answer(await update(id, selection))).toEqual({ status: 400, body: { error } });
    });
  });

  it('checks `changes` as it checks `selection`, and wants a selection', async () => {
    await refusedUntouched(async () => {
      expect(await answer(await update(id, { tip: '10' }, { tip: '11' }))).toEqual({ status: 400, body: { error: 'Choose a tip of 0, 10, 15 or 20 percent.' } });
      expect(await answer(await post('/update-payrails-amount', { execution_id: id }))).toEqual({ status: 400, body: { error: 'The options you chose could not be read.' } });
    });
  });

  it('wants an Idempotency-Key, and a well-formed one', async () => {
    await refusedUntouched(async () => {
      const res = await fetch(`${base}/update-payrails-amount`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ execution_id: id, selection: { tip: '10' }, changes: {} }),
      });
      expect(await answer(res)).toEqual({ status: 400, body: { error: INVALID } });
      expect(await answer(await update(id, { tip: '10' }, {}, { 'Idempotency-Key': 'two words' }))).toEqual({ status: 400, body: { error: INVALID } });
    });
  });

  it.each([
    ['a Stripe id', 'pi_123'],
    ['a number', 42],
    ['a UUID with more after it', '3f1c0f8e-0d6a-4d8e-9a57-2b1f7c3d9e10x'],
    ['a path', '../../executions/3f1c0f8e-0d6a-4d8e-9a57-2b1f7c3d9e10'],
  ])('refuses %s as the execution id with 400', async (_, executionId) => {
    await refusedUntouched(async () => {
      expect(await answer(await update(executionId, { tip: '10' }))).toEqual({ status: 400, body: { error: UNKNOWN_PAYMENT } });
    });
  });

  it('refuses other body keys with 400, a body that is not JSON with 415, and one over 2 kB with 413', async () => {
    await refusedUntouched(async () => {
      expect(await answer(await post('/update-payrails-amount', { execution_id: id, selection: { tip: '10' }, amount: eur('1.00') })))
        .toEqual({ status: 400, body: { error: INVALID } });
      expect(await answer(await post('/update-payrails-amount', 'tip=10', { 'Content-Type': 'application/x-www-form-urlencoded' })))
        .toEqual({ status: 415, body: { error: 'Please send this request as JSON.' } });
      expect((await answer(await update(id, { tip: '10' }, { padding: 'x'.repeat(3000) }))).status).toBe(413);
    });
  });

  it('a well-formed id Payrails does not know is a 404, after one lookup', async () => {
    const unknown = '3f1c0f8e-0d6a-4d8e-9a57-2b1f7c3d9e10';
    const calls = await backendCalls(async () => {
      expect(await answer(await update(unknown, { tip: '10' }))).toEqual({ status: 404, body: { error: UNKNOWN_PAYMENT } });
    });
    expect(calls).toEqual([{ method: 'POST', path: lookupPath(unknown), body: { amount: eur('50.59') } }]);
  });
});

describe('the emulated backend refuses what the SDK\'s update() would', () => {
  let id: string;
  beforeAll(async () => {
    id = await newExecution();
  });
  afterEach(() => {
    expect(execution(id)).toEqual({ executionId: id, amount: eur('45.99'), authorised: eur('45.99'), status: 'created' });
  });
  /** The lookup the merchant's code sends, on the backend's own port. */
  const lookupAt = (executionId: string, body: unknown) => post(lookupPath(executionId), body, {}, payrails().url);

  it.each([
    ['an empty value', ''],
    ['zero', '0'],
    ['zero with decimals', '0.00'],
    ['a negative value', '-1.00'],
    ['letters', 'abc'],
    ['an exponent', '1e3'],
    ['no digit before the point', '.5'],
    ['a plus sign', '+5'],
    ['a space', ' 5'],
    ['a comma', '52,89'],
    ['a number, not a string', 52.89],
  ])('refuses %s with 400 and authorises nothing', async (_, value) => {
    expect(await answer(await lookupAt(id, { amount: { value, currency: 'EUR' } })))
      .toEqual({ status: 400, body: { error: 'amount.value must be a valid positive number' } });
  });

  it.each([['four letters', 'EURO'], ['a digit', 'E1R'], ['the number', 978], ['a symbol', '€']])(
    'refuses a currency of %s with 400',
    async (_, currency) => {
      expect(await answer(await lookupAt(id, { amount: { value: '52.89', currency } })))
        .toEqual({ status: 400, body: { error: 'amount.currency must be an ISO 4217 code' } });
    },
  );

  it('refuses a body without the amount, or with other fields, with 400', async () => {
    expect((await answer(await lookupAt(id, {}))).status).toBe(400);
    expect(await answer(await lookupAt(id, { amount: { value: '52.89', currency: 'EUR', tip: '15' } })))
      .toEqual({ status: 400, body: { error: '`amount` has an unknown field `tip`; it takes value, currency.' } });
    expect(await answer(await lookupAt(id, { amount: eur('52.89'), executionId: id })))
      .toEqual({ status: 400, body: { error: 'The body has an unknown field `executionId`; it takes amount.' } });
  });

  it('refuses a malformed payment with 400 and leaves the execution unpaid', async () => {
    expect(await answer(await authorize(id, { value: '45.99' }))).toEqual({ status: 400, body: { error: 'amount.currency must be an ISO 4217 code' } });
    expect(await answer(await authorize(id, eur('0')))).toEqual({ status: 400, body: { error: 'amount.value must be a valid positive number' } });
  });

  it('answers 404 for an execution it does not know, by each route', async () => {
    const unknown = '3f1c0f8e-0d6a-4d8e-9a57-2b1f7c3d9e10';
    const notFound = { status: 404, body: { error: `No execution ${unknown}.` } };
    expect(await answer(await lookupAt(unknown, { amount: eur('1.00') }))).toEqual(notFound);
    expect(await answer(await authorize(unknown, eur('1.00')))).toEqual(notFound);
    expect(await answer(await fetch(`${base}/__payrails/executions/${unknown}`))).toEqual(notFound);
    expect(await answer(await fetch(`${base}/__payrails/nowhere`))).toEqual({ status: 404, body: { error: 'Not found.' } });
  });

  it('is one backend by either way in: a lookup on its own port is what a payment under /__payrails must match', async () => {
    const other = await newExecution();
    expect((await answer(await lookupAt(other, { amount: eur('50.59') }))).status).toBe(200);
    expect(await answer(await authorize(other, eur('45.99')))).toEqual({ status: 401, body: { error: MISMATCH } });
    expect((await answer(await authorize(other, eur('50.59')))).status).toBe(200);
  });
});

describe('modes', () => {
  it('with STRIPE_SECRET_KEY: no emulated Payrails, nothing under /__payrails, and the routes say Payrails is not set up', async () => {
    const lines: string[] = [];
    const real = await createExampleServer({ env: { STRIPE_SECRET_KEY: 'sk_test_123' }, log: (line) => lines.push(line) });
    const served = await listen(real.app);
    try {
      expect(real.payrails).toBe(null);
      expect((await fetch(`${served.base}/__payrails/executions/3f1c0f8e-0d6a-4d8e-9a57-2b1f7c3d9e10`)).status).toBe(404);
      expect(await answer(await fetch(`${served.base}/payrails-session`, { method: 'POST' })))
        .toEqual({ status: 503, body: { error: 'Payrails is not set up on this server.' } });
    } finally {
      await stop(served.http);
      await real.close();
    }
  });

  describe('with PAYRAILS_API_URL', () => {
    const received: { path: string; authorization: string | undefined; body: unknown }[] = [];
    let provider: { http: Server; base: string };
    let lookupStatus = 200;
    beforeEach(() => {
      received.length = 0;
    });
    beforeAll(async () => {
      const app = express();
      app.use(express.json());
      app.post('/v1/merchant/client/init', (req, res) => {
        received.push({ path: req.path, authorization: req.get('authorization'), body: req.body });
        res.json({ opaque: 'client-init-data' });
      });
      app.post('/v1/merchant/executions/:id/lookup', (req, res) => {
        received.push({ path: req.path, authorization: req.get('authorization'), body: req.body });
        res.status(lookupStatus).json({});
      });
      provider = await listen(app);
    });
    afterAll(() => stop(provider.http));

    it("calls that API with the token, passes its init answer on unread, and emulates nothing", async () => {
      const lines: string[] = [];
      const other = await createExampleServer({ env: { PAYRAILS_API_URL: `${provider.base}/v1/`, PAYRAILS_API_TOKEN: 'secret-token' }, log: (line) => lines.push(line) });
      const served = await listen(other.app);
      try {
        expect(other.payrails).toBe(null);
        expect(await answer(await fetch(`${served.base}/payrails-session`, { method: 'POST' })))
          .toEqual({ status: 200, body: { init: { opaque: 'client-init-data' }, amount: eur('45.99') } });
        const id = '3f1c0f8e-0d6a-4d8e-9a57-2b1f7c3d9e10';
        expect(await answer(await post('/update-payrails-amount', { execution_id: id, selection: { tip: '15' }, changes: {} }, {}, served.base)))
          .toEqual({ status: 200, body: { amount: eur('52.89'), lineItems: [ORDER_LINE, { name: 'Tip (15%)', quantity: 1, total: money('€6.90', 690) }] } });
        expect(received).toEqual([
          { path: '/v1/merchant/client/init', authorization: 'Bearer secret-token', body: { amount: eur('45.99') } },
          { path: `/v1/merchant/executions/${id}/lookup`, authorization: 'Bearer secret-token', body: { amount: eur('52.89') } },
        ]);
        expect((await fetch(`${served.base}/__payrails/executions/${id}`)).status).toBe(404);

        lookupStatus = 500;
        expect(await answer(await post('/update-payrails-amount', { execution_id: id, selection: { tip: '10' }, changes: {} }, {}, served.base)))
          .toEqual({ status: 502, body: { error: 'The payment service did not answer as expected. Please try again.' } });
        expect(lines.at(-1)).toBe(`example server: 502 after ProviderError: Payrails /merchant/executions/${id}/lookup answered 500: {}`);
      } finally {
        lookupStatus = 200;
        await stop(served.http);
        await other.close();
      }
    });
  });

  it('a PAYRAILS_API_URL that is not an http(s) URL stops the server at start', async () => {
    await expect(createExampleServer({ env: { PAYRAILS_API_URL: 'payrails.example' }, log: () => {} }))
      .rejects.toThrow('PAYRAILS_API_URL must be an http(s) URL, got `payrails.example`.');
  });

  it("Vite's dev server passes the Payrails paths to the app", () => {
    expect(['/payrails-session', '/update-payrails-amount', '/__payrails/executions/x/authorize'].map(isServerPath)).toEqual([true, true, true]);
  });
});
