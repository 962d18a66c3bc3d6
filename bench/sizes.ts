// What the package ships: every file in dist/, raw, gzip and brotli at their highest levels
// (what a CDN serving pre-compressed files would send).
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { fmt, type Cell, type Section } from './report.js';

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

export function runSizes({ root, stale }: { root: string; stale: string | undefined }): Section {
  const dist = join(root, 'dist');
  const files = filesUnder(dist).sort((a, b) => order(a) - order(b) || a.localeCompare(b));
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
  const summary = totals.map((sizes, i) => [`all ${kinds[i]}`, ...sizes.map(fmt.kb)]);
  return {
    title: 'Shipped sizes',
    about: 'Every file in dist/ (as `npm run build` made it): raw, gzip (level 9) and brotli (quality 11), from node:zlib. 1 KB = 1,024 bytes.',
    tables: [
      { head: ['file', 'raw', 'gzip', 'brotli'], rows },
      { head: ['kind', 'raw', 'gzip', 'brotli'], rows: summary },
    ],
    targets: [],
    notes: stale ? [stale] : [],
  };
}
