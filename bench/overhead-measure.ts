// The library's cost per update, measured: `set()` until its promise settles, beside a bare
// `actions.runServerUpdate(fn)`, both on one fake Stripe with a server that answers at once,
// so nothing but code is timed. Both server functions do the same work (accept, a Response).
// The calls need no Node: overhead.ts makes them in Node on src/, and in Chromium through
// overhead-browser.ts on the built script tag, the library's real environment. So the library
// comes in as an argument (only its types are imported here), and how a round is timed, too.
import type { createCheckout } from '../src/checkout.js';
import { sendUpdate } from '../src/endpoint.js';
import { asStripe, createFakeStripe } from '../src/testing/index.js';
import type { Selection } from '../src/types.js';

const SECRET = 'cs_test_fake_1_secret_bench';
const BETAS = ['custom_checkout_server_updates_1'];
/** Enough for the JIT to settle: with 1,000 the first trial still ran slower than the rest. */
export const WARMUP = 3000;
/** Separate figures, so one slow patch of a shared machine shows as one trial, not as the result. */
export const TRIALS = 5;
export const ROUNDS = 6;
export const PER_ROUND = 250;

export type CreateCheckout = typeof createCheckout;
export type Side = 'library' | 'bare';
type Op = () => Promise<unknown>;
export type Ops = Record<Side, Op>;
/** One trial's samples, in milliseconds per update. */
export type Times = Record<Side, number[]>;
/** Times `count` calls of one side into `into`: one sample per call, or one for them all. */
export type Sampler = (side: Side, count: number, into: number[]) => Promise<void>;

/** Calls `op` `count` times; a failed update would time an error path, so it stops the run. */
export async function repeat(op: Op, count: number, took?: (ms: number) => void): Promise<void> {
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const result = (await op()) as { type?: string };
    took?.(performance.now() - start);
    if (result.type !== 'success') throw new Error(`bench: an update failed while measuring overhead: ${JSON.stringify(result)}`);
  }
}

/** One sample per call, for a clock fine enough to time one (Node's); the median then shrugs off a preempted call. */
export const perCall = (ops: Ops): Sampler => (side, count, into) => repeat(ops[side], count, (ms) => into.push(ms));

/** `set()` on `create`'s checkout and a bare runServerUpdate; `stripeMs`: how long the fake's re-read of the session takes. */
export async function updateOps(create: CreateCheckout, stripeMs: number): Promise<Ops> {
  const fake = createFakeStripe({ betas: BETAS, catalog: { gift_wrap: { name: 'Gift wrap', unitAmount: 500 } }, latencyMs: { runServerUpdate: stripeMs } });
  const serve = async (selection: Selection) => {
    fake.accept(selection);
    return new Response(null, { status: 204 });
  };
  const checkout = create({ stripe: asStripe(fake), clientSecret: SECRET, endpoint: (update) => serve(update.selection) });
  await checkout.ready;
  // Its own SDK instance on the same fake: the bare calls do not wake the library's change listener.
  const loaded = await fake.initCheckoutElementsSdk({ clientSecret: SECRET }).loadActions();
  if (loaded.type !== 'success') throw new Error('bench: loadActions failed');
  const actions = loaded.actions;
  // Each call flips the add-on, so every update is a real change that the library must send.
  let on = false;
  return {
    library: () => checkout.set('gift_wrap', (on = !on)),
    bare: () => actions.runServerUpdate(() => serve({ gift_wrap: (on = !on) })),
  };
}

/**
 * The time budget and retries alone: `sendUpdate` (a per-attempt AbortController, timer and
 * abort listeners) against calling the same endpoint function directly.
 */
export function budgetOps(): Ops {
  const success = { type: 'success' };
  const endpoint = async () => new Response(null, { status: 204 });
  const update = { sessionId: 'cs_test_fake_1', selection: { gift_wrap: true }, changes: { gift_wrap: true }, idempotencyKey: 'key' };
  const { signal } = new AbortController();
  return {
    library: () => sendUpdate(endpoint, update, { timeoutMs: 15_000, retries: 2 }, signal).then(() => success),
    bare: () => endpoint().then(() => success),
  };
}

/** Warm-up, then TRIALS trials of alternating rounds, each side first in turn: a slow patch hits both. */
export async function compare(sample: Sampler): Promise<Times[]> {
  await sample('library', WARMUP, []);
  await sample('bare', WARMUP, []);
  const trials: Times[] = [];
  for (let t = 0; t < TRIALS; t++) {
    const times: Times = { library: [], bare: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of round % 2 === 0 ? (['library', 'bare'] as const) : (['bare', 'library'] as const)) await sample(side, PER_ROUND, times[side]);
    }
    trials.push(times);
  }
  return trials;
}
