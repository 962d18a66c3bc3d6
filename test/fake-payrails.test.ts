// Runs in plain Node on purpose: the fake needs no DOM until a card button is mounted. The
// tests that mount use their own happy-dom Window.
import { Window } from 'happy-dom';
import { describe, expect, it, vi } from 'vitest';
import { startDevServer } from './helpers/dev-server.js';
import type { PayrailsAmount, PayrailsClient } from '../src/adapters/providers.js';
import { type FakeAnswer, type FakePayrailsButtonOptions, type FakePayrailsSdk, createFakePayrails } from '../src/testing/index.js';

const BASE: PayrailsAmount = { value: '45.99', currency: 'EUR' };
const TIP_15: PayrailsAmount = { value: '52.89', currency: 'EUR' };
const BAD_VALUE = 'AmountUpdate.value must be a valid positive number';
const MISMATCH = 'The amount does not match the amount authorised by lookup.';

/** A fake, its client, and a button whose events are recorded in `events`. */
function checkout(buttonEvents: FakePayrailsButtonOptions['events'] = {}) {
  const fake = createFakePayrails();
  const events: unknown[] = [];
  const hooks = { onSessionRecovered: vi.fn(() => void events.push('recovered')) };
  const client = fake.Payrails.init(fake.initPayload, { events: hooks });
  const button = client.createCardPaymentButton({
    translations: { label: 'Pay now' },
    events: {
      onButtonClicked: () => (events.push('clicked'), true),
      onAuthorizeSuccess: () => void events.push('success'),
      onAuthorizeFailed: (error) => void events.push(['failed', error]),
      ...buttonEvents,
    },
  });
  return { fake, client, button, events, hooks };
}

describe('createFakePayrails: init and query', () => {
  it('starts with one execution at seed 003\'s base amount, and a client that answers its execution id', () => {
    const fake = createFakePayrails();
    expect(fake.initPayload).toEqual({ executionId: 'execution_fake_1', amount: BASE });
    const client: PayrailsClient = fake.Payrails.init(fake.initPayload);
    expect(client.query('executionId')).toBe('execution_fake_1');
    expect(fake.amount).toEqual(BASE);
    expect(fake.authorised('execution_fake_1')).toEqual(BASE);
    expect(fake.execution('execution_fake_1')).toEqual({ executionId: 'execution_fake_1', authorised: BASE, status: 'open', paid: null });
    expect(() => client.query('amount' as 'executionId')).toThrow(new TypeError('Payrails client.query: the stand-in answers \'executionId\' only, got `"amount"` (string)'));
    expect(fake.log).toEqual([]);
  });

  it('makes more executions, numbered, at the amount given (else the options\')', () => {
    const fake = createFakePayrails({ executionId: 'exe_1', amount: { value: '20.00', currency: 'USD' } });
    expect(fake.createExecution()).toEqual({ executionId: 'execution_fake_2', amount: { value: '20.00', currency: 'USD' } });
    expect(fake.createExecution(TIP_15)).toEqual({ executionId: 'execution_fake_3', amount: TIP_15 });
    expect(fake.Payrails.init(fake.createExecution()).query('executionId')).toBe('execution_fake_4');
  });

  it('refuses an init payload that is malformed or names an execution the backend does not have', () => {
    const { Payrails } = createFakePayrails();
    expect(() => Payrails.init({ executionId: 'nope', amount: BASE })).toThrow(new Error('Payrails.init: the backend has no execution nope.'));
    expect(() => Payrails.init({ executionId: 'e', amount: { value: '0', currency: 'EUR' } })).toThrow(
      new TypeError(`Payrails.init expects { executionId, amount: { value, currency } } (${BAD_VALUE}), got \`{"executionId":"e","amount":{"value":"0","currency":"EUR"}}\` (object)`),
    );
    expect(() => (Payrails as unknown as { init(): void }).init()).toThrow(
      new TypeError('Payrails.init expects { executionId, amount: { value, currency } } (no executionId), got `undefined` (undefined)'),
    );
  });

  it('checks its options eagerly', () => {
    expect(() => createFakePayrails({ amount: { value: '45,99', currency: 'EUR' } })).toThrow(
      new TypeError(`Expected \`amount\` to be a Payrails amount (${BAD_VALUE}), got \`{"value":"45,99","currency":"EUR"}\` (object)`),
    );
    expect(() => createFakePayrails({ executionId: '' })).toThrow(new TypeError('Expected `executionId` to be a non-empty string, got `""` (string)'));
    expect(() => createFakePayrails({ remote: {} as never })).toThrow(new TypeError('Expected `remote` to be an object with an `authorize` function, got `{}` (object)'));
    expect(() => createFakePayrails({ remote: { authorize: async () => ({ status: 200, body: {} }) }, amount: BASE })).toThrow(
      new TypeError('Expected no `executionId` or `amount` with `remote`: the executions are that server\'s'),
    );
  });
});

