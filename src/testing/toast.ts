import type { ToastInitializeOptions, ToastSdk } from '../adapters/providers.js';
import { describe } from '../errors.js';
import { type FakeAnswer, answer, ask, errorOf, isSuccess, refusal } from './answer.js';
import { money } from './money.js';
import { type FakeToastCreateIntent, type FakeToastPaymentIntent, type FakeToastPaymentIntentStatus, type FakeToastUpdateAnswer, ToastApi, fakeUuid } from './toast-api.js';
import { type FrameFace, type FrameView, mountFrame } from './toast-frame.js';

// A stand-in for Toast's hosted checkout SDK (`window.Toast`, from Toast's loader.js) and the
// payment-intent API behind it, from seed 002 ("Updating a payment intent"): the merchant's
// server updates the intent, then the page calls `fetchUpdates()`, which re-reads it and
// re-renders the iframe. The SDK's functions take success and failure callbacks, as Toast's
// docs say of its core functions; what those callbacks receive is not in the seed, so the
// stand-in's events are ours: `{type: 'initialized'}`, `{paymentMethodId}`, `{paymentIntent}`
// and `{message}` for every failure.

/** `window.Toast` as the stand-in has it: every function of `ToastSdk`, `fetchUpdates` a promise. */
export interface FakeToastSdk extends ToastSdk {
  /**
   * Finds the intent of `options.sessionSecret`, then puts the checkout iframe at the end of
   * `#domElementId` and calls `onSuccess({type: 'initialized'})` once it has loaded; a later
   * call replaces the iframe. `style` is accepted and ignored.
   */
  initialize(onSuccess: (event?: unknown) => void, onFailure: (event?: unknown) => void, options: ToastInitializeOptions, style?: Record<string, unknown>): void;
  /** Re-reads the intent and re-renders the iframe with it; rejects when it cannot be read (nothing re-rendered). */
  fetchUpdates(): Promise<void>;
  /** A payment method from the iframe's card number: `onSuccess({paymentMethodId})`, or `onFailure({message})` when the field is empty. */
  createPaymentMethod(onSuccess: (event?: unknown) => void, onFailure: (event?: unknown) => void): void;
  /**
   * Pays the intent at the amount the API holds (not the one the iframe last showed):
   * `onSuccess({paymentIntent})` with status `REQUIRES_CAPTURE` for `MANUAL` capture, else
   * `SUCCEEDED`; a refusal calls `onFailure({message})`. The iframe shows either.
   */
  confirmPayment(onSuccess: (event?: unknown) => void, onFailure: (event?: unknown) => void): void;
}

/** The SDK functions whose next call `failNext` can make fail. */
export type FakeToastMethod = 'fetchUpdates' | 'createPaymentMethod' | 'confirmPayment';

/** Where the browser stand-in reads and pays intents: the example server's emulated Toast API. */
export interface FakeToastRemote {
  /**
   * Reads the intent of a sessionSecret (`GET /__toast/session?secret=...`), resolving the HTTP
   * answer as `{status, body}`: the PaymentIntentResponse, or `{error}`. A rejection is a
   * request that got no answer.
   * @example (secret) => fetch(`/__toast/session?secret=${encodeURIComponent(secret)}`).then(async (r) => ({ status: r.status, body: await r.json() }))
   */
  session(sessionSecret: string): Promise<FakeAnswer>;
  /**
   * Pays it (`POST /__toast/session/confirm?secret=...`): `{status, body}`, the paid intent or `{error}`.
   * @example (secret) => fetch(`/__toast/session/confirm?secret=${encodeURIComponent(secret)}`, { method: 'POST' }).then(async (r) => ({ status: r.status, body: await r.json() }))
   */
  confirm(sessionSecret: string): Promise<FakeAnswer>;
}

export interface FakeToastOptions {
  /**
   * The clock the 24-hour rule reads and new intents are dated by; `fake.now = date` sets it later.
   * @default the system clock, read at each use
   * @example new Date('2026-05-01T12:00:00Z')
   */
  now?: Date;
  /**
   * Reads and pays intents on a server instead of the fake's own API (the example pages'
   * stand-in does, on the example server's `/__toast/...` routes). With it the fake has no API:
   * `createIntent`, `updateIntent`, `intent` and `setStatus` throw.
   * @default undefined
   * @example { session: (secret) => fetch(`/__toast/session?secret=${encodeURIComponent(secret)}`).then(async (r) => ({ status: r.status, body: await r.json() })), confirm: (secret) => fetch(`/__toast/session/confirm?secret=${encodeURIComponent(secret)}`, { method: 'POST' }).then(async (r) => ({ status: r.status, body: await r.json() })) }
   */
  remote?: FakeToastRemote;
}

