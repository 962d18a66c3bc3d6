// Runs in plain Node on purpose: the payment-intent API needs no DOM. The SDK's tests give
// `Toast.initialize` a happy-dom document (`vi.stubGlobal`, undone after each test).
import { Window } from 'happy-dom';
import { describe, expect, it, vi } from 'vitest';
import { startDevServer } from './helpers/dev-server.js';
import type { ToastSdk } from '../src/adapters/providers.js';
import { type FakeAnswer, type FakeToast, type FakeToastPaymentIntent, type FakeToastSdk, createFakeToast } from '../src/testing/index.js';

const T0 = new Date('2026-03-01T12:00:00.000Z');
const HOUR = 60 * 60 * 1000;
const EXPIRED = 'The payment intent has expired: it is valid for 24 hours from its creationDate.';
const TIP_REQUIRED = 'amountDetails.tip is required when the amount changes.';

function api(options: { captureMethod?: 'MANUAL' } = {}) {
  const fake = createFakeToast({ now: T0 });
  const intent = fake.createIntent({ amount: 2000, currency: 'USD', ...options });
  return { fake, intent, id: intent.id };
}

describe('the payment-intent API: creating', () => {
  it('answers seed 002\'s PaymentIntentResponse: every field, no tip yet, dated by the fake\'s clock', () => {
    const { fake, intent } = api();
    expect(intent).toEqual({
      id: '00000000-0000-4000-a000-000000000001',
      externalReferenceId: '00000000-0000-4000-c000-000000000001',
      sessionSecret: 'PI_00000000-0000-4000-a000-000000000001_SECRET_fake1',
      amount: 2000,
      currency: 'USD',
      captureMethod: 'AUTOMATIC',
      status: 'REQUIRES_PAYMENT_METHOD',
      paymentMethodId: null,
      creationDate: '2026-03-01T12:00:00.000Z',
      usage: null,
      customerId: null,
      amountDetails: null,
      paymentMethodConfigurationDetails: null,
      latestPayment: null,
      offSession: false,
      standingInstructionType: null,
      mandateId: null,
    });
    // "This value only appears if you include a customer's email address".
    expect('email' in intent).toBe(false);
    expect(fake.createIntent({ amount: 500, email: 'a@example.com', captureMethod: 'MANUAL', creationDate: '2026-02-27T08:00:00Z' })).toMatchObject({
      id: '00000000-0000-4000-a000-000000000002',
      email: 'a@example.com',
      captureMethod: 'MANUAL',
      creationDate: '2026-02-27T08:00:00.000Z',
    });
    expect(fake.log).toEqual(['create 2000 USD', 'create 500 USD']);
  });

  it('refuses what a merchant server could not create', () => {
    const fake = createFakeToast();
    expect(() => fake.createIntent({ amount: 19.99 })).toThrow(new TypeError('Expected `amount` to be a positive integer of minor units, got `19.99` (number)'));
    expect(() => fake.createIntent({ amount: 100, currency: 'usd' })).toThrow(new TypeError('Expected `currency` to be an ISO 4217 code such as \'USD\', got `"usd"` (string)'));
    expect(() => fake.createIntent({ amount: 100, creationDate: 'yesterday' })).toThrow(new TypeError('Expected `creationDate` to be a date, got `"yesterday"` (string)'));
    expect(() => createFakeToast({ now: new Date('x') })).toThrow(new TypeError('Expected `now` to be a valid Date, got `null` (object)'));
    expect(() => createFakeToast({ remote: { session: async () => ({ status: 200, body: {} }) } as never })).toThrow(TypeError);
  });

  it('keeps its own copy: changing an answer changes nothing', () => {
    const { fake, intent, id } = api();
    intent.amount = 1;
    (fake.intent(id) as FakeToastPaymentIntent).status = 'SUCCEEDED';
    expect(fake.intent(id)).toMatchObject({ amount: 2000, status: 'REQUIRES_PAYMENT_METHOD' });
    expect(fake.intent('nope')).toBeUndefined();
  });
});