describe('update(): synchronous, validated as seed 003 documents', () => {
  it('returns nothing (no promise) and sets the amount the next payment sends', () => {
    const { fake, client } = checkout();
    expect(client.update(TIP_15)).toBeUndefined();
    expect(fake.amount).toEqual(TIP_15);
    expect(fake.updates).toEqual([TIP_15]);
    expect(fake.log).toEqual(['update 52.89 EUR']);
  });

  it.each([
    ['empty', ''],
    ['zero', '0'],
    ['zero with decimals', '0.00'],
    ['negative', '-52.89'],
    ['non-numeric', 'abc'],
    ['a decimal comma', '52,89'],
    ['an exponent', '5e1'],
    ['a space', ' 52.89'],
    ['a trailing point', '52.'],
    ['a number, not a string', 52.89],
    ['missing', undefined],
  ])('throws "%s" values with seed 003\'s words, changing nothing', (_name, value) => {
    const { fake, client } = checkout();
    expect(() => client.update({ value, currency: 'EUR' } as unknown as PayrailsAmount)).toThrow(new Error(BAD_VALUE));
    expect(fake.amount).toEqual(BASE);
    expect(fake.updates).toEqual([{ value, currency: 'EUR', error: BAD_VALUE }]);
    expect(fake.log).toEqual([`update ${value} EUR: ${BAD_VALUE}`]);
  });

  it('accepts any positive decimal string, whatever its decimals', () => {
    const { fake, client } = checkout();
    for (const value of ['0.01', '7', '52.891', '007.5']) client.update({ value, currency: 'EUR' });
    expect(fake.updates.map((update) => update.error)).toEqual([undefined, undefined, undefined, undefined]);
    expect(fake.amount).toEqual({ value: '007.5', currency: 'EUR' });
  });

  it('throws for a currency that is not three letters (our choice: seed 003 is silent)', () => {
    const { client } = checkout();
    for (const currency of ['', 'EURO', 'E1R', undefined]) {
      expect(() => client.update({ value: '52.89', currency } as PayrailsAmount)).toThrow(new Error('AmountUpdate.currency must be an ISO 4217 code'));
    }
  });

  it('throws "No active Payrails session" once the session is paid, or expired until it is recovered', async () => {
    const { fake, client } = checkout();
    fake.expireSession();
    expect(() => client.update(TIP_15)).toThrow(new Error('No active Payrails session'));
    fake.recoverSession();
    client.update(BASE);
    await fake.pay();
    expect(() => client.update(TIP_15)).toThrow(new Error('No active Payrails session'));
    expect(fake.log).toEqual([
      'expire',
      'update 52.89 EUR: No active Payrails session',
      'recover 45.99 EUR',
      'update 45.99 EUR',
      'pay 45.99 EUR: 200',
      'update 52.89 EUR: No active Payrails session',
    ]);
  });

  it('failNextUpdate makes the next call throw that message, once; the session check comes after it', () => {
    const { fake, client } = checkout();
    fake.failNextUpdate('Payrails is down');
    expect(() => client.update(TIP_15)).toThrow(new Error('Payrails is down'));
    client.update(TIP_15);
    expect(fake.updates).toEqual([{ ...TIP_15, error: 'Payrails is down' }, TIP_15]);
    expect(() => fake.failNextUpdate('')).toThrow(new TypeError('Expected a message, got `""` (string)'));
  });
});

