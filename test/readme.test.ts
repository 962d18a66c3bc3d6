import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STRIPE_SOURCES } from '../examples/stripe-csp.js';
import { BROWSERS } from '../targets.js';

// The README's promises that name a value the code keeps elsewhere: each is read from the
// README and compared with its source, so the two cannot drift apart.

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { peerDependencies: Record<string, string> };

/** The README section under `heading`, up to the next heading of the same level. */
function section(heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  expect(start, heading).toBeGreaterThan(-1);
  const level = heading.split(' ')[0]!;
  const end = readme.indexOf(`\n${level} `, start + heading.length + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe('the README', () => {
  it('gives the CSP lines the example pages use with real Stripe, each with self where the page needs its own origin', () => {
    const block = /```text\n([^`]*)```/.exec(section('## Content-Security-Policy'))?.[1] ?? '';
    const directives = Object.fromEntries(block.trim().split('\n').map((line) => {
      const [name = '', ...sources] = line.replace(/;$/, '').split(/\s+/);
      return [name, sources];
    }));
    expect(directives).toEqual({
      'script-src': ["'self'", ...STRIPE_SOURCES['script-src']!],
      'frame-src': [...STRIPE_SOURCES['frame-src']!],
      'connect-src': ["'self'", ...STRIPE_SOURCES['connect-src']!],
      'img-src': ["'self'", ...STRIPE_SOURCES['img-src']!],
    });
  });

  it('names the syntax level and each browser version the build targets', () => {
    const text = section('## Supported browsers');
    const [syntax = '', ...browsers] = BROWSERS;
    expect(text).toContain(syntax.toUpperCase());
    const NAMES: Record<string, string> = { chrome: 'Chrome', edge: 'Edge', firefox: 'Firefox', safari: 'Safari' };
    const named = browsers.map((target) => {
      const [, engine = '', version = ''] = /^([a-z]+)([\d.]+)$/.exec(target) ?? [];
      return `${NAMES[engine] ?? engine} ${version}+`;
    });
    expect(named.filter((phrase) => !text.includes(phrase))).toEqual([]);
    expect(named).toHaveLength(4);
  });

  it('states the peer range of @stripe/stripe-js that package.json declares', () => {
    const range = manifest.peerDependencies['@stripe/stripe-js'];
    expect(section('## Install')).toContain(`**\`@stripe/stripe-js\` is a peer dependency** (\`${range}\`)`);
    expect(section('## Install')).toContain(`@stripe/stripe-js@${range?.replace(/\.0\.0$/, '')}`);
  });
});
