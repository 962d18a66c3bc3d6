import type { PayrailsAmount } from '../adapters/providers.js';
import { type FakeAnswer, type FakeErrorBody, answer, refusal } from './answer.js';

// Payrails' side of a checkout, in memory: the executions, the amount each one's lookup action
// last authorised, and the payments the SDK's card button sends (seed 003, "Update Checkout
// Amount"). Words and statuses the seed gives are kept exactly; the others are ours, and each
// says so.

/** Seed 003 (Troubleshooting): what `update()` throws with no active session. */
export const NO_SESSION = 'No active Payrails session';
/** Seed 003 (Troubleshooting): what `update()` throws for an empty, zero, negative or non-numeric value. */
export const BAD_VALUE = 'AmountUpdate.value must be a valid positive number';
/** Seed 003 is silent on the currency; refusing anything but three letters is our choice. */
export const BAD_CURRENCY = 'AmountUpdate.currency must be an ISO 4217 code';
/** The 401 of seed 003 ("Payrails will reject the payment with a 401 HTTP error"); the words are ours. */
export const MISMATCH = 'The amount does not match the amount authorised by lookup.';
export const ALREADY_AUTHORIZED = 'The execution has already been authorized.';

/**
 * What is wrong with an amount as `update()` and the lookup action see it, or `undefined`.
 * Seed 003 says the value is "a numeric string" and names empty, zero, negative and
 * non-numeric values as invalid. We read "numeric" as digits with at most one decimal point
 * between digits (`52.89`, `7`); signs, exponents, spaces and commas are refused. The seed
 * sets no limit on decimals, so neither do we.
 */
export function amountError(amount: unknown): string | undefined {
  const { value, currency } = (typeof amount === 'object' && amount !== null ? amount : {}) as { value?: unknown; currency?: unknown };
  if (typeof value !== 'string' || !/^\d+(\.\d+)?$/.test(value) || !(Number(value) > 0)) return BAD_VALUE;
  if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency)) return BAD_CURRENCY;
  return undefined;
}

/** One execution as the emulated backend holds it. */
export interface FakePayrailsExecution {
  executionId: string;
  /**
   * The amount a payment must send: the execution's amount when it was created, then the
   * amount of each successful lookup. Seed 003 is silent on an execution that no lookup
   * changed; we take its own amount as authorised, so a checkout that never changes the
   * amount pays without a lookup.
   */
  authorised: PayrailsAmount;
  /** `open` until a payment is authorized. */
  status: 'open' | 'authorized';
  /** The amount the authorized payment sent. */
  paid: PayrailsAmount | null;
}

/** The lookup action's answer: the execution and the amount it now authorises. */
export type FakePayrailsLookupBody = { executionId: string; amount: PayrailsAmount } | FakeErrorBody;
/** A payment's answer. */
export type FakePayrailsAuthorizeBody = { executionId: string; status: 'authorized'; amount: PayrailsAmount } | FakeErrorBody;

const copy = (amount: PayrailsAmount): PayrailsAmount => ({ value: amount.value, currency: amount.currency });

export class PayrailsBackend {
  private readonly executions = new Map<string, FakePayrailsExecution>();

  create(executionId: string, amount: PayrailsAmount): FakePayrailsExecution {
    if (this.executions.has(executionId)) throw new Error(`createFakePayrails: execution ${executionId} exists already.`);
    const execution: FakePayrailsExecution = { executionId, authorised: copy(amount), status: 'open', paid: null };
    this.executions.set(executionId, execution);
    return this.get(executionId)!;
  }

  get size(): number {
    return this.executions.size;
  }

  /** A copy: what the backend holds cannot be changed from outside. */
  get(executionId: string): FakePayrailsExecution | undefined {
    const execution = this.executions.get(executionId);
    return execution && { ...execution, authorised: copy(execution.authorised), paid: execution.paid && copy(execution.paid) };
  }

  /**
   * `POST /v1/merchant/executions/{executionId}/lookup` with `{amount}` (seed 003's path).
   * The seed gives only the success; our refusals: 404 for an unknown execution, 409 once it
   * is authorized (its amount can no longer change), 400 for an amount `update()` would refuse.
   */
  lookup(executionId: string, amount: unknown): FakeAnswer<FakePayrailsLookupBody> {
    const execution = this.executions.get(executionId);
    if (!execution) return refusal(404, `No execution ${executionId}.`);
    if (execution.status === 'authorized') return refusal(409, ALREADY_AUTHORIZED);
    const invalid = amountError(amount);
    if (invalid) return refusal(400, invalid);
    execution.authorised = copy(amount as PayrailsAmount);
    return answer(200, { executionId, amount: copy(execution.authorised) });
  }

  /**
   * The card button's payment with the SDK's amount: refused with 401 unless value and
   * currency equal, as strings, what lookup last authorised (seed 003, Troubleshooting:
   * "exactly the same value and currency strings").
   */
  authorize(executionId: string, amount: PayrailsAmount): FakeAnswer<FakePayrailsAuthorizeBody> {
    const execution = this.executions.get(executionId);
    if (!execution) return refusal(404, `No execution ${executionId}.`);
    if (execution.status === 'authorized') return refusal(409, ALREADY_AUTHORIZED);
    const { authorised } = execution;
    if (amount.value !== authorised.value || amount.currency !== authorised.currency) return refusal(401, MISMATCH);
    execution.status = 'authorized';
    execution.paid = copy(amount);
    return answer(200, { executionId, status: 'authorized', amount: copy(amount) });
  }
}