describe('the lookup action and the payment: a 401 unless the two amounts agree (seed 003)', () => {
  it('pays after lookup and update() agree, in that order, with the events in order', async () => {
    const { fake, client, button, events } = checkout();
    expect(fake.lookup('execution_fake_1', TIP_15)).toEqual({ status: 200, body: { executionId: 'execution_fake_1', amount: TIP_15 } });
    client.update(TIP_15);
    expect(await button.pay()).toEqual({ type: 'authorized', amount: TIP_15 });
    expect(events).toEqual(['clicked', 'success']);
    expect(fake.log).toEqual(['lookup 52.89 EUR', 'update 52.89 EUR', 'pay 52.89 EUR: 200']);
    expect(fake.execution('execution_fake_1')).toEqual({ executionId: 'execution_fake_1', authorised: TIP_15, status: 'authorized', paid: TIP_15 });
  });

  it('refuses with 401 when update() was not called after lookup, and pays once it is', async () => {
    const { fake, client, button, events } = checkout();
    fake.lookup('execution_fake_1', TIP_15);
    expect(await button.pay()).toEqual({ type: 'failed', status: 401, message: MISMATCH });
    client.update(TIP_15);
    expect(await button.pay()).toEqual({ type: 'authorized', amount: TIP_15 });
    expect(events).toEqual(['clicked', ['failed', { status: 401, message: MISMATCH }], 'clicked', 'success']);
    expect(fake.log).toEqual(['lookup 52.89 EUR', 'pay 45.99 EUR: 401', 'update 52.89 EUR', 'pay 52.89 EUR: 200']);
  });

  it('refuses with 401 when update() ran without lookup', async () => {
    const { fake, client } = checkout();
    client.update(TIP_15);
    expect(await fake.pay()).toEqual({ type: 'failed', status: 401, message: MISMATCH });
    expect(fake.execution('execution_fake_1')?.status).toBe('open');
  });

  it.each([
    ['a value written differently', { value: '52.890', currency: 'EUR' }],
    ['a currency in lower case', { value: '52.89', currency: 'eur' }],
  ])('compares value and currency as strings, exactly: %s is a 401', async (_name, sent) => {
    const { fake, client } = checkout();
    fake.lookup('execution_fake_1', TIP_15);
    client.update(sent);
    expect(await fake.pay()).toEqual({ type: 'failed', status: 401, message: MISMATCH });
  });

  it('pays the init amount when nothing changed it, without any lookup', async () => {
    const { fake } = checkout();
    expect(await fake.pay()).toEqual({ type: 'authorized', amount: BASE });
    expect(fake.log).toEqual(['pay 45.99 EUR: 200']);
  });

  it('refuses lookups for an unknown execution (404), an invalid amount (400, update()\'s words) and a paid execution (409)', async () => {
    const { fake } = checkout();
    expect(fake.lookup('nope', TIP_15)).toEqual({ status: 404, body: { error: 'No execution nope.' } });
    expect(fake.lookup('execution_fake_1', { value: '-1', currency: 'EUR' })).toEqual({ status: 400, body: { error: BAD_VALUE } });
    expect(fake.lookup('execution_fake_1', { value: '1', currency: 'EURO' })).toEqual({ status: 400, body: { error: 'AmountUpdate.currency must be an ISO 4217 code' } });
    await fake.pay();
    expect(fake.lookup('execution_fake_1', TIP_15)).toEqual({ status: 409, body: { error: 'The execution has already been authorized.' } });
    expect(fake.authorised('execution_fake_1')).toEqual(BASE);
    expect(fake.authorised('nope')).toBeUndefined();
    expect(fake.log).toEqual(['lookup 52.89 EUR: 404', 'lookup -1 EUR: 400', 'lookup 1 EURO: 400', 'pay 45.99 EUR: 200', 'lookup 52.89 EUR: 409']);
  });

  it('asks onButtonClicked first: false sends nothing and calls neither outcome', async () => {
    const { fake, button, events } = checkout({ onButtonClicked: () => (events.push('clicked'), false) });
    expect(await button.pay()).toEqual({ type: 'stopped' });
    expect(events).toEqual(['clicked']);
    expect(fake.log).toEqual(['pay: stopped by onButtonClicked']);
    expect(fake.execution('execution_fake_1')?.status).toBe('open');
  });

  it('awaits an async onButtonClicked and pays the amount of that moment, after an update() made meanwhile', async () => {
    let release!: (goAhead: boolean) => void;
    const { fake, client, button } = checkout({ onButtonClicked: () => new Promise<boolean>((resolve) => (release = resolve)) });
    const paying = button.pay();
    expect(button.pay()).toBe(paying); // a second click joins the payment under way
    fake.lookup('execution_fake_1', TIP_15);
    client.update(TIP_15);
    release(true);
    expect(await paying).toEqual({ type: 'authorized', amount: TIP_15 });
    expect(fake.log).toEqual(['lookup 52.89 EUR', 'update 52.89 EUR', 'pay 52.89 EUR: 200']);
  });

  it('a paid session pays no more: status 0 and "No active Payrails session", nothing sent', async () => {
    const { fake, events } = checkout();
    await fake.pay();
    expect(await fake.pay()).toEqual({ type: 'failed', status: 0, message: 'No active Payrails session' });
    expect(events).toEqual(['clicked', 'success', 'clicked', ['failed', { status: 0, message: 'No active Payrails session' }]]);
    expect(fake.log).toEqual(['pay 45.99 EUR: 200', 'pay 45.99 EUR: No active Payrails session']);
  });

  it('pay() needs a button', async () => {
    const fake = createFakePayrails();
    fake.Payrails.init(fake.initPayload);
    await expect(fake.pay()).rejects.toThrow('createFakePayrails: no card button to pay with; call client.createCardPaymentButton() first.');
  });
});

