import type { PayrailsAmount, PayrailsButtonEvents, PayrailsClient } from '../adapters/providers.js';
import { describe } from '../errors.js';
import { type FakeAnswer, ask, errorOf, isSuccess, refusal } from './answer.js';
import { type FakePayrailsExecution, type FakePayrailsLookupBody, NO_SESSION, PayrailsBackend, amountError } from './payrails-backend.js';
import { type ButtonFace, type ButtonView, mountButton, shownAmount } from './payrails-button.js';

// A stand-in for Payrails' web SDK and the backend behind it, from seed 003 ("Update Checkout
// Amount"): the backend's lookup action authorises an amount, `update()` sets the amount the
// next payment sends, and a payment whose amount differs from the authorised one is refused
// with a 401. The seed is written for Android; the web surface (init, query, update,
// createCardPaymentButton and its events) is the one src/adapters/providers.ts types.

/**
 * What `Payrails.init` takes. The real one is Payrails' opaque client-init response; the
 * stand-in takes only what it needs: the execution and the amount it was created with.
 */
export interface FakePayrailsInitPayload {
  executionId: string;
  amount: PayrailsAmount;
}

/** The second argument of `Payrails.init`. */
export interface FakePayrailsInitOptions {
  events?: {
    /**
     * Called after the SDK recovered a session (`fake.recoverSession()`): the amount that
     * `update()` set is then gone, and the init payload's amount is back (seed 003, "update()
     * is reset on redirect session recovery"). Seed 003 names the refresh `onSessionExpired`
     * and no event for its end; this hook, called once the recovered session is in place, is
     * the stand-in's choice, which the README states.
     * @default undefined
     * @example () => client.update(confirmedAmount)
     */
    onSessionRecovered?: () => void;
  };
}

/** The options of `client.createCardPaymentButton`. */
export type FakePayrailsButtonOptions = Parameters<NonNullable<PayrailsClient['createCardPaymentButton']>>[0];

/**
 * How a payment ended: `stopped` when `onButtonClicked` gave `false` (nothing was sent),
 * `authorized`, or `failed` with the backend's status (0 when no answer came) and words.
 */
export type FakePayrailsPayment =
  | { type: 'stopped' }
  | { type: 'authorized'; amount: PayrailsAmount }
  | { type: 'failed'; status: number; message: string };

/** The card payment button. */
export interface FakePayrailsCardButton {
  /** Puts the button's box (amount, card number field, button, status line) at the end of `target`; mounting again moves it. */
  mount(target: HTMLElement): void;
  unmount(): void;
  /**
   * Pays as a click on the button does: `onButtonClicked` first (`false` stops it), then the
   * payment with the SDK's amount, then `onAuthorizeSuccess` or `onAuthorizeFailed({status, message})`.
   * Seed 003 pays with `cardPaymentButton.pay()`; it works mounted or not. While a payment is
   * under way, a second call (or click) gets the same payment. A session that is not active
   * (paid, or expired) sends nothing and fails with status 0 and `No active Payrails session`.
   */
  pay(): Promise<FakePayrailsPayment>;
}

/** What `Payrails.init` returns. */
export interface FakePayrailsClient extends PayrailsClient {
  createCardPaymentButton(options?: FakePayrailsButtonOptions): FakePayrailsCardButton;
}

/** `window.Payrails`. */
export interface FakePayrailsSdk {
  /** Starts the client of one checkout session, synchronously. */
  init(payload: FakePayrailsInitPayload, options?: FakePayrailsInitOptions): FakePayrailsClient;
}

/** One `update()` call as the client received it; `error`: what it threw. */
export interface FakePayrailsUpdate extends PayrailsAmount {
  error?: string;
}

/** Where the browser stand-in sends payments: the example server's emulated backend. */
export interface FakePayrailsRemote {
  /**
   * Sends a payment (`POST /__payrails/executions/:id/authorize` with `{amount}`) and resolves
   * the HTTP answer as `{status, body}`; `body.error` is shown on a refusal. A rejection is a
   * request that got no answer (status 0).
   * @example (id, amount) => fetch(`/__payrails/executions/${encodeURIComponent(id)}/authorize`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ amount }) }).then(async (r) => ({ status: r.status, body: await r.json() }))
   */
  authorize(executionId: string, amount: PayrailsAmount): Promise<FakeAnswer>;
}

