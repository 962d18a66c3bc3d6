// The library's cost per update, measured: `set()` until its promise settles, beside a bare
// `actions.runServerUpdate(fn)`, both on one fake Stripe with a server that answers at once,
// so nothing but code is timed. Both server functions do the same work (accept, a Response).
// Nothing here needs Node: overhead.ts runs it in Node, and in Chromium through
// overhead-browser.ts, the library's real environment.
import { createCheckout } from '../src/checkout.js';
import { sendUpdate } from '../src/endpoint.js';
import { asStripe, createFakeStripe } from '../src/testing/index.js';
import type { Selection } from '../src/types.js';

const SECRET = 'cs_test_fake_1_secret_bench';
const BETAS = ['custom_checkout_server_updates_1'];
export const WARMUP = 1000;
export const ROUNDS = 20;
export const PER_ROUND = 250;

type Op = () => Promise<unknown>;
export interface Times {
  library: number[];
  bare: number[];
}

/**
 * Times `op` `times` times; a failed update would time an error path, so it stops the run.
 * `each`: one figure per call. Otherwise one figure for the whole run, the mean per call, for
 * a clock too coarse to time one call (a browser's, clamped to 100 µs).
 */
async function sample(op: Op, times: number, into: number[], each: boolean): Promise<void> {
  const first = performance.now();
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    const result = (await op()) as { type?: string };
    if (each) into.push(performance.now() - start);
    if (result.type !== 'success') throw new Error(`bench: an update failed while measuring overhead: ${JSON.stringify(result)}`);
  }
  if (!each) into.push((performance.now() - first) / times);
}

async function subjects(stripeMs: number): Promise<{ library: Op; bare: Op }> {
  const fake = createFakeStripe({ betas: BETAS, catalog: { gift_wrap: { name: 'Gift wrap', unitAmount: 500 } }, latencyMs: { runServerUpdate: stripeMs } });
  const serve = async (selection: Selection) => {
    fake.accept(selection);
    return new Response(null, { status: 204 });
  };
  const checkout = createCheckout({ stripe: asStripe(fake), clientSecret: SECRET, endpoint: (update) => serve(update.selection) });
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
function budgetSubjects(): { library: Op; bare: Op } {
  const success = { type: 'success' };
  const endpoint = async () => new Response(null, { status: 204 });
  const update = { sessionId: 'cs_test_fake_1', selection: { gift_wrap: true }, changes: { gift_wrap: true }, idempotencyKey: 'key' };
  const { signal } = new AbortController();
  return {
    library: () => sendUpdate(endpoint, update, { timeoutMs: 15_000, retries: 2 }, signal).then(() => success),
    bare: () => endpoint().then(() => success),
  };
}

/**
 * `stripeMs`: how long the fake's re-read of the session takes; 'budget': the time budget
 * alone. `each` (see `sample`): one figure per update, else one per round of PER_ROUND.
 */
export async function measure(stripeMs: number | 'budget', each = true): Promise<Times> {
  const { library, bare } = stripeMs === 'budget' ? budgetSubjects() : await subjects(stripeMs);
  await sample(library, WARMUP, [], each);
  await sample(bare, WARMUP, [], each);
  const times: Times = { library: [], bare: [] };
  // Alternating rounds, each side first in turn: a slow patch of a shared machine hits both.
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['library', 'bare'] as const) : (['bare', 'library'] as const);
    for (const side of order) await sample(side === 'library' ? library : bare, PER_ROUND, times[side], each);
  }
  return times;
}