describe('session recovery (seed 003: "update() is reset on redirect session recovery")', () => {
  it('drops the update() amount for the init payload\'s, then calls onSessionRecovered', async () => {
    const { fake, client, hooks } = checkout();
    fake.lookup('execution_fake_1', TIP_15);
    client.update(TIP_15);
    let seen: PayrailsAmount | undefined;
    hooks.onSessionRecovered.mockImplementation(() => void (seen = fake.amount));
    fake.recoverSession();
    expect([hooks.onSessionRecovered.mock.calls.length, seen, fake.amount]).toEqual([1, BASE, BASE]);
    // The backend still authorises 52.89: paying now is the 401 that re-applying update() avoids.
    expect(await fake.pay()).toMatchObject({ type: 'failed', status: 401 });
    client.update(TIP_15);
    expect(await fake.pay()).toEqual({ type: 'authorized', amount: TIP_15 });
    expect(fake.log).toEqual(['lookup 52.89 EUR', 'update 52.89 EUR', 'recover 45.99 EUR', 'pay 45.99 EUR: 401', 'update 52.89 EUR', 'pay 52.89 EUR: 200']);
  });

  it('takes a new init payload\'s amount when given one, and a hook may re-apply update() at once', async () => {
    const { fake, client, hooks } = checkout();
    hooks.onSessionRecovered.mockImplementation(() => void client.update(TIP_15));
    fake.lookup('execution_fake_1', TIP_15);
    fake.recoverSession({ executionId: 'execution_fake_1', amount: { value: '50.00', currency: 'EUR' } });
    expect(fake.amount).toEqual(TIP_15);
    expect(await fake.pay()).toEqual({ type: 'authorized', amount: TIP_15 });
    expect(fake.log).toEqual(['lookup 52.89 EUR', 'recover 50.00 EUR', 'update 52.89 EUR', 'pay 52.89 EUR: 200']);
  });

  it('needs a client to recover', () => {
    expect(() => createFakePayrails().recoverSession()).toThrow('createFakePayrails: no client yet; call Payrails.init() first.');
  });
});