export interface FakeToast {
  /** For `window.Toast = fake.Toast`, or to pass where the page's code takes it. */
  readonly Toast: FakeToastSdk;
  /** Creates an intent (`POST /v1/payment-intents`), as the merchant's server does: status `REQUIRES_PAYMENT_METHOD`, no tip. */
  createIntent(input: FakeToastCreateIntent): FakeToastPaymentIntent;
  /**
   * `POST /v1/payment-intents/{id}` with `body`, as the merchant's server sends it: call it
   * from your endpoint's test handler. 200 with the intent; 404 unknown or more than 24 hours
   * after its creationDate; 409 in `PROCESSING`, `REQUIRES_CAPTURE`, `SUCCEEDED` or `CANCELED`;
   * 400 for an `amount` that is not a positive integer, or a changed amount without
   * `amountDetails.tip`; refusals carry `{error}`.
   * @example fake.updateIntent(id, { amount: 2300, amountDetails: { tip: 300 } })
   */
  updateIntent(id: string, body: unknown): FakeToastUpdateAnswer;
  /** The intent as the API holds it now. */
  intent(id: string): FakeToastPaymentIntent | undefined;
  /** Puts an intent in a status, such as `PROCESSING`, which nothing else in the fake reaches. */
  setStatus(id: string, status: FakeToastPaymentIntentStatus): void;
  /** The fake's clock; set it to move time (the 24-hour rule). */
  now: Date;
  /** How many times `Toast.fetchUpdates()` was called. */
  readonly fetchUpdatesCalls: number;
  /**
   * The next call of `method` fails with `message`: `fetchUpdates` rejects (the iframe keeps
   * what it showed), `createPaymentMethod` and `confirmPayment` call `onFailure({message})`
   * (a declined card: the intent stays unpaid).
   * @default message 'The request failed (injected failure).'
   */
  failNext(method: FakeToastMethod, message?: string): void;
  /**
   * What happened, in order, across the API and the SDK: `create 2000 USD`, `update 2300 tip 300`
   * (a refused one ends `: <status>`), `initialize 2000 tip 0`, `fetchUpdates 2300 tip 300`,
   * `createPaymentMethod`, `confirmPayment 2300 USD: SUCCEEDED`; an SDK call that failed ends
   * `: <message>` instead of its amounts (`fetchUpdates: ...`).
   */
  readonly log: readonly string[];
}

interface Shared {
  api: ToastApi | undefined;
  remote: FakeToastRemote | undefined;
  log: string[];
  failures: Partial<Record<FakeToastMethod, string[]>>;
  fetchUpdatesCalls: number;
  /** Payment methods made in remote mode, where the server keeps none. */
  paymentMethods: number;
  checkout: Checkout | undefined;
}

/** The initialized checkout: its intent's secret and its iframe. */
interface Checkout {
  sessionSecret: string;
  frame: FrameView;
}

const INJECTED = 'The request failed (injected failure).';
const NOT_INITIALIZED = 'Toast.initialize() has not succeeded yet.';

/**
 * An in-memory stand-in for Toast's hosted checkout SDK and payment-intent API, for tests that
 * run offline. `initialize` needs a DOM (happy-dom, or a browser).
 * @example
 * const fake = createFakeToast();
 * const intent = fake.createIntent({ amount: 2000, currency: 'USD' });
 * fake.Toast.initialize(onReady, onError, { merchantId: 'm', oauthToken: 't', sessionSecret: intent.sessionSecret, domElementId: 'toast' });
 * // in the merchant endpoint's test handler: fake.updateIntent(intent.id, { amount: 2300, amountDetails: { tip: 300 } })
 */
