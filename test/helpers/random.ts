/** mulberry32: a small, well-mixed PRNG, so one number reproduces a whole random run. */
export function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]) => items[int(items.length)] as T;
  return { next, int, pick };
}

export type Rng = ReturnType<typeof random>;

const HOSTILE_STRINGS = [
  '', ' ', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty',
  '<img src=x onerror=alert(1)>', '"><script>alert(1)</script>', "'; DROP TABLE sessions; --",
  '\u0000', '\u202eexpress', 'e\u0301xpress', '🎁🎁🎁', 'ｅｘｐｒｅｓｓ', 'NaN', 'Infinity', '-1', '1e308', '0x10', '2.5', ' 3 ',
  'true', 'null', 'undefined', '{}', '[]', 'cs_test_', 'cs_live_' + 'a'.repeat(300), 'pk_live_x', 'sk_live_oops',
];

/** A string an attacker or a broken page might send: long, unicode, markup, prototype keys, numbers as text. */
export function hostileString(rng: Rng): string {
  const roll = rng.next();
  if (roll < 0.1) return 'x'.repeat(1 + rng.int(20_000));
  if (roll < 0.2) return Array.from({ length: 1 + rng.int(40) }, () => String.fromCodePoint(rng.int(0x2ffff))).join('');
  return rng.pick(HOSTILE_STRINGS);
}

/** Any JSON-ish value of the wrong kind: strings, numbers out of range, arrays, nested objects, prototype keys. */
export function hostileValue(rng: Rng, depth = 0): unknown {
  const roll = rng.next();
  if (roll < 0.3) return hostileString(rng);
  if (roll < 0.5) return rng.pick([-1, -0, 0, 1, 2.5, 4, 11, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 3]);
  if (roll < 0.6) return rng.pick([true, false, null]);
  if (depth > 2) return null;
  if (roll < 0.75) return Array.from({ length: rng.int(4) }, () => hostileValue(rng, depth + 1));
  return hostileObject(rng, depth + 1);
}

/** An object whose keys may be prototype keys, as JSON.parse would produce them (own properties). */
export function hostileObject(rng: Rng, depth = 0): Record<string, unknown> {
  const entries = Array.from({ length: rng.int(5) }, () => [rng.next() < 0.3 ? rng.pick(['__proto__', 'constructor', 'prototype']) : hostileString(rng), hostileValue(rng, depth)]);
  // Object.fromEntries makes `__proto__` an own key, as JSON.parse does (an object literal would not).
  return Object.fromEntries(entries) as Record<string, unknown>;
}
