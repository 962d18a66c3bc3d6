import { messageOf } from '../errors.js';

// Small helpers shared by the fake's methods: timers that `vi.useFakeTimers()` drives, and
// the errors Stripe.js throws for integration mistakes.

/** Waits `ms` with `setTimeout`; 0 waits no timer at all, so tests without fake timers stay instant. */
export function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

export type Settled = { ok: true } | { ok: false; message: string };

/**
 * Calls `fn` and waits for it, at most `limitMs`. What it resolves to is dropped, as
 * Stripe.js drops it: a `Response` with status 400 counts as done.
 */
export function settle(fn: () => unknown, limitMs: number): Promise<Settled> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      resolve({ ok: false, message: `The server update timed out: its function did not finish within ${limitMs} ms.` });
    }, limitMs);
    new Promise((run) => run(fn())).then(
      () => {
        clearTimeout(timer);
        resolve({ ok: true });
      },
      (reason: unknown) => {
        clearTimeout(timer);
        resolve({ ok: false, message: `The server update failed: ${messageOf(reason) ?? 'its function threw.'}` });
      },
    );
  });
}

/**
 * Runs tasks one after another in call order: a task starts once every earlier one has
 * settled (resolved or rejected). With none running, a task starts at once, synchronously.
 */
export function serial(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<void> = Promise.resolve();
  let queued = 0;
  const done = () => {
    queued -= 1;
  };
  return <T>(task: () => Promise<T>) => {
    queued += 1;
    const run = queued === 1 ? new Promise<T>((resolve) => resolve(task())) : tail.then(task);
    tail = run.then(done, done);
    return run;
  };
}

/** Stripe.js reports misuse (a bad argument, a call out of order) as a thrown `IntegrationError`. */
export function integrationError(message: string): Error {
  const error = new Error(message);
  error.name = 'IntegrationError';
  return error;
}

/** The error an injected `'reject'` failure rejects with. */
export function injectedRejection(method: string): Error {
  return new Error(`${method} failed: a failure injected by createFakeStripe.`);
}