describe('the card button in a page (happy-dom)', () => {
  function page() {
    const window = new Window({ url: 'https://shop.test/checkout' });
    window.document.body.innerHTML = '<form><div data-payment-element></div></form>';
    const target = window.document.querySelector('[data-payment-element]') as unknown as HTMLElement;
    return { window, target };
  }
  const parts = (target: HTMLElement) => {
    const root = target.querySelector('[data-payrails-card-payment-button]')!.shadowRoot!;
    const text = (name: string) => root.querySelector(`[data-payrails-${name}]`)!.textContent;
    const button = root.querySelector('button')!;
    return { root, button, amount: text('amount'), status: text('status'), label: button.textContent, disabled: button.disabled };
  };

  it('shows the amount the next payment sends, and follows update() and recovery', async () => {
    const { window, target } = page();
    const { fake, client, button } = checkout();
    button.mount(target);
    expect(parts(target)).toMatchObject({ amount: '45.99 EUR', label: 'Pay now', status: '', disabled: false });
    client.update(TIP_15);
    expect(parts(target).amount).toBe('52.89 EUR');
    fake.recoverSession();
    expect(parts(target).amount).toBe('45.99 EUR');
    await window.happyDOM.close();
  });

  it('pays on a click: success text and a spent button, or the refusal\'s status and words', async () => {
    const { window, target } = page();
    const { fake, client, button, events } = checkout();
    button.mount(target);
    fake.lookup('execution_fake_1', TIP_15);
    parts(target).button.click();
    await vi.waitFor(() => expect(events).toHaveLength(2));
    expect(parts(target)).toMatchObject({ status: `Payment refused (401): ${MISMATCH}`, label: 'Pay now', disabled: false });
    client.update(TIP_15);
    parts(target).button.click();
    expect(parts(target)).toMatchObject({ label: 'Paying…', disabled: true });
    await vi.waitFor(() => expect(events).toHaveLength(4));
    expect(parts(target)).toMatchObject({ amount: '52.89 EUR', status: 'Payment authorized: 52.89 EUR.', label: 'Paid', disabled: true });
    expect(fake.log).toEqual(['lookup 52.89 EUR', 'pay 45.99 EUR: 401', 'update 52.89 EUR', 'pay 52.89 EUR: 200']);
    await window.happyDOM.close();
  });

  it('keeps its markup and CSS inside: a shadow root with a constructed style sheet, no style element or attribute', async () => {
    const { window, target } = page();
    const { button } = checkout();
    button.mount(target);
    const { root } = parts(target);
    expect(root.adoptedStyleSheets).toHaveLength(1);
    expect(root.querySelectorAll('style, [style]')).toHaveLength(0);
    expect(window.document.querySelectorAll('style, [style]')).toHaveLength(0);
    expect(root.querySelector('button')?.getAttribute('type')).toBe('button'); // never submits the page's form
    expect(root.querySelector('input[autocomplete="cc-number"]')).not.toBeNull();
    button.unmount();
    expect(target.children).toHaveLength(0);
    await window.happyDOM.close();
  });
});

describe('remote: payments on a server (the example pages\' stand-in)', () => {
  it('sends each payment to remote.authorize and reads its answer; no answer is status 0', async () => {
    const calls: unknown[] = [];
    let next: () => Promise<FakeAnswer> = async () => ({ status: 401, body: { error: MISMATCH } });
    const fake = createFakePayrails({ remote: { authorize: (id, amount) => (calls.push([id, amount]), next()) } });
    const client = fake.Payrails.init({ executionId: 'exe_remote', amount: BASE });
    const failed = vi.fn();
    const button = client.createCardPaymentButton({ events: { onAuthorizeFailed: failed } });
    expect(await button.pay()).toEqual({ type: 'failed', status: 401, message: MISMATCH });
    next = () => Promise.reject(new TypeError('Failed to fetch'));
    expect(await button.pay()).toEqual({ type: 'failed', status: 0, message: 'The request failed: Failed to fetch' });
    next = async () => ({ status: 200, body: { executionId: 'exe_remote', status: 'authorized', amount: TIP_15 } });
    client.update(TIP_15);
    expect(await button.pay()).toEqual({ type: 'authorized', amount: TIP_15 });
    expect(calls).toEqual([['exe_remote', BASE], ['exe_remote', BASE], ['exe_remote', TIP_15]]);
    expect(failed.mock.calls).toEqual([[{ status: 401, message: MISMATCH }], [{ status: 0, message: 'The request failed: Failed to fetch' }]]);
    expect(fake.log).toEqual(['pay 45.99 EUR: 401', 'pay 45.99 EUR: The request failed: Failed to fetch', 'update 52.89 EUR', 'pay 52.89 EUR: 200']);
  });

  it('has no backend of its own to ask', () => {
    const fake = createFakePayrails({ remote: { authorize: async () => ({ status: 200, body: {} }) } });
    const message = 'createFakePayrails: with `remote`, the backend is that server; ask it.';
    expect(() => fake.initPayload).toThrow(message);
    expect(() => fake.lookup('x', TIP_15)).toThrow(message);
    expect(() => fake.authorised('x')).toThrow(message);
    expect(() => fake.createExecution()).toThrow(message);
  });
});

