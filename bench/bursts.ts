// Bursts of clicks against a merchant server whose latency varies, for each way a page can
// send them: this library in both modes (on Checkout Sessions, and `latest` on Payment
// Intents), the raw pattern of Stripe's docs, a FIFO promise chain, and the physical limit. Every strategy runs on the same fake Stripe, and request k
// of a trial waits the same drawn latency whatever the strategy, so rows compare like for like.
import { stripePaymentIntents } from '../src/adapters/payment-intents.js';
import { createCheckout } from '../src/checkout.js';
import { asStripe, createFakeStripe, type FakeStripe } from '../src/testing/index.js';
import type { Selection, StripeCheckoutLoadActionsSuccess, StripeCheckoutSession } from '../src/types.js';
import { random } from '../test/helpers/random.js';
import { loadThreads, threadTimes, timerLateness, withCpuLoad, type Lateness, type ThreadTimes } from './load.js';
import { fmt, type Section, type Target } from './report.js';
import { max, median, sleep, sleepUntil } from './stats.js';

const SIZES = [1, 5, 20, 100];
const CLICK_GAP_MS = 10;
const SECRET = 'cs_test_fake_1_secret_bench';
const BETAS = ['custom_checkout_server_updates_1'];
const BASE_AMOUNT = 2000;
/** Three add-ons and their prices in cents: the fake's catalog and the server's price list. */
const ADD_ONS = { gift_wrap: 500, warranty: 2000, insurance: 300 } as const;
const NAMES = Object.keys(ADD_ONS) as Array<keyof typeof ADD_ONS>;
const CATALOG = Object.fromEntries(NAMES.map((name) => [name, { name, unitAmount: ADD_ONS[name] }]));

/** What the merchant's server charges for a selection: the figure the page's total must equal. */
const priceOf = (selection: Selection) => BASE_AMOUNT + NAMES.reduce((sum, name) => sum + (selection[name] === true ? ADD_ONS[name] : 0), 0);
const sameChoice = (a: Selection, b: Selection) => NAMES.every((name) => (a[name] ?? false) === (b[name] ?? false));

/** One request as the server saw it: when it ended, and how long it took. */
interface Served {
  end: number;
  latency: number;
}

/** The merchant's update endpoint: waits its latency, then updates the session, as a real one would. */
function merchantServer(fake: FakeStripe, latencyOf: (k: number) => number) {
  let requests = 0;
  const served: Served[] = [];
  return {
    served,
    get requests() {
      return requests;
    },
    async handle(selection: Selection): Promise<Response> {
      const latency = latencyOf(requests++);
      await sleep(latency);
      fake.accept(selection);
      served.push({ end: performance.now(), latency });
      return new Response(null, { status: 204 });
    },
  };
}
type Server = ReturnType<typeof merchantServer>;

interface Clicks {
  last: number;
  /** The main thread's times at the last click (see threadTimes). */
  thread: ThreadTimes;
  span: number;
  final: Selection;
}

/**
 * Clicks `n` times on a fixed 10 ms schedule, each toggling an add-on as a checkbox would,
 * and hands each click the whole selection the page shows after it. The add-on is drawn
 * from the trial's seed: a fixed rotation would repeat a selection every 6 clicks (60 ms,
 * about one round trip), which would often make the last click match a request in flight.
 */
async function burst(n: number, seed: number, click: (name: string, selection: Selection) => void): Promise<Clicks> {
  const rng = random(seed);
  const first = performance.now();
  const selection: Record<string, boolean> = { gift_wrap: false, warranty: false, insurance: false };
  let last = first;
  for (let i = 0; i < n; i++) {
    await sleepUntil(first + i * CLICK_GAP_MS);
    const name = rng.pick(NAMES);
    selection[name] = !selection[name];
    last = performance.now();
    click(name, { ...selection });
  }
  return { last, thread: threadTimes(), span: last - first, final: { ...selection } };
}

/** What one strategy did in one trial; the server's side is read from the fake and the server. */
interface Run {
  clicks: Clicks;
  settled: number;
  /** The main thread's times when everything had settled. */
  thread: ThreadTimes;
  /** The total the page shows once everything has settled, in minor units. */
  shown: number | undefined;
}

interface World {
  fake: FakeStripe;
  server: Server;
  n: number;
  seed: number;
}

type Strategy = (world: World) => Promise<Run>;

const settledNow = () => ({ settled: performance.now(), thread: threadTimes() });