describe('the payment-intent API: updating (seed 002)', () => {
  it('takes the new amount with its tip and answers the intent', () => {
    const { fake, id } = api();
    const result = fake.updateIntent(id, { amount: 2300, amountDetails: { tip: 300 } });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ ...fake.intent(id), amount: 2300, amountDetails: { tip: 300 } });
    expect(fake.log).toEqual(['create 2000 USD', 'update 2300 tip 300']);
  });

  it('is valid for 24 hours from the creationDate: accepted at exactly 24 hours, a 404 one millisecond later', () => {
    const { fake, id } = api();
    fake.now = new Date(T0.getTime() + 24 * HOUR);
    expect(fake.updateIntent(id, { amount: 2300, amountDetails: { tip: 300 } }).status).toBe(200);
    fake.now = new Date(T0.getTime() + 24 * HOUR + 1);
    expect(fake.updateIntent(id, { amount: 2000, amountDetails: { tip: 0 } })).toEqual({ status: 404, body: { error: EXPIRED } });
    expect(fake.intent(id)).toMatchObject({ amount: 2300, amountDetails: { tip: 300 } });
    expect(fake.log).toEqual(['create 2000 USD', 'update 2300 tip 300', 'update 2000 tip 0: 404']);
  });

  it('reads the age from the creationDate the intent was made with', () => {
    const fake = createFakeToast({ now: T0 });
    const old = fake.createIntent({ amount: 2000, creationDate: new Date(T0.getTime() - 25 * HOUR) });
    expect(fake.updateIntent(old.id, { amount: 2300, amountDetails: { tip: 300 } }).status).toBe(404);
  });

  it('answers 404 for an intent it does not know', () => {
    const { fake } = api();
    expect(fake.updateIntent('nope', { amount: 2300, amountDetails: { tip: 300 } })).toEqual({ status: 404, body: { error: 'No payment intent nope.' } });
  });

  it.each(['PROCESSING', 'REQUIRES_CAPTURE', 'SUCCEEDED', 'CANCELED'] as const)('refuses to update an intent in %s with a 409', (status) => {
    const { fake, id } = api();
    fake.setStatus(id, status);
    expect(fake.updateIntent(id, { amount: 2300, amountDetails: { tip: 300 } })).toEqual({
      status: 409,
      body: { error: `A payment intent with status ${status} cannot be updated.` },
    });
    expect(fake.intent(id)?.amount).toBe(2000);
  });

  it.each(['REQUIRES_PAYMENT_METHOD', 'REQUIRES_CONFIRMATION', 'REQUIRES_ACTION'] as const)('updates an intent in %s', (status) => {
    const { fake, id } = api();
    fake.setStatus(id, status);
    expect(fake.updateIntent(id, { amount: 2300, amountDetails: { tip: 300 } }).status).toBe(200);
  });

  it.each([
    ['zero', 0, '`0` (number)'],
    ['negative', -100, '`-100` (number)'],
    ['fractional', 20.5, '`20.5` (number)'],
    ['a string', '2300', '`"2300"` (string)'],
    ['null', null, '`null` (object)'],
  ])('refuses an amount that is not a positive integer (%s) with a 400', (_name, amount, shown) => {
    const { fake, id } = api();
    expect(fake.updateIntent(id, { amount, amountDetails: { tip: 0 } })).toEqual({
      status: 400,
      body: { error: `amount must be a positive integer of minor units, got ${shown}` },
    });
  });

  it('refuses a changed amount without amountDetails.tip; the same amount, or no amount, needs none', () => {
    const { fake, id } = api();
    expect(fake.updateIntent(id, { amount: 2300 })).toEqual({ status: 400, body: { error: TIP_REQUIRED } });
    expect(fake.updateIntent(id, { amount: 2300, amountDetails: {} })).toEqual({ status: 400, body: { error: TIP_REQUIRED } });
    expect(fake.updateIntent(id, { amount: 2000 }).status).toBe(200);
    const email = fake.updateIntent(id, { email: 'john.smith@email.com' });
    expect([email.status, email.body]).toEqual([200, expect.objectContaining({ amount: 2000, email: 'john.smith@email.com', amountDetails: null })]);
    expect(fake.updateIntent(id, { amount: 2000, amountDetails: { tip: 0 } }).body).toMatchObject({ amountDetails: { tip: 0 } });
    expect(fake.log.slice(1)).toEqual(['update 2300: 400', 'update 2300: 400', 'update 2000', 'update email', 'update 2000 tip 0']);
  });

  it('refuses a tip that is not whole minor units >= 0, or more than the amount (our choices)', () => {
    const { fake, id } = api();
    expect(fake.updateIntent(id, { amount: 2300, amountDetails: { tip: -1 } })).toEqual({ status: 400, body: { error: 'amountDetails.tip must be a whole number of minor units >= 0, got `-1` (number)' } });
    expect(fake.updateIntent(id, { amount: 2300, amountDetails: { tip: 2301 } })).toEqual({ status: 400, body: { error: 'amountDetails.tip (2301) cannot be more than the amount (2300).' } });
    expect(fake.updateIntent(id, [])).toEqual({ status: 400, body: { error: 'The request body must be a JSON object, got `[]` (object)' } });
  });

  it('finds the intent first, then its status, then reads the body: 404 before 409 before 400', () => {
    const { fake, id } = api();
    fake.setStatus(id, 'PROCESSING');
    expect(fake.updateIntent(id, { amount: -1 }).status).toBe(409);
    fake.now = new Date(T0.getTime() + 25 * HOUR);
    expect(fake.updateIntent(id, { amount: -1 }).status).toBe(404);
  });

  it('has a clock that follows the system until set', () => {
    vi.useFakeTimers({ now: T0 });
    try {
      const fake = createFakeToast();
      vi.advanceTimersByTime(HOUR);
      expect(fake.now).toEqual(new Date(T0.getTime() + HOUR));
      fake.now = T0;
      vi.advanceTimersByTime(HOUR);
      expect(fake.now).toEqual(T0);
      expect(() => (fake.now = 'now' as unknown as Date)).toThrow(new TypeError('Expected `now` to be a valid Date, got `"now"` (string)'));
    } finally {
      vi.useRealTimers();
    }
  });
});

