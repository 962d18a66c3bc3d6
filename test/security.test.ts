import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readDist } from './helpers/dist.js';

// What a strict Content-Security-Policy (script-src 'self', no unsafe-inline, no
// unsafe-eval) forbids, and what would turn data into markup: none of it may appear in what
// a shopper's browser runs from us. (The browser proof is the e2e CSP test.)
const FORBIDDEN: Array<[string, RegExp]> = [
  ['eval', /\beval\s*\(/],
  ['new Function', /\bnew\s+Function\s*\(/],
  ['string setTimeout', /setTimeout\(\s*["'`]/],
  ['innerHTML / outerHTML', /\.(inner|outer)HTML\s*=/],
  ['insertAdjacentHTML', /insertAdjacentHTML/],
  ['document.write', /document\.write/],
  ['inline style', /\.style\s*[.[=]|setAttribute\(\s*["'`]style/],
  ['inline handler', /setAttribute\(\s*["'`]on[a-z]+/],
];

const sources = (dir: string): string[] =>
  readdirSync(new URL(`../src/${dir}`, import.meta.url), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? (entry.name === 'testing' ? [] : sources(`${dir}${entry.name}/`)) : [`${dir}${entry.name}`]);

describe('nothing a strict CSP forbids, nothing that turns data into markup', () => {
  it.each(['checkout-updates.iife.js', 'checkout-updates.js'])('dist/%s', (file) => {
    const code = readDist(file);
    expect(FORBIDDEN.filter(([, pattern]) => pattern.test(code)).map(([name]) => name)).toEqual([]);
  });

  it('src/ (the library, not its testing entry)', () => {
    const files = sources('');
    expect(files.length).toBeGreaterThan(10);
    const found = files.flatMap((file) => {
      const code = readFileSync(new URL(`../src/${file}`, import.meta.url), 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '');
      return FORBIDDEN.filter(([, pattern]) => pattern.test(code)).map(([name]) => `${file}: ${name}`);
    });
    expect(found).toEqual([]);
  });
});
