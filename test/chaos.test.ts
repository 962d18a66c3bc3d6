import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stripePaymentIntents } from '../src/adapters/payment-intents.js';
import { createCheckout } from '../src/checkout.js';
import { asStripe, createFakeStripe } from '../src/testing/index.js';
import type { Selection, ServerUpdate } from '../src/types.js';
import { BETAS, CATALOG } from './helpers/checkout.js';
import { random, type Rng } from './helpers/random.js';

// A seeded random test of the queue: many random sequences of set / toggle / Stripe's own
// actions (promotion codes, shipping rates, quantities, optional items) / refresh / confirm /
// destroy against an endpoint and a fake Stripe that answer slowly, fail with
// network errors, 500s, 400s and timeouts, or fail the refresh, over either adapter
// (Checkout Sessions' runServerUpdate, Payment Intents' fetchUpdates). The invariants are checked
// after every step. A failure names its seed: CHAOS_SEED=<seed> CHAOS_SEQUENCES=1 npm test.

const SEED = Number(process.env.CHAOS_SEED ?? 20261128);
const SEQUENCES = Number(process.env.CHAOS_SEQUENCES ?? 1000);
// valueOf and toString: add-on names that a plain lookup finds on Object.prototype.
const KEYS = ['gift_wrap', 'warranty', 'tip', 'shipping', 'valueOf', 'toString'] as const;
const TOGGLES = ['gift_wrap', 'valueOf', 'toString'] as const;
const CHAOS_CATALOG = { ...CATALOG, valueOf: { name: 'Value pack', unitAmount: 300 }, toString: { name: 'Gift card', unitAmount: 1000 } };

const totals = { sequences: 0, steps: 0, faults: 0, checks: 0, requests: 0, intents: 0, intentsPaid: 0, actions: 0, actionsApplied: 0 };

/** What Stripe's actions may apply on a Checkout Session: a valid, an invalid and an unknown argument of each. */
const STORE = {
  baseItems: [{ name: 'T-shirt', unitAmount: 2000, adjustableQuantity: { minimum: 1, maximum: 4 } }],
  promotionCodes: { SAVE10: { percentOff: 10 }, FIVEOFF: { amountOff: 500 }, OLD: { percentOff: 50, active: false } },
  shippingOptions: [{ id: 'shr_standard', displayName: 'Standard', amount: 0 }, { id: 'shr_express', displayName: 'Express', amount: 1500 }],
  optionalItems: [{ priceId: 'price_socks', name: 'Socks', unitAmount: 800 }],
};
/** What an action's result may be: it went through, Stripe refused it, or the checkout could not send it. */
const ACTION_OUTCOMES = ['success', 'action_failed', 'session_expired', 'destroyed', 'init_failed', 'invalid_option'];

/** One random action, with an argument Stripe accepts or refuses. */
function randomAction(rng: Rng, checkout: ReturnType<typeof createCheckout>) {
  switch (rng.int(6)) {
    case 0: return checkout.applyPromotionCode(rng.pick(['SAVE10', 'FIVEOFF', 'OLD', 'NOPE']));
    case 1: return checkout.removePromotionCode();
    case 2: return checkout.updateShippingOption(rng.pick(['shr_standard', 'shr_express', 'shr_none']));
    case 3: return checkout.updateLineItemQuantity('li_fake_base_1', rng.int(6));
    case 4: return checkout.addOptionalLineItem(rng.pick(['price_socks', 'price_none']));
    default: return checkout.removeOptionalLineItem('price_socks');
  }
}

/** Waits `ms` of fake time, or rejects when the request is aborted. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}

/** The merchant's server: applies what it accepts once per idempotency key, and misbehaves at random. */
function merchant(rng: Rng, mode: 'latest' | 'serial', accept: (s: Selection) => void) {
  const state = { accepted: {} as Selection, inFlight: 0, maxInFlight: 0, applied: new Set<string>(), paying: 0, duringPayment: 0, badValues: 0 };
  const endpoint = async (update: ServerUpdate, signal: AbortSignal): Promise<Response> => {
    totals.requests++;
    if (state.paying > 0) state.duringPayment++;
    // Only add-on values cross the wire: an inherited member read by mistake would be a function.
    const values = [...Object.values(update.selection), ...Object.values(update.changes)];
    if (values.some((v) => v !== null && !['boolean', 'number', 'string'].includes(typeof v))) state.badValues++;
    state.maxInFlight = Math.max(state.maxInFlight, ++state.inFlight);
    try {
      const roll = rng.next();
      if (roll < 0.05) return (totals.faults++, await wait(60_000, signal), new Response(null)); // hangs past any budget
      await wait(rng.int(80), signal);
      if (roll < 0.1) throw (totals.faults++, new TypeError('Failed to fetch'));
      if (roll < 0.17) return (totals.faults++, Response.json({ error: 'Busy' }, { status: 500 }));
      if (roll < 0.22) return (totals.faults++, Response.json({ error: 'Not allowed' }, { status: 400 }));
      // Idempotent, as a real server must be: a retry of an applied update changes nothing.
      if (!state.applied.has(update.idempotencyKey)) {
        state.applied.add(update.idempotencyKey);
        state.accepted = mode === 'latest' ? { ...update.selection } : { ...state.accepted, ...update.changes };
        accept(state.accepted);
      }
      return new Response(null, { status: 204 });
    } finally {
      state.inFlight--;
    }
  };
  return { state, endpoint };
}

