// What the library itself costs per update: `set()` until its promise settles, beside a bare
// `actions.runServerUpdate(fn)`, both on one fake Stripe with a server that answers at once,
// so nothing but code is timed. Both server functions do the same work (accept, a Response).
import { createCheckout } from '../src/checkout.js';
import { sendUpdate } from '../src/endpoint.js';
import { asStripe, createFakeStripe } from '../src/testing/index.js';
import type { Selection } from '../src/types.js';
import { fmt, type Section } from './report.js';
import { median, p95 } from './stats.js';

const SECRET = 'cs_test_fake_1_secret_bench';
const BETAS = ['custom_checkout_server_updates_1'];
const WARMUP = 1000;
const ROUNDS = 20;
const PER_ROUND = 250;

type Op = () => Promise<unknown>;
interface Times {
  library: number[];
  bare: number[];
}

/** Times each call of `op` on its own; a failed update would time an error path, so it stops the run. */
async function sample(op: Op, times: number, into: number[]): Promise<void> {
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    const result = (await op()) as { type?: string };
    into.push(performance.now() - start);
    if (result.type !== 'success') throw new Error(`bench: an update failed while measuring overhead: ${JSON.stringify(result)}`);
  }
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

async function measure(stripeMs: number | 'budget'): Promise<Times> {
  const { library, bare } = stripeMs === 'budget' ? budgetSubjects() : await subjects(stripeMs);
  await sample(library, WARMUP, []);
  await sample(bare, WARMUP, []);
  const times: Times = { library: [], bare: [] };
  // Alternating rounds, each side first in turn: a slow patch of a shared machine hits both.
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['library', 'bare'] as const) : (['bare', 'library'] as const);
    for (const side of order) await sample(side === 'library' ? library : bare, PER_ROUND, times[side]);
  }
  return times;
}

const row = (label: string, times: Times) => {
  const ratio = median(times.library) / median(times.bare);
  return [label, fmt.us(median(times.library)), fmt.us(p95(times.library)), fmt.us(median(times.bare)), fmt.us(p95(times.bare)), fmt.us(median(times.library) - median(times.bare)), fmt.ratio(ratio)];
};

export async function runOverhead({ progress }: { progress(line: string): void }): Promise<Section> {
  progress('overhead: library set() against a bare runServerUpdate, zero latency');
  const plain = await measure(0);
  progress("overhead: the same, with Stripe's re-read taking 1 ms");
  const slower = await measure(1);
  progress('overhead: the time budget alone, sendUpdate against a direct call of the endpoint');
  const budget = await measure('budget');
  const budgetAdds = median(budget.library) - median(budget.bare);
  const ratio = median(plain.library) / median(plain.bare);
  const added = median(plain.library) - median(plain.bare);
  return {
    title: "The library's own cost",
    about:
      `Time per update with a server that answers at once: \`checkout.set()\` until its promise resolves, against a bare ` +
      `\`actions.runServerUpdate(fn)\`, on the same fake Stripe. ${WARMUP} warm-up updates each, then ${ROUNDS} alternating ` +
      `rounds of ${PER_ROUND} (${ROUNDS * PER_ROUND} timed updates each). The second row gives the fake's re-read of the ` +
      'session 1 ms, still far less than the real one, which is a request to Stripe. The last row times one part of the ' +
      'library alone, its time budget, in the same way.',
    tables: [
      {
        head: ['subject', 'library median', 'library p95', 'bare median', 'bare p95', 'library adds (medians)', 'ratio of medians'],
        rows: [row('in memory, no wait', plain), row('re-read takes 1 ms', slower), row('time budget alone: sendUpdate over a direct endpoint call', budget)],
      },
    ],
    targets: [
      {
        name: 'the library adds at most 10 % over a bare `runServerUpdate` on the fake at zero latency (ratio of medians ≤ 1.10)',
        measured: `${fmt.ratio(ratio)} (+${fmt.us(added)} per update)`,
        pass: ratio <= 1.1,
      },
    ],
    notes: [
      "The fake's runServerUpdate does no I/O, so the ratio above is the library's cost against a few microseconds of " +
        'in-memory work: the time budget (an AbortController and a timer per attempt), the queue and the events. ' +
        `The figure that carries over is the microseconds added: ${fmt.us(added)} is ${((added / 30) * 100).toFixed(2)} % ` +
        'of a 30 ms round trip to Stripe, which the real runServerUpdate makes.',
      `Of what the library adds, the time budget (the last row: a per-attempt AbortController, timer and abort listeners) ` +
        `is ${fmt.us(budgetAdds)}; the rest, ${fmt.us(added - budgetAdds)}, is the queue, the events and the session ` +
        `bookkeeping. Even with no time budget at all, the rest alone is ${fmt.ratio((median(plain.bare) + added - budgetAdds) / median(plain.bare))} of the bare call.`,
    ],
  };
}
