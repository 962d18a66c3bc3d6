/**
 * Reading Stripe's form-encoded parameters (`line_items[0][price_data][unit_amount]=500`,
 * `expand[0]=line_items`) after `qs` has parsed them, and Stripe's errors for what is wrong.
 */
import { randomBytes } from 'node:crypto';
import qs from 'qs';

export type Params = Record<string, unknown>;

/** An error in Stripe's shape: `{error: {type, message, code?, param?}}` with its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly param?: string,
    readonly type = 'invalid_request_error',
  ) {
    super(message);
  }

  toJSON() {
    return { error: { type: this.type, message: this.message, ...(this.code ? { code: this.code } : {}), ...(this.param ? { param: this.param } : {}) } };
  }
}

/**
 * An error an endpoint gave once it had begun executing: the parameters were valid, and the
 * state of the object the request names refused it (a session that has ended, a payment that
 * has succeeded). Stripe saves such an answer under the request's Idempotency-Key, as it saves
 * a success; see `run` in emulator.ts. `details` go into the error object beside `message`, as
 * Stripe puts the `payment_intent` there.
 */
export class StateError extends ApiError {
  constructor(message: string, code?: string, param?: string, readonly details: Params = {}) {
    super(400, message, code, param);
  }

  override toJSON() {
    return { error: { ...super.toJSON().error, ...this.details } };
  }
}

export const missing = (param: string) => new ApiError(400, `Missing required param: ${param}.`, 'parameter_missing', param);
export const unknownParam = (param: string) => new ApiError(400, `Received unknown parameter: ${param}`, 'parameter_unknown', param);
export const invalid = (param: string, message: string, code = 'parameter_invalid') => new ApiError(400, message, code, param);
/** 404 for the object the URL names; 400 for one a parameter names, as Stripe answers. */
export const noSuch = (kind: string, id: string, param: string, status = 400) =>
  new ApiError(status, `No such ${kind}: '${id}'`, 'resource_missing', param);

/** The list arrays may hold at most this many entries. */
export const MAX_LIST = 100;

export const parseForm = (text: string): Params =>
  qs.parse(text, { depth: 10, arrayLimit: MAX_LIST, parameterLimit: 2000, allowPrototypes: false, plainObjects: true }) as Params;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Random letters and digits, for ids such as `cs_test_...` and `li_...`. */
export const token = (length: number) => Array.from(randomBytes(length), (b) => ALPHABET[b % ALPHABET.length]).join('');

export function object(value: unknown, param: string): Params {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(param, `Invalid object: ${param} must be a hash.`, 'parameter_invalid_object');
  }
  return value as Params;
}

export function onlyKeys(params: Params, allowed: readonly string[], prefix = '') {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) throw unknownParam(prefix ? `${prefix}[${key}]` : key);
  }
}

export function string(value: unknown, param: string): string {
  if (typeof value !== 'string') throw invalid(param, `Invalid string: ${param} must be a string.`, 'parameter_invalid_string');
  return value;
}

export function integer(value: unknown, param: string, min: number, max: number): number {
  const text = string(value, param);
  if (!/^-?\d{1,16}$/.test(text)) throw invalid(param, `Invalid integer: ${text}`, 'parameter_invalid_integer');
  const n = Number(text);
  if (n < min || n > max) throw invalid(param, `Invalid ${param}: must be between ${min} and ${max}.`);
  return n;
}

/** Stripe's form-encoded booleans: `true` or `false`. */
export function boolean(value: unknown, param: string): boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  throw invalid(param, `Invalid boolean: ${String(value)}`, 'parameter_invalid_boolean');
}

/** qs turns `a[0]=x` into an array, and `a[100]=x` (past its array limit) into an object. */
export function list(value: unknown, param: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.every((k) => /^\d+$/.test(k))) return keys.sort((a, b) => Number(a) - Number(b)).map((k) => (value as Params)[k]);
  }
  throw invalid(param, `Invalid array: ${param} must be an array.`, 'parameter_invalid_array');
}

/** Stripe's metadata rules: 50 keys, keys up to 40 characters, values up to 500; `''` unsets. */
export function metadata(value: unknown, param: string, current: Readonly<Record<string, string>> = {}): Record<string, string> {
  if (value === '') return {};
  const next = { ...current };
  for (const [key, raw] of Object.entries(object(value, param))) {
    const text = string(raw, `${param}[${key}]`);
    if (key.length > 40) throw invalid(`${param}[${key}]`, 'Metadata keys can have up to 40 characters.');
    if (text.length > 500) throw invalid(`${param}[${key}]`, 'Metadata values can have up to 500 characters.');
    if (text === '') delete next[key];
    else next[key] = text;
  }
  if (Object.keys(next).length > 50) throw invalid(param, 'Metadata can have up to 50 keys.');
  return next;
}

/** `expand[]`: only the paths in `allowed`, as Stripe refuses a property it cannot expand. */
export function expansions(params: Params, allowed: readonly string[]): Set<string> {
  if (params['expand'] === undefined) return new Set();
  const paths = list(params['expand'], 'expand').map((p, i) => string(p, `expand[${i}]`));
  for (const path of paths) {
    if (!allowed.includes(path)) throw invalid('expand', `This property cannot be expanded (${path}).`);
  }
  return new Set(paths);
}
