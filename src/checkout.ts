import { sendUpdate } from './endpoint.js';
import { CheckoutUpdateError, destroyedError as gone, errorResult as error, toCheckoutError } from './errors.js';
import { createEmitter } from './events.js';
import { newIdempotencyKey } from './id.js';
import { checkEntry, checkSelection, normalizeOptions } from './options.js';
import { createQueue, type QueueOp } from './queue.js';
import { betaRequiredError, stripeCheckoutSessions, type TotalsRefresher } from './refresh.js';
import { diff, isEmpty, valueOf } from './selection.js';
import { connect, resolveClientSecret, resolveStripe, type Connection } from './stripe.js';
import type {
  Checkout,
  CheckoutOptions,
  CheckoutState,
  ConfirmArgs,
  ConfirmResult,
  Selection,
  SelectionValue,
  Stripe,
  StripeCheckoutElementsSdk,
  StripeCheckoutSession,
  UpdateResult,
} from './types.js';

/**
 * Creates a checkout and starts initialising it. Returns at once, so listeners can be
 * attached before the first event. Throws `invalid_option` for options that cannot work.
 */
export function createCheckout(input: CheckoutOptions): Checkout {
  const options = normalizeOptions(input);
  let state: CheckoutState = 'loading';
  let stripe: Stripe | null = null;
  let connection: Connection | null = null;
  let refresher: TotalsRefresher | null = null;
  let session: StripeCheckoutSession | null = null;
  let initError: CheckoutUpdateError | null = null;
  let renewing: Promise<CheckoutUpdateError | null> | null = null;
  let confirming: Promise<ConfirmResult> | null = null;

  const emitter = createEmitter(() => (state === 'destroyed' ? null : options.root ?? globalThis.document));

  const queue = createQueue({
    ...options, // mode, debounceMs, initial
    run,
    unchanged: () => (session ? { type: 'success', session } : error(initError ?? gone())),
    onBusy: (loading) => emitter.emit('loading', { loading, reason: 'update' }),
    onResult(op, result, reverted) {
      if (result.type === 'error') emitter.emit('error', { error: result.error, reverted });
      else if (!op.refresh) emitter.emit('update', { changes: op.changes, selection: op.selection, session: result.session });
    },
  });

  /** Keeps the newest session; a session that ended changes the state. */
  function onSession(from: StripeCheckoutElementsSdk, next: StripeCheckoutSession): void {
    if (from !== connection?.sdk || state === 'destroyed' || next === session) return;
    session = next;
    if (state === 'loading') return; // the first session is announced with `ready`
    if (next.status.type === 'complete') state = 'complete'; // as `change` listeners read it
    emitter.emit('change', { session: next });
    noticeStatus(next);
  }

  function noticeStatus(current: StripeCheckoutSession): void {
    if (state === 'destroyed') return; // by a listener of the event before
    if (current.status.type === 'complete') state = 'complete';
    if (current.status.type !== 'expired' || state === 'expired') return;
    state = 'expired';
    emitter.emit('expired', { session: current });
    // With a way to renew, start at once: the page gets its new session without waiting for a click.
    if (options.onSessionExpired && !queue.pending) void queue.push({}, true);
  }

  async function start(): Promise<StripeCheckoutSession> {
    // Both requests start now, together: the page waits for the slower, not for the sum.
    const both = Promise.all([resolveStripe(options), resolveClientSecret(options.clientSecret)]);
    await null; // nothing is emitted before the caller has had a chance to attach listeners
    emitter.emit('loading', { loading: true, reason: 'init' });
    try {
      const [loaded, clientSecret] = await both;
      if (state === 'destroyed') throw gone();
      stripe = loaded;
      await attach(clientSecret);
    } catch (e) {
      return fail(toCheckoutError('init_failed', e));
    }
    // Widened: TypeScript would otherwise keep its narrowing of `state` across the awaits.
    if ((state as CheckoutState) === 'destroyed') throw gone();
    announceReady();
    if (typeof connection?.actions.runServerUpdate !== 'function') {
      emitter.emit('error', { error: betaRequiredError(), reverted: {} });
    }
    emitter.emit('loading', { loading: false, reason: 'init' });
    queue.start();
    return session as StripeCheckoutSession;
  }

  async function attach(clientSecret: string): Promise<void> {
    const next = await connect(stripe as Stripe, options, clientSecret, onSession);
    if (state === 'destroyed') return;
    connection = next;
    refresher = stripeCheckoutSessions(next.actions);
    session = next.actions.getSession();
  }

  function announceReady(): void {
    const current = session as StripeCheckoutSession;
    state = 'ready';
    emitter.emit('ready', { session: current });
    emitter.emit('change', { session: current });
    noticeStatus(current);
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

  /** Replaces an expired session: a new client secret, a new SDK instance, `ready` again. */
  function renew(): Promise<CheckoutUpdateError | null> {
    const fetchSecret = options.onSessionExpired as () => string | Promise<string>;
    renewing ??= (async () => {
      try {
        await attach(await resolveClientSecret(fetchSecret));
      } catch (e) {
        return toCheckoutError('init_failed', e);
      }
      if (state === 'destroyed') return gone();
      queue.rebase(options.initial);
      announceReady();
      return null;
    })().finally(() => (renewing = null));
    return renewing;
  }

  /** Runs one op of the queue against the current session. Never rejects. */
  async function run(op: QueueOp, signal: AbortSignal): Promise<UpdateResult> {
    if (initError) return error(initError);
    if (state === 'expired' && options.onSessionExpired) return retryOnNewSession(op, signal);
    if (state === 'expired' || state === 'complete') return error(endedError(state));
    const result = await attempt(op, signal);
    if (result.type === 'error') {
      // A 409/410 is how a merchant server says the session ended: re-read it to learn how.
      if (isSessionGoneReply(result.error)) await attempt({ ...op, changes: {}, refresh: true }, signal);
      const now = state as CheckoutState; // widened, as in start()
      if (now === 'expired' && options.onSessionExpired) return retryOnNewSession(op, signal);
      if (now === 'expired' || now === 'complete') return error(endedError(now, result.error));
    }
    return result;
  }

  async function retryOnNewSession(op: QueueOp, signal: AbortSignal): Promise<UpdateResult> {
    const failed = await renew();
    if (failed) return error(failed);
    // The new session reflects only `initial`: send the whole selection as one update. The op
    // is rewritten in place, so the queue reports what was really sent.
    op.changes = diff(op.selection, options.initial);
    op.refresh = isEmpty(op.changes);
    return attempt(op, signal);
  }

  async function attempt(op: QueueOp, signal: AbortSignal): Promise<UpdateResult> {
    const update = {
      sessionId: (session as StripeCheckoutSession).id,
      selection: op.selection,
      changes: op.changes,
      idempotencyKey: newIdempotencyKey(),
    };
    const result = await (refresher as TotalsRefresher).run(op.refresh ? null : () => sendUpdate(options.endpoint, update, options, signal));
    if (result.type === 'success' && connection) onSession(connection.sdk, result.session);
    return result;
  }

  function confirm(args?: ConfirmArgs): Promise<ConfirmResult> {
    confirming ??= confirmOnce(args).finally(() => (confirming = null));
    return confirming;
  }

  async function confirmOnce(args?: ConfirmArgs): Promise<ConfirmResult> {
    try {
      await ready;
    } catch (e) {
      return error(toCheckoutError('init_failed', e));
    }
    const failuresBefore = queue.failures;
    await queue.idle();
    if (state === 'destroyed') return error(gone());
    if (queue.failures !== failuresBefore) {
      return error(new CheckoutUpdateError('confirm_blocked', 'An update failed: check your choices and pay again.'));
    }
    if (state === 'expired' || state === 'complete') return error(endedError(state));
    const { sdk, actions } = connection as Connection;
    queue.hold(true);
    try {
      const result = await actions.confirm(args);
      // Paid: the changes that waited must learn it before they are let go.
      if (result.type === 'success') onSession(sdk, result.session);
      return result;
    } catch (e) {
      return error(toCheckoutError('server_update_failed', e));
    } finally {
      queue.hold(false);
    }
  }

  function set(nameOrChanges: string | Selection, value?: SelectionValue): Promise<UpdateResult> {
    // A computed key makes even "__proto__" an own key, which checkSelection then refuses.
    const changes = checkSelection('changes', typeof nameOrChanges === 'string' ? { [nameOrChanges]: value } : nameOrChanges);
    if (state === 'destroyed') return Promise.resolve(error(gone()));
    return queue.push(changes);
  }

  const ready = start();
  ready.catch(() => {}); // reported through the `error` event; awaiting `ready` still rejects

  return {
    ready,
    get state() { return state; },
    get session() { return session; },
    get selection() { return queue.selection; },
    get confirmed() { return queue.confirmed; },
    get pending() { return queue.pending; },
    get sdk() { return connection?.sdk ?? null; },
    get actions() { return connection?.actions ?? null; },
    set: set as Checkout['set'],
    toggle: (name) => {
      checkEntry(name, true);
      return set(name, !valueOf(queue.selection, name));
    },
    refresh: () => (state === 'destroyed' ? Promise.resolve(error(gone())) : queue.push({}, true)),
    idle: queue.idle,
    confirm,
    on: emitter.on,
    off: emitter.off,
    destroy() {
      if (state === 'destroyed') return;
      state = 'destroyed';
      emitter.clear();
      queue.destroy(gone());
    },
  };
}

/** Why a session that ended refuses updates and payment: it expired, or it was already paid. */
function endedError(state: 'expired' | 'complete', cause?: unknown): CheckoutUpdateError {
  const message = state === 'complete' ? 'This checkout is already complete.' : 'This checkout session has expired: reload the page to start again.';
  return new CheckoutUpdateError('session_expired', message, cause === undefined ? {} : { cause });
}

/** The conventional replies of a merchant server for a session that can no longer change. */
function isSessionGoneReply(e: CheckoutUpdateError): boolean {
  return e.code === 'http' && (e.status === 409 || e.status === 410);
}