describe('the example stand-in (examples/stand-in/payrails.ts)', () => {
  /** The stand-in loaded as a page loads it, with `fetch` answering as the example server's routes would. */
  async function standIn(answer: (method: string, url: string, body: unknown) => Response, before?: (window: Window) => void) {
    const { buildPayrailsStandIn } = await import('../examples/stand-in/build.js');
    const window = new Window({ url: 'http://shop.test/payrails.html', settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true } });
    const requests: unknown[] = [];
    const fetch = async (input: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      const body = init.body === undefined ? undefined : JSON.parse(init.body as string);
      requests.push([method, input, body]);
      return answer(method, input, body);
    };
    Object.assign(window, { fetch });
    before?.(window);
    window.eval(await buildPayrailsStandIn());
    return { window, requests, Payrails: (window as unknown as { Payrails: FakePayrailsSdk }).Payrails };
  }
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

  it('pays with POST /__payrails/executions/:id/authorize and shows the emulator\'s words on a refusal', async () => {
    let status = 401;
    const { window, requests, Payrails } = await standIn((_method, _url, body) =>
      status === 200 ? json(200, { executionId: 'exe 1', status: 'authorized', ...(body as object) }) : json(401, { error: MISMATCH }));
    const client = Payrails.init({ executionId: 'exe 1', amount: BASE });
    const button = client.createCardPaymentButton();
    expect(await button.pay()).toEqual({ type: 'failed', status: 401, message: MISMATCH });
    status = 200;
    client.update(TIP_15);
    expect(await button.pay()).toEqual({ type: 'authorized', amount: TIP_15 });
    expect(requests).toEqual([
      ['POST', '/__payrails/executions/exe%201/authorize', { amount: BASE }],
      ['POST', '/__payrails/executions/exe%201/authorize', { amount: TIP_15 }],
    ]);
    expect((window as unknown as { PayrailsStandIn: { log: string[] } }).PayrailsStandIn.log).toEqual(['pay 45.99 EUR: 401', 'update 52.89 EUR', 'pay 52.89 EUR: 200']);
    await window.happyDOM.close();
  });

  it('says so when no emulator answers, and leaves a window.Payrails already there alone', async () => {
    const { window, Payrails } = await standIn(() => new Response('<pre>Cannot POST</pre>', { status: 404, headers: { 'Content-Type': 'text/html' } }));
    expect(await Payrails.init({ executionId: 'e', amount: BASE }).createCardPaymentButton().pay()).toEqual({
      type: 'failed',
      status: 404,
      message: 'The example server did not answer /__payrails/executions/e/authorize (HTTP 404); is it in emulator mode?',
    });
    await window.happyDOM.close();
    const real = { init: () => null };
    const other = await standIn(() => json(200, {}), (page) => Object.assign(page, { Payrails: real }));
    expect(other.Payrails).toBe(real);
    await other.window.happyDOM.close();
  });

  it('is what `npm run dev` serves at /payrails-stand-in.js: one classic script', async () => {
    const dev = await startDevServer();
    try {
      const response = await fetch(`${dev.origin}/payrails-stand-in.js`);
      const text = await response.text();
      expect([response.status, response.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
      expect(text).not.toMatch(/^\s*(import|export)\b/m);
      expect(text).toContain('__payrails/executions/');
    } finally {
      // The dev server starts the example server as it listens: a request to one of its
      // routes waits for that, so that closing stops both cleanly.
      await fetch(`${dev.origin}/checkout-session-status`);
      await dev.close();
    }
  }, 30_000);
});
