import { normalizeEndpoint } from './endpoint.js';
import { CheckoutUpdateError, fail } from './errors.js';
import type { CheckoutOptions, EndpointFunction, Selection, SelectionValue } from './types.js';

export const DEFAULTS = { mode: 'latest', debounceMs: 0, timeoutMs: 15_000, retries: 2 } as const;

export interface NormalizedOptions extends Omit<CheckoutOptions, 'endpoint' | 'initial' | 'mode' | 'debounceMs' | 'timeoutMs' | 'retries'> {
  endpoint: EndpointFunction;
  initial: Selection;
  mode: 'latest' | 'serial';
  debounceMs: number;
  timeoutMs: number;
  retries: number;
}

// [option, lowest, highest]: timeoutMs ends before Stripe's own 20 s limit on runServerUpdate.
const NUMBERS = [['debounceMs', 0, 60_000], ['timeoutMs', 1, 19_999], ['retries', 0, 10]] as const;

/** Validates everything up front, so a wrong option fails on the developer's screen, not the shopper's. */
export function normalizeOptions(options: CheckoutOptions): NormalizedOptions {
  const out = { ...DEFAULTS, ...options } as NormalizedOptions & CheckoutOptions;
  const { publishableKey: key, stripe, clientSecret: secret, mode, onSessionExpired } = out;
  if ((key === undefined) === (stripe === undefined)) {
    throw new CheckoutUpdateError('invalid_option', `Expected exactly one of \`publishableKey\` or \`stripe\`, got ${stripe ? 'both' : 'neither'}`);
  }
  if (key !== undefined && !String(key).startsWith('pk_')) fail('`publishableKey`', 'a string starting with "pk_"', key);
  if (!(secret && ['string', 'function'].includes(typeof secret)) && !(secret instanceof Promise)) {
    fail('`clientSecret`', 'a string, a promise or a function', secret);
  }
  if (mode !== 'latest' && mode !== 'serial') fail('`mode`', '"latest" or "serial"', mode);
  for (const [name, low, high] of NUMBERS) {
    const value = out[name];
    if (!(Number.isFinite(value) && value >= low && value <= high)) fail(`\`${name}\``, `a number from ${low} to ${high}`, value);
  }
  if (onSessionExpired !== undefined && typeof onSessionExpired !== 'function') fail('`onSessionExpired`', 'a function', onSessionExpired);
  out.endpoint = normalizeEndpoint(options.endpoint);
  out.initial = checkSelection('`initial`', options.initial ?? {});
  return out;
}

// Names that would reach Object.prototype through a plain object are refused outright.
export const FORBIDDEN = ['__proto__', 'constructor', 'prototype'];

/** Checks one add-on name and value; throws `invalid_option` naming what was wrong. */
export function checkEntry(name: unknown, value: unknown): asserts value is SelectionValue {
  if (typeof name !== 'string' || !name || FORBIDDEN.includes(name)) fail('an add-on name', 'a string other than __proto__, constructor or prototype', name);
  const ok = value === null || ['boolean', 'string'].includes(typeof value) || Number.isFinite(value);
  if (!ok) fail(`the value of "${name as string}"`, 'a boolean, a finite number, a string or null', value);
}

/** Checks a whole selection and returns a plain copy of it. */
export function checkSelection(label: string, value: unknown): Selection {
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail(label, 'an object of add-on names to values', value);
  const out: Record<string, SelectionValue> = {};
  for (const [name, entry] of Object.entries(value as object)) {
    checkEntry(name, entry);
    out[name] = entry;
  }
  return out;
}
