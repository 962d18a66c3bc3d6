import { stripeCheckoutSessions } from './adapters/checkout-sessions.js';
import { sendUpdate } from './endpoint.js';
import { CheckoutUpdateError, destroyedError as gone, errorResult as error, toCheckoutError } from './errors.js';
import { createEmitter } from './events.js';
import { newIdempotencyKey } from './id.js';
import { checkEntry, checkSelection, isLater, normalizeOptions } from './options.js';
import { createQueue, type QueueOp } from './queue.js';
import { diff, isEmpty, valueOf } from './selection.js';
import type {
  AdapterResult,
  Checkout,
  CheckoutAction,
  CheckoutAdapter,
  CheckoutOptions,
  CheckoutSnapshot,
  CheckoutState,
  CheckoutSummary,
  ConfirmArgsOf,
  ConfirmResult,
  Selection,
  SelectionValue,
  StripeCheckoutSession,
  UpdateResult,
} from './types.js';

/** Builds an adapter from the Stripe options, when no `adapter` is given. */
// `any`: each factory has its own session type.
export type AdapterFactory = (options: never) => CheckoutAdapter<any, any>;

/**
 * Creates a checkout and starts initialising it. Returns at once, so listeners can be
 * attached before the first event. Throws `invalid_option` for options that cannot work.
 * Without `adapter`, the Stripe options build `stripeCheckoutSessions(...)`.
 */
export function createCheckout<S = StripeCheckoutSession, A = ConfirmArgsOf<S>>(options: CheckoutOptions<S, A>): Checkout<S, A> {
  return checkoutWith(stripeCheckoutSessions, options);
}

/**
 * `createCheckout` with another default adapter (a script tag's own system): the lifecycle
 * over one adapter, start, session and state, the queue, confirm's guard, renewal, destroy.
 * `fallback`: the confirmed selection while a promised `initial` is awaited, and if it fails.
 */