export interface FakePayrailsOptions {
  /**
   * The id of the execution the fake's backend starts with (`fake.initPayload`).
   * @default 'execution_fake_1'
   * @example 'a6e4b8d2-0c1f-4e57-9a3b-2f8d6c1e0b94'
   */
  executionId?: string;
  /**
   * That execution's amount: what `Payrails.init` starts with, and what the backend
   * authorises until a lookup changes it.
   * @default { value: '45.99', currency: 'EUR' }
   * @example { value: '20.00', currency: 'USD' }
   */
  amount?: PayrailsAmount;
  /**
   * Sends payments to a server instead of the fake's own backend (the example pages' stand-in
   * does, to the example server's emulated Payrails routes). With it the fake has no backend:
   * `initPayload`, `createExecution`, `lookup`, `authorised` and `execution` throw, and
   * `executionId` and `amount` may not be given.
   * @default undefined
   * @example { authorize: (id, amount) => fetch(`/__payrails/executions/${encodeURIComponent(id)}/authorize`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ amount }) }).then(async (r) => ({ status: r.status, body: await r.json() })) }
   */
  remote?: FakePayrailsRemote;
}

export interface FakePayrails {
  /** For `window.Payrails = fake.Payrails`, or to pass where the page's code takes it. */
  readonly Payrails: FakePayrailsSdk;
  /** The init payload of the execution the fake started with. */
  readonly initPayload: FakePayrailsInitPayload;
  /**
   * A new execution on the backend (`execution_fake_2`, ...), as the merchant's server makes
   * one for a new checkout; its init payload.
   * @default amount options.amount
   */
  createExecution(amount?: PayrailsAmount): FakePayrailsInitPayload;
  /**
   * The lookup action (seed 003 `POST /v1/merchant/executions/{id}/lookup`), as the merchant's
   * server calls it: call it from your endpoint's test handler. 200 `{executionId, amount}`;
   * 404 unknown execution, 409 authorized already, 400 an amount `update()` would refuse
   * (its words), each with `{error}`.
   */
  lookup(executionId: string, amount: PayrailsAmount): FakeAnswer<FakePayrailsLookupBody>;
  /** The amount the backend would accept a payment of now, or `undefined` for an unknown execution. */
  authorised(executionId: string): PayrailsAmount | undefined;
  /** The execution as the backend holds it. */
  execution(executionId: string): FakePayrailsExecution | undefined;
  /** The amount the last client's next payment sends: its last `update()`, else its init payload's. */
  readonly amount: PayrailsAmount | undefined;
  /**
   * The last client's session is recovered: active again, the `update()` amount dropped for
   * `payload`'s (by default the one it was started with), then `events.onSessionRecovered()`.
   */
  recoverSession(payload?: FakePayrailsInitPayload): void;
  /** The last client's session ends (as before a redirect recovery): `update()` throws until `recoverSession()`. */
  expireSession(): void;
  /** Pays with the last card button created, as a click on it does (see `FakePayrailsCardButton.pay`). */
  pay(): Promise<FakePayrailsPayment>;
  /** The next `update()` call throws `new Error(message)` and changes nothing. */
  failNextUpdate(message: string): void;
  /** Every `update()` call of every client, in call order, those that threw included. */
  readonly updates: readonly FakePayrailsUpdate[];
  /**
   * What happened, in order, across the backend and the SDK: `lookup 52.89 EUR` (a refused
   * one ends `: <status>`), `update 52.89 EUR` (a thrown one ends `: <message>`),
   * `recover 45.99 EUR`, `expire`, and each payment with how it ended: `pay 52.89 EUR: 200`,
   * `pay 45.99 EUR: 401`, `pay 45.99 EUR: No active Payrails session` (nothing could be
   * sent), `pay: stopped by onButtonClicked`.
   */
  readonly log: readonly string[];
}

export const PAYRAILS_DEFAULTS = {
  executionId: 'execution_fake_1',
  amount: { value: '45.99', currency: 'EUR' },
} as const;

/** The state every client of one fake shares. */
interface Shared {
  backend: PayrailsBackend | undefined;
  remote: FakePayrailsRemote | undefined;
  log: string[];
  updates: FakePayrailsUpdate[];
  failures: string[];
  sessions: Session[];
  buttons: FakePayrailsCardButton[];
}

/** One client's session: what it was started with, `update()`'s amount, whether it may still pay. */
class Session {
  override: PayrailsAmount | undefined;
  active = true;
  readonly faces = new Set<() => void>();

  constructor(
    public payload: FakePayrailsInitPayload,
    readonly options: FakePayrailsInitOptions,
  ) {}

  get amount(): PayrailsAmount {
    return { ...(this.override ?? this.payload.amount) };
  }

  /** The amount changed: every mounted button of this session shows it. */
  changed(): void {
    for (const redraw of this.faces) redraw();
  }
}

/**
 * An in-memory stand-in for Payrails' web SDK and its backend, for tests that run offline.
 * @example
 * const fake = createFakePayrails();
 * const client = fake.Payrails.init(fake.initPayload);
 * // in the merchant endpoint's test handler: fake.lookup(body.execution_id, { value: '52.89', currency: 'EUR' })
 */
