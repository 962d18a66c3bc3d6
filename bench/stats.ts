// Small numeric helpers shared by the benchmarks.

/** Nearest-rank quantile (q in 0..1) of a sorted copy, so callers keep their samples in order. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}

export const median = (samples: readonly number[]) => quantile(samples, 0.5);
export const p95 = (samples: readonly number[]) => quantile(samples, 0.95);
export const max = (samples: readonly number[]) => Math.max(...samples);

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `performance.now()` reaches `at`: a schedule that does not drift with the work done between steps. */
export const sleepUntil = (at: number) => sleep(Math.max(0, at - performance.now()));

/** A value after `ms`, as a script or a request that takes that long. */
export const later = <T>(ms: number, value: T) => sleep(ms).then(() => value);

/** One turn of the event loop, as a page gets between two user actions. */
export const nextTask = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The heap in use after a full collection. It first lets the current job end: V8 keeps the
 * target of every WeakRef created in a job alive until the job ends (happy-dom holds its
 * NodeLists in WeakRefs), and a chain of awaits that never reaches the event loop is one job.
 */
export async function heapUsed(): Promise<number> {
  if (typeof gc !== 'function') throw new Error('gc() is missing: run node with --expose-gc (npm run bench does).');
  await nextTask();
  gc();
  gc(); // the second pass frees what the first one's finalisers let go
  return process.memoryUsage().heapUsed;
}