/** A page with `#toast`, the document `Toast.initialize` looks in. */
function page() {
  const window = new Window({ url: 'https://shop.test/checkout' });
  window.document.body.innerHTML = '<main><div id="toast"></div></main>';
  vi.stubGlobal('document', window.document);
  return window;
}

/** What the iframe shows now. */
function shown(window: Window) {
  const frames = window.document.querySelectorAll('#toast iframe');
  const doc = (frames[0] as unknown as HTMLIFrameElement).contentDocument!;
  const text = (name: string) => doc.querySelector(`[data-toast-${name}]`)?.textContent;
  return { frames: frames.length, amount: text('amount'), tip: text('tip'), status: text('status'), doc };
}

const OPTIONS = { merchantId: 'merchant-1', oauthToken: 'token-1', domElementId: 'toast' };

/** `Toast.initialize`, as a promise of the event its onSuccess (or onFailure, rejected) receives. */
function initialize(Toast: ToastSdk, sessionSecret: string, domElementId = 'toast'): Promise<unknown> {
  return new Promise((resolve, reject) => Toast.initialize(resolve, reject, { ...OPTIONS, sessionSecret, domElementId }));
}

/** confirmPayment / createPaymentMethod as a promise of `['success' | 'failure', event]`. */
function settled(call: (onSuccess: (event?: unknown) => void, onFailure: (event?: unknown) => void) => void): Promise<[string, unknown]> {
  return new Promise((resolve) => call((event) => resolve(['success', event]), (event) => resolve(['failure', event])));
}

