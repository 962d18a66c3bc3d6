// What the library itself costs per update (see overhead-measure.ts): main-thread time, in
// Node on src/ and in Chromium on the built script tag, as a section of the report.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createCheckout } from '../src/checkout.js';
import { inChromium, mainThreadTime } from './chromium.js';
import type { BenchPage, Subject } from './overhead-browser.js';
import { PER_ROUND, ROUNDS, TRIALS, WARMUP, budgetOps, compare, perCall, updateOps, type Sampler, type Times } from './overhead-measure.js';
import { fmt, type Cell, type Section, type Target } from './report.js';
import { median, p95 } from './stats.js';

/**
 * Microseconds per update. 40 µs is 0.25 % of a 16 ms frame, so a burst of clicks never costs
 * the page a frame; Node runs the same code without a DOM to dispatch events on, so it gets less.
 */
const TARGET_US = { node: 15, chromium: 40 };
const FRAME_MS = 16;
/** A round trip to Stripe, which the real runServerUpdate makes and the fake's does not. */
const ROUND_TRIP_MS = 30;
const SCRIPT_TAG = 'dist/checkout-updates.iife.js';

const adds = (times: Times) => median(times.library) - median(times.bare);
const pooled = (trials: Times[]): Times => ({ library: trials.flatMap((t) => t.library), bare: trials.flatMap((t) => t.bare) });
const share = (ms: number, of: number) => `${((ms / of) * 100).toFixed(3)} %`;
/** The figure of a measurement: the median of its trials' figures. */
const figure = (trials: Times[]) => median(trials.map(adds));

interface Browser {
  plain: Times[];
  budget: Times[];
}

/** One sample per round of calls in the page: its main-thread CPU time over the round, per call. */
function perRound(page: Page, cpu: () => Promise<number>): Sampler {
  return async (side, count, into) => {
    const before = await cpu();
    await page.evaluate(([s, n]) => (globalThis as unknown as BenchPage).benchRepeat(s, n), [side, count] as const);
    into.push(((await cpu()) - before) / count);
  };
}

async function measureInChromium(root: string): Promise<Browser | undefined> {
  return inChromium({ scripts: [join(root, SCRIPT_TAG)], entry: join(root, 'bench/overhead-browser.ts') }, async (page) => {
    const cpu = await mainThreadTime(page);
    const measure = async (subject: Subject) => {
      await page.evaluate((s) => (globalThis as unknown as BenchPage).benchUse(s), subject);
      return compare(perRound(page, cpu));
    };
    return { plain: await measure('updates'), budget: await measure('budget') };
  });
}

/** Every trial within the limit; a trial over it is named with both of its figures, so noise reads apart from a regression. */
function target(where: string, trials: Times[] | undefined, limitUs: number): Target {
  const name = `${where}: the library's main-thread time per update ≤ ${limitUs} µs (set() minus a bare runServerUpdate), in each of ${TRIALS} trials`;
  if (!trials) return { name, measured: 'not measured: no Chromium at CHROMIUM_PATH or /usr/bin/chromium', pass: false };
  const over = trials.flatMap((t, i) =>
    adds(t) * 1000 > limitUs ? [`trial ${i + 1} over: library ${fmt.us(median(t.library))} − bare ${fmt.us(median(t.bare))} = ${fmt.us(adds(t))}`] : [],
  );
  const trialsText = trials.map((t) => fmt.us(adds(t))).join(', ');
  return {
    name,
    measured: [`median ${fmt.us(figure(trials))}, ${share(figure(trials), ROUND_TRIP_MS)} of a ${ROUND_TRIP_MS} ms round trip; trials ${trialsText}`, ...over].join('; '),
    pass: over.length === 0,
  };
}

function figureRow(label: string, trials: Times[] | undefined, limitUs: number): Cell[] {
  if (!trials) return [label, ...Array.from({ length: TRIALS }, () => ''), 'not measured', `≤ ${limitUs} µs`, '', ''];
  const mid = figure(trials);
  return [label, ...trials.map((t) => fmt.us(adds(t))), fmt.us(mid), `≤ ${limitUs} µs`, share(mid, FRAME_MS), share(mid, ROUND_TRIP_MS)];
}

const nodeRow = (label: string, trials: Times[]) => {
  const all = pooled(trials);
  return [label, fmt.us(median(all.library)), fmt.us(p95(all.library)), fmt.us(median(all.bare)), fmt.us(p95(all.bare)), fmt.us(figure(trials))];
};

