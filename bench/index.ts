// `npm run bench [-- --latency <ms>] [--trials <n>]`: every benchmark in one run, so the
// figures beside each other come from the same machine at the same moment. Prints the
// report and writes it to docs/benchmarks.md. A missed target is reported, not fatal:
// the exit code is non-zero only when something crashed (or a flag is wrong).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runBursts, runBurstsUnderLoad } from './bursts.js';
import { runMount } from './mount.js';
import { runOverhead } from './overhead.js';
import { machine, render, write, type Section } from './report.js';
import { ensureDist, readBudgets, runSizes } from './sizes.js';
import { runStartup } from './startup.js';

// The working directory that run.mjs sets: the bundle that runs this file lives under node_modules/.cache.
const ROOT = process.cwd();
const OUTPUT = 'docs/benchmarks.md';
const USAGE = 'npm run bench [-- --latency <ms, default 50>] [--trials <bursts per size, default 5>]   (or BENCH_LATENCY_MS, BENCH_TRIALS)';

/** A wrong flag: said in one line with the usage, not as a crash with a stack trace. */
class UsageError extends Error {}

function options() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        latency: { type: 'string', default: process.env.BENCH_LATENCY_MS ?? '50' },
        trials: { type: 'string', default: process.env.BENCH_TRIALS ?? '5' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const latencyMs = Number(values.latency);
  const trials = Number(values.trials);
  if (!(latencyMs >= 1 && latencyMs <= 10_000)) throw new UsageError(`--latency: expected milliseconds from 1 to 10000, got "${values.latency}"`);
  if (!(Number.isInteger(trials) && trials >= 1 && trials <= 100)) throw new UsageError(`--trials: expected a whole number from 1 to 100, got "${values.trials}"`);
  return { latencyMs, trials, help: values.help };
}

const progress = (line: string) => process.stderr.write(`· ${line}\n`);

async function main(): Promise<void> {
  const { latencyMs, trials, help } = options();
  if (help) return console.log(USAGE);
  const host = machine(); // before the run: the load average then says how busy the machine was
  const started = performance.now();
  const budgets = readBudgets(ROOT); // here, so a budget it cannot read fails the run before it starts
  const stale = ensureDist(ROOT, progress); // a build, if one is needed, before anything is timed
  const sections: Section[] = [];
  sections.push(await runBursts({ latencyMs, trials, progress }));
  sections.push(await runBurstsUnderLoad({ latencyMs, trials, progress }));
  sections.push(await runOverhead({ root: ROOT, progress }));
  sections.push(await runMount({ progress }));
  sections.push(await runStartup({ progress }));
  sections.push(await runSizes({ root: ROOT, stale, budgets }));
  const text = render(sections, { latencyMs, trials, seconds: (performance.now() - started) / 1000 }, host);
  write(join(ROOT, OUTPUT), text);
  console.log(text);
  progress(`written to ${OUTPUT}`);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) console.error(`bench: ${error.message}\n${USAGE}`);
  else console.error(error);
  process.exitCode = 1;
});