describe('the SDK: initialize and fetchUpdates (happy-dom)', () => {
  it('initialize puts an iframe into #domElementId showing the amount and tip the API holds, then calls onSuccess', async () => {
    const window = page();
    const { fake, intent } = api();
    const sdk: ToastSdk = fake.Toast;
    expect(await initialize(sdk, intent.sessionSecret)).toEqual({ type: 'initialized' });
    expect(shown(window)).toMatchObject({ frames: 1, amount: 'Amount: $20.00', tip: 'Tip: $0.00', status: '' });
    expect(fake.log).toEqual(['create 2000 USD', 'initialize 2000 tip 0']);
    await window.happyDOM.close();
  });

  it('fetchUpdates re-reads the intent and re-renders the new amount and tip, keeping what the customer typed', async () => {
    const window = page();
    const { fake, intent, id } = api();
    await initialize(fake.Toast, intent.sessionSecret);
    const card = shown(window).doc.querySelector('input') as unknown as HTMLInputElement;
    card.value = '5555 5555 5555 4444';
    fake.updateIntent(id, { amount: 2300, amountDetails: { tip: 300 } });
    expect(shown(window).amount).toBe('Amount: $20.00'); // the iframe shows what it last read
    const fetched = fake.Toast.fetchUpdates();
    expect(fetched).toBeInstanceOf(Promise);
    expect(await fetched).toBeUndefined();
    expect(shown(window)).toMatchObject({ frames: 1, amount: 'Amount: $23.00', tip: 'Tip: $3.00' });
    expect((shown(window).doc.querySelector('input') as unknown as HTMLInputElement).value).toBe('5555 5555 5555 4444');
    expect(fake.fetchUpdatesCalls).toBe(1);
    expect(fake.log).toEqual(['create 2000 USD', 'initialize 2000 tip 0', 'update 2300 tip 300', 'fetchUpdates 2300 tip 300']);
    await window.happyDOM.close();
  });

  it('fetchUpdates rejects once after failNext, leaving the iframe as it was; and before initialize', async () => {
    const window = page();
    const { fake, intent, id } = api();
    await expect(fake.Toast.fetchUpdates()).rejects.toThrow(new Error('Toast.initialize() has not succeeded yet.'));
    await initialize(fake.Toast, intent.sessionSecret);
    fake.updateIntent(id, { amount: 2300, amountDetails: { tip: 300 } });
    fake.failNext('fetchUpdates');
    await expect(fake.Toast.fetchUpdates()).rejects.toThrow(new Error('The request failed (injected failure).'));
    expect(shown(window).amount).toBe('Amount: $20.00');
    fake.failNext('fetchUpdates', 'Toast is down');
    await expect(fake.Toast.fetchUpdates()).rejects.toThrow(new Error('Toast is down'));
    await fake.Toast.fetchUpdates();
    expect(shown(window).amount).toBe('Amount: $23.00');
    expect(fake.fetchUpdatesCalls).toBe(4);
    expect(fake.log.filter((line) => line.startsWith('fetchUpdates'))).toEqual([
      'fetchUpdates: Toast.initialize() has not succeeded yet.',
      'fetchUpdates: The request failed (injected failure).',
      'fetchUpdates: Toast is down',
      'fetchUpdates 2300 tip 300',
    ]);
    await window.happyDOM.close();
  });

  it('initialize calls onFailure with a message: no such element, an unknown sessionSecret, missing options', async () => {
    const window = page();
    const { fake, intent } = api();
    await expect(initialize(fake.Toast, intent.sessionSecret, 'nowhere')).rejects.toEqual({ message: 'No element with id "nowhere" to put the checkout in.' });
    await expect(initialize(fake.Toast, 'PI_nope')).rejects.toEqual({ message: 'No payment intent has this sessionSecret.' });
    await expect(new Promise((resolve, reject) => fake.Toast.initialize(resolve, reject, { sessionSecret: intent.sessionSecret } as never))).rejects.toEqual({
      message: 'Toast.initialize needs merchantId, oauthToken, domElementId (non-empty strings).',
    });
    expect(window.document.querySelectorAll('iframe')).toHaveLength(0);
    await window.happyDOM.close();
  });

  it('a second initialize replaces the iframe', async () => {
    const window = page();
    const { fake, intent } = api();
    await initialize(fake.Toast, intent.sessionSecret);
    const other = fake.createIntent({ amount: 4200 });
    await initialize(fake.Toast, other.sessionSecret);
    expect(shown(window)).toMatchObject({ frames: 1, amount: 'Amount: $42.00' });
    await window.happyDOM.close();
  });

  it('keeps its markup and CSS inside the iframe: a constructed style sheet, no style element or attribute in its srcdoc', async () => {
    const window = page();
    const { fake, intent } = api();
    await initialize(fake.Toast, intent.sessionSecret);
    const iframe = window.document.querySelector('iframe') as unknown as HTMLIFrameElement;
    expect(iframe.srcdoc).not.toMatch(/<style|style=/);
    expect(iframe.title).toBe('Toast checkout (test mode)');
    expect(shown(window).doc.adoptedStyleSheets).toHaveLength(1);
    expect(shown(window).doc.querySelector('input[autocomplete="cc-number"]')).not.toBeNull();
    await window.happyDOM.close();
  });
});

