// Waiting between attempts: how long, and how to stop waiting.

/**
 * Exponential backoff with jitter (300, 600, 1200 ms ... times a factor in [0.5, 1)),
 * so that many pages hit by the same outage do not retry in lockstep.
 */
export function backoffDelay(attempt: number): number {
  return 300 * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
}

/** Reads `Retry-After` as seconds or an HTTP date; `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  // Stryker disable next-line MethodExpression: Headers already strip the whitespace around a value (Fetch's normalize)
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Resolves after `ms`, or at once when `signal` aborts: the caller checks the signal
 * afterwards, and no timer or listener outlives the wait either way.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    // Stryker disable next-line ConditionalExpression: sendUpdate checks the signal just before it sleeps
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}