export function createFakePayrails(options: FakePayrailsOptions = {}): FakePayrails {
  const { remote, executionId, amount } = normalizePayrailsOptions(options);
  const shared: Shared = { backend: undefined, remote, log: [], updates: [], failures: [], sessions: [], buttons: [] };
  let initPayload: FakePayrailsInitPayload | undefined;
  if (!remote) {
    shared.backend = new PayrailsBackend();
    shared.backend.create(executionId, amount);
    initPayload = { executionId, amount: { ...amount } };
  }
  const backend = (): PayrailsBackend => {
    if (!shared.backend) throw new Error('createFakePayrails: with `remote`, the backend is that server; ask it.');
    return shared.backend;
  };
  const last = (): Session => {
    const session = lastOf(shared.sessions);
    if (!session) throw new Error('createFakePayrails: no client yet; call Payrails.init() first.');
    return session;
  };

  return {
    Payrails: { init: (payload, initOptions = {}) => init(shared, payload, initOptions) },
    get initPayload() {
      backend();
      return { executionId: initPayload!.executionId, amount: { ...initPayload!.amount } };
    },
    createExecution(next = amount) {
      const invalid = amountError(next);
      if (invalid) throw new TypeError(`Expected a Payrails amount (${invalid}), got ${describe(next)}`);
      const id = `execution_fake_${backend().size + 1}`;
      backend().create(id, next);
      return { executionId: id, amount: { ...next } };
    },
    lookup(id, next) {
      const result = backend().lookup(id, next);
      shared.log.push(`lookup ${next?.value} ${next?.currency}${result.status === 200 ? '' : `: ${result.status}`}`);
      return result;
    },
    authorised: (id) => backend().get(id)?.authorised,
    execution: (id) => backend().get(id),
    get amount() {
      return lastOf(shared.sessions)?.amount;
    },
    recoverSession: (payload) => recover(shared, last(), payload),
    expireSession() {
      last().active = false;
      shared.log.push('expire');
    },
    pay() {
      const button = lastOf(shared.buttons);
      if (!button) return Promise.reject(new Error('createFakePayrails: no card button to pay with; call client.createCardPaymentButton() first.'));
      return button.pay();
    },
    failNextUpdate(message) {
      if (typeof message !== 'string' || !message) throw new TypeError(`Expected a message, got ${describe(message)}`);
      shared.failures.push(message);
    },
    get updates() {
      return shared.updates.map((update) => ({ ...update }));
    },
    get log() {
      return [...shared.log];
    },
  };
}

const lastOf = <T>(list: readonly T[]): T | undefined => list[list.length - 1];

function normalizePayrailsOptions(options: FakePayrailsOptions): { remote: FakePayrailsRemote | undefined; executionId: string; amount: PayrailsAmount } {
  const { remote } = options;
  if (remote !== undefined && typeof remote?.authorize !== 'function') {
    throw new TypeError(`Expected \`remote\` to be an object with an \`authorize\` function, got ${describe(remote)}`);
  }
  if (remote && (options.executionId !== undefined || options.amount !== undefined)) {
    throw new TypeError('Expected no `executionId` or `amount` with `remote`: the executions are that server\'s');
  }
  const executionId = options.executionId ?? PAYRAILS_DEFAULTS.executionId;
  if (typeof executionId !== 'string' || !executionId) throw new TypeError(`Expected \`executionId\` to be a non-empty string, got ${describe(executionId)}`);
  const amount = options.amount ?? PAYRAILS_DEFAULTS.amount;
  const invalid = amountError(amount);
  if (invalid) throw new TypeError(`Expected \`amount\` to be a Payrails amount (${invalid}), got ${describe(amount)}`);
  return { remote, executionId, amount: { value: amount.value, currency: amount.currency } };
}

// Seed 003 is silent on a payload the backend does not know; the fake throws at init, as for
// any malformed payload, so a test that mixes up executions fails where it did so.
function init(shared: Shared, payload: FakePayrailsInitPayload, options: FakePayrailsInitOptions): FakePayrailsClient {
  const invalid = payloadError(payload);
  if (invalid) throw new TypeError(`Payrails.init expects { executionId, amount: { value, currency } } (${invalid}), got ${describe(payload)}`);
  if (shared.backend && !shared.backend.get(payload.executionId)) throw new Error(`Payrails.init: the backend has no execution ${payload.executionId}.`);
  const session = new Session({ executionId: payload.executionId, amount: { ...payload.amount } }, options);
  shared.sessions.push(session);
  return {
    query(key) {
      // The seed's Android SDK has more query keys; the adapters ask only for this one.
      if (key !== 'executionId') throw new TypeError(`Payrails client.query: the stand-in answers 'executionId' only, got ${describe(key)}`);
      return session.payload.executionId;
    },
    update: (amount) => update(shared, session, amount),
    createCardPaymentButton: (buttonOptions = {}) => {
      const button = cardButton(shared, session, buttonOptions);
      shared.buttons.push(button);
      return button;
    },
  };
}