/** One random sequence; returns a description of the first broken invariant, if any. */
async function sequence(seed: number): Promise<void> {
  const rng = random(seed);
  const mode = rng.pick(['latest', 'serial'] as const);
  const system = rng.pick(['sessions', 'intents'] as const);
  const paying = rng.pick([0, 50, 200]);
  const actionMs = rng.int(30);
  const fake = createFakeStripe({
    betas: BETAS,
    catalog: CHAOS_CATALOG,
    ...STORE,
    latencyMs: {
      runServerUpdate: rng.int(30),
      fetchUpdates: rng.int(30),
      confirm: paying,
      confirmPayment: paying,
      ...Object.fromEntries(['applyPromotionCode', 'removePromotionCode', 'updateShippingOption', 'updateLineItemQuantity', 'addOptionalLineItem', 'removeOptionalLineItem'].map((m) => [m, actionMs])),
    },
  });
  const server = merchant(rng, mode, (s) => fake.accept(s));
  // Counts Stripe's confirm while it runs: no update may reach the server then.
  const stripe = asStripe(fake);
  const confirmPayment = fake.confirmPayment;
  stripe.confirmPayment = (async (args: never) => {
    server.state.paying++;
    try {
      return await confirmPayment(args);
    } finally {
      server.state.paying--;
    }
  }) as never;
  const adapter = system === 'intents' ? { adapter: stripePaymentIntents({ stripe, clientSecret: 'pi_fake1_secret_fake', returnUrl: 'https://shop.test/thanks' }) } : { stripe, clientSecret: 'cs_test_secret' };
  const checkout = createCheckout({
    ...(adapter as { stripe: typeof stripe; clientSecret: string }),
    endpoint: server.endpoint,
    mode,
    debounceMs: rng.pick([0, 0, 10]),
    retries: rng.int(3),
    timeoutMs: rng.pick([400, 1000, 3000]),
  });
  let events = 0;
  let destroyed = false;
  let eventsAtDestroy = 0;
  for (const type of ['loading', 'change', 'update', 'error', 'expired'] as const) checkout.on(type, () => events++);
  // As a page does, and as Stripe's confirm requires: the total is shown.
  checkout.on('change', ({ summary }) => void summary?.total.amount);
  const promises: Array<{ settled: boolean }> = [];
  const track = (promise: Promise<unknown>) => {
    const entry = { settled: false };
    promises.push(entry);
    void promise.then(() => (entry.settled = true));
  };
  const check = (condition: boolean, what: string) => {
    totals.checks++;
    if (!condition) throw new Error(`seed ${seed} (${system}, ${mode}): ${what}`);
  };
  await vi.advanceTimersByTimeAsync(1);
  // Stripe.js's confirmPayment needs a mounted Payment Element.
  if (system === 'intents') checkout.adapter.mountPaymentElement?.(fakeTarget());
  const actions = checkout.actions;
  if (actions) {
    const confirm = actions.confirm;
    actions.confirm = async (args) => {
      server.state.paying++;
      try {
        return await confirm(args);
      } finally {
        server.state.paying--;
      }
    };
  }

  for (let step = 0, steps = 3 + rng.int(12); step < steps && !destroyed; step++) {
    totals.steps++;
    const roll = rng.next();
    const key = rng.pick(KEYS);
    const value = key === 'shipping' ? rng.pick(['standard', 'express']) : TOGGLES.includes(key as never) ? rng.next() < 0.5 : rng.int(3);
    if (roll < 0.4) track(checkout.set(key, value));
    else if (roll < 0.55) {
      const name = rng.pick(TOGGLES);
      const was = Object.hasOwn(checkout.selection, name) && checkout.selection[name] === true;
      track(checkout.toggle(name));
      check(checkout.selection[name] === !was, `toggle('${name}') of ${String(was)} gave ${String(checkout.selection[name])}`);
    }
    else if (roll < 0.62) track(checkout.refresh());
    else if (roll < 0.7) track(checkout.confirm());
    else if (roll < 0.72 || (roll >= 0.74 && roll < 0.8)) {
      totals.actions++;
      const result = randomAction(rng, checkout);
      track(result);
      void result.then((r) => {
        if (r.type === 'success') totals.actionsApplied++;
        check(ACTION_OUTCOMES.includes(r.type === 'success' ? r.type : r.error.code), `an action resolved ${r.type === 'error' ? r.error.code : r.type}`);
        // Payment Intents has no actions: each says so, and nothing reaches Stripe.
        if (system === 'intents') check(r.type === 'error' && r.error.code === 'invalid_option', 'an action on Payment Intents did not resolve invalid_option');
      });
    }
    else if (roll < 0.74) {
      checkout.destroy();
      destroyed = true;
      eventsAtDestroy = events;
    } else {
      const refresh = system === 'intents' ? rng.pick(['fetchUpdates', 'retrievePaymentIntent'] as const) : 'runServerUpdate';
      if (rng.next() < 0.3) (totals.faults++, fake.failNext(refresh, rng.pick(['error', 'reject'] as const)));
      else if (rng.next() < 0.2) (totals.faults++, fake.failNext(system === 'intents' ? 'confirmPayment' : 'confirm', 'error')); // a declined card
      await vi.advanceTimersByTimeAsync(rng.int(150));
    }
    check(server.state.maxInFlight <= 1, `${server.state.maxInFlight} requests in flight at once`);
    check(fake.calls.maxRunServerUpdateInFlight <= 1, `${fake.calls.maxRunServerUpdateInFlight} runServerUpdate calls at once`);
    check(fake.calls.maxMutationsInFlight <= 1, `${fake.calls.maxMutationsInFlight} Stripe calls (updates and actions) at once`);
    check(fake.calls.maxFetchUpdatesInFlight <= 1, `${fake.calls.maxFetchUpdatesInFlight} fetchUpdates calls at once`);
    check(server.state.duringPayment === 0, `${server.state.duringPayment} updates reached the server while Stripe's confirm ran`);
    check(server.state.badValues === 0, `${server.state.badValues} requests carried a value that is no add-on value`);
  }

  // Let everything finish: retries, backoffs and timeouts all end within the budget.
  const idle = checkout.idle();
  await vi.advanceTimersByTimeAsync(70_000);
  await idle;
  check(promises.every((p) => p.settled), 'a returned promise never settled');
  check(server.state.maxInFlight <= 1 && fake.calls.maxMutationsInFlight <= 1 && fake.calls.maxFetchUpdatesInFlight <= 1, 'two updates overlapped');
  if (system === 'intents') check(fake.mutations.length === 0, 'an action reached Stripe on Payment Intents');
  check(server.state.duringPayment === 0, 'an update reached the server while Stripe confirmed');
  if (destroyed) {
    check(events === eventsAtDestroy, `${events - eventsAtDestroy} events after destroy()`);
    check(vi.getTimerCount() === 0, `${vi.getTimerCount()} timers left after destroy()`);
  } else {
    check(!checkout.pending, 'still pending after idle()');
    check(JSON.stringify(sorted(checkout.confirmed)) === JSON.stringify(sorted(server.state.accepted)),
      `confirmed ${JSON.stringify(checkout.confirmed)} is not what the server accepted ${JSON.stringify(server.state.accepted)}`);
    check(JSON.stringify(checkout.selection) === JSON.stringify(checkout.confirmed), 'selection differs from confirmed when idle');
    checkout.destroy();
    await vi.advanceTimersByTimeAsync(0);
    check(vi.getTimerCount() === 0, `${vi.getTimerCount()} timers left after destroy()`);
  }
  totals.sequences++;
  if (system === 'intents') totals.intents++;
  if (system === 'intents' && fake.paymentIntent.status === 'succeeded') totals.intentsPaid++;
}

