import type { Selection, SelectionValue } from './types.js';

/**
 * Whether `key` is `selection`'s own: an add-on may be named `valueOf` or `toString`, which a
 * plain lookup or `in` would find on Object.prototype.
 */
export const has = (selection: object, key: string): boolean => Object.prototype.hasOwnProperty.call(selection, key);

/** The value of add-on `key`, `null` when the selection does not have it. */
export const valueOf = (selection: Selection, key: string): SelectionValue => (has(selection, key) ? (selection[key] as SelectionValue) : null);

/** `base` with each of `layers` written over it in order. */
export function overlay(base: Selection, layers: readonly Selection[]): Selection {
  return Object.assign({}, base, ...layers) as Selection;
}

/** Each key whose value in `next` differs from `base`, with its value in `next` (missing is `null`). */
export function diff(next: Selection, base: Selection): Selection {
  const out: Record<string, SelectionValue> = {};
  for (const key of Object.keys({ ...next, ...base })) { // every key of either
    const value = valueOf(next, key);
    if (!Object.is(value, valueOf(base, key))) out[key] = value;
  }
  return out;
}

export function isEmpty(selection: Selection): boolean {
  return Object.keys(selection).length === 0;
}
