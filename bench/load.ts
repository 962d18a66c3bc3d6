// A busy machine for the bursts' second run: one spinning thread per core, as when the
// shopper's laptop is doing something else. The page's timers then wait for the scheduler,
// and the probe below says by how much, so a missed target can be read against it.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { max, median, sleep } from './stats.js';

/**
 * Each thread spins until told to stop or until its own deadline, whichever comes first:
 * a bench that crashes or hangs cannot leave the machine loaded for long.
 */
const SPIN = `
const { workerData } = require('node:worker_threads');
const stop = new Int32Array(workerData.stop);
while (Atomics.load(stop, 0) === 0 && Date.now() < workerData.until) {}
`;
const LIMIT_MS = 5 * 60_000;

export const loadThreads = () => os.availableParallelism();

/** `run`'s result, with every core busy while it runs. */
export async function withCpuLoad<T>(run: () => Promise<T>): Promise<T> {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const workerData = { stop: stop.buffer, until: Date.now() + LIMIT_MS };
  const workers = Array.from({ length: loadThreads() }, () => new Worker(SPIN, { eval: true, workerData }));
  await Promise.all(workers.map((worker) => once(worker, 'online')));
  try {
    return await run();
  } finally {
    Atomics.store(stop, 0, 1);
    await Promise.all(workers.map((worker) => once(worker, 'exit')));
  }
}

export interface Lateness {
  median: number;
  worst: number;
}

const PROBE_MS = 5;
const PROBES = 100;

/** How late a 5 ms setTimeout fires here and now: what every simulated round trip also pays. */
export async function timerLateness(): Promise<Lateness> {
  const late: number[] = [];
  for (let i = 0; i < PROBES; i++) {
    const start = performance.now();
    await sleep(PROBE_MS);
    late.push(performance.now() - start - PROBE_MS);
  }
  return { median: median(late), worst: max(late) };
}

/** A thread's time so far, in milliseconds: on a core, and runnable but waiting for one. */
export interface ThreadTimes {
  cpu: number;
  wait: number;
}

/**
 * The calling thread's times, from Linux's /proc/thread-self/schedstat (read synchronously, so
 * on this thread); NaN elsewhere. Two readings tell the scheduler's share of a delay from the
 * page's own work, whatever the timers say.
 */
export function threadTimes(): ThreadTimes {
  try {
    const [cpu = Number.NaN, wait = Number.NaN] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
    return { cpu: cpu / 1e6, wait: wait / 1e6 };
  } catch {
    return { cpu: Number.NaN, wait: Number.NaN };
  }
}