async function loadActions(fake: FakeStripe): Promise<StripeCheckoutLoadActionsSuccess> {
  const loaded = await fake.initCheckoutElementsSdk({ clientSecret: SECRET }).loadActions();
  if (loaded.type !== 'success') throw new Error(`bench: loadActions failed: ${loaded.error.message}`);
  return loaded.actions;
}

function library(mode: 'latest' | 'serial'): Strategy {
  return async ({ fake, server, n, seed }) => {
    const checkout = createCheckout({ stripe: asStripe(fake), clientSecret: SECRET, mode, endpoint: (update) => server.handle(update.selection) });
    await checkout.ready;
    const clicks = await burst(n, seed, (name, selection) => void checkout.set(name, selection[name] ?? null));
    await checkout.idle();
    const end = settledNow();
    const shown = checkout.session?.total.total.minorUnitsAmount;
    checkout.destroy();
    return { clicks, ...end, shown };
  };
}

/** The library on a PaymentIntent of the same fake: your server, then fetchUpdates and retrievePaymentIntent. */
const intents: Strategy = async ({ fake, server, n, seed }) => {
  const adapter = stripePaymentIntents({ stripe: asStripe(fake), clientSecret: fake.paymentIntent.client_secret as string });
  const checkout = createCheckout({ adapter, endpoint: (update) => server.handle(update.selection) });
  await checkout.ready;
  const clicks = await burst(n, seed, (name, selection) => void checkout.set(name, selection[name] ?? null));
  await checkout.idle();
  const end = settledNow();
  const shown = checkout.summary?.total.minorUnitsAmount;
  checkout.destroy();
  return { clicks, ...end, shown };
};

/** Stripe's docs: every click calls runServerUpdate at once, and the page renders each reply as it lands. */
const raw: Strategy = async ({ fake, server, n, seed }) => {
  const actions = await loadActions(fake);
  let shown: StripeCheckoutSession | undefined;
  const replies: Array<Promise<void>> = [];
  const clicks = await burst(n, seed, (_, selection) => {
    replies.push(actions.runServerUpdate(() => server.handle(selection)).then((r) => void (r.type === 'success' && (shown = r.session))));
  });
  await Promise.all(replies);
  return { clicks, ...settledNow(), shown: shown?.total.total.minorUnitsAmount };
};

/** A first-in-first-out chain: correct order, one at a time, but every click pays a round trip. */
const fifo: Strategy = async ({ fake, server, n, seed }) => {
  const actions = await loadActions(fake);
  let shown: StripeCheckoutSession | undefined;
  let chain = Promise.resolve();
  const clicks = await burst(n, seed, (_, selection) => {
    chain = chain
      .then(() => actions.runServerUpdate(() => server.handle(selection)))
      .then((r) => void (r.type === 'success' && (shown = r.session)));
  });
  await chain;
  return { clicks, ...settledNow(), shown: shown?.total.total.minorUnitsAmount };
};

/** The physical limit: an oracle that sends the final selection once, at the last click. */
const limit: Strategy = async ({ fake, server, n, seed }) => {
  const actions = await loadActions(fake);
  const clicks = await burst(n, seed, () => {});
  const result = await actions.runServerUpdate(() => server.handle(clicks.final));
  const shown = result.type === 'success' ? result.session.total.total.minorUnitsAmount : undefined;
  return { clicks, ...settledNow(), shown };
};

const STRATEGIES: Array<{ name: string; run: Strategy; jitter: boolean }> = [
  { name: 'library, latest', run: library('latest'), jitter: true },
  { name: 'library, serial', run: library('serial'), jitter: true },
  { name: 'library, latest, Payment Intents', run: intents, jitter: true },
  { name: 'raw runServerUpdate per click', run: raw, jitter: true },
  { name: 'FIFO promise chain', run: fifo, jitter: true },
  // One round trip at the nominal latency: what no strategy can beat on average.
  { name: 'physical limit (1 round trip)', run: limit, jitter: false },
];

interface Outcome {
  requests: number;
  calls: number;
  maxInFlight: number;
  settleMs: number;
  /** The main thread's time on a core and waiting for one, from the last click until everything settled. */
  thread: ThreadTimes;
  /** Requests that ended after the last click: the round trips the page still waited for. */
  after: Served[];
  serverRight: boolean;
  pageRight: boolean;
  /** Round trips of this trial's server that fit in the burst's span, back to back, plus the one under way. */
  roundTrips: number;
}