const browserRow = (label: string, trials: Times[]) => {
  const all = pooled(trials);
  return [label, fmt.us(median(all.library)), fmt.us(median(all.bare)), fmt.us(figure(trials))];
};

export async function runOverhead({ root, progress }: { root: string; progress(line: string): void }): Promise<Section> {
  progress('overhead: library set() against a bare runServerUpdate, zero latency');
  const plain = await compare(perCall(await updateOps(createCheckout, 0)));
  progress("overhead: the same, with Stripe's re-read taking 1 ms");
  const slower = await compare(perCall(await updateOps(createCheckout, 1)));
  progress('overhead: the time budget alone, sendUpdate against a direct call of the endpoint');
  const budget = await compare(perCall(budgetOps()));
  progress(`overhead: the same in Chromium, on ${SCRIPT_TAG}`);
  const browser = await measureInChromium(root);
  return {
    title: "The library's own cost",
    about: about(),
    tables: [
      {
        head: ['main-thread time per update', ...Array.from({ length: TRIALS }, (_, i) => `trial ${i + 1}`), 'median', 'target', `of a ${FRAME_MS} ms frame`, `of a ${ROUND_TRIP_MS} ms round trip`],
        rows: [figureRow('Node (src/)', plain, TARGET_US.node), figureRow(`Chromium (${SCRIPT_TAG})`, browser?.plain, TARGET_US.chromium)],
      },
      {
        head: ['Node', 'library median', 'library p95', 'bare median', 'bare p95', 'library adds'],
        rows: [nodeRow('in memory, no wait', plain), nodeRow('re-read takes 1 ms', slower), nodeRow('time budget alone: sendUpdate over a direct endpoint call', budget)],
      },
      {
        head: ['Chromium, main-thread CPU', 'library (median round)', 'bare (median round)', 'library adds'],
        rows: browser
          ? [browserRow(`in memory, no wait (${SCRIPT_TAG})`, browser.plain), browserRow('time budget alone (src/endpoint.ts, bundled with the bench)', browser.budget)]
          : [['not measured: no Chromium at CHROMIUM_PATH or /usr/bin/chromium', '', '', '']],
      },
    ],
    targets: [target('Node', plain, TARGET_US.node), target(`Chromium, ${SCRIPT_TAG}`, browser?.plain, TARGET_US.chromium)],
    notes: notes(plain, budget, browser),
  };
}

function about(): string {
  return (
    "The library's main-thread time per update: `checkout.set()` until its promise resolves, minus a bare " +
    '`actions.runServerUpdate(fn)` on the same fake Stripe, with a server that answers at once. Nothing waits in ' +
    'between (no request, no timer fires), so the time from the call to its settling is work on the main thread. ' +
    `${WARMUP} warm-up updates each, then ${TRIALS} trials of ${ROUNDS} alternating rounds of ${PER_ROUND} ` +
    `(${TRIALS * ROUNDS * PER_ROUND} timed updates each side); a trial's figure is the difference of its two medians, and ` +
    'every trial must meet the target. Node runs src/ and times each update. Chromium (headless, on an https page) loads ' +
    `${SCRIPT_TAG} with a script tag, as a merchant's page does, and calls \`window.CheckoutUpdates\`; each sample there ` +
    "is a round's main-thread CPU time per update, read from the DevTools protocol (ThreadTime), since the page's clock " +
    "is clamped to 100 µs and counts time the machine gives to other processes. That reading includes the protocol's own " +
    "call, the same on both sides. The Node table's second row gives the fake's re-read of the session 1 ms; the last " +
    'row of each table times one part of the library alone, its time budget.'
  );
}

function notes(plain: Times[], budget: Times[], browser: Browser | undefined): string[] {
  const added = figure(plain);
  return [
    "The bare call's time is left out: on a real page it is Stripe.js's own work and a request to Stripe, the same " +
      "with or without this library. Its ratio to the library's time is not a target: against the fake's in-memory " +
      'call it measures nothing a shopper feels.',
    `Of the ${fmt.us(added)} in Node, the time budget (a per-attempt AbortController, timer and abort listeners) is ` +
      `${fmt.us(figure(budget))}; the rest, ${fmt.us(added - figure(budget))}, is the queue, the events and the session bookkeeping.`,
    ...(browser
      ? [
          `In Chromium the script tag adds ${fmt.us(figure(browser.plain))}, of which the time budget is ${fmt.us(figure(browser.budget))} ` +
            '(timed from src/, which the script tag does not export); the rest includes the checkout:* DOM event that each ' +
            'event also dispatches on the document, five per update.',
        ]
      : []),
  ];
}
