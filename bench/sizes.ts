// What the package ships: every file in dist/, raw, gzip and brotli at their highest levels
// (what a CDN serving pre-compressed files would send), and the two size budgets.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'rolldown';
import { fmt, type Cell, type Section, type Target } from './report.js';

/** Where the budgets are stated; the bench reads them there, so the two cannot disagree. */
const SIZE_TEST = 'test/size.test.ts';
/** What a later page feature may add to a budget: the budgets themselves leave room for a fix, not a feature. */
const FEATURE_KB = 0.6;

/** Budgets in bytes, gzip. */
export interface Budgets {
  iife: number;
  esm: number;
}

/** The budgets of test/size.test.ts, from its `const IIFE_BUDGET = 9.5 * 1024;` lines. */
export function readBudgets(root: string): Budgets {
  const source = readFileSync(join(root, SIZE_TEST), 'utf8');
  const budget = (name: string) => {
    const kb = new RegExp(`const ${name} = ([\\d.]+) \\* 1024;`).exec(source)?.[1];
    if (kb === undefined) throw new Error(`bench: ${SIZE_TEST} no longer has \`const ${name} = <KB> * 1024;\`: update readBudgets in bench/sizes.ts`);
    return Number(kb) * 1024;
  };
  return { iife: budget('IIFE_BUDGET'), esm: budget('ESM_BUDGET') };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((file) => join(dir, file))
    .filter((path) => statSync(path).isFile());
}

/**
 * Builds dist/ when it is missing (a clean clone), before anything is timed. Returns a note
 * when dist/ looks older than src/, so stale sizes are not read as current ones.
 */
export function ensureDist(root: string, progress: (line: string) => void): string | undefined {
  const dist = join(root, 'dist');
  if (!existsSync(dist) || filesUnder(dist).length === 0) {
    progress('dist/ is missing: running npm run build');
    execSync('npm run build', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const newest = (dir: string) => Math.max(...filesUnder(dir).map((path) => statSync(path).mtimeMs));
  const built = Math.min(...filesUnder(dist).filter((path) => path.endsWith('.js')).map((path) => statSync(path).mtimeMs));
  return newest(join(root, 'src')) > built ? 'dist/ is older than src/: run `npm run build` for current sizes.' : undefined;
}

// Scripts first (what a browser downloads), then maps and type declarations.
const order = (path: string) => (path.endsWith('.d.ts') ? 2 : path.endsWith('.map') ? 1 : 0);

/**
 * The ESM entry as test/size.test.ts measures it: minified as a merchant's bundler would,
 * @stripe/* left out (the merchant's bundle has its own), gzip at its default level.
 */
/** What a Checkout Sessions app takes from the ESM entry: everything but the other adapters, as test/size.test.ts measures it. */
async function esmEntry(root: string): Promise<number> {
  const code = `export { createCheckout, mount, stripeCheckoutSessions, CheckoutUpdateError, isCheckoutUpdateError, toCheckoutError } from ${JSON.stringify(join(root, 'dist/checkout-updates.js'))};`;
  const entry = { name: 'entry', resolveId: (id: string) => (id === 'entry' ? id : null), load: (id: string) => (id === 'entry' ? code : null) };
  const out = await build({ input: 'entry', external: [/^@stripe\//], write: false, output: { format: 'esm', minify: true }, logLevel: 'silent', plugins: [entry] });
  return gzipSync(out.output.map((chunk) => ('code' in chunk ? chunk.code : '')).join('')).length;
}

function budgetTarget(what: string, size: number, budget: number): Target {
  return {
    name: `${what} ≤ ${fmt.kb(budget)} gzip (the budget of ${SIZE_TEST}; a later page feature may raise it by at most ${FEATURE_KB} KB)`,
    measured: `${fmt.kb(size)}, ${fmt.kb(Math.abs(budget - size))} ${size <= budget ? 'under' : 'over'}`,
    pass: size <= budget,
  };
}

async function budgetTargets(root: string, budgets: Budgets): Promise<Target[]> {
  const iife = gzipSync(readFileSync(join(root, 'dist/checkout-updates.iife.js'))).length;
  return [
    budgetTarget('the script tag, dist/checkout-updates.iife.js,', iife, budgets.iife),
    budgetTarget('what a Checkout Sessions app takes from the ESM entry, minified, dependencies left out,', await esmEntry(root), budgets.esm),
  ];
}

function fileRows(root: string): { rows: Cell[][]; summary: Cell[][] } {
  const files = filesUnder(join(root, 'dist')).sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  const rows: Cell[][] = [];
  const totals = [0, 0, 0].map(() => [0, 0, 0]);
  for (const path of files) {
    const data = readFileSync(path);
    const sizes = [
      data.length,
      gzipSync(data, { level: 9 }).length,
      brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }).length,
    ];
    sizes.forEach((size, i) => ((totals[order(path)] as number[])[i]! += size));
    rows.push([relative(root, path), ...sizes.map(fmt.kb)]);
  }
  const kinds = ['JavaScript', 'source maps', 'type declarations'];
  return { rows, summary: totals.map((sizes, i) => [`all ${kinds[i]}`, ...sizes.map(fmt.kb)]) };
}

export async function runSizes({ root, stale, budgets }: { root: string; stale: string | undefined; budgets: Budgets }): Promise<Section> {
  const { rows, summary } = fileRows(root);
  return {
    title: 'Shipped sizes',
    about:
      'Every file in dist/ (as `npm run build` made it): raw, gzip (level 9) and brotli (quality 11), from node:zlib. 1 KB = 1,024 bytes. ' +
      `The budget targets measure as ${SIZE_TEST} does, at gzip's default level, so they can differ from the table by a few bytes.`,
    tables: [
      { head: ['file', 'raw', 'gzip', 'brotli'], rows },
      { head: ['kind', 'raw', 'gzip', 'brotli'], rows: summary },
    ],
    targets: await budgetTargets(root, budgets),
    notes: stale ? [stale] : [],
  };
}