export function createFakeToast(options: FakeToastOptions = {}): FakeToast {
  const { remote, now } = normalizeToastOptions(options);
  let fixed = now;
  const clock = () => fixed?.getTime() ?? Date.now();
  const shared: Shared = { api: remote ? undefined : new ToastApi(clock), remote, log: [], failures: {}, fetchUpdatesCalls: 0, paymentMethods: 0, checkout: undefined };
  const api = (): ToastApi => {
    if (!shared.api) throw new Error('createFakeToast: with `remote`, the payment-intent API is that server; ask it.');
    return shared.api;
  };
  return {
    Toast: sdk(shared),
    createIntent(input) {
      const intent = api().create(input);
      shared.log.push(`create ${intent.amount} ${intent.currency}`);
      return intent;
    },
    updateIntent(id, body) {
      const result = api().update(id, body);
      shared.log.push(`update${describeUpdate(body)}${result.status === 200 ? '' : `: ${result.status}`}`);
      return result;
    },
    intent: (id) => api().get(id),
    setStatus: (id, status) => api().setStatus(id, status),
    get now() {
      return new Date(clock());
    },
    set now(date: Date) {
      if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new TypeError(`Expected \`now\` to be a valid Date, got ${describe(date)}`);
      fixed = new Date(date);
    },
    get fetchUpdatesCalls() {
      return shared.fetchUpdatesCalls;
    },
    failNext(method, message = INJECTED) {
      if (!['fetchUpdates', 'createPaymentMethod', 'confirmPayment'].includes(method)) {
        throw new TypeError(`Expected \`method\` to be 'fetchUpdates', 'createPaymentMethod' or 'confirmPayment', got ${describe(method)}`);
      }
      shared.failures[method] = [...(shared.failures[method] ?? []), message];
    },
    get log() {
      return [...shared.log];
    },
  };
}

function normalizeToastOptions(options: FakeToastOptions): { remote: FakeToastRemote | undefined; now: Date | undefined } {
  const { remote, now } = options;
  if (remote !== undefined && (typeof remote?.session !== 'function' || typeof remote.confirm !== 'function')) {
    throw new TypeError(`Expected \`remote\` to be an object with \`session\` and \`confirm\` functions, got ${describe(remote)}`);
  }
  if (now !== undefined && (!(now instanceof Date) || Number.isNaN(now.getTime()))) throw new TypeError(`Expected \`now\` to be a valid Date, got ${describe(now)}`);
  return { remote, now: now && new Date(now) };
}

/** `' 2300 tip 300'`: what an update body asks for, for the log. */
function describeUpdate(body: unknown): string {
  const { amount, amountDetails, ...rest } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const tip = (amountDetails as { tip?: unknown } | null | undefined)?.tip;
  const parts = [amount !== undefined ? String(amount) : '', tip !== undefined ? `tip ${String(tip)}` : '', ...Object.keys(rest)];
  return parts.filter(Boolean).map((part) => ` ${part}`).join('');
}

function sdk(shared: Shared): FakeToastSdk {
  return {
    initialize: (onSuccess, onFailure, options) => void initialize(shared, onSuccess, onFailure, options),
    fetchUpdates: () => fetchUpdates(shared),
    createPaymentMethod: (onSuccess, onFailure) => void createPaymentMethod(shared, onSuccess, onFailure),
    confirmPayment: (onSuccess, onFailure) => void confirmPayment(shared, onSuccess, onFailure),
  };
}

/** The intent of a sessionSecret, from the API in memory or the remote server. */
async function read(shared: Shared, sessionSecret: string): Promise<FakeAnswer> {
  if (shared.remote) return ask(() => shared.remote!.session(sessionSecret));
  const intent = shared.api!.bySecret(sessionSecret);
  return intent ? answer(200, intent) : refusal(404, 'No payment intent has this sessionSecret.');
}

/** What the iframe shows of an intent: `Amount: $23.00` and `Tip: $3.00`. */
function faceOf(intent: FakeToastPaymentIntent, status?: FrameFace['status']): FrameFace {
  const shown = (minor: number) => money(minor, intent.currency).amount;
  return { amount: `Amount: ${shown(intent.amount)}`, tip: `Tip: ${shown(intent.amountDetails?.tip ?? 0)}`, status };
}

const amountsOf = (intent: FakeToastPaymentIntent) => `${intent.amount} tip ${intent.amountDetails?.tip ?? 0}`;

