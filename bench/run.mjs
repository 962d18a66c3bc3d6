// `npm run bench`: Node 20 cannot run TypeScript, so rolldown (a devDependency) bundles
// bench/index.ts and the src/ files it imports into one ESM file, leaving packages
// (happy-dom, @stripe/stripe-js) and node: builtins as imports. The file is written under
// node_modules/.cache, which is git-ignored and from where those imports resolve, in a
// folder named after this checkout: git worktrees that share one node_modules through a link
// would otherwise overwrite each other's bundle while both run. It runs in a fresh Node
// process: with --expose-gc, so heap figures are taken after a full GC, and without
// rolldown's threads and memory in the process being measured.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const checkout = createHash('sha256').update(root).digest('hex').slice(0, 12);
const out = `${root}node_modules/.cache/checkout-updates-bench/${checkout}/index.mjs`;

const isPackage = (id) => !id.startsWith('.') && !isAbsolute(id) && !id.startsWith('\0');

try {
  const bundle = await rolldown({ input: `${root}bench/index.ts`, platform: 'node', external: isPackage, logLevel: 'warn' });
  await bundle.write({ file: out, format: 'esm', sourcemap: true });
  await bundle.close();
} catch (error) {
  console.error('bench: could not bundle bench/index.ts:', error);
  process.exit(1);
}

const run = spawnSync(process.execPath, ['--expose-gc', '--enable-source-maps', out, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
if (run.error) console.error('bench: could not start node:', run.error);
process.exit(run.status ?? 1);