/** ±50 %: uniform in [0.5, 1.5] × latency, drawn per request from the trial's seed. */
function latencies(latencyMs: number, seed: number, jitter: boolean): (k: number) => number {
  const rng = random(seed);
  const drawn: number[] = [];
  return (k) => {
    if (!jitter) return latencyMs;
    while (drawn.length <= k) drawn.push(latencyMs * (0.5 + rng.next()));
    return drawn[k] as number;
  };
}

/**
 * 1 + how many of the drawn latencies, back to back from the first click, end within the
 * burst. The simulated server waits with setTimeout, which truncates a fractional delay to
 * whole milliseconds and can fire up to about 2 ms before performance.now() says the delay
 * has passed (measured here: 1.6 ms at worst), so each round trip counts 2 ms shorter:
 * without that the bound is off by one whenever a reply lands within a millisecond of a click.
 */
function roundTripsOf(span: number, latencyOf: (k: number) => number): number {
  const early = 2;
  let trips = 1;
  for (let end = latencyOf(0) - early; end <= span; end += latencyOf(trips) - early) trips++;
  return trips;
}

async function trial(strategy: (typeof STRATEGIES)[number], n: number, latencyMs: number, seed: number): Promise<Outcome> {
  const latencyOf = latencies(latencyMs, seed, strategy.jitter);
  const fake = createFakeStripe({ betas: BETAS, baseItems: [{ name: 'T-shirt', unitAmount: BASE_AMOUNT }], catalog: CATALOG });
  const server = merchantServer(fake, latencyOf);
  // The clicks draw from their own stream, so they are the same whatever the server drew.
  const run = await strategy.run({ fake, server, n, seed: seed + 7919 });
  return {
    requests: server.requests,
    // Stripe's refresh: runServerUpdate on a session, fetchUpdates on a PaymentIntent.
    calls: fake.calls.runServerUpdate + fake.calls.fetchUpdates,
    maxInFlight: Math.max(fake.calls.maxRunServerUpdateInFlight, fake.calls.maxFetchUpdatesInFlight),
    settleMs: run.settled - run.clicks.last,
    thread: { cpu: run.thread.cpu - run.clicks.thread.cpu, wait: run.thread.wait - run.clicks.thread.wait },
    after: server.served.filter((request) => request.end > run.clicks.last),
    serverRight: sameChoice(fake.accepted, run.clicks.final),
    pageRight: run.shown === priceOf(fake.accepted),
    roundTrips: roundTripsOf(run.clicks.span, latencyOf),
  };
}

export interface BurstOptions {
  latencyMs: number;
  trials: number;
  progress(line: string): void;
}

async function collect({ latencyMs, trials, progress }: BurstOptions, label: string): Promise<Map<string, Outcome[]>> {
  const results = new Map<string, Outcome[]>();
  progress(`${label}: warming up (the first run of each strategy would time loading and compiling code)`);
  for (const strategy of STRATEGIES) await trial(strategy, 5, latencyMs, 1);
  for (const n of SIZES) {
    for (const strategy of STRATEGIES) {
      progress(`${label}: N = ${n}, ${strategy.name}`);
      const outcomes: Outcome[] = [];
      for (let t = 0; t < trials; t++) outcomes.push(await trial(strategy, n, latencyMs, 1000 + t));
      results.set(`${n}:${strategy.name}`, outcomes);
    }
  }
  return results;
}

export async function runBursts(options: BurstOptions): Promise<Section> {
  return summarise(await collect(options, 'bursts'), options.latencyMs, options.trials);
}

/** The same bursts once more with every core spinning: the targets must hold on a busy machine too. */
export async function runBurstsUnderLoad(options: BurstOptions): Promise<Section> {
  const idle = await timerLateness();
  const { busy, results } = await withCpuLoad(async () => ({ busy: await timerLateness(), results: await collect(options, 'bursts, every core busy') }));
  const section = summarise(results, options.latencyMs, options.trials);
  const late = (l: Lateness) => `${fmt.ms(l.median, 2)} late (median), ${fmt.ms(l.worst, 2)} at worst`;
  return {
    title: `${section.title}, every core busy`,
    about:
      `The same bursts, strategies and seeds as above, run again while ${loadThreads()} threads spin, one per core (bench/load.ts). ` +
      `A 5 ms setTimeout fired ${late(busy)} during this run, against ${late(idle)} just before it, without the spinning threads.`,
    tables: section.tables,
    targets: section.targets.map((target) => ({ ...target, name: `every core busy: ${target.name}` })),
    notes: ['The notes above hold here too.', loadNote(results, busy)],
  };
}

