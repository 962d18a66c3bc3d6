import { afterEach, describe, expect, it, vi } from 'vitest';
import { CheckoutUpdateError } from '../src/errors.js';
import { createQueue, type QueueOp, type QueueOptions } from '../src/queue.js';
import { diff } from '../src/selection.js';
import type { StripeCheckoutSession, UpdateResult } from '../src/types.js';

const SESSION = { id: 'cs_test' } as never;
const ok: UpdateResult = { type: 'success', session: SESSION };

/** A controllable server: every op waits until the test answers it. */
function harness(overrides: Partial<QueueOptions<StripeCheckoutSession>> = {}) {
  const ops: QueueOp[] = [];
  const answers: Array<(result: UpdateResult) => void> = [];
  const log: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const queue = createQueue({
    mode: 'latest',
    debounceMs: 0,
    initial: {},
    run(op) {
      ops.push(op);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise<UpdateResult>((resolve) => answers.push(resolve)).finally(() => inFlight--);
    },
    unchanged: () => ok,
    onBusy: (busy) => log.push(`busy:${busy}`),
    offline: () => false,
    onResult: (op, result, reverted) => log.push(`${result.type}:${JSON.stringify(op.changes)}:${JSON.stringify(reverted)}`),
    ...overrides,
  });
  queue.start();
  const answer = async (result: UpdateResult = ok) => {
    const next = answers.shift();
    if (!next) throw new Error('no request is waiting for an answer');
    next(result);
    await flushMicrotasks();
  };
  return { queue, ops, log, answer, get maxInFlight() { return maxInFlight; }, get waiting() { return answers.length; } };
}

