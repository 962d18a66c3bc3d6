/**
 * A random key for `Idempotency-Key`: 128 random bits, as four numbers. `getRandomValues`,
 * because it exists everywhere, while `crypto.randomUUID` exists only in secure contexts and a
 * checkout page may be tested over plain http on a LAN address.
 */
export function newIdempotencyKey(): string {
  return crypto.getRandomValues(new Uint32Array(4)).join('-');
}
