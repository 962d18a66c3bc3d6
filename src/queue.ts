import { errorResult, toCheckoutError, type CheckoutUpdateError } from './errors.js';
import { diff, isEmpty, overlay } from './selection.js';
import type { AdapterResult, CheckoutAction, Selection, UpdateResult } from './types.js';

/** One request the queue wants made: the selection to reach and what it changes, or an action. */
export interface QueueOp {
  selection: Selection;
  changes: Selection;
  /** Nothing to send to the server: only pull the session anew. */
  refresh: boolean;
  /** One of the provider's own actions, sent alone, in its place among the changes. */
  action?: CheckoutAction | undefined;
}

export interface QueueOptions<S> {
  mode: 'latest' | 'serial';
  debounceMs: number;
  initial: Selection;
  /** Performs one op. Must resolve (never reject) and honour `signal`. It may rewrite `op.changes`
   *  and `op.refresh` when it had to send the op differently (to a renewed session). */
  run(op: QueueOp, signal: AbortSignal): Promise<AdapterResult<S>>;
  /** The result given to changes that needed no request (undone before they were sent). */
  unchanged(): UpdateResult<S>;
  onBusy(busy: boolean): void;
  /** While `true` (the browser is offline), changes wait; a network error meanwhile does not send them back. */
  offline(): boolean;
  /** After each op: its result and, on failure, each key that went back and its value now. */
  onResult(op: QueueOp, result: UpdateResult<S>, reverted: Selection): void;
}

/** A change the customer made, waiting for the request that carries it. */
interface Entry<S> {
  changes: Selection;
  refresh: boolean;
  action?: CheckoutAction | undefined;
  resolve(result: UpdateResult<S>): void;
}

/**
 * The update queue. The desired selection is never stored: it is the confirmed selection
 * with every entry not yet acknowledged written over it, so a failed request is reverted
 * by dropping its entries, and the changes made after it stay.
 */
