import { gzipSync } from 'node:zlib';
import { build } from 'rolldown';
import { describe, expect, it } from 'vitest';
import { distFile, readDist } from './helpers/dist.js';

// Budgets in bytes, gzipped. The script tag is shipped to every shopper: every change
// sees its cost here.
const IIFE_BUDGET = 8 * 1024;
const ESM_BUDGET = 6.5 * 1024;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;

/** The ESM entry minified as a merchant's bundler would, its dependencies left out. */
async function minifiedEsm(): Promise<string> {
  const out = await build({
    input: distFile('checkout-updates.js'),
    external: [/^@stripe\//],
    write: false,
    output: { format: 'esm', minify: true },
    logLevel: 'silent',
  });
  return out.output.map((chunk) => ('code' in chunk ? chunk.code : '')).join('');
}

describe('size budget', () => {
  it(`keeps dist/checkout-updates.iife.js within ${kb(IIFE_BUDGET)} gzip`, () => {
    const size = gzipSync(readDist('checkout-updates.iife.js')).length;
    console.log(`dist/checkout-updates.iife.js: ${kb(size)} gzip (budget ${kb(IIFE_BUDGET)})`);
    expect(size).toBeLessThanOrEqual(IIFE_BUDGET);
  });

  it(`keeps the ESM entry within ${kb(ESM_BUDGET)} gzip, minified, dependencies left out`, async () => {
    const size = gzipSync(await minifiedEsm()).length;
    console.log(`dist/checkout-updates.js (minified): ${kb(size)} gzip (budget ${kb(ESM_BUDGET)})`);
    expect(size).toBeLessThanOrEqual(ESM_BUDGET);
  });
});
