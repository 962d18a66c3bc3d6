/**
 * A random key for `Idempotency-Key`. `crypto.randomUUID` is the fast one, but exists only in
 * secure contexts, and a checkout page may be tested over plain http on a LAN address: there,
 * 128 random bits from `getRandomValues`, as four numbers.
 */
export function newIdempotencyKey(): string {
  return crypto.randomUUID?.() ?? crypto.getRandomValues(new Uint32Array(4)).join('-');
}
