import { normalizeEndpoint } from './endpoint.js';
import { CheckoutUpdateError, describe } from './errors.js';
import type { CheckoutOptions, EndpointFunction, Selection, SelectionValue } from './types.js';

export const DEFAULTS = {
  mode: 'latest',
  debounceMs: 0,
  timeoutMs: 15_000,
  retries: 2,
} as const;

/** Stripe ends `runServerUpdate` after 20 s; our budget must end first. */
const STRIPE_SERVER_UPDATE_LIMIT_MS = 20_000;

export interface NormalizedOptions extends Omit<CheckoutOptions, 'endpoint' | 'initial' | 'mode' | 'debounceMs' | 'timeoutMs' | 'retries'> {
  endpoint: EndpointFunction;
  initial: Selection;
  mode: 'latest' | 'serial';
  debounceMs: number;
  timeoutMs: number;
  retries: number;
}

function invalid(message: string): CheckoutUpdateError {
  return new CheckoutUpdateError('invalid_option', message);
}

/** Validates everything up front, so a wrong option fails on the developer's screen, not the shopper's. */
export function normalizeOptions(options: CheckoutOptions): NormalizedOptions {
  if (!options || typeof options !== 'object') throw invalid(`Expected options to be an object, got ${describe(options)}`);
  const hasKey = options.publishableKey !== undefined;
  const hasStripe = options.stripe !== undefined;
  if (hasKey === hasStripe) {
    throw invalid('Expected exactly one of `publishableKey` or `stripe`, got ' + (hasKey ? 'both' : 'neither'));
  }
  if (hasKey && (typeof options.publishableKey !== 'string' || !options.publishableKey.startsWith('pk_'))) {
    throw invalid(`Expected \`publishableKey\` to be a string starting with "pk_", got ${describe(options.publishableKey)}`);
  }
  checkClientSecret(options.clientSecret);
  const mode = options.mode ?? DEFAULTS.mode;
  if (mode !== 'latest' && mode !== 'serial') throw invalid(`Expected \`mode\` to be "latest" or "serial", got ${describe(mode)}`);
  const timeoutMs = checkNumber('timeoutMs', options.timeoutMs ?? DEFAULTS.timeoutMs, 1, STRIPE_SERVER_UPDATE_LIMIT_MS - 1);
  const root = options.root;
  if (root !== undefined && (typeof root !== 'object' || root === null || typeof (root as EventTarget).dispatchEvent !== 'function')) {
    throw invalid(`Expected \`root\` to be an Element or Document, got ${describe(root)}`);
  }
  if (options.onSessionExpired !== undefined && typeof options.onSessionExpired !== 'function') {
    throw invalid(`Expected \`onSessionExpired\` to be a function, got ${describe(options.onSessionExpired)}`);
  }
  return {
    ...options,
    endpoint: normalizeEndpoint(options.endpoint),
    initial: checkSelection('initial', options.initial ?? {}),
    mode,
    debounceMs: checkNumber('debounceMs', options.debounceMs ?? DEFAULTS.debounceMs, 0, 60_000),
    timeoutMs,
    retries: checkNumber('retries', options.retries ?? DEFAULTS.retries, 0, 10),
  };
}

function checkClientSecret(value: unknown): void {
  const ok = (typeof value === 'string' && value.length > 0) || typeof value === 'function' || value instanceof Promise;
  if (!ok) throw invalid(`Expected \`clientSecret\` to be a string, a promise or a function, got ${describe(value)}`);
}

function checkNumber(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalid(`Expected \`${name}\` to be a number from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

// Names that would reach Object.prototype through a plain object are refused outright.
const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** Checks one add-on name and value; throws `invalid_option` naming what was wrong. */
export function checkEntry(name: unknown, value: unknown): asserts value is SelectionValue {
  if (typeof name !== 'string' || name === '' || FORBIDDEN_NAMES.has(name)) {
    throw invalid(`Expected an add-on name to be a non-empty string other than __proto__, constructor or prototype, got ${describe(name)}`);
  }
  const ok = value === null || typeof value === 'boolean' || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
  if (!ok) throw invalid(`Expected the value of "${name}" to be a boolean, a finite number, a string or null, got ${describe(value)}`);
}

/** Checks a whole selection and returns a plain copy of it. */
export function checkSelection(label: string, value: unknown): Selection {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(`Expected \`${label}\` to be an object of add-on names to values, got ${describe(value)}`);
  }
  const out: Record<string, SelectionValue> = {};
  for (const [name, entry] of Object.entries(value)) {
    checkEntry(name, entry);
    out[name] = entry;
  }
  return out;
}