export function createQueue<S>(options: QueueOptions<S>) {
  let confirmed: Selection = { ...options.initial };
  let queued: Entry<S>[] = [];
  let inFlight: Entry<S>[] = [];
  // One signal for every op: only destroy() aborts, and it ends them all.
  const lifetime = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let scheduled = false;
  let started = false;
  let held = false;
  let destroyed = false;
  let busy = false;
  let failures = 0;
  let idleWaiters: Array<() => void> = [];

  const selection = () => overlay(confirmed, [...inFlight, ...queued].map((e) => e.changes));
  const pending = () => queued.length > 0 || inFlight.length > 0;

  function push(changes: Selection, refresh = false, action?: CheckoutAction): Promise<UpdateResult<S>> {
    return new Promise((resolve) => {
      const last = queued[queued.length - 1];
      // A quantity typed over the one still waiting for the same item takes its place: a burst
      // of typing sends only the last quantity, and both calls resolve with its result.
      if (options.mode === 'latest' && replaces(action, last?.action)) {
        const earlier = last!.resolve;
        last!.action = action;
        last!.resolve = (result) => (earlier(result), resolve(result));
      } else queued.push({ changes: { ...changes }, refresh, action, resolve });
      schedule(options.debounceMs);
      reportBusy();
    });
  }

  // Nothing is sent before the next microtask (or the debounce), so the changes of one
  // task, or of one burst, merge into one request.
  function schedule(delay: number): void {
    if (destroyed || !started) return;
    clearTimeout(timer);
    timer = undefined; // else a sooner flush would wait for a timer that was cleared
    scheduled = true;
    const fire = () => {
      scheduled = false;
      timer = undefined;
      void flush();
    };
    if (delay > 0) timer = setTimeout(fire, delay);
    else queueMicrotask(() => scheduled && timer === undefined && fire());
  }

  async function flush(): Promise<void> {
    if (destroyed || held || inFlight.length > 0 || scheduled || queued.length === 0 || options.offline()) return reportBusy();
    // Changes merge up to the next action, which then goes alone: each keeps its place in time.
    const next = queued.findIndex((e) => e.action);
    const batch = queued.splice(0, options.mode === 'serial' || !next ? 1 : next < 0 ? queued.length : next);
    const { action } = batch[0] as Entry<S>;
    const target = overlay(confirmed, batch.map((e) => e.changes));
    const changes = diff(target, confirmed);
    const refresh = batch.some((e) => e.refresh);
    if (!action && isEmpty(changes) && !refresh) {
      reportBusy(); // idle before the promises resolve, so `await set()` sees a settled checkout
      settle(batch, options.unchanged());
      return flush();
    }
    await send(batch, { selection: target, changes, refresh: !action && isEmpty(changes), action });
    if (queued.length > 0 && !scheduled) return flush();
    reportBusy();
  }

  async function send(batch: Entry<S>[], op: QueueOp): Promise<void> {
    inFlight = batch;
    const confirmedBefore = confirmed;
    const result = await options.run(op, lifetime.signal).catch(
      (error: unknown): AdapterResult<S> => errorResult(toCheckoutError('server_update_failed', error)),
    );
    if (destroyed) return;
    if (result.type === 'error' && result.error.code === 'network' && options.offline()) {
      // Sent again, merged with what came since, once the network is back: nothing goes back.
      queued.unshift(...inFlight);
      inFlight = [];
      return;
    }
    // What the page showed. `confirmedBefore`, because a renewed session may have rebased `confirmed`.
    const shown = overlay(confirmedBefore, [...inFlight, ...queued].map((e) => e.changes));
    inFlight = [];
    // Kept when the server applied it, even if the totals could not be refreshed afterwards.
    if (result.type === 'success' || result.accepted) confirmed = op.selection;
    if (result.type === 'error') failures++;
    // On failure, what changed once the op's entries were dropped (nothing, if the server had them).
    const reverted = result.type === 'error' ? diff(selection(), shown) : {};
    const outcome: UpdateResult<S> = result.type === 'error' ? errorResult(result.error) : result;
    options.onResult(op, outcome, reverted);
    reportBusy();
    settle(batch, outcome);
  }

  function settle(entries: Entry<S>[], result: UpdateResult<S>): void {
    for (const entry of entries) entry.resolve(result);
  }

  function reportBusy(): void {
    const now = started && !destroyed && pending();
    if (now === busy) return;
    busy = now;
    if (destroyed) return;
    options.onBusy(now);
    if (!now) for (const wake of idleWaiters.splice(0)) wake();
  }

  return {
    push,
    get selection(): Selection {
      return selection();
    },
    get confirmed(): Selection {
      return confirmed;
    },
    get pending(): boolean {
      return pending();
    },
    /** How many ops have failed so far; `confirm()` compares it before and after waiting. */
    get failures(): number {
      return failures;
    },
    /** Begins sending (changes made before the checkout was ready wait for this), or begins again once back online. */
    start(): void {
      if (destroyed) return;
      started = true;
      reportBusy();
      if (queued.length > 0) schedule(0);
    },
    /**
     * While `true`, changes wait: a payment is deciding, and what it charges must not move
     * under it. `false` sends what waited, against whatever the session has become.
     */
    hold(value: boolean): void {
      held = value;
      // Stryker disable next-line ConditionalExpression: a flush while held only reports busy, as before
      if (!value) schedule(0); // with nothing queued, the flush finds nothing to do
    },
    /** A new session replaced the old one: what it reflects is the new confirmed selection. */
    rebase(base: Selection): void {
      confirmed = { ...base };
    },
    idle(): Promise<void> {
      if (destroyed || !pending()) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    /** Settles every entry with `error`, aborts the request in flight, and goes quiet. */
    destroy(error: CheckoutUpdateError): void {
      if (destroyed) return;
      destroyed = true;
      clearTimeout(timer);
      lifetime.abort(error);
      const entries = [...inFlight, ...queued];
      inFlight = [];
      queued = [];
      settle(entries, errorResult(error));
      for (const wake of idleWaiters.splice(0)) wake();
    },
  };
}

export type Queue = ReturnType<typeof createQueue>;

/** Whether `later` sets what `earlier` set: the same line item's quantity. */
function replaces(later?: CheckoutAction, earlier?: CheckoutAction): boolean {
  return later?.type === 'updateLineItemQuantity' && earlier?.type === later.type && earlier.lineItemId === later.lineItemId;
}

