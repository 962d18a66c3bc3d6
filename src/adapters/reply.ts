// The merchant server's reply, for the systems that learn the new amount only from it
// (Payrails, Toast): parsed and checked before anything is handed to the provider, so a
// reply that cannot be trusted never reaches `update()` or `fetchUpdates()`.
import { CheckoutUpdateError } from '../errors.js';
import type { SummaryLineItem } from '../types.js';

/**
 * The reply's JSON object, or an `http` error saying what your server must answer: the
 * 2xx came back, so the error is the server's, as a refused request's is.
 */
export function readReply(text: string | undefined, expected: string): Record<string, unknown> {
  let data: unknown;
  try {
    // Stryker disable next-line StringLiteral: any other text that is not JSON throws here as '' does, and the catch below treats both alike
    data = JSON.parse(text ?? '');
  } catch {
    // Not JSON: the message below says what was expected.
  }
  if (data && typeof data === 'object' && !Array.isArray(data)) return data as Record<string, unknown>;
  throw badReply(expected);
}

export const badReply = (expected: string) => new CheckoutUpdateError('http', `The server's reply must be JSON ${expected}.`);

/** A currency code as the providers write it: three letters (`EUR`, `USD`). */
export const isCurrency = (value: unknown): value is string => typeof value === 'string' && /^[A-Za-z]{3}$/.test(value);

/**
 * The reply's `lineItems` when every one has the summary's shape (`{name, quantity, total:
 * {amount, minorUnitsAmount}}`), else none: they are shown, never charged, so a malformed
 * list is left out rather than refusing an amount the provider already holds.
 */
export function lineItemsOf(value: unknown): readonly SummaryLineItem[] {
  const valid = Array.isArray(value) && value.every((item: Partial<SummaryLineItem> | null) =>
    typeof item?.name === 'string' && Number.isFinite(item.quantity) && typeof item.total?.amount === 'string' && Number.isFinite(item.total.minorUnitsAmount));
  return valid ? (value as SummaryLineItem[]) : [];
}

/**
 * Whether a failed server call says your server applied nothing: it refused (4xx). After a
 * timeout, a network error, a 5xx or a reply we could not read, the provider may hold an
 * amount the page was not given.
 */
// Stryker disable next-line ConditionalExpression: only `http` errors carry a status (the endpoint sets none on the others), so without the code check they still fail `>= 400`
export const isRefusal = (error: CheckoutUpdateError) => error.code === 'http' && (error.status as number) >= 400 && (error.status as number) < 500;
