import { getEventListeners } from 'node:events';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay } from '../src/backoff.js';
import { normalizeEndpoint, sendUpdate, type SendOptions } from '../src/endpoint.js';
import { CheckoutUpdateError } from '../src/errors.js';
import type { EndpointFunction, ServerUpdate } from '../src/types.js';

const URL_ = 'https://shop.test/update-checkout';
const update: Omit<ServerUpdate, 'attempt'> = {
  sessionId: 'cs_test_1',
  selection: { gift_wrap: true },
  changes: { gift_wrap: true },
  idempotencyKey: 'key-1',
};
// The attempt number travels in the body, so the server can report what it saw.
const endpoint = normalizeEndpoint({ url: URL_, body: (u: ServerUpdate) => ({ attempt: u.attempt }) }, 'checkout_session_id');

interface Seen {
  key: string | null;
  attempt: unknown;
  at: number;
}

let seen: Seen[] = [];
const server = setupServer();

/** Answers the n-th request with `replies[n]` (the last one repeats) and records it. */
function answer(...replies: Array<() => Response | Promise<Response>>): void {
  server.use(
    http.post(URL_, async ({ request }) => {
      const body = (await request.json()) as { attempt: unknown };
      seen.push({ key: request.headers.get('idempotency-key'), attempt: body.attempt, at: Date.now() });
      const reply = replies[Math.min(seen.length, replies.length) - 1];
      return reply ? reply() : HttpResponse.json({ ok: true });
    }),
  );
}

/**
 * Never answers. Not msw's `delay('infinite')`: that parks a (fake) timer of its own, which
 * would hide whether ours were all cleared.
 */
const hang = (): Promise<Response> => new Promise<Response>(() => undefined);
const ok = (): Response => HttpResponse.json({ ok: true });
const status = (code: number, headers: Record<string, string> = {}) => (): Response =>
  HttpResponse.json({ error: `Failed with ${code}` }, { status: code, headers });

/** Starts an update and records how it settles, without awaiting it. */
function start(options: Partial<SendOptions> = {}, signal?: AbortSignal, fn: EndpointFunction = endpoint) {
  const state: { settled: boolean; error: CheckoutUpdateError | undefined; at: number } = {
    settled: false,
    error: undefined,
    at: Number.NaN,
  };
  sendUpdate(fn, update, { timeoutMs: 15000, retries: 2, ...options }, signal).then(
    () => Object.assign(state, { settled: true, at: Date.now() }),
    (error: CheckoutUpdateError) => Object.assign(state, { settled: true, error, at: Date.now() }),
  );
  return state;
}