export function checkoutWith<S, A>(factory: AdapterFactory, input: CheckoutOptions<S, A>, fallback: Selection = {}): Checkout<S, A> {
  const adapter = (input.adapter ?? factory(input as never)) as CheckoutAdapter<S, A>;
  const options = normalizeOptions(input, adapter);
  const later = isLater(input.initial) ? input.initial : null;
  if (later) options.initial = fallback;
  let state: CheckoutState = 'loading';
  let session: S | null = null;
  let summary: CheckoutSummary | null = null;
  let initError: CheckoutUpdateError | null = null;
  let snapshot: CheckoutSnapshot<S> | undefined;
  let snapshotKey = '';
  let taken = 0;

  const emitter = createEmitter<S>(() => (state === 'destroyed' ? null : options.root ?? globalThis.document));
  const status = () => summary?.status;

  const queue = createQueue<S>({
    ...options, // mode, debounceMs, initial
    run,
    unchanged: () => (session ? { type: 'success', session } : error(initError ?? gone())),
    onBusy: (loading) => emitter.emit('loading', { loading, reason: 'update' }),
    offline,
    onResult(op, result, reverted) {
      if (result.type === 'error') emitter.emit('error', { error: result.error, reverted });
      else if (!op.refresh) emitter.emit('update', { changes: op.changes, selection: op.selection, session: result.session, summary, action: op.action });
    },
  });

  // Offline (as the browser says), changes wait instead of failing: `loading` stays true,
  // nothing goes back, and the `online` event sends the latest selection as one request.
  function offline(): boolean {
    const now = globalThis.navigator?.onLine === false;
    // Asked as each change could go out: an `error` event says why it waits.
    if (now) emitter.emit('error', { error: offlineError(), reverted: {} });
    return now;
  }
  const online = () => state !== 'loading' && queue.start(); // while loading, the start sends what waits
  globalThis.addEventListener?.('online', online);

  function take(next: S): void {
    taken++;
    session = next;
    summary = adapter.summarize(next);
  }

  /** Keeps the newest session; the first is announced with `ready`. */
  function onSession(next: S): void {
    if (state === 'destroyed' || next === session) return;
    take(next);
    if (state !== 'loading') announce();
  }

  /** `change`, after `ready` for a new session (the first, or a renewed one); a session that ended changes the state. */
  function announce(ready?: boolean): void {
    const detail = { session: session as S, summary };
    if (status() === 'complete') state = 'complete'; // set before the events, as their listeners read it
    if (ready) emitter.emit('ready', detail);
    emitter.emit('change', detail);
    noticeExpiry();
  }

  function noticeExpiry(): void {
    if (state === 'destroyed' || status() !== 'expired' || state === 'expired') return; // destroyed by a listener of the event before
    state = 'expired';
    emitter.emit('expired', { session: session as S, summary });
    // With a way to renew, start at once: the page gets its new session without waiting for a click.
    if (adapter.renew && !queue.pending) void push({}, true);
  }

  async function start(): Promise<S> {
    const first = adapter.start(onSession); // starts loading now; nothing is emitted before the caller can listen
    const base = later && takeInitial(later); // at the same time: the page waits for the slower
    await null;
    emitter.emit('loading', { loading: true, reason: 'init' });
    try {
      onSession(await first);
    } catch (e) {
      return fail(toCheckoutError('init_failed', e));
    }
    const refused = await base;
    // Widened: TypeScript would otherwise keep its narrowing of `state` across the awaits.
    if ((state as CheckoutState) === 'destroyed') throw gone();
    if (refused) emitter.emit('error', { error: refused, reverted: {} });
    state = 'ready';
    announce(true);
    const problem = adapter.check?.();
    if (problem) emitter.emit('error', { error: problem, reverted: {} });
    emitter.emit('loading', { loading: false, reason: 'init' });
    queue.start();
    return session as S;
  }

  /** A promised `initial` becomes the confirmed selection; what fails to give one is the refusal to report. */
  async function takeInitial(source: NonNullable<typeof later>): Promise<CheckoutUpdateError | null> {
    try {
      options.initial = checkSelection('`initial`', await (typeof source === 'function' ? source() : source));
    } catch (e) {
      return toCheckoutError('invalid_option', e);
    }
    queue.rebase(options.initial);
    return null;
  }

  function fail(e: CheckoutUpdateError): never {
    if (state !== 'destroyed') {
      initError = e;
      state = 'error';
      emitter.emit('error', { error: e, reverted: {} });
      emitter.emit('loading', { loading: false, reason: 'init' });
      // Changes made while loading are answered with this error, one by one.
      queue.start();
    }
    throw e;
  }

  /** Replaces an expired session: the adapter's new one, `ready` again. */
  const renewSession = whileRunning(async (): Promise<CheckoutUpdateError | null> => {
    let next: S;
    try {
      next = await adapter.renew!();
    } catch (e) {
      return toCheckoutError('init_failed', e);
    }
    if (state === 'destroyed') return gone();
    take(next);
    state = 'ready';
    announce(true);
    return null;
  });

  /** Runs one op of the queue against the current session. Never rejects. */
  async function run(op: QueueOp, signal: AbortSignal): Promise<AdapterResult<S>> {
    if (initError) return error(initError);
    if (state === 'expired' && adapter.renew) return retryOnNewSession(op, signal);
    if (state === 'expired' || state === 'complete') return error(endedError(state));
    const result = await attempt(op, signal);
    // A 409/410 is how a merchant server says the session ended: re-read it to learn how.
    if (result.type === 'error' && isSessionGoneReply(result.error)) await attempt({ ...op, changes: {}, refresh: true }, signal);
    const now = state as CheckoutState; // widened, as in start()
    // Learnt by this op (a refused update, or a refresh): with a way to renew, go on at once on a new session.
    if (now === 'expired' && adapter.renew) return retryOnNewSession(op, signal);
    if (result.type === 'error' && (now === 'expired' || now === 'complete')) return error(endedError(now, result.error));
    return result;
  }

  async function retryOnNewSession(op: QueueOp, signal: AbortSignal): Promise<AdapterResult<S>> {
    const failed = await renewSession();
    if (failed) return error(failed);
    // Only now: \`ready\` listeners (the page's controls) read the shopper's selection, not the new session's.
    queue.rebase(options.initial);
    // The new session reflects only `initial`: send the whole selection as one update. The op
    // is rewritten in place, so the queue reports what was really sent.
    op.changes = diff(op.selection, options.initial);
    op.refresh = !op.action && isEmpty(op.changes);
    // An action goes after the selection it was made on: that first, as an update of its own.
    const caughtUp = op.action && !isEmpty(op.changes) ? await attempt({ ...op, action: undefined }, signal) : null;
    return caughtUp?.type === 'error' ? caughtUp : attempt(op, signal);
  }

  async function attempt(op: QueueOp, signal: AbortSignal): Promise<AdapterResult<S>> {
    const update = {
      sessionId: adapter.id(session as S),
      selection: op.selection,
      changes: op.changes,
      idempotencyKey: newIdempotencyKey(),
    };
    const result = await (op.action
      ? adapter.act!(op.action)
      : adapter.update(op.refresh ? null : (read) => sendUpdate(options.endpoint, update, options, signal, read)));
    if (result.type === 'success') onSession(result.session);
    return result;
  }

  async function confirmOnce(args?: A): Promise<ConfirmResult<S>> {
    try {
      await ready;
    } catch (e) {
      return error(toCheckoutError('init_failed', e));
    }
    // Offline, the changes that wait would keep it waiting: the shopper pays once they are sent.
    if (queue.pending && offline()) return error(offlineError());
    const failuresBefore = queue.failures;
    await queue.idle();
    if (state === 'destroyed') return error(gone());
    if (queue.failures !== failuresBefore) {
      return error(new CheckoutUpdateError('confirm_blocked', 'An update failed: check your choices and pay again.'));
    }
    if (state === 'expired' || state === 'complete') return error(endedError(state));
    queue.hold(true);
    try {
      const result = await adapter.confirm(args);
      // Paid: the changes that waited must learn it before they are let go.
      if (result.type === 'success') onSession(result.session as S);
      return result;
    } catch (e) {
      return error(toCheckoutError('server_update_failed', e));
    } finally {
      queue.hold(false);
    }
  }

  function set(nameOrChanges: string | Selection, value?: SelectionValue): Promise<UpdateResult<S>> {
    // A computed key makes even "__proto__" an own key, which checkSelection then refuses.
    const changes = checkSelection('changes', typeof nameOrChanges === 'string' ? { [nameOrChanges]: value } : nameOrChanges);
    if (state === 'destroyed') return Promise.resolve(error(gone()));
    return push(changes);
  }

  /** Queues one of the provider's own actions; what cannot work is answered at once, unqueued. */
  async function act(action: CheckoutAction): Promise<UpdateResult<S>> {
    try {
      if (state === 'destroyed') throw gone();
      if (!adapter.act) throw new CheckoutUpdateError('invalid_option', `${action.type}() needs Stripe Checkout Sessions`);
      adapter.checkAction?.(action, session);
    } catch (e) {
      return error(e as CheckoutUpdateError);
    }
    // Stryker disable next-line BooleanLiteral: an action is sent alone, and its op's refresh is worked out anew
    return push({}, false, action);
  }

  /** Queues, and tells the store: a change that waits emits no event of its own. */
  function push(...args: Parameters<typeof queue.push>): Promise<UpdateResult<S>> {
    const result = queue.push(...args);
    emitter.changed();
    return result;
  }

  /**
   * The same object until one of its fields changes (`useSyncExternalStore` compares by
   * identity): the session by the count of those taken, the rest by value, as the queue builds
   * its selection anew on every read.
   */
  function getSnapshot(): CheckoutSnapshot<S> {
    const { selection, confirmed, pending } = queue;
    const key = JSON.stringify([state, pending, selection, confirmed, taken]);
    if (key !== snapshotKey) {
      snapshot = { state, session, summary, selection, confirmed, pending };
      snapshotKey = key;
    }
    return snapshot as CheckoutSnapshot<S>;
  }

  const ready = start();
  ready.catch(() => {}); // reported through the `error` event; awaiting `ready` still rejects
  // The provider's own objects, where the adapter has them (Checkout Sessions, Payment Intents).
  const handles = adapter as { sdk?: null; actions?: null; elements?: null };

  return {
    ready,
    get state() { return state; },
    get session() { return session; },
    get summary() { return summary; },
    get selection() { return queue.selection; },
    get confirmed() { return queue.confirmed; },
    get pending() { return queue.pending; },
    adapter,
    get sdk() { return handles.sdk ?? null; },
    get actions() { return handles.actions ?? null; },
    get elements() { return handles.elements ?? null; },
    set: set as Checkout<S, A>['set'],
    toggle: (name) => {
      // Stryker disable next-line BooleanLiteral: this checks the name; either boolean is a valid value
      checkEntry(name, true);
      return set(name, !valueOf(queue.selection, name));
    },
    refresh(applied) {
      if (state === 'destroyed') return Promise.resolve(error(gone()));
      // What your server already holds (applied by another tab): confirmed, with no request.
      if (applied) queue.rebase(checkSelection('`applied`', applied));
      return push({}, true);
    },
    applyPromotionCode: (code) => act({ type: 'applyPromotionCode', code }),
    removePromotionCode: () => act({ type: 'removePromotionCode' }),
    updateShippingOption: (shippingOptionId) => act({ type: 'updateShippingOption', shippingOptionId }),
    updateLineItemQuantity: (lineItemId, quantity) => act({ type: 'updateLineItemQuantity', lineItemId, quantity }),
    addOptionalLineItem: (priceId) => act({ type: 'addOptionalLineItem', priceId }),
    removeOptionalLineItem: (priceId) => act({ type: 'removeOptionalLineItem', priceId }),
    idle: queue.idle,
    // A double submit confirms once: a second call gets the first call's promise.
    confirm: whileRunning(confirmOnce),
    on: emitter.on,
    off: emitter.off,
    subscribe: emitter.subscribe,
    getSnapshot,
    destroy() {
      if (state === 'destroyed') return;
      state = 'destroyed';
      adapter.destroy?.();
      queue.destroy(gone());
      globalThis.removeEventListener?.('online', online);
      emitter.clear();
    },
  };
}

const offlineError = () => new CheckoutUpdateError('offline', 'You are offline: changes wait for the network.');

/** Why a session that ended refuses updates and payment: it expired, or it was already paid. */
function endedError(state: 'expired' | 'complete', cause?: unknown): CheckoutUpdateError {
  const message = state === 'complete' ? 'This checkout is already complete.' : 'This checkout session has expired: reload the page to start again.';
  return new CheckoutUpdateError('session_expired', message, cause === undefined ? {} : { cause });
}

/** The conventional replies of a merchant server for a session that can no longer change. */
function isSessionGoneReply(e: CheckoutUpdateError): boolean {
  return e.code === 'http' && (e.status === 409 || e.status === 410);
}

/** `run` shared while it runs: a call made meanwhile gets the promise of the call before. */
function whileRunning<T, P extends unknown[]>(run: (...args: P) => Promise<T>): (...args: P) => Promise<T> {
  let running: Promise<T> | null = null;
  return (...args) => (running ??= run(...args).finally(() => (running = null)));
}
