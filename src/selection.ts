import type { Selection, SelectionValue } from './types.js';

/** `base` with each of `layers` written over it in order. */
export function overlay(base: Selection, layers: readonly Selection[]): Selection {
  return Object.assign({}, base, ...layers) as Selection;
}

/** Each key whose value in `next` differs from `base`, with its value in `next` (missing is `null`). */
export function diff(next: Selection, base: Selection): Selection {
  const out: Record<string, SelectionValue> = {};
  for (const key of Object.keys({ ...next, ...base })) { // every key of either
    const value = next[key] ?? null;
    if (!Object.is(value, base[key] ?? null)) out[key] = value;
  }
  return out;
}

export function isEmpty(selection: Selection): boolean {
  return Object.keys(selection).length === 0;
}