const T0 = new Date('2030-01-01T00:00:00Z').getTime();
const tick = (ms: number) => vi.advanceTimersByTimeAsync(ms);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  seen = [];
  // Only these: msw's own machinery must keep running on real ticks and microtasks.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(T0);
  // Backoff factor 0.5: waits of exactly 150, 300, 600 ms.
  vi.spyOn(Math, 'random').mockReturnValue(0);
});
afterEach(() => {
  server.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => server.close());

const times = () => seen.map((s) => s.at - T0);

describe('retries', () => {
  it('retries a 500 with the same key and the next attempt number', async () => {
    answer(status(500), ok);
    const state = start();
    await tick(149);
    expect(seen).toHaveLength(1);
    await tick(1);
    expect(state).toMatchObject({ settled: true, error: undefined, at: T0 + 150 });
    expect(seen.map((s) => s.key)).toEqual(['key-1', 'key-1']);
    expect(seen.map((s) => s.attempt)).toEqual([1, 2]);
    expect(times()).toEqual([0, 150]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reports a network error after the retries, with the original error as cause', async () => {
    answer(() => HttpResponse.error());
    const state = start({ retries: 2 });
    await tick(10_000);
    expect(seen.map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(times()).toEqual([0, 150, 450]);
    expect(state.error).toBeInstanceOf(CheckoutUpdateError);
    expect(state.error).toMatchObject({
      code: 'network',
      message: 'Could not reach the server. Check your connection and try again.',
    });
    expect(state.error?.cause).toBeInstanceOf(TypeError);
    expect(state.at).toBe(T0 + 450);
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each([400, 401, 403, 404, 409, 422])('does not retry %i', async (code) => {
    answer(status(code), ok);
    const state = start();
    await tick(10_000);
    expect(seen).toHaveLength(1);
    expect(state.error).toMatchObject({ code: 'http', status: code, message: `Failed with ${code}` });
    expect(state.at).toBe(T0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it.each([408, 429, 500, 502, 503, 504])('retries %i', async (code) => {
    answer(status(code), ok);
    const state = start();
    await tick(10_000);
    expect(seen.map((s) => [s.key, s.attempt])).toEqual([
      ['key-1', 1],
      ['key-1', 2],
    ]);
    expect(state).toMatchObject({ settled: true, error: undefined, at: T0 + 150 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives up with the last http error once the retries are used', async () => {
    answer(status(503));
    const state = start({ retries: 1 });
    await tick(10_000);
    expect(seen.map((s) => s.attempt)).toEqual([1, 2]);
    expect(state.error).toMatchObject({ code: 'http', status: 503, message: 'Failed with 503' });
    expect(state.error?.response).toBeInstanceOf(Response);
  });

  it('does not retry with retries: 0', async () => {
    answer(status(500), ok);
    const state = start({ retries: 0 });
    await tick(10_000);
    expect(seen).toHaveLength(1);
    expect(state.error).toMatchObject({ code: 'http', status: 500 });
  });
});

describe('backoff', () => {
  it('jitters each wait between half and all of 300, 600, 1200 ms', () => {
    expect([1, 2, 3].map((attempt) => backoffDelay(attempt))).toEqual([150, 300, 600]);
    // Just under 1, and exact in binary: 0.5 + (1 - 2^-11) / 2 = 1 - 2^-12.
    vi.mocked(Math.random).mockReturnValue(1 - 2 ** -11);
    expect([1, 2, 3].map((attempt) => backoffDelay(attempt))).toEqual([299.9267578125, 599.853515625, 1199.70703125]);
  });
});

describe('Retry-After', () => {
  it('waits the seconds it gives instead of the backoff, with the same key', async () => {
    answer(status(429, { 'Retry-After': '1' }), ok);
    const state = start();
    await tick(999);
    expect(seen).toHaveLength(1);
    await tick(1);
    expect(times()).toEqual([0, 1000]);
    expect(seen.map((s) => [s.key, s.attempt])).toEqual([
      ['key-1', 1],
      ['key-1', 2],
    ]);
    expect(state).toMatchObject({ settled: true, error: undefined });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reads an HTTP date on a 503', async () => {
    const date = new Date(T0 + 2000).toUTCString();
    answer(status(503, { 'Retry-After': date }), ok);
    const state = start();
    await tick(1999);
    expect(seen).toHaveLength(1);
    await tick(1);
    expect(times()).toEqual([0, 2000]);
    expect(state).toMatchObject({ settled: true, error: undefined });
  });

  it.each([['1.5', 1500], ['1.25', 1250]])('waits a fractional number of seconds (%s) to the millisecond', async (header, ms) => {
    answer(status(503, { 'Retry-After': header }), ok);
    const state = start();
    await tick(ms - 1);
    expect(seen).toHaveLength(1);
    await tick(1);
    expect(times()).toEqual([0, ms]);
    expect(state).toMatchObject({ settled: true, error: undefined, at: T0 + ms });
  });

  // Neither seconds nor an HTTP date, or no wait at all: the backoff applies, so that pages do not retry in lockstep.
  it.each(['5 minutes', 'x5', 'soon', '0'])('gives way to the backoff when it says %s', async (header) => {
    answer(status(429, { 'Retry-After': header }), ok);
    const state = start();
    await tick(10_000);
    expect(times()).toEqual([0, 150]);
    expect(state).toMatchObject({ settled: true, error: undefined, at: T0 + 150 });
  });

  it.each([408, 500, 502, 504])('is ignored on a %i, which waits the backoff', async (code) => {
    answer(status(code, { 'Retry-After': '5' }), ok);
    const state = start();
    await tick(10_000);
    expect(times()).toEqual([0, 150]);
    expect(state).toMatchObject({ settled: true, error: undefined, at: T0 + 150 });
    expect(vi.getTimerCount()).toBe(0);
  });

  // A wait that would end just as the budget does leaves no time for the retry either.
  it.each(['20', '15'])('stops at once when the wait (%s s) does not fit in the 15 s budget', async (seconds) => {
    answer(status(429, { 'Retry-After': seconds }), ok);
    const state = start({ timeoutMs: 15000 });
    await tick(0);
    expect(state.settled).toBe(true);
    expect(state.at).toBe(T0);
    expect(state.error).toMatchObject({ code: 'http', status: 429, message: 'Failed with 429' });
    await tick(30_000);
    expect(seen).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops at once when the backoff does not fit either', async () => {
    answer(status(500), ok);
    const state = start({ timeoutMs: 100 });
    await tick(0);
    expect(state).toMatchObject({ settled: true, at: T0 });
    expect(state.error).toMatchObject({ code: 'http', status: 500 });
    await tick(1000);
    expect(seen).toHaveLength(1);
  });
});

describe('time budget', () => {
  it('cuts each hung attempt at its share and never exceeds timeoutMs', async () => {
    answer(hang);
    const state = start({ timeoutMs: 3000, retries: 2 });
    // 3000/3 = 1000, +150 wait; 1850/2 = 925, +300 wait; the last 625.
    await tick(2999);
    expect(times()).toEqual([0, 1150, 2375]);
    expect(state.settled).toBe(false);
    await tick(1);
    expect(state.error).toBeInstanceOf(CheckoutUpdateError);
    expect(state.error).toMatchObject({ code: 'timeout', message: 'The update took longer than 3000 ms.' });
    expect(state.at - T0).toBeLessThanOrEqual(3000);
    expect(seen.map((s) => [s.key, s.attempt])).toEqual([
      ['key-1', 1],
      ['key-1', 2],
      ['key-1', 3],
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('retries a hung attempt and succeeds', async () => {
    answer(hang, ok);
    const state = start({ timeoutMs: 3000, retries: 2 });
    await tick(1150);
    expect(state).toMatchObject({ settled: true, error: undefined, at: T0 + 1150 });
    expect(seen.map((s) => s.attempt)).toEqual([1, 2]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('cuts an endpoint function that ignores its signal', async () => {
    const calls: number[] = [];
    const ignoring: EndpointFunction = (u) => {
      calls.push(u.attempt);
      return new Promise<Response>(() => undefined);
    };
    const state = start({ timeoutMs: 1000, retries: 0 }, undefined, ignoring);
    await tick(1000);
    expect(calls).toEqual([1]);
    expect(state.error).toMatchObject({ code: 'timeout', message: 'The update took longer than 1000 ms.' });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('caller abort', () => {
  it('stops a request in flight with destroyed, and sends no more', async () => {
    answer(hang);
    const controller = new AbortController();
    const state = start({}, controller.signal);
    await tick(500);
    controller.abort();
    await tick(0);
    expect(state).toMatchObject({ settled: true, at: T0 + 500 });
    expect(state.error).toBeInstanceOf(CheckoutUpdateError);
    expect(state.error?.code).toBe('destroyed');
    await tick(20_000);
    expect(seen).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops a backoff wait at once', async () => {
    answer(status(500), ok);
    const controller = new AbortController();
    const state = start({}, controller.signal);
    await tick(50);
    expect(seen).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(1); // the backoff
    controller.abort();
    await tick(0);
    expect(state).toMatchObject({ settled: true, at: T0 + 50 });
    expect(state.error?.code).toBe('destroyed');
    await tick(20_000);
    expect(seen).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends nothing when the signal is already aborted', async () => {
    answer(ok);
    const state = start({}, AbortSignal.abort());
    await tick(0);
    expect(state.error?.code).toBe('destroyed');
    expect(seen).toHaveLength(0);
  });

  it('leaves no listener on the caller signal after a retried success or a failure', async () => {
    answer(status(500), ok);
    const controller = new AbortController();
    const first = start({}, controller.signal);
    await tick(10_000);
    expect(first).toMatchObject({ settled: true, error: undefined });
    answer(status(400));
    const second = start({}, controller.signal);
    await tick(10_000);
    expect(second.error?.code).toBe('http');
    expect(seen).toHaveLength(3);
    expect(getEventListeners(controller.signal, 'abort')).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps a CheckoutUpdateError given as the abort reason', async () => {
    answer(hang);
    const controller = new AbortController();
    const state = start({}, controller.signal);
    await tick(10);
    const reason = new CheckoutUpdateError('session_expired', 'The session expired.');
    controller.abort(reason);
    await tick(0);
    expect(state.error).toBe(reason);
    expect(seen).toHaveLength(1);
  });
});
