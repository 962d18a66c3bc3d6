import { normalizeEndpoint } from './endpoint.js';
import { CheckoutUpdateError, fail } from './errors.js';
import type { EndpointFunction, QueueOptions, Selection, SelectionValue } from './types.js';

export const DEFAULTS = { mode: 'latest', debounceMs: 0, timeoutMs: 15_000, retries: 2 } as const;

export interface NormalizedOptions extends Omit<QueueOptions, 'endpoint' | 'initial' | 'mode' | 'debounceMs' | 'timeoutMs' | 'retries'> {
  endpoint: EndpointFunction;
  initial: Selection;
  mode: 'latest' | 'serial';
  debounceMs: number;
  timeoutMs: number;
  retries: number;
}

// [option, lowest, highest]: timeoutMs ends before Stripe's own 20 s limit on runServerUpdate.
const NUMBERS = [['debounceMs', 0, 60_000], ['timeoutMs', 1, 19_999], ['retries', 0, 10]] as const;

// With `adapter`, these belong to the adapter's own options: beside it they would do nothing.
const ADAPTER_OPTIONS = ['publishableKey', 'stripe', 'clientSecret', 'sdk'];

/** Validates everything up front, so a wrong option fails on the developer's screen, not the shopper's. */
export function normalizeOptions(options: QueueOptions & { adapter?: unknown }, adapter: { idField: string }): NormalizedOptions {
  const out = { ...DEFAULTS, ...options } as NormalizedOptions;
  const stray = options.adapter && ADAPTER_OPTIONS.find((name) => (options as unknown as Record<string, unknown>)[name] !== undefined);
  if (stray) throw new CheckoutUpdateError('invalid_option', `Give \`${stray}\` to the adapter, not beside \`adapter\``);
  if (out.mode !== 'latest' && out.mode !== 'serial') fail('`mode`', '"latest" or "serial"', out.mode);
  for (const [name, low, high] of NUMBERS) {
    const value = out[name];
    if (!(Number.isFinite(value) && value >= low && value <= high)) fail(`\`${name}\``, `a number from ${low} to ${high}`, value);
  }
  out.endpoint = normalizeEndpoint(options.endpoint, adapter.idField);
  // A promised selection is checked once it comes (checkout.ts); until then the checkout starts from `{}`.
  out.initial = isLater(options.initial) ? {} : checkSelection('`initial`', options.initial ?? {});
  return out;
}

/** A promise or a function: selection values are never functions, so an add-on named `then` is no promise. */
export const isLater = (value: unknown): value is Promise<Selection> | (() => Selection | Promise<Selection>) =>
  typeof value === 'function' || typeof (value as { then?: unknown } | null)?.then === 'function';

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