/** Whether a settle that ran past its bound is the scheduler's doing or the page's own work. */
function loadNote(results: Map<string, Outcome[]>, busy: Lateness): string {
  const worst = SIZES.map((n) => ({ n, ...tightest(results.get(`${n}:library, latest`) ?? []) })).reduce((a, b) =>
    b.settleMs - settleBound(b) > a.settleMs - settleBound(a) ? b : a,
  );
  const over = worst.settleMs - settleBound(worst);
  const { cpu, wait } = worst.thread;
  const which = `N = ${worst.n}, trial ${worst.trial}`;
  const why =
    "Under load the page's work and the simulated server's timers (it runs in this process) wait for a core: " +
    `a 5 ms timer fired up to ${fmt.ms(busy.worst, 1)} late in this run.`;
  const waited = Number.isNaN(wait) ? '' : `, after its main thread had waited ${fmt.ms(wait, 1)} for a core since the last click`;
  if (over <= 0) return `${why} Every \`latest\` trial still settled within its bound; the closest came ${fmt.ms(-over, 0)} under it (${which}${waited}).`;
  if (Number.isNaN(wait)) return `${why} The settle bound was missed by ${fmt.ms(over, 1)} (${which}); this system does not report the main thread's times.`;
  // At most: the request in flight at the last click had already waited part of its latency.
  const server = settleBound(worst) - ALLOWANCE_MS;
  const heldUp = Math.max(0, worst.settleMs - cpu - wait - server);
  return (
    `${why} The settle bound was missed by ${fmt.ms(over, 1)} (${which}). From that trial's last click until it settled, ` +
    `${fmt.ms(worst.settleMs, 0)}, its main thread ran ${fmt.ms(cpu, 1)}, waited ${fmt.ms(wait, 1)} for a core, and was off the CPU ` +
    `${fmt.ms(heldUp, 1)} longer than the server's latencies, ${fmt.ms(server, 0)} at most (/proc/thread-self/schedstat). ` +
    (wait >= over
      ? "So the miss is the scheduler's: without the wait for a core the trial settles within its bound."
      : wait + heldUp >= over
        ? 'The wait for a core and the time held up off the CPU cover the miss: the thread was kept waiting, not busy.'
        : "The page's own work is the rest: look at what the library does after the last click.")
  );
}

function summarise(results: Map<string, Outcome[]>, latencyMs: number, trials: number): Section {
  const of = (n: number, name: string) => results.get(`${n}:${name}`) ?? [];
  const rows = SIZES.flatMap((n) =>
    STRATEGIES.map(({ name }) => {
      const o = of(n, name);
      const pick = (f: (x: Outcome) => number) => o.map(f);
      const range = (values: number[]) => (Math.min(...values) === max(values) ? `${max(values)}` : `${median(values)} (${Math.min(...values)}–${max(values)})`);
      return [
        n,
        name,
        range(pick((x) => x.requests)),
        range(pick((x) => x.calls)),
        max(pick((x) => x.maxInFlight)),
        range(pick((x) => x.after.length)),
        fmt.ms(median(pick((x) => x.settleMs)), 0),
        fmt.ms(max(pick((x) => x.settleMs)), 0),
        `${o.filter((x) => x.serverRight).length}/${o.length}`,
        `${o.filter((x) => x.pageRight).length}/${o.length}`,
      ];
    }),
  );
  return {
    title: 'Bursts of clicks',
    about:
      `N clicks 10 ms apart, each toggling one of three add-ons (drawn from the trial's seed, the same clicks in every row). The merchant server takes ${latencyMs} ms ± 50 % per request ` +
      `(uniform, drawn from a seed per trial, so request k waits the same in every row), then updates the fake session. ` +
      `Figures are over ${trials} trials: the median, with the range when trials differ; "settle" is from the last click until ` +
      'everything settled. "server = last click": the selection the server accepted last is the last click\'s. ' +
      '"page = server": the total the page shows equals what the server charges for it. The raw and FIFO pages send the whole ' +
      'selection at click time and render each reply as it lands.',
    tables: [
      {
        head: ['N', 'strategy', 'requests', 'runServerUpdate / fetchUpdates calls', 'most in flight', 'requests after the last click', 'settle (median)', 'settle (worst)', 'server = last click', 'page = server'],
        rows,
      },
    ],
    targets: targets(of),
    notes: [
      'The physical limit row waits the nominal latency, without jitter: one round trip after the last click.',
      `"Round trips of the burst" for a trial: 1 + how many of that trial's drawn latencies, back to back from the first click, end within the burst's span.`,
      '"Requests after the last click": requests that ended after it, the round trips the page still had to wait for; for `latest` the one in flight at the last click and the one that carries it.',
    ],
  };
}

