// What the library itself costs per update (see overhead-measure.ts), in Node and in
// Chromium, as a section of the report.
import { join } from 'node:path';
import { inChromium } from './chromium.js';
import { PER_ROUND, ROUNDS, WARMUP, measure, type Times } from './overhead-measure.js';
import { fmt, type Section } from './report.js';
import { median, p95 } from './stats.js';

const adds = (times: Times) => median(times.library) - median(times.bare);
const ratioOf = (times: Times) => median(times.library) / median(times.bare);

const row = (label: string, times: Times) => [
  label, fmt.us(median(times.library)), fmt.us(p95(times.library)), fmt.us(median(times.bare)), fmt.us(p95(times.bare)), fmt.us(adds(times)), fmt.ratio(ratioOf(times)),
];

/** The same measurements in Chromium, one figure per round: its clock is too coarse for one update. */
async function measureInChromium(root: string): Promise<{ plain: Times; budget: Times } | undefined> {
  type Global = { measureOverhead: typeof measure };
  return inChromium(join(root, 'bench/overhead-browser.ts'), async (page) => ({
    plain: await page.evaluate(() => (globalThis as unknown as Global).measureOverhead(0, false)),
    budget: await page.evaluate(() => (globalThis as unknown as Global).measureOverhead('budget', false)),
  }));
}

export async function runOverhead({ root, progress }: { root: string; progress(line: string): void }): Promise<Section> {
  progress('overhead: library set() against a bare runServerUpdate, zero latency');
  const plain = await measure(0);
  progress("overhead: the same, with Stripe's re-read taking 1 ms");
  const slower = await measure(1);
  progress('overhead: the time budget alone, sendUpdate against a direct call of the endpoint');
  const budget = await measure('budget');
  progress('overhead: the same in Chromium');
  const browser = await measureInChromium(root);
  const added = adds(plain);
  const measured = [`Node ${fmt.ratio(ratioOf(plain))} (+${fmt.us(added)} per update)`];
  if (browser) measured.push(`Chromium ${fmt.ratio(ratioOf(browser.plain))} (+${fmt.us(adds(browser.plain))})`);
  return {
    title: "The library's own cost",
    about:
      `Time per update with a server that answers at once: \`checkout.set()\` until its promise resolves, against a bare ` +
      `\`actions.runServerUpdate(fn)\`, on the same fake Stripe. ${WARMUP} warm-up updates each, then ${ROUNDS} alternating ` +
      `rounds of ${PER_ROUND} (${ROUNDS * PER_ROUND} timed updates each). The second row gives the fake's re-read of the ` +
      'session 1 ms, still far less than the real one, which is a request to Stripe. The last row times one part of the ' +
      'library alone, its time budget, in the same way. The second table repeats the first and last rows in Chromium ' +
      '(headless, on an https page), where the library runs: its clock is clamped to 100 µs, so each figure there is ' +
      `a round's mean, and the median is over the ${ROUNDS} rounds.`,
    tables: [
      {
        head: ['Node', 'library median', 'library p95', 'bare median', 'bare p95', 'library adds (medians)', 'ratio of medians'],
        rows: [row('in memory, no wait', plain), row('re-read takes 1 ms', slower), row('time budget alone: sendUpdate over a direct endpoint call', budget)],
      },
      {
        head: ['Chromium', 'library (median round)', 'bare (median round)', 'library adds', 'ratio'],
        rows: browser
          ? [roundRow('in memory, no wait', browser.plain), roundRow('time budget alone', browser.budget)]
          : [['not measured: no Chromium at CHROMIUM_PATH or /usr/bin/chromium', '', '', '', '']],
      },
    ],
    targets: [
      {
        name: 'the library adds at most 10 % over a bare `runServerUpdate` on the fake at zero latency (ratio of medians ≤ 1.10)',
        measured: measured.join('; '),
        pass: ratioOf(plain) <= 1.1 && (!browser || ratioOf(browser.plain) <= 1.1),
      },
    ],
    notes: [
      "The fake's runServerUpdate does no I/O, so the ratio above is the library's cost against a few microseconds of " +
        'in-memory work: the time budget (an AbortController and a timer per attempt), the queue and the events. ' +
        `The figure that carries over is the microseconds added: ${fmt.us(added)} is ${((added / 30) * 100).toFixed(2)} % ` +
        'of a 30 ms round trip to Stripe, which the real runServerUpdate makes.',
      `Of what the library adds in Node, the time budget (a per-attempt AbortController, timer and abort listeners) ` +
        `is ${fmt.us(adds(budget))}; the rest, ${fmt.us(added - adds(budget))}, is the queue, the events and the session ` +
        `bookkeeping. Even with no time budget at all, the rest alone is ${fmt.ratio((median(plain.bare) + added - adds(budget)) / median(plain.bare))} of the bare call.`,
      ...(browser
        ? [
            `In Chromium the library adds ${fmt.us(adds(browser.plain))}, of which the time budget is ${fmt.us(adds(browser.budget))} ` +
              '(the second row); the rest includes the checkout:* DOM event that each event also dispatches on the document, ' +
              'five per update.',
          ]
        : []),
    ],
  };
}

function roundRow(label: string, times: Times) {
  return [label, fmt.us(median(times.library)), fmt.us(median(times.bare)), fmt.us(adds(times)), fmt.ratio(ratioOf(times))];
}
