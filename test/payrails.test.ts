// @vitest-environment happy-dom
// Payrails: your server authorises the new amount with the execution's lookup action, then the
// adapter gives the SDK exactly that amount with update() (seed 003). Each test reads the
// fake's log, in which the backend's lookups and the SDK's calls stand in the order they ran.
import { HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { payrails } from '../src/adapters/payrails.js';
import { createCheckout } from '../src/checkout.js';
import { createFakePayrails, type FakePayrails } from '../src/testing/index.js';
import type { PayrailsAmount, QueueOptions } from '../src/index.js';
import { ENDPOINT, trackUnhandledRejections, useMerchantServer } from './helpers/merchant.js';
import { authorising, EXECUTION, price } from './helpers/payrails.js';
import { recordSummaries } from './helpers/summary-events.js';

const server = useMerchantServer();
const unhandled = trackUnhandledRejections();
// Every failure is a value: no test may leave a rejection nobody handled.
afterEach(async () => {
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(unhandled.splice(0)).toEqual([]);
});
function setup(options: Partial<QueueOptions> = {}, start: { amount?: PayrailsAmount | null } = {}) {
  const fake = createFakePayrails();
  let adapter: ReturnType<typeof payrails>;
  const client = fake.Payrails.init(fake.initPayload, { events: { onSessionRecovered: () => adapter.sessionRecovered() } });
  const amount = start.amount === undefined ? fake.initPayload.amount : start.amount ?? undefined;
  adapter = payrails({ client, amount, locale: 'en-US' });
  const checkout = createCheckout({ adapter, endpoint: ENDPOINT, initial: { tip: '0' }, ...options });
  authorising(server, fake);
  return { fake, client, adapter, checkout, events: recordSummaries(checkout) };
}

describe('payrails(): one update', () => {
  it('sends the tip to your server, then gives Payrails exactly the amount the lookup authorised, once', async () => {
    const { fake, client, checkout, events } = setup();
    await checkout.ready;
    const result = await checkout.set('tip', '15');
    expect(result.type).toBe('success');
    expect(fake.log).toEqual(['lookup 52.89 EUR', 'update 52.89 EUR']);
    expect(fake.updates).toEqual([{ value: '52.89', currency: 'EUR' }]);
    expect(server.requests.map((r) => r.body)).toEqual([{ execution_id: EXECUTION, selection: { tip: '15' }, changes: { tip: '15' } }]);
    expect(checkout.summary).toEqual({
      currency: 'eur',
      total: { amount: '€52.89', minorUnitsAmount: 5289 },
      lineItems: [{ name: 'Dinner for two', quantity: 1, total: { amount: '€45.99', minorUnitsAmount: 4599 } }],
      status: 'open',
    });
    expect(events).toEqual(['loading:true:init', 'ready:€45.99', 'change:€45.99', 'loading:false:init', 'loading:true:update', 'change:€52.89', 'update:{"tip":"15"}', 'loading:false:update']);
    // The amounts agree: Payrails' button pays.
    client.createCardPaymentButton();
    expect(await fake.pay()).toEqual({ type: 'authorized', amount: { value: '52.89', currency: 'EUR' } });
  });

  it('merges a burst made in one task into one lookup and one update()', async () => {
    const { fake, checkout } = setup();
    await checkout.ready;
    const results = await Promise.all([checkout.set('tip', '10'), checkout.set('tip', '15'), checkout.set('tip', '20')]);
    expect(results.map((r) => r.type)).toEqual(['success', 'success', 'success']);
    expect(server.requests).toHaveLength(1);
    expect(fake.log).toEqual(['lookup 55.19 EUR', 'update 55.19 EUR']);
  });

  it('a burst across a round trip: two requests, each lookup followed by its own update(), never two at once', async () => {
    const { fake, checkout } = setup();
    server.behaviour.latencyMs = 30;
    authorising(server, fake);
    await checkout.ready;
    const first = checkout.set('tip', '10');
    await new Promise((resolve) => setTimeout(resolve, 10));
    void checkout.set('tip', '15');
    await checkout.set('tip', '20');
    await first;
    expect([server.requests.length, server.maxInFlight]).toEqual([2, 1]);
    expect(fake.log).toEqual(['lookup 50.59 EUR', 'update 50.59 EUR', 'lookup 55.19 EUR', 'update 55.19 EUR']);
    expect(checkout.summary?.total.amount).toBe('€55.19');
  });

  it('refresh() sends nothing and calls nothing: Payrails reports no amount of its own', async () => {
    const { fake, checkout } = setup();
    await checkout.ready;
    expect((await checkout.refresh()).type).toBe('success');
    expect([server.requests.length, fake.log]).toEqual([0, []]);
  });
});

describe('payrails(): a reply it cannot trust', () => {
  const EXPECTED = 'The server\'s reply must be JSON {"amount": {"value": "52.89", "currency": "EUR"}, the value a positive decimal}.';

  it.each([
    ['no amount', { ok: true }],
    ['a number, not a decimal string', { amount: { value: 52.89, currency: 'EUR' } }],
    ['zero', { amount: { value: '0', currency: 'EUR' } }],
    ['a negative value', { amount: { value: '-1.00', currency: 'EUR' } }],
    ['an exponent', { amount: { value: '1e3', currency: 'EUR' } }],
    ['an empty value', { amount: { value: '', currency: 'EUR' } }],
    ['no currency', { amount: { value: '52.89' } }],
    ['a currency that is no ISO code', { amount: { value: '52.89', currency: 'EURO' } }],
  ])('%s: an http error saying what your server must answer; update() is not called; the tip goes back', async (_name, reply) => {
    const { fake, checkout, events } = setup();
    await checkout.ready;
    events.length = 0;
    server.behaviour.reply = () => HttpResponse.json(reply);
    const result = await checkout.set('tip', '15');
    expect(result).toEqual({ type: 'error', error: expect.objectContaining({ code: 'http', message: EXPECTED }) });
    expect(fake.updates).toEqual([]);
    expect([checkout.selection, checkout.confirmed, checkout.summary?.total.amount]).toEqual([{ tip: '0' }, { tip: '0' }, '€45.99']);
    expect(events).toEqual(['loading:true:update', 'error:http:{"tip":"0"}', 'loading:false:update']);
  });

  it('a reply that is not JSON at all is the same error', async () => {
    const { fake, checkout } = setup();
    await checkout.ready;
    server.behaviour.reply = () => new HttpResponse('<html>OK</html>', { status: 200, headers: { 'Content-Type': 'text/html' } });
    const result = await checkout.set('tip', '10');
    expect(result.type === 'error' && [result.error.code, result.error.message]).toEqual(['http', EXPECTED]);
    expect(fake.updates).toEqual([]);
  });

  it('a value without decimals ("52") is a decimal too: update() takes it as written', async () => {
    const { fake, checkout } = setup();
    await checkout.ready;
    server.behaviour.reply = (_n, request) => (fake.lookup(EXECUTION, { value: '52', currency: 'EUR' }), HttpResponse.json({ amount: { value: '52', currency: 'EUR' } }));
    expect((await checkout.set('tip', '13')).type).toBe('success');
    expect([fake.log, checkout.summary?.total]).toEqual([['lookup 52 EUR', 'update 52 EUR'], { amount: '€52.00', minorUnitsAmount: 5200 }]);
  });

  it('after a lookup whose reply could not be used, paying is refused until the next update sets both again', async () => {
    const { fake, checkout } = setup();
    await checkout.ready;
    // The server authorised 52.89 with the lookup, then answered something else.
    server.behaviour.reply = (_n, request) => (fake.lookup(EXECUTION, price(request.body.selection['tip'])), HttpResponse.json({ amount: '52.89' }));
    await checkout.set('tip', '15');
    // The SDK still holds 45.99: paying now would be refused with a 401.
    expect([fake.amount, fake.authorised(EXECUTION)]).toEqual([{ value: '45.99', currency: 'EUR' }, { value: '52.89', currency: 'EUR' }]);
    const blocked = await checkout.confirm();
    expect(blocked.type === 'error' && [blocked.error.code, blocked.error.message]).toEqual(['confirm_blocked', 'Your last change did not go through: choose again, then pay.']);
    authorising(server, fake);
    await checkout.set('tip', '20');
    expect((await checkout.confirm()).type).toBe('success');
    expect(fake.log).toEqual(['lookup 52.89 EUR', 'lookup 55.19 EUR', 'update 55.19 EUR']);
  });
});

describe('payrails(): failures around the lookup', () => {
  it("update() throwing (seed 003's \"No active Payrails session\") is an error; the tip goes back; paying waits for the next update", async () => {
    const { fake, checkout, events } = setup();
    await checkout.ready;
    events.length = 0;
    fake.failNextUpdate('No active Payrails session');
    const result = await checkout.set('tip', '15');
    expect(result.type === 'error' && [result.error.code, result.error.message]).toEqual(['server_update_failed', 'No active Payrails session']);
    expect([checkout.selection, events]).toEqual([{ tip: '0' }, ['loading:true:update', 'error:server_update_failed:{"tip":"0"}', 'loading:false:update']]);
    expect((await checkout.confirm()).type).toBe('error');
    await checkout.set('tip', '10');
    expect((await checkout.confirm()).type).toBe('success');
    expect(fake.log).toEqual(['lookup 52.89 EUR', 'update 52.89 EUR: No active Payrails session', 'lookup 50.59 EUR', 'update 50.59 EUR']);
  });

  it('your server refusing (a 400) authorised nothing: no update(), and the page may still pay', async () => {
    const { fake, client, checkout } = setup();
    await checkout.ready;
    server.behaviour.reply = () => HttpResponse.json({ error: 'That tip is not offered.' }, { status: 400 });
    const result = await checkout.set('tip', '15');
    expect(result.type === 'error' && [result.error.code, result.error.message]).toEqual(['http', 'That tip is not offered.']);
    expect((await checkout.confirm()).type).toBe('success');
    expect(fake.log).toEqual([]);
    client.createCardPaymentButton();
    expect(await fake.pay()).toEqual({ type: 'authorized', amount: { value: '45.99', currency: 'EUR' } });
  });

  it('a 5xx after the lookup may have run: paying waits for the next update', async () => {
    const { fake, checkout } = setup({ retries: 0 });
    await checkout.ready;
    server.behaviour.reply = (_n, request) => (fake.lookup(EXECUTION, price(request.body.selection['tip'])), HttpResponse.json({ error: 'Oops' }, { status: 500 }));
    await checkout.set('tip', '15');
    const blocked = await checkout.confirm();
    expect(blocked.type === 'error' && blocked.error.code).toBe('confirm_blocked');
    expect(fake.log).toEqual(['lookup 52.89 EUR']);
  });

  it('your server\'s 409 (the execution was paid) ends the session: session_expired, state complete, no update()', async () => {
    const { fake, checkout, events } = setup();
    await checkout.ready;
    events.length = 0;
    server.behaviour.reply = () => HttpResponse.json({ error: 'This order has already been paid.' }, { status: 409 });
    const result = await checkout.set('tip', '15');
    expect(result.type === 'error' && result.error.code).toBe('session_expired');
    expect([checkout.state, fake.updates]).toEqual(['complete', []]);
    expect(events).toEqual(['loading:true:update', 'change:€45.99:complete', 'error:session_expired:{"tip":"0"}', 'loading:false:update']);
    // Behind it, for the merchant's code: your server's 409 and its words.
    expect(result.type === 'error' && result.error.cause).toMatchObject({ code: 'session_expired', status: 409, message: 'This order has already been paid.', cause: { code: 'http', status: 409 } });
    const later = await checkout.set('tip', '10');
    expect(later.type === 'error' && later.error.code).toBe('session_expired');
    expect(server.requests).toHaveLength(1);
  });
});

describe("payrails(): paying with Payrails' button", () => {
  it('confirm() waits for the update in flight, then goes ahead without charging anything itself', async () => {
    const { fake, checkout } = setup();
    server.behaviour.latencyMs = 20;
    authorising(server, fake);
    await checkout.ready;
    void checkout.set('tip', '20');
    const result = await checkout.confirm();
    expect(result).toEqual({ type: 'success', session: expect.objectContaining({ amount: { value: '55.19', currency: 'EUR' }, status: 'open' }) });
    expect(fake.log).toEqual(['lookup 55.19 EUR', 'update 55.19 EUR']);
  });

  it('confirm() is refused when the update it waited for failed', async () => {
    const { checkout } = setup();
    server.behaviour.latencyMs = 20;
    server.behaviour.reply = () => HttpResponse.json({ error: 'No.' }, { status: 400 });
    await checkout.ready;
    void checkout.set('tip', '20');
    const result = await checkout.confirm();
    expect(result.type === 'error' && result.error.code).toBe('confirm_blocked');
  });

  it("the card button in [data-payment-element] asks the checkout first; authorised, the checkout is complete", async () => {
    const { fake, checkout, events } = setup();
    await checkout.ready;
    const target = document.createElement('div');
    document.body.append(target);
    const asked: string[] = [];
    const element = checkout.adapter.mountPaymentElement!(target, async () => (asked.push('confirm'), checkout.confirm()));
    expect(target.childElementCount).toBe(1);
    expect(target.firstElementChild?.shadowRoot?.querySelector('[data-payrails-pay]')?.textContent).toBe('Pay');
    await checkout.set('tip', '10');
    events.length = 0;
    expect(await fake.pay()).toEqual({ type: 'authorized', amount: { value: '50.59', currency: 'EUR' } });
    expect([asked, checkout.state, events]).toEqual([['confirm'], 'complete', ['change:€50.59:complete']]);
    element.destroy();
    expect(target.childElementCount).toBe(0);
    target.remove();
  });

  it('the card button pays nothing while the amounts may disagree: onButtonClicked answers false', async () => {
    const { fake, checkout } = setup();
    await checkout.ready;
    const target = document.createElement('div');
    checkout.adapter.mountPaymentElement!(target, () => checkout.confirm());
    fake.failNextUpdate('AmountUpdate.value must be a valid positive number');
    await checkout.set('tip', '15');
    expect(await fake.pay()).toEqual({ type: 'stopped' });
    expect(fake.log.at(-1)).toBe('pay: stopped by onButtonClicked');
    expect(fake.execution(EXECUTION)?.status).toBe('open');
  });
});

describe("payrails(): a change made while Payrails' button pays", () => {
  it('waits for the payment to end: its lookup would authorise an amount the payment in flight does not send', async () => {
    // A backend across the network, as on a page: the payment takes 30 ms to reach it.
    let authorised = { value: '45.99', currency: 'EUR' };
    const sent: string[] = [];
    const fake = createFakePayrails({
      remote: {
        authorize: async (_id, amount) => {
          await new Promise((resolve) => setTimeout(resolve, 30));
          sent.push(`pay ${amount.value} (authorised ${authorised.value})`);
          const agree = amount.value === authorised.value && amount.currency === authorised.currency;
          return agree ? { status: 200, body: { executionId: EXECUTION, status: 'authorized', amount } } : { status: 401, body: { error: 'mismatch' } };
        },
      },
    });
    const client = fake.Payrails.init({ executionId: EXECUTION, amount: { value: '45.99', currency: 'EUR' } });
    const checkout = createCheckout({ adapter: payrails({ client }), endpoint: ENDPOINT, initial: { tip: '0' } });
    server.behaviour.reply = (_n, request) => {
      authorised = price(request.body.selection['tip']);
      sent.push(`lookup ${authorised.value}`);
      return HttpResponse.json({ amount: authorised });
    };
    await checkout.ready;
    await checkout.set('tip', '10');
    let later: ReturnType<typeof checkout.set> | undefined;
    // The customer changes the tip the moment the button was allowed to pay.
    checkout.adapter.mountPaymentElement!(document.createElement('div'), async () => {
      const result = await checkout.confirm();
      later = checkout.set('tip', '20');
      return result;
    });
    expect(await fake.pay()).toEqual({ type: 'authorized', amount: { value: '50.59', currency: 'EUR' } });
    const result = await later!;
    expect(result.type === 'error' && result.error.code).toBe('session_expired');
    expect(result.type === 'error' && result.error.cause).toMatchObject({ code: 'session_expired', message: 'This checkout is already complete.' });
    expect([sent, checkout.state, checkout.selection]).toEqual([['lookup 50.59', 'pay 50.59 (authorised 50.59)'], 'complete', { tip: '10' }]);
  });

  it('a refused payment ends the wait too: the change then goes through', async () => {
    const { fake, checkout } = setup({ retries: 0 });
    await checkout.ready;
    // Another client paid the execution meanwhile: this page's payment will be refused.
    expect((await fake.Payrails.init(fake.initPayload).createCardPaymentButton().pay()).type).toBe('authorized');
    let later: ReturnType<typeof checkout.set> | undefined;
    checkout.adapter.mountPaymentElement!(document.createElement('div'), async () => {
      const result = await checkout.confirm();
      later = checkout.set('tip', '20');
      return result;
    });
    expect(await fake.pay()).toEqual({ type: 'failed', status: 409, message: 'The execution has already been authorized.' });
    // The change waited for the refusal, then went its way (here to a backend that refuses it too).
    const result = await later!;
    expect(result.type === 'error' && result.error.code).toBe('http');
    expect(fake.log).toEqual(['pay 45.99 EUR: 200', 'pay 45.99 EUR: 409', 'lookup 55.19 EUR: 409']);
  });
});

describe('payrails(): a payment whose end Payrails never reports', () => {
  /** A go-ahead given, then a backend that never answers the payment; fake timers from the go-ahead on. */
  async function goAheadWithoutAnswer() {
    const fake = createFakePayrails({ remote: { authorize: () => new Promise(() => {}) } });
    const client = fake.Payrails.init({ executionId: EXECUTION, amount: { value: '45.99', currency: 'EUR' } });
    const checkout = createCheckout({ adapter: payrails({ client }), endpoint: ENDPOINT, initial: { tip: '0' } });
    server.behaviour.reply = (_n, request) => HttpResponse.json({ amount: price(request.body.selection['tip']) });
    await checkout.ready;
    checkout.adapter.mountPaymentElement!(document.createElement('div'), () => checkout.confirm());
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    void fake.pay();
    await vi.advanceTimersByTimeAsync(0);
    return checkout;
  }
  afterEach(() => void vi.useRealTimers());

  it('a change waits two minutes at most, then goes through', async () => {
    const checkout = await goAheadWithoutAnswer();
    const later = checkout.set('tip', '20');
    await vi.advanceTimersByTimeAsync(119_999);
    expect(server.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    vi.useRealTimers();
    expect(await later).toEqual({ type: 'success', session: expect.objectContaining({ amount: { value: '55.19', currency: 'EUR' } }) });
    expect(server.requests).toHaveLength(1);
  });

  it('destroy() ends the wait: no timer is left behind', async () => {
    const checkout = await goAheadWithoutAnswer();
    expect(vi.getTimerCount()).toBe(1);
    checkout.destroy();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('payrails(): session recovery', () => {
  it('sets the confirmed amount again after Payrails recovered the session and forgot it', async () => {
    const { fake, client, checkout } = setup();
    await checkout.ready;
    await checkout.set('tip', '15');
    fake.recoverSession();
    client.createCardPaymentButton();
    expect(fake.log).toEqual(['lookup 52.89 EUR', 'update 52.89 EUR', 'recover 45.99 EUR', 'update 52.89 EUR']);
    expect(await fake.pay()).toEqual({ type: 'authorized', amount: { value: '52.89', currency: 'EUR' } });
  });

  it('a recovery after a failed update sets the last amount again but does not make paying safe: the lookup may hold another', async () => {
    const { fake, client, checkout } = setup();
    await checkout.ready;
    await checkout.set('tip', '10');
    // The lookup authorises 52.89, then the reply cannot be used: the SDK keeps 50.59.
    server.behaviour.reply = (_n, request) => (fake.lookup(EXECUTION, price(request.body.selection['tip'])), HttpResponse.json({ ok: true }));
    await checkout.set('tip', '15');
    fake.recoverSession();
    expect(fake.log).toEqual(['lookup 50.59 EUR', 'update 50.59 EUR', 'lookup 52.89 EUR', 'recover 45.99 EUR', 'update 50.59 EUR']);
    const blocked = await checkout.confirm();
    expect(blocked.type === 'error' && blocked.error.code).toBe('confirm_blocked');
    client.createCardPaymentButton({ events: { onButtonClicked: async () => (await checkout.confirm()).type === 'success' } });
    expect(await fake.pay()).toEqual({ type: 'stopped' });
  });

  it('before any update there is nothing to set again', async () => {
    const { fake, checkout } = setup();
    await checkout.ready;
    fake.recoverSession();
    expect(fake.log).toEqual(['recover 45.99 EUR']);
  });
});

describe('payrails(): start', () => {
  it('knows no amount before the first update unless given the starting one: summary null, ready resolves', async () => {
    const { checkout, events } = setup({}, { amount: null });
    const session = await checkout.ready;
    expect([session.executionId, session.amount, checkout.summary]).toEqual([EXECUTION, null, null]);
    expect(events).toEqual(['loading:true:init', 'ready:no amount', 'change:no amount', 'loading:false:init']);
    await checkout.set('tip', '10');
    expect(checkout.summary?.total.amount).toBe('€50.59');
  });

  it('takes a promise of the client', async () => {
    const fake = createFakePayrails();
    const checkout = createCheckout({ adapter: payrails({ client: Promise.resolve(fake.Payrails.init(fake.initPayload)) }), endpoint: ENDPOINT });
    expect((await checkout.ready).executionId).toBe(EXECUTION);
  });

  it.each([
    ['a client without query and update', { client: { update() {} } }, 'Payrails could not start: `client` is not a Payrails client (query and update are missing)'],
    ['a promise of no client', { client: Promise.resolve(undefined) }, 'Payrails could not start: `client` is not a Payrails client (query and update are missing)'],
    ['no execution id', { client: { query: () => '', update() {} } }, "Payrails could not start: client.query('executionId') gave no execution id"],
    ['a starting amount Payrails would refuse', { client: { query: () => 'e_1', update() {} }, amount: { value: '45,99', currency: 'EUR' } }, 'Payrails could not start: `amount` must be {"value": "52.89", "currency": "EUR"}, the value a positive decimal'],
  ] as Array<[string, unknown, string]>)('%s fails the start with init_failed', async (_name, options, message) => {
    const checkout = createCheckout({ adapter: payrails(options as never), endpoint: ENDPOINT });
    const errors: string[] = [];
    checkout.on('error', ({ error }) => errors.push(`${error.code}: ${error.message}`));
    await expect(checkout.ready).rejects.toMatchObject({ code: 'init_failed', message });
    expect([errors, checkout.state]).toEqual([[`init_failed: ${message}`], 'error']);
  });

  it.each([
    ['no options', undefined, '`undefined` (undefined)'],
    ['no client', {}, '`undefined` (undefined)'],
    ['a client that is a string', { client: 'payrails' }, '`"payrails"` (string)'],
  ])('refuses %s at once, with invalid_option', (_name, options, got) => {
    expect(() => payrails(options as never)).toThrow(expect.objectContaining({ code: 'invalid_option', message: `Expected \`client\` to be the client Payrails.init() gave, or a promise of it, got ${got}` }));
  });
});