/** Time for the page's own work and for timers on a busy machine, beyond the server's round trips. */
const ALLOWANCE_MS = 10;
/** The round trips the page still waited for after the last click, and the allowance. */
const settleBound = (x: Outcome) => x.after.reduce((total, request) => total + request.latency, 0) + ALLOWANCE_MS;
/** The trial that came closest to its settle bound, or went furthest past it; trials count from 1. */
function tightest(outcomes: Outcome[]): Outcome & { trial: number } {
  const margin = (x: Outcome) => settleBound(x) - x.settleMs;
  const index = outcomes.reduce((best, x, i) => (margin(x) < margin(outcomes[best] as Outcome) ? i : best), 0);
  return { ...(outcomes[index] as Outcome), trial: index + 1 };
}
const spread = (values: number[]) => (Math.min(...values) === max(values) ? `${max(values)}` : `${Math.min(...values)}–${max(values)}`);

function targets(of: (n: number, name: string) => Outcome[]): Target[] {
  const latest = (n: number) => of(n, 'library, latest');
  const worstOver = (n: number) => max(latest(n).map((x) => x.requests - x.roundTrips - 1));
  const fifo20 = median(of(20, 'FIFO promise chain').map((x) => x.settleMs));
  const latest20 = median(latest(20).map((x) => x.settleMs));
  const right = SIZES.every((n) => latest(n).every((x) => x.serverRight && x.pageRight));
  return [
    {
      name: '`latest`: requests ≤ round trips of the burst + 1 (≤ 2 when the burst fits in one round trip), in every trial',
      measured: SIZES.map((n) => `N=${n}: ${spread(latest(n).map((x) => x.requests))} for bounds ${spread(latest(n).map((x) => x.roundTrips + 1))}`).join('; '),
      pass: SIZES.every((n) => worstOver(n) <= 0),
    },
    {
      name: '`latest`: never two runServerUpdate calls at once',
      measured: `most in flight: ${max(SIZES.map((n) => max(latest(n).map((x) => x.maxInFlight))))}`,
      pass: SIZES.every((n) => latest(n).every((x) => x.maxInFlight <= 1)),
    },
    {
      name:
        '`latest`: settles within two round trips of the last click, whatever N: at most 2 requests end after it, and settle ≤ ' +
        `their round trips + ${ALLOWANCE_MS} ms, in every trial`,
      measured: SIZES.map((n) => {
        const closest = tightest(latest(n));
        return `N=${n}: ${spread(latest(n).map((x) => x.after.length))} after; closest to its bound, trial ${closest.trial}: ${fmt.ms(closest.settleMs, 0)} for ${fmt.ms(settleBound(closest), 0)}`;
      }).join('; '),
      pass: SIZES.every((n) => latest(n).every((x) => x.after.length <= 2 && x.settleMs <= settleBound(x))),
    },
    {
      name: '`latest`: at N = 20, settles ≥ 5× sooner after the last click than the FIFO chain (medians)',
      measured: `${fmt.ms(latest20, 0)} vs ${fmt.ms(fifo20, 0)}: ${fmt.ratio(fifo20 / latest20)}`,
      pass: fifo20 / latest20 >= 5,
    },
    {
      name: '`latest`: the final total matches the last click on both sides, every trial',
      measured: right ? 'all trials' : 'not in every trial (see the table)',
      pass: right,
    },
    intentsTarget(of),
  ];
}

/** Payment Intents: the same bounds as `latest` on sessions, with fetchUpdates for runServerUpdate. */
function intentsTarget(of: (n: number, name: string) => Outcome[]): Target {
  const rows = (n: number) => of(n, 'library, latest, Payment Intents');
  const pass = SIZES.every((n) => rows(n).every((x) => x.requests <= x.roundTrips + 1 && x.maxInFlight <= 1 && x.serverRight && x.pageRight));
  return {
    name: 'Payment Intents, `latest`: requests ≤ round trips of the burst + 1, never two fetchUpdates at once, the final total right on both sides, every trial',
    measured: SIZES.map((n) => `N=${n}: ${spread(rows(n).map((x) => x.requests))} requests, most in flight ${max(rows(n).map((x) => x.maxInFlight))}`).join('; '),
    pass,
  };
}
