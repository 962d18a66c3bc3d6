import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'acorn';
import { describe, expect, it } from 'vitest';
import { ECMA_VERSION } from '../targets.js';
import { readDist } from './helpers/dist.js';

// The README promises the browsers of targets.ts. The build lowers syntax to that level;
// this checks the result with a parser that knows each edition, so a newer construct
// (from our code or from a dependency bundled in) fails here rather than in a shopper's
// old Safari.

const builtFiles = readdirSync(fileURLToPath(new URL('../dist/', import.meta.url))).filter((name) => name.endsWith('.js'));

/** The parser's complaint, or `undefined` when `code` is valid ES`ECMA_VERSION`. */
function newerSyntax(code: string, sourceType: 'script' | 'module'): string | undefined {
  try {
    parse(code, { ecmaVersion: ECMA_VERSION, sourceType });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe(`the built files use ES${ECMA_VERSION} syntax at most`, () => {
  it('checks every file a merchant gets', () => {
    expect(builtFiles).toEqual(expect.arrayContaining(['checkout-updates.iife.js', 'checkout-updates.js', 'testing.js']));
  });

  it.each(builtFiles)('%s', (name) => {
    expect(newerSyntax(readDist(name), name.endsWith('.iife.js') ? 'script' : 'module')).toBeUndefined();
  });

  it.each([
    ['logical assignment (ES2021)', 'let a; a ??= 1;'],
    ['a class field (ES2022)', 'class A { x = 1 }'],
    ['top-level await (ES2022)', 'await 0;'],
  ])('is a check that catches %s', (_name, code) => {
    expect(newerSyntax(code, 'module')).toMatch(/Unexpected|Cannot use keyword 'await'/);
  });
});
