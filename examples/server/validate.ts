/**
 * Checks on a request before anything reaches Stripe. Every refusal is an `HttpError` whose
 * message is written for the customer: the library shows the JSON `error` as it is.
 */
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import Stripe from 'stripe';
import { SelectionError } from './catalog.js';
import { ProviderError } from './provider-api.js';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export const SESSION_ID = /^cs_(test|live)_[A-Za-z0-9]{1,200}$/;
export const CLIENT_SECRET = /^cs_(test|live)_[A-Za-z0-9]{1,200}_secret_[A-Za-z0-9]{1,200}$/;
export const PAYMENT_INTENT_ID = /^pi_[A-Za-z0-9]{1,200}$/;
export const PAYMENT_INTENT_SECRET = /^pi_[A-Za-z0-9]{1,200}_secret_[A-Za-z0-9]{1,200}$/;
/** A Payrails execution's id or a Toast payment intent's: both providers' ids are UUIDs. */
export const PROVIDER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Printable ASCII without spaces: a UUID, or a merchant's own key. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export const BAD_REQUEST = 'Something in this request was not right. Please reload the page and try again.';
export const UNKNOWN_SESSION = 'This checkout could not be found. Please reload the page.';
export const UNKNOWN_PAYMENT = 'This payment could not be found. Please reload the page.';

const parseJson = express.json({ limit: '2kb', strict: true });

/** JSON only (415 otherwise), at most 2 kB (413), and no prototype keys anywhere (400). */
export const jsonBody: RequestHandler = (req, res, next) => {
  if (!req.is('application/json')) return next(new HttpError(415, 'Please send this request as JSON.'));
  parseJson(req, res, (error?: unknown) => {
    if (error) return next(error);
    next(hasPrototypeKey(req.body) ? new HttpError(400, BAD_REQUEST) : undefined);
  });
};

function hasPrototypeKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  // JSON.parse makes `__proto__` an own key, so Object.keys sees it.
  return Object.keys(value).some((key) => PROTOTYPE_KEYS.has(key) || hasPrototypeKey((value as Record<string, unknown>)[key]));
}

/** The body as an object whose keys are all in `allowed`. */
export function bodyWith<K extends string>(body: unknown, allowed: readonly K[]): Partial<Record<K, unknown>> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, BAD_REQUEST);
  if (Object.keys(body).some((key) => !(allowed as readonly string[]).includes(key))) throw new HttpError(400, BAD_REQUEST);
  return body as Partial<Record<K, unknown>>;
}

export function sessionId(value: unknown): string {
  if (typeof value !== 'string' || !SESSION_ID.test(value)) throw new HttpError(400, UNKNOWN_SESSION);
  return value;
}

export function paymentIntentId(value: unknown): string {
  if (typeof value !== 'string' || !PAYMENT_INTENT_ID.test(value)) throw new HttpError(400, UNKNOWN_PAYMENT);
  return value;
}

/** A Payrails `execution_id` or a Toast `payment_intent_id` from the page: a 400 unless it is a UUID. */
export function providerId(value: unknown): string {
  if (typeof value !== 'string' || !PROVIDER_ID.test(value)) throw new HttpError(400, UNKNOWN_PAYMENT);
  return value;
}

/** A PaymentIntent's client secret, `pi_..._secret_...`. */
export function paymentIntentSecret(value: unknown): string {
  if (typeof value !== 'string' || !PAYMENT_INTENT_SECRET.test(value)) throw new HttpError(400, UNKNOWN_PAYMENT);
  return value;
}

/** The `Idempotency-Key` header where a route needs one: a 400 when absent or malformed. */
export function requiredIdempotencyKey(header: string | undefined): string {
  const key = idempotencyKey(header);
  if (key === undefined) throw new HttpError(400, BAD_REQUEST);
  return key;
}

/** The `Idempotency-Key` header: `undefined` when absent, a 400 when malformed. */
export function idempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header)) throw new HttpError(400, BAD_REQUEST);
  return header;
}

/** Answers every error as JSON `{error}`: words for the customer, never a stack or Stripe's text. */
export function errorHandler(log: (line: string) => void): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    const [status, message] = describe(error);
    if (status >= 500) log(`example server: ${status} after ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    res.status(status).json({ error: message });
  };
}

function describe(error: unknown): [number, string] {
  if (error instanceof HttpError) return [error.status, error.message];
  if (error instanceof SelectionError) return [400, error.message];
  const { type, status } = (error ?? {}) as { type?: unknown; status?: unknown };
  // body-parser's errors
  if (type === 'entity.too.large') return [413, 'This request is too large.'];
  if (type === 'entity.parse.failed') return [400, BAD_REQUEST];
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') return [415, 'Please send this request as UTF-8 JSON.'];
  if (typeof status === 'number' && status >= 400 && status < 500) return [status, BAD_REQUEST];
  // Stripe's errors: its connection, its rate limit, or a request it refused; Payrails' and
  // Toast's alike (provider-api.ts). 5xx makes the library retry, which is right for the first
  // two and harmless for the last.
  if (error instanceof Stripe.errors.StripeError || error instanceof ProviderError) {
    return [502, 'The payment service did not answer as expected. Please try again.'];
  }
  return [500, 'Something went wrong on our side. Please try again.'];
}
