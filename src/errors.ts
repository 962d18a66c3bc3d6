/** Why an update, the start-up or a confirmation did not go through. */
export type CheckoutUpdateErrorCode =
  | 'invalid_option'
  | 'stripe_load_failed'
  | 'init_failed'
  | 'load_actions_failed'
  | 'beta_required'
  | 'network'
  | 'timeout'
  | 'http'
  | 'server_update_failed'
  | 'action_failed'
  | 'session_expired'
  | 'confirm_blocked'
  | 'offline'
  | 'destroyed';

export interface CheckoutUpdateErrorInit {
  cause?: unknown;
  /** The HTTP status of the merchant endpoint's reply, for `http`. */
  status?: number;
  /** The merchant endpoint's reply, for `http`. Its body has already been read. */
  response?: Response;
}

/** The one error type of this library: every failure carries a `code` to branch on. */
// `declare`d, not class fields: lowered to the ES2020 target, fields would bring a
// defineProperty helper into the script tag (about 200 bytes gzip).
export class CheckoutUpdateError extends Error {
  declare readonly name: 'CheckoutUpdateError';
  declare readonly code: CheckoutUpdateErrorCode;
  declare readonly status?: number;
  declare readonly response?: Response;

  constructor(code: CheckoutUpdateErrorCode, message: string, init: CheckoutUpdateErrorInit = {}) {
    super(message, init); // Error reads `cause` off it, and only when it is there
    this.name = 'CheckoutUpdateError';
    this.code = code;
    if (init.status !== undefined) this.status = init.status;
    if (init.response !== undefined) this.response = init.response;
  }
}

/**
 * True for a `CheckoutUpdateError`, also one made by another copy of this library
 * (a page can load the script tag and an app bundle), where `instanceof` fails.
 */
export function isCheckoutUpdateError(value: unknown): value is CheckoutUpdateError {
  return (
    value instanceof CheckoutUpdateError ||
    (value instanceof Error && value.name === 'CheckoutUpdateError' && typeof (value as { code?: unknown }).code === 'string')
  );
}

/** What a change, an update or a confirmation that `destroy()` cut short resolves with. */
export const destroyedError = (cause?: unknown): CheckoutUpdateError =>
  new CheckoutUpdateError('destroyed', 'The checkout was destroyed before this went through.', { cause });

/** Wraps anything thrown into a `CheckoutUpdateError`, keeping one that already is. */
export function toCheckoutError(code: CheckoutUpdateErrorCode, value: unknown): CheckoutUpdateError {
  return isCheckoutUpdateError(value) ? value : new CheckoutUpdateError(code, messageOf(value) ?? 'Unknown error', { cause: value });
}

/** The `{type: 'error', error}` value of a failed update or confirmation, in Stripe's own result shape. */
export function errorResult(error: CheckoutUpdateError): { type: 'error'; error: CheckoutUpdateError } {
  return { type: 'error', error };
}

/** Reads `message` off an Error or off Stripe's `{type:'error', error}` values, which are plain objects. */
export function messageOf(value: unknown): string | undefined {
  const message = typeof value === 'string' ? value : (value as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message ? message : undefined;
}

/** Throws `invalid_option` saying what was expected and what came: ``Expected `mode` to be ..., got `"fast"` (string)``. */
export function fail(what: string, expected: string, value: unknown): never {
  throw new CheckoutUpdateError('invalid_option', `Expected ${what} to be ${expected}, got ${describe(value)}`);
}

/** Describes a value for an error message: ``"42" (number)``. */
export function describe(value: unknown): string {
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value); // a cycle, or a BigInt
  }
  return `\`${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}\` (${typeof value})`;
}