async function flushMicrotasks() {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

const failure = (message = 'Out of stock'): UpdateResult => ({ type: 'error', error: new CheckoutUpdateError('http', message, { status: 400 }) });

afterEach(() => vi.useRealTimers());

describe('latest mode', () => {
  it('merges the changes of one task into one request carrying the whole selection', async () => {
    const h = harness();
    void h.queue.push({ gift_wrap: true });
    void h.queue.push({ warranty: 2 });
    void h.queue.push({ shipping: 'express' });
    await flushMicrotasks();
    expect(h.ops).toEqual([
      { selection: { gift_wrap: true, warranty: 2, shipping: 'express' }, changes: { gift_wrap: true, warranty: 2, shipping: 'express' }, refresh: false },
    ]);
    await h.answer();
    expect(h.queue.confirmed).toEqual({ gift_wrap: true, warranty: 2, shipping: 'express' });
    expect(h.log).toEqual(['busy:true', 'success:{"gift_wrap":true,"warranty":2,"shipping":"express"}:{}', 'busy:false']);
  });

  it('sends 20 changes over 3 keys made during one request as exactly 1 more request, never 2 at once', async () => {
    const h = harness();
    const results: Array<Promise<UpdateResult>> = [h.queue.push({ gift_wrap: true })];
    await flushMicrotasks();
    for (let i = 0; i < 20; i++) {
      const key = ['gift_wrap', 'warranty', 'tip'][i % 3] as string;
      results.push(h.queue.push({ [key]: key === 'gift_wrap' ? i % 2 === 0 : i }));
      await flushMicrotasks();
    }
    expect(h.ops).toHaveLength(1);
    await h.answer();
    expect(h.ops).toHaveLength(2);
    await h.answer();
    expect(h.ops).toHaveLength(2);
    expect(h.maxInFlight).toBe(1);
    const last = { gift_wrap: true, warranty: 19, tip: 17 };
    expect(h.ops[1]?.selection).toEqual(last);
    expect(h.queue.selection).toEqual(last);
    expect(h.queue.confirmed).toEqual(last);
    expect(await Promise.all(results)).toEqual(Array(21).fill(ok));
    expect(h.queue.pending).toBe(false);
  });

  it('sends nothing for a change undone before it was sent, and resolves it as a success', async () => {
    const h = harness({ initial: { gift_wrap: false } });
    const a = h.queue.push({ gift_wrap: true });
    const b = h.queue.push({ gift_wrap: false });
    await flushMicrotasks();
    expect(h.ops).toEqual([]);
    expect(await Promise.all([a, b])).toEqual([ok, ok]);
    expect(h.log).toEqual(['busy:true', 'busy:false']);
  });

  it('reverts the keys of a failed request and keeps the changes made after it was sent', async () => {
    const h = harness({ initial: { gift_wrap: false, warranty: 0 } });
    const first = h.queue.push({ gift_wrap: true, warranty: 1 });
    await flushMicrotasks();
    const later = h.queue.push({ warranty: 3, tip: 5 });
    await flushMicrotasks();
    const error = failure();
    await h.answer(error);
    expect(await first).toEqual(error);
    expect(h.log[1]).toBe('error:{"gift_wrap":true,"warranty":1}:{"gift_wrap":false}');
    expect(h.queue.selection).toEqual({ gift_wrap: false, warranty: 3, tip: 5 });
    expect(h.ops[1]).toEqual({ selection: { gift_wrap: false, warranty: 3, tip: 5 }, changes: { warranty: 3, tip: 5 }, refresh: false });
    await h.answer();
    expect(await later).toEqual(ok);
    expect(h.queue.confirmed).toEqual({ gift_wrap: false, warranty: 3, tip: 5 });
    expect(h.queue.failures).toBe(1);
  });

  it('keeps a change the server accepted although the op failed afterwards (accepted: true)', async () => {
    const h = harness();
    void h.queue.push({ tip: 2 });
    await flushMicrotasks();
    const error = new CheckoutUpdateError('server_update_failed', 'Stripe could not refresh');
    await h.answer({ type: 'error', error, accepted: true } as UpdateResult);
    expect([h.queue.selection, h.queue.confirmed, h.queue.failures]).toEqual([{ tip: 2 }, { tip: 2 }, 1]);
    expect(h.log[1]).toBe('error:{"tip":2}:{}');
  });

  it('reports a key that was never confirmed as reverted to null', async () => {
    const h = harness();
    void h.queue.push({ insurance: true });
    await flushMicrotasks();
    await h.answer(failure());
    expect(h.log[1]).toBe('error:{"insurance":true}:{"insurance":null}');
    expect(h.queue.selection).toEqual({});
  });

  it('waits debounceMs after the last change before sending', async () => {
    vi.useFakeTimers();
    const h = harness({ debounceMs: 200 });
    void h.queue.push({ tip: 1 });
    await vi.advanceTimersByTimeAsync(150);
    void h.queue.push({ tip: 2 });
    await vi.advanceTimersByTimeAsync(150);
    expect(h.ops).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(50);
    expect(h.ops.map((op) => op.selection)).toEqual([{ tip: 2 }]);
  });

  it('merges a refresh into a pending update, and sends a lone refresh as a refresh', async () => {
    const h = harness();
    void h.queue.push({ tip: 1 });
    void h.queue.push({}, true);
    await flushMicrotasks();
    await h.answer();
    void h.queue.push({}, true);
    await flushMicrotasks();
    await h.answer();
    expect(h.ops).toEqual([
      { selection: { tip: 1 }, changes: { tip: 1 }, refresh: false },
      { selection: { tip: 1 }, changes: {}, refresh: true },
    ]);
  });

  it('still sends a refresh merged with a change that was undone: the session is read anew', async () => {
    const h = harness({ initial: { gift_wrap: false } });
    const undone = [h.queue.push({ gift_wrap: true }), h.queue.push({ gift_wrap: false })];
    const refreshed = h.queue.push({}, true);
    await flushMicrotasks();
    expect(h.ops).toEqual([{ selection: { gift_wrap: false }, changes: {}, refresh: true }]);
    await h.answer();
    expect(await Promise.all([...undone, refreshed])).toEqual([ok, ok, ok]);
    expect(h.log).toEqual(['busy:true', 'success:{}:{}', 'busy:false']);
  });
});

describe('serial mode', () => {
  it('sends every change as its own request, first in first out, one at a time', async () => {
    const h = harness({ mode: 'serial' });
    void h.queue.push({ gift_wrap: true });
    void h.queue.push({ warranty: 2 });
    void h.queue.push({ gift_wrap: false });
    await flushMicrotasks();
    expect(h.waiting).toBe(1);
    await h.answer();
    await h.answer();
    await h.answer();
    expect(h.ops).toEqual([
      { selection: { gift_wrap: true }, changes: { gift_wrap: true }, refresh: false },
      { selection: { gift_wrap: true, warranty: 2 }, changes: { warranty: 2 }, refresh: false },
      { selection: { gift_wrap: false, warranty: 2 }, changes: { gift_wrap: false }, refresh: false },
    ]);
    expect(h.maxInFlight).toBe(1);
  });

  it('skips a change that equals what is confirmed when its turn comes', async () => {
    const h = harness({ mode: 'serial', initial: { gift_wrap: true } });
    const result = h.queue.push({ gift_wrap: true });
    await flushMicrotasks();
    expect(h.ops).toEqual([]);
    expect(await result).toEqual(ok);
  });

  it('on failure reverts only the failed change; the queued ones still go', async () => {
    const h = harness({ mode: 'serial' });
    void h.queue.push({ gift_wrap: true });
    void h.queue.push({ warranty: 1 });
    await flushMicrotasks();
    await h.answer(failure());
    expect(h.queue.selection).toEqual({ warranty: 1 });
    await h.answer();
    expect(h.ops[1]).toEqual({ selection: { warranty: 1 }, changes: { warranty: 1 }, refresh: false });
    expect(h.queue.confirmed).toEqual({ warranty: 1 });
  });
});

describe('life cycle', () => {
  it('holds changes until start(), then sends them as one request', async () => {
    const ops: QueueOp[] = [];
    const queue = createQueue({
      mode: 'latest', debounceMs: 0, initial: {},
      run: async (op) => (ops.push(op), ok),
      unchanged: () => ok, onBusy: () => {}, offline: () => false, onResult: () => {},
    });
    void queue.push({ tip: 2 });
    await flushMicrotasks();
    expect(ops).toEqual([]);
    expect(queue.pending).toBe(true);
    queue.start();
    await queue.idle();
    expect(ops).toEqual([{ selection: { tip: 2 }, changes: { tip: 2 }, refresh: false }]);
  });

  it('idle() asked before start() resolves once what waited has been sent and answered, not when sending begins', async () => {
    const answers: Array<(result: UpdateResult) => void> = [];
    const queue = createQueue({
      mode: 'latest', debounceMs: 0, initial: {},
      run: () => new Promise<UpdateResult>((resolve) => answers.push(resolve)),
      unchanged: () => ok, onBusy: () => {}, offline: () => false, onResult: () => {},
    });
    void queue.push({ tip: 2 });
    let idle = false;
    void queue.idle().then(() => (idle = true));
    queue.start();
    await flushMicrotasks();
    expect([answers.length, idle]).toEqual([1, false]);
    answers[0]?.(ok);
    await flushMicrotasks();
    expect([idle, queue.pending]).toEqual([true, false]);
  });

  it('idle() resolves at once when idle, and after the last answer otherwise', async () => {
    const h = harness();
    let idle = false;
    await h.queue.idle();
    void h.queue.push({ tip: 1 });
    void h.queue.idle().then(() => (idle = true));
    await flushMicrotasks();
    expect(idle).toBe(false);
    await h.answer();
    expect(idle).toBe(true);
  });

  it('destroy() aborts the request in flight and settles every change with the error, then stays silent', async () => {
    const ops: QueueOp[] = [];
    const log: string[] = [];
    let signal: AbortSignal | undefined;
    let answer: (result: UpdateResult) => void = () => {};
    const queue = createQueue({
      mode: 'latest', debounceMs: 0, initial: {},
      run: (op, s) => ((signal = s), ops.push(op), new Promise<UpdateResult>((resolve) => (answer = resolve))),
      unchanged: () => ok, onBusy: (busy) => log.push(`busy:${busy}`), offline: () => false, onResult: (_op, result) => log.push(result.type),
    });
    queue.start();
    const sent = queue.push({ tip: 1 });
    await flushMicrotasks();
    const queued = queue.push({ tip: 2 });
    const gone = new CheckoutUpdateError('destroyed', 'gone');
    queue.destroy(gone);
    expect(signal?.aborted).toBe(true);
    expect(await Promise.all([sent, queued])).toEqual([{ type: 'error', error: gone }, { type: 'error', error: gone }]);
    // The server answers the request after all: nothing is reported, confirmed or sent next.
    answer(ok);
    await flushMicrotasks();
    expect(log).toEqual(['busy:true']);
    expect([ops.length, queue.confirmed, queue.selection, queue.pending]).toEqual([1, {}, {}, false]);
    await queue.idle();
  });

  it('turns a run that rejects into an error result instead of an unhandled rejection', async () => {
    const h = harness({ run: () => Promise.reject(new Error('boom')) });
    const result = await h.queue.push({ tip: 1 });
    expect(result.type === 'error' && [result.error.code, result.error.message]).toEqual(['server_update_failed', 'boom']);
    expect(h.queue.selection).toEqual({});
  });
});

describe('diff', () => {
  it('compares own keys only: an add-on named after an Object.prototype member is an add-on', () => {
    expect(diff({}, { toString: true })).toEqual({ toString: null });
    expect(diff({ hasOwnProperty: false }, {})).toEqual({ hasOwnProperty: false });
    expect(diff({ valueOf: true }, { valueOf: true })).toEqual({});
  });
});

describe("actions (Stripe's own, in the same queue)", () => {
  const code = { type: 'applyPromotionCode', code: 'SAVE10' } as const;
  const quantity = (lineItemId: string, n: number) => ({ type: 'updateLineItemQuantity', lineItemId, quantity: n }) as const;

  it('sends the changes before an action merged, then the action alone, then the changes after it merged', async () => {
    const h = harness();
    void h.queue.push({ gift_wrap: true });
    void h.queue.push({ warranty: 1 });
    void h.queue.push({}, false, code);
    void h.queue.push({ tip: 2 });
    void h.queue.push({ gift_wrap: false });
    await flushMicrotasks();
    await h.answer();
    await h.answer();
    await h.answer();
    expect(h.ops.map(({ selection, changes, refresh, action }) => ({ selection, changes, refresh, action }))).toEqual([
      { selection: { gift_wrap: true, warranty: 1 }, changes: { gift_wrap: true, warranty: 1 }, refresh: false, action: undefined },
      { selection: { gift_wrap: true, warranty: 1 }, changes: {}, refresh: false, action: code },
      { selection: { gift_wrap: false, warranty: 1, tip: 2 }, changes: { tip: 2, gift_wrap: false }, refresh: false, action: undefined },
    ]);
    expect([h.maxInFlight, h.waiting, h.queue.pending]).toEqual([1, 0, false]);
  });

  it('sends an action even where the changes around it cancel out, and two actions as two ops', async () => {
    const h = harness();
    void h.queue.push({ gift_wrap: true });
    void h.queue.push({}, false, code);
    void h.queue.push({}, false, { type: 'removePromotionCode' });
    await flushMicrotasks();
    await h.answer();
    await h.answer();
    await h.answer();
    expect(h.ops.map((op) => op.action?.type ?? JSON.stringify(op.changes))).toEqual(['{"gift_wrap":true}', 'applyPromotionCode', 'removePromotionCode']);
  });

  it("replaces a waiting quantity of the same item with the later one, resolving both with its result; other items' stay", async () => {
    const h = harness();
    const first = h.queue.push({}, false, quantity('li_1', 2));
    const second = h.queue.push({}, false, quantity('li_1', 3));
    void h.queue.push({}, false, quantity('li_2', 1));
    const third = h.queue.push({}, false, quantity('li_2', 4));
    await flushMicrotasks();
    await h.answer();
    await h.answer();
    expect(h.ops.map((op) => op.action)).toEqual([quantity('li_1', 3), quantity('li_2', 4)]);
    expect(await first).toBe(await second);
    expect((await third).type).toBe('success');
  });

  it('does not replace a quantity already in flight, nor one with another change between', async () => {
    const h = harness();
    void h.queue.push({}, false, quantity('li_1', 2));
    await flushMicrotasks(); // in flight
    void h.queue.push({}, false, quantity('li_1', 3));
    void h.queue.push({ tip: 1 });
    void h.queue.push({}, false, quantity('li_1', 4));
    for (let i = 0; i < 4; i++) await h.answer();
    expect(h.ops.map((op) => op.action?.type === 'updateLineItemQuantity' ? op.action.quantity : JSON.stringify(op.changes))).toEqual([2, 3, '{"tip":1}', 4]);
  });

  it('a failed action reverts nothing, and the changes queued behind it still go out', async () => {
    const h = harness();
    void h.queue.push({ gift_wrap: true });
    await flushMicrotasks();
    await h.answer();
    const refused = h.queue.push({}, false, code);
    void h.queue.push({ tip: 1 });
    await flushMicrotasks();
    await h.answer(failure('This code is invalid.'));
    await h.answer();
    expect((await refused).type).toBe('error');
    expect(h.log.filter((line) => !line.startsWith('busy'))).toEqual(['success:{"gift_wrap":true}:{}', 'error:{}:{}', 'success:{"tip":1}:{}']);
    expect([h.queue.confirmed, h.queue.failures]).toEqual([{ gift_wrap: true, tip: 1 }, 1]);
  });

  it('in serial mode, sends each quantity of a burst', async () => {
    const h = harness({ mode: 'serial' });
    void h.queue.push({}, false, quantity('li_1', 2));
    void h.queue.push({}, false, quantity('li_1', 3));
    await flushMicrotasks();
    await h.answer();
    await h.answer();
    expect(h.ops.map((op) => op.action)).toEqual([quantity('li_1', 2), quantity('li_1', 3)]);
  });
});
