/**
 * A random key for `Idempotency-Key`. `crypto.randomUUID` exists only in secure contexts,
 * and a checkout page may be tested over plain http on a LAN address, so fall back to
 * `getRandomValues`, which exists everywhere.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