function payloadError(payload: FakePayrailsInitPayload | undefined): string | undefined {
  if (typeof payload?.executionId !== 'string' || !payload.executionId) return 'no executionId';
  return amountError(payload.amount);
}

/** Synchronous, as seed 003 says; every call is recorded, a refused one with what it threw. */
function update(shared: Shared, session: Session, amount: PayrailsAmount): void {
  const given = (typeof amount === 'object' && amount !== null ? amount : {}) as Partial<PayrailsAmount>;
  const record: FakePayrailsUpdate = { value: given.value as string, currency: given.currency as string };
  shared.updates.push(record);
  const error = shared.failures.shift() ?? (session.active ? amountError(amount) : NO_SESSION);
  if (error !== undefined) {
    record.error = error;
    shared.log.push(`update ${given.value} ${given.currency}: ${error}`);
    throw new Error(error);
  }
  session.override = { value: amount.value, currency: amount.currency };
  shared.log.push(`update ${amount.value} ${amount.currency}`);
  session.changed();
}

function recover(shared: Shared, session: Session, payload: FakePayrailsInitPayload = session.payload): void {
  const invalid = payloadError(payload);
  if (invalid) throw new TypeError(`recoverSession expects an init payload { executionId, amount } (${invalid}), got ${describe(payload)}`);
  session.payload = { executionId: payload.executionId, amount: { ...payload.amount } };
  session.override = undefined;
  session.active = true;
  shared.log.push(`recover ${shownAmount(session.amount)}`);
  session.changed();
  session.options.events?.onSessionRecovered?.();
}

function cardButton(shared: Shared, session: Session, options: FakePayrailsButtonOptions): FakePayrailsCardButton {
  const events: PayrailsButtonEvents = options?.events ?? {};
  const label = options?.translations?.label ?? 'Pay';
  let face: ButtonFace = { label, amount: session.amount, phase: 'ready' };
  let view: ButtonView | undefined;
  let paying: Promise<FakePayrailsPayment> | undefined;
  const show = (next: Partial<ButtonFace>) => {
    face = { ...face, ...next, amount: next.amount ?? session.amount };
    view?.draw(face);
  };
  const redraw = () => face.phase !== 'paid' && show({});

  const button: FakePayrailsCardButton = {
    mount(target) {
      button.unmount();
      view = mountButton(target, face, () => void button.pay().catch(rethrowLater));
      session.faces.add(redraw);
    },
    unmount() {
      view?.remove();
      view = undefined;
      session.faces.delete(redraw);
    },
    pay() {
      if (!paying) {
        paying = pay(shared, session, events, show).finally(() => {
          paying = undefined;
        });
      }
      return paying;
    },
  };
  return button;
}

/** One payment: the page's go-ahead, then the backend's answer, then the page is told. */
async function pay(shared: Shared, session: Session, events: PayrailsButtonEvents, show: (face: Partial<ButtonFace>) => void): Promise<FakePayrailsPayment> {
  show({ phase: 'paying' });
  let goAhead: boolean;
  try {
    goAhead = (await events.onButtonClicked?.()) !== false;
  } catch (error) {
    show({ phase: 'ready' });
    throw error;
  }
  if (!goAhead) {
    shared.log.push('pay: stopped by onButtonClicked');
    show({ phase: 'ready' });
    return { type: 'stopped' };
  }
  // The amount at the moment of paying: an update() made while onButtonClicked ran counts.
  const amount = session.amount;
  const result = await authorize(shared, session, amount);
  shared.log.push(`pay ${shownAmount(amount)}: ${result.status || errorOf(result)}`);
  if (isSuccess(result.status)) {
    session.active = false;
    show({ phase: 'paid', amount });
    events.onAuthorizeSuccess?.();
    return { type: 'authorized', amount };
  }
  // Paid already (by another tab, say): the session is over all the same.
  if (result.status === 409) session.active = false;
  const failure = { status: result.status, message: errorOf(result) };
  show({ phase: 'refused', refusal: failure });
  events.onAuthorizeFailed?.(failure);
  return { type: 'failed', ...failure };
}

/**
 * The backend's answer to a payment. A session that is not active (paid, or expired and not
 * recovered) sends nothing: status 0, as for a payment that got no answer.
 */
function authorize(shared: Shared, session: Session, amount: PayrailsAmount): FakeAnswer | Promise<FakeAnswer> {
  const { executionId } = session.payload;
  if (!session.active) return refusal(0, NO_SESSION);
  return shared.backend ? shared.backend.authorize(executionId, amount) : ask(() => shared.remote!.authorize(executionId, amount));
}

// A click has no caller to reject to: a throwing page callback surfaces as an uncaught error,
// as an exception in a browser event handler does.
function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
