/**
 * What the delta endpoint remembers of the toggles it applied to a session: the
 * `Idempotency-Key` of each of the last 50, and the total it answered, so that a retry of any
 * of them gets its first answer again instead of toggling back. A toggle is not idempotent by
 * itself, and with two tabs a retry is not always of the last toggle applied.
 *
 * It lives in the session's own metadata, so the server keeps no state and the record is
 * written in the same update as the line items it describes: whichever write wins a race
 * carries its own record. Stripe allows 50 metadata keys, of up to 40 characters, with values
 * of up to 500 characters (docs.stripe.com/api/metadata). A key may be 255 characters, so each
 * is kept as 12 base64url characters of its SHA-256 (72 bits: a new key is taken for one of
 * the 50 with a chance of about 1 in 10^20), and the entries `digest:total` are packed, 16 to a value,
 * into 4 metadata keys: at most 16 × 29 + 15 = 479 characters each, with a total of up to 16 digits.
 */
import { createHash } from 'node:crypto';

/** How many toggles back a retry still gets its first answer: the library retries within seconds. */
export const REMEMBERED = 50;
const PER_VALUE = 16;
const FIELDS = Array.from({ length: Math.ceil(REMEMBERED / PER_VALUE) }, (_, i) => `toggle_keys_${i}`);

type Metadata = Readonly<Record<string, string>> | null | undefined;

const digest = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 12);

/** The entries, oldest first. */
const entries = (metadata: Metadata) =>
  FIELDS.flatMap((field) => (metadata?.[field] ?? '').split(' ').filter((entry) => entry !== ''));

/** The `amount_total` first answered for a toggle with this key, or `undefined` if none is remembered. */
export function firstAnswer(metadata: Metadata, key: string): number | undefined {
  const prefix = `${digest(key)}:`;
  const entry = entries(metadata).find((e) => e.startsWith(prefix));
  return entry === undefined ? undefined : Number(entry.slice(prefix.length));
}

/**
 * The `metadata` parameter that adds this toggle to the record, forgetting the oldest past 50.
 * Every field is sent, empty ones as `''` (which unsets them), so the write replaces the whole
 * record and no field from a write it superseded can outlive it.
 */
export function remember(metadata: Metadata, key: string, amountTotal: number): Record<string, string> {
  const kept = [...entries(metadata), `${digest(key)}:${amountTotal}`].slice(-REMEMBERED);
  return Object.fromEntries(FIELDS.map((field, i) => [field, kept.slice(i * PER_VALUE, (i + 1) * PER_VALUE).join(' ')]));
}
