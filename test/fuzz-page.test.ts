// @vitest-environment happy-dom
// Hostile and random input to the page layer and the API: each gets a clear invalid_option
// error that names what was wrong, and changes nothing (the page, the selection, Object.prototype).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount } from '../src/dom/mount.js';
import { isCheckoutUpdateError } from '../src/errors.js';
import { asStripe, createFakeStripe } from '../src/testing/index.js';
import { BETAS, CATALOG } from './helpers/checkout.js';
import { hostileString, hostileValue, random } from './helpers/random.js';

const SEED = Number(process.env.FUZZ_SEED ?? 7);
const RUNS = 300;

const ATTRIBUTES = ['data-publishable-key', 'data-client-secret', 'data-endpoint', 'data-mode', 'data-debounce-ms', 'data-betas', 'data-return-url'];

function page(attribute: string, value: string, addon = 'gift_wrap', amount = 'total'): HTMLElement {
  const root = document.createElement('form');
  root.setAttribute('data-checkout', '');
  root.setAttribute('data-publishable-key', 'pk_test_1');
  root.setAttribute('data-client-secret', 'cs_test_secret');
  root.setAttribute('data-endpoint', 'http://shop.test/update-checkout');
  root.setAttribute(attribute, value);
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.setAttribute('data-addon', addon);
  const total = document.createElement('output');
  total.setAttribute('data-checkout-amount', amount);
  root.append(box, total);
  document.body.append(root);
  return root;
}

afterEach(() => document.body.replaceChildren());

describe('fuzzing the page layer and the API', () => {
  it(`mounts or refuses with an error naming the attribute, leaving the page as it was (${RUNS} random pages, seed ${SEED})`, () => {
    const rng = random(SEED);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const outcomes = { mounted: 0, refused: 0 };
    for (let i = 0; i < RUNS; i++) {
      const target = rng.pick([...ATTRIBUTES, 'data-addon', 'data-checkout-amount']);
      const value = hostileString(rng);
      const root = target === 'data-addon' ? page('data-mode', 'latest', value) : target === 'data-checkout-amount' ? page('data-mode', 'latest', 'gift_wrap', value) : page(target, value);
      const before = root.outerHTML;
      try {
        const checkout = mount(root, { stripe: asStripe(createFakeStripe({ betas: BETAS })) });
        outcomes.mounted++;
        checkout.destroy();
      } catch (error) {
        outcomes.refused++;
        const shown = `${target}=${JSON.stringify(value.slice(0, 40))}`;
        expect(isCheckoutUpdateError(error) && error.code, shown).toBe('invalid_option');
        expect((error as Error).message.startsWith(`${target}: `) || (error as Error).message.includes(`\`${target.replace('data-', '')}`), `${shown}: ${(error as Error).message}`).toBe(true);
      }
      expect(root.outerHTML).toBe(before);
      root.remove();
    }
    console.log(`page fuzz: ${outcomes.mounted} mounted, ${outcomes.refused} refused, of ${RUNS}`);
    expect(outcomes.mounted + outcomes.refused).toBe(RUNS);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('never sends a hostile number input, and keeps the selection', async () => {
    const rng = random(SEED + 1);
    const root = page('data-mode', 'latest');
    const input = document.createElement('input');
    input.type = 'number';
    input.min = '0';
    input.max = '3';
    input.step = '1';
    input.value = '0';
    input.setAttribute('data-addon', 'warranty');
    root.append(input);
    const sent: unknown[] = [];
    const checkout = mount(root, { stripe: asStripe(createFakeStripe({ betas: BETAS, catalog: CATALOG })), endpoint: async (u) => (sent.push(u.changes), new Response(null)) });
    await checkout.ready;
    let last = 0;
    let expected = 0;
    // Refused entries, and valid entries right after a refused one (which must clear its mark).
    const marked = { refused: 0, cleared: 0 };
    let wasRefused = false;
    for (let i = 0; i < RUNS; i++) {
      input.value = rng.next() < 0.2 ? String(rng.int(4)) : hostileString(rng);
      // What may be sent: an entry the browser's constraint validation accepts (min, max and
      // step), when it differs from the last one sent; the checks below hold it to 0 to 3.
      const shown = input.value !== '' && input.validity.valid ? input.valueAsNumber : Number.NaN;
      if (!Number.isNaN(shown) && shown !== last) (expected++, (last = shown));
      input.dispatchEvent(new Event('change', { bubbles: true }));
      await checkout.idle();
      // A refused entry is marked for assistive technology and leaves the selection alone; the
      // next valid entry clears the mark.
      const refused = Number.isNaN(shown);
      if (refused) marked.refused++;
      else if (wasRefused) marked.cleared++;
      wasRefused = refused;
      expect(input.getAttribute('aria-invalid'), JSON.stringify(input.value)).toBe(refused ? 'true' : null);
      expect(checkout.selection.warranty).toBe(last);
    }
    // Both were seen often enough to mean something.
    expect(marked.refused).toBeGreaterThan(RUNS / 2);
    expect(marked.cleared).toBeGreaterThan(10);
    expect(sent).toHaveLength(expected);
    expect(sent.every((changes) => [0, 1, 2, 3].includes((changes as { warranty: number }).warranty))).toBe(true);
    checkout.destroy();
  });

  it('refuses hostile names and values given to set() with invalid_option, and pollutes nothing', async () => {
    const rng = random(SEED + 2);
    const checkout = mount(page('data-mode', 'latest'), { stripe: asStripe(createFakeStripe({ betas: BETAS })), endpoint: async () => new Response(null) });
    await checkout.ready;
    let refused = 0;
    for (let i = 0; i < RUNS; i++) {
      const name = rng.next() < 0.5 ? rng.pick(['__proto__', 'constructor', 'prototype', '']) : hostileString(rng);
      const value = hostileValue(rng);
      const before = JSON.stringify(checkout.selection);
      try {
        void checkout.set(name, value as never);
      } catch (error) {
        refused++;
        expect(isCheckoutUpdateError(error) && error.code).toBe('invalid_option');
        expect(JSON.stringify(checkout.selection)).toBe(before);
      }
    }
    await checkout.idle();
    expect(refused).toBeGreaterThan(RUNS / 3);
    expect(({} as Record<string, unknown>).polluted).toBe(undefined);
    expect(Object.getPrototypeOf(checkout.selection)).toBe(Object.prototype);
    expect(Object.keys(Object.prototype)).toEqual([]);
    checkout.destroy();
  });
});