/** Where a page would mount the Payment Element: a node the fake's element can append to. */
function fakeTarget(): HTMLElement {
  const node = { ownerDocument: { createElement: () => ({ setAttribute() {}, remove() {}, textContent: '' }) }, appendChild() {} };
  return node as unknown as HTMLElement;
}

/** The keys the server holds; `null` values mean "not chosen" on both sides. */
function sorted(selection: Selection): Selection {
  return Object.fromEntries(Object.entries(selection).filter(([, v]) => v !== null).sort(([a], [b]) => a.localeCompare(b)));
}

const unhandled: unknown[] = [];
const onRejection = (reason: unknown) => unhandled.push(reason);

describe('chaos', () => {
  beforeAll(() => {
    process.on('unhandledRejection', onRejection);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterAll(() => {
    vi.useRealTimers();
    process.off('unhandledRejection', onRejection);
  });

  it(`keeps every invariant over ${SEQUENCES} random sequences (seed ${SEED})`, { timeout: 120_000 }, async () => {
    for (let i = 0; i < SEQUENCES; i++) await sequence(SEED + i);
    console.log(`chaos: seed ${SEED}, ${totals.sequences} sequences (${totals.intents} on Payment Intents, ${totals.intentsPaid} of them paid), ${totals.steps} steps, ${totals.requests} requests, ${totals.actions} actions (${totals.actionsApplied} applied), ${totals.faults} faults injected, ${totals.checks} invariant checks`);
    expect(totals.sequences).toBe(SEQUENCES);
    // Both adapters had their share of the sequences.
    expect(Math.min(totals.intents, totals.sequences - totals.intents)).toBeGreaterThan(SEQUENCES / 4);
    // Payment Intents sequences reach confirmPayment and pay, not only fail before it.
    expect(totals.intentsPaid).toBeGreaterThan(0);
    // Actions were mixed in and some went through, not all refused.
    expect(Math.min(totals.actions / 10, totals.actionsApplied)).toBeGreaterThan(SEQUENCES / 50);
    expect(unhandled).toEqual([]);
  });
});