describe('the SDK: createPaymentMethod and confirmPayment', () => {
  async function ready(options: { captureMethod?: 'MANUAL' } = {}) {
    const window = page();
    const { fake, intent, id } = api(options);
    await initialize(fake.Toast, intent.sessionSecret);
    return { window, fake, id, Toast: fake.Toast as FakeToastSdk };
  }

  it('pays at the amount the API holds, even before fetchUpdates showed it: SUCCEEDED, and the iframe says so', async () => {
    const { window, fake, id, Toast } = await ready();
    fake.updateIntent(id, { amount: 2300, amountDetails: { tip: 300 } });
    expect(await settled(Toast.createPaymentMethod)).toEqual(['success', { paymentMethodId: '00000000-0000-4000-b000-000000000001' }]);
    const [outcome, event] = await settled(Toast.confirmPayment);
    expect([outcome, (event as { paymentIntent: FakeToastPaymentIntent }).paymentIntent]).toEqual(['success', fake.intent(id)]);
    expect(fake.intent(id)).toMatchObject({ amount: 2300, status: 'SUCCEEDED', paymentMethodId: '00000000-0000-4000-b000-000000000001' });
    expect(shown(window)).toMatchObject({ amount: 'Amount: $23.00', tip: 'Tip: $3.00', status: 'Payment succeeded: $23.00.' });
    expect(fake.updateIntent(id, { amount: 2000, amountDetails: { tip: 0 } }).status).toBe(409);
    expect(fake.log).toEqual(['create 2000 USD', 'initialize 2000 tip 0', 'update 2300 tip 300', 'createPaymentMethod', 'confirmPayment 2300 USD: SUCCEEDED', 'update 2000 tip 0: 409']);
    await window.happyDOM.close();
  });

  it('leaves a MANUAL capture intent in REQUIRES_CAPTURE, which can no longer be updated', async () => {
    const { window, fake, id, Toast } = await ready({ captureMethod: 'MANUAL' });
    expect((await settled(Toast.confirmPayment))[0]).toBe('success');
    expect(fake.intent(id)?.status).toBe('REQUIRES_CAPTURE');
    expect(shown(window).status).toBe('Payment authorized: $20.00, to be captured.');
    expect(fake.updateIntent(id, { amount: 2300, amountDetails: { tip: 300 } })).toEqual({ status: 409, body: { error: 'A payment intent with status REQUIRES_CAPTURE cannot be updated.' } });
    await window.happyDOM.close();
  });

  it('refuses to pay twice, an expired intent, or after an injected decline, with onFailure({message}) and the words in the iframe', async () => {
    const { window, fake, id, Toast } = await ready();
    fake.failNext('confirmPayment', 'Your card was declined.');
    expect(await settled(Toast.confirmPayment)).toEqual(['failure', { message: 'Your card was declined.' }]);
    expect(shown(window).status).toBe('Payment refused: Your card was declined.');
    expect(fake.intent(id)?.status).toBe('REQUIRES_PAYMENT_METHOD');
    fake.now = new Date(T0.getTime() + 24 * HOUR + 1);
    expect(await settled(Toast.confirmPayment)).toEqual(['failure', { message: EXPIRED }]);
    fake.now = T0;
    await settled(Toast.confirmPayment);
    expect(await settled(Toast.confirmPayment)).toEqual(['failure', { message: 'A payment intent with status SUCCEEDED cannot be confirmed.' }]);
    expect(fake.log.slice(2)).toEqual([
      'confirmPayment: Your card was declined.',
      `confirmPayment: ${EXPIRED}`,
      'confirmPayment 2000 USD: SUCCEEDED',
      'confirmPayment: A payment intent with status SUCCEEDED cannot be confirmed.',
    ]);
    await window.happyDOM.close();
  });

  it('createPaymentMethod needs a card number in the iframe, and can be made to fail', async () => {
    const { window, fake, Toast } = await ready();
    (shown(window).doc.querySelector('input') as unknown as HTMLInputElement).value = ' ';
    expect(await settled(Toast.createPaymentMethod)).toEqual(['failure', { message: 'Enter a card number.' }]);
    (shown(window).doc.querySelector('input') as unknown as HTMLInputElement).value = '4111 1111 1111 1111';
    fake.failNext('createPaymentMethod');
    expect(await settled(Toast.createPaymentMethod)).toEqual(['failure', { message: 'The request failed (injected failure).' }]);
    expect((await settled(Toast.createPaymentMethod))[0]).toBe('success');
    expect(() => fake.failNext('initialize' as never)).toThrow(TypeError);
    await window.happyDOM.close();
  });

  it('needs initialize first', async () => {
    const fake = createFakeToast();
    expect(await settled(fake.Toast.confirmPayment)).toEqual(['failure', { message: 'Toast.initialize() has not succeeded yet.' }]);
    expect(await settled(fake.Toast.createPaymentMethod)).toEqual(['failure', { message: 'Toast.initialize() has not succeeded yet.' }]);
  });
});