async function initialize(shared: Shared, onSuccess: (event?: unknown) => void, onFailure: (event?: unknown) => void, options: ToastInitializeOptions): Promise<void> {
  const fail = (message: string) => {
    shared.log.push(`initialize: ${message}`);
    onFailure({ message });
  };
  const missing = (['merchantId', 'oauthToken', 'sessionSecret', 'domElementId'] as const).filter((key) => typeof options?.[key] !== 'string' || !options[key]);
  if (missing.length) return fail(`Toast.initialize needs ${missing.join(', ')} (non-empty strings).`);
  const doc = globalThis.document as Document | undefined;
  const host = doc?.getElementById(options.domElementId);
  if (!host) return fail(`No element with id "${options.domElementId}" to put the checkout in.`);
  const result = await read(shared, options.sessionSecret);
  if (!isSuccess(result.status)) return fail(errorOf(result));
  const intent = result.body as FakeToastPaymentIntent;
  shared.log.push(`initialize ${amountsOf(intent)}`);
  shared.checkout?.frame.remove();
  const frame = mountFrame(host, faceOf(intent), () => onSuccess({ type: 'initialized' }));
  shared.checkout = { sessionSecret: options.sessionSecret, frame };
}

async function fetchUpdates(shared: Shared): Promise<void> {
  shared.fetchUpdatesCalls += 1;
  const fail = (message: string): never => {
    shared.log.push(`fetchUpdates: ${message}`);
    throw new Error(message);
  };
  const { checkout } = shared;
  if (!checkout) return fail(NOT_INITIALIZED);
  const injected = shared.failures.fetchUpdates?.shift();
  if (injected !== undefined) return fail(injected);
  const result = await read(shared, checkout.sessionSecret);
  if (!isSuccess(result.status)) return fail(errorOf(result));
  const intent = result.body as FakeToastPaymentIntent;
  shared.log.push(`fetchUpdates ${amountsOf(intent)}`);
  checkout.frame.draw(faceOf(intent));
}

// Seed 002 is silent on payment methods. The stand-in asks only that the card field is not
// empty; in remote mode the payment method stays in the stand-in (the server's routes take
// none), and confirmPayment attaches one itself when none was created.
async function createPaymentMethod(shared: Shared, onSuccess: (event?: unknown) => void, onFailure: (event?: unknown) => void): Promise<void> {
  await Promise.resolve();
  const fail = (message: string) => {
    shared.log.push(`createPaymentMethod: ${message}`);
    onFailure({ message });
  };
  const { checkout } = shared;
  if (!checkout) return fail(NOT_INITIALIZED);
  const injected = shared.failures.createPaymentMethod?.shift();
  if (injected !== undefined) return fail(injected);
  if (checkout.frame.cardNumber()?.trim() === '') return fail('Enter a card number.');
  const result = shared.api ? shared.api.attachPaymentMethod(checkout.sessionSecret) : answer(200, { paymentMethodId: fakeUuid('b', ++shared.paymentMethods) });
  if (!isSuccess(result.status)) return fail(errorOf(result));
  shared.log.push('createPaymentMethod');
  onSuccess(result.body);
}

async function confirmPayment(shared: Shared, onSuccess: (event?: unknown) => void, onFailure: (event?: unknown) => void): Promise<void> {
  const { checkout } = shared;
  const fail = (message: string) => {
    shared.log.push(`confirmPayment: ${message}`);
    checkout?.frame.draw({ ...checkout.frame.face, status: { ok: false, text: `Payment refused: ${message}` } });
    onFailure({ message });
  };
  await Promise.resolve();
  if (!checkout) return fail(NOT_INITIALIZED);
  const injected = shared.failures.confirmPayment?.shift();
  if (injected !== undefined) return fail(injected);
  const result = shared.remote ? await ask(() => shared.remote!.confirm(checkout.sessionSecret)) : shared.api!.confirm(checkout.sessionSecret);
  if (!isSuccess(result.status)) return fail(errorOf(result));
  const paymentIntent = result.body as FakeToastPaymentIntent;
  shared.log.push(`confirmPayment ${paymentIntent.amount} ${paymentIntent.currency}: ${paymentIntent.status}`);
  const paid = money(paymentIntent.amount, paymentIntent.currency).amount;
  const text = paymentIntent.status === 'REQUIRES_CAPTURE' ? `Payment authorized: ${paid}, to be captured.` : `Payment succeeded: ${paid}.`;
  checkout.frame.draw(faceOf(paymentIntent, { ok: true, text }));
  onSuccess({ paymentIntent });
}