describe('remote: intents on a server (the example pages\' stand-in)', () => {
  function remoteFake(answers: { session: () => FakeAnswer; confirm: () => FakeAnswer }) {
    const calls: string[] = [];
    const fake = createFakeToast({
      remote: {
        session: async (secret) => (calls.push(`session ${secret}`), answers.session()),
        confirm: async (secret) => (calls.push(`confirm ${secret}`), answers.confirm()),
      },
    });
    return { fake, calls };
  }
  const held = { ...createFakeToast({ now: T0 }).createIntent({ amount: 2000 }) };

  it('reads the intent at initialize and at each fetchUpdates, and pays with confirm', async () => {
    const window = page();
    let intent: FakeToastPaymentIntent = held;
    const { fake, calls } = remoteFake({ session: () => ({ status: 200, body: intent }), confirm: () => ({ status: 200, body: (intent = { ...intent, status: 'SUCCEEDED' }) }) });
    await initialize(fake.Toast, 'secret-1');
    intent = { ...intent, amount: 2300, amountDetails: { tip: 300 } };
    await fake.Toast.fetchUpdates();
    expect(shown(window)).toMatchObject({ amount: 'Amount: $23.00', tip: 'Tip: $3.00' });
    expect(await settled(fake.Toast.confirmPayment)).toEqual(['success', { paymentIntent: intent }]);
    expect(calls).toEqual(['session secret-1', 'session secret-1', 'confirm secret-1']);
    expect(fake.log).toEqual(['initialize 2000 tip 0', 'fetchUpdates 2300 tip 300', 'confirmPayment 2300 USD: SUCCEEDED']);
    await window.happyDOM.close();
  });

  it('turns a refusal into the server\'s words, and has no API of its own to ask', async () => {
    const window = page();
    const { fake } = remoteFake({ session: () => ({ status: 404, body: { error: 'No such session.' } }), confirm: () => ({ status: 409, body: {} }) });
    await expect(initialize(fake.Toast, 'secret-1')).rejects.toEqual({ message: 'No such session.' });
    const message = 'createFakeToast: with `remote`, the payment-intent API is that server; ask it.';
    expect(() => fake.createIntent({ amount: 1 })).toThrow(message);
    expect(() => fake.updateIntent('x', {})).toThrow(message);
    expect(() => fake.intent('x')).toThrow(message);
    await window.happyDOM.close();
  });
});

describe('the example stand-in (examples/stand-in/toast.ts)', () => {
  /** The stand-in loaded as a page loads it, with `fetch` answering as the example server's routes would. */
  async function standIn(answer: (method: string, url: string) => Response, before?: (window: Window) => void) {
    const { buildToastStandIn } = await import('../examples/stand-in/build.js');
    const window = new Window({ url: 'http://shop.test/toast.html', settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true } });
    window.document.body.innerHTML = '<div id="toast"></div>';
    const requests: string[] = [];
    const fetch = async (input: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      requests.push(`${method} ${input}`);
      return answer(method, input);
    };
    Object.assign(window, { fetch });
    before?.(window);
    window.eval(await buildToastStandIn());
    const page = window as unknown as { Toast: FakeToastSdk; ToastStandIn: FakeToast };
    return { window, requests, Toast: page.Toast, fake: page.ToastStandIn };
  }
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

  it('reads with GET /__toast/session and pays with POST /__toast/session/confirm, on the page\'s origin', async () => {
    const secret = 'PI_1_SECRET_a&b';
    let intent: FakeToastPaymentIntent = { ...createFakeToast({ now: T0 }).createIntent({ amount: 2000 }), sessionSecret: secret };
    const { window, requests, Toast, fake } = await standIn((method) => {
      if (method === 'POST') intent = { ...intent, status: 'SUCCEEDED' };
      return json(200, intent);
    });
    await new Promise((resolve, reject) => Toast.initialize(resolve, reject, { ...OPTIONS, sessionSecret: secret }));
    intent = { ...intent, amount: 2300, amountDetails: { tip: 300 } };
    await Toast.fetchUpdates();
    const frame = window.document.querySelector('iframe') as unknown as HTMLIFrameElement;
    expect(frame.contentDocument!.querySelector('[data-toast-amount]')?.textContent).toBe('Amount: $23.00');
    expect((await settled(Toast.confirmPayment))[0]).toBe('success');
    const read = `GET /__toast/session?secret=${encodeURIComponent(secret)}`;
    expect(requests).toEqual([read, read, `POST /__toast/session/confirm?secret=${encodeURIComponent(secret)}`]);
    expect(fake.log).toEqual(['initialize 2000 tip 0', 'fetchUpdates 2300 tip 300', 'confirmPayment 2300 USD: SUCCEEDED']);
    await window.happyDOM.close();
  });

  it('says so when no emulator answers, and leaves a window.Toast already there alone', async () => {
    const { window, Toast } = await standIn(() => new Response('Not Found', { status: 404, headers: { 'Content-Type': 'text/plain' } }));
    await expect(new Promise((resolve, reject) => Toast.initialize(resolve, reject, { ...OPTIONS, sessionSecret: 's' }))).rejects.toEqual({
      message: 'The example server did not answer /__toast/session (HTTP 404); is it in emulator mode?',
    });
    await window.happyDOM.close();
    const real = { initialize: () => null };
    const other = await standIn(() => json(200, {}), (page) => Object.assign(page, { Toast: real }));
    expect(other.Toast).toBe(real);
    await other.window.happyDOM.close();
  });

  it('is what `npm run dev` serves at /toast-stand-in.js: one classic script', async () => {
    const dev = await startDevServer();
    try {
      const response = await fetch(`${dev.origin}/toast-stand-in.js`);
      const text = await response.text();
      expect([response.status, response.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
      expect(text).not.toMatch(/^\s*(import|export)\b/m);
      expect(text).toContain('__toast/session?secret=');
    } finally {
      // The dev server starts the example server as it listens: a request to one of its
      // routes waits for that, so that closing stops both cleanly.
      await fetch(`${dev.origin}/checkout-session-status`);
      await dev.close();
    }
  }, 30_000);
});
