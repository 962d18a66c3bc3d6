import { describe } from '../errors.js';
import { type FakeAnswer, type FakeErrorBody, answer, refusal } from './answer.js';

// Toast's payment-intent API, in memory, from seed 002 ("Updating a payment intent"): an intent
// is valid for 24 hours from its creationDate, after which an update is a 404; PROCESSING and
// REQUIRES_CAPTURE intents cannot be updated; `amount` is a positive integer of minor units,
// and a changed amount must come with `amountDetails.tip`. Where the seed gives a rule but no
// status or words, the status and words are ours, and each says so.

/** The statuses of a payment intent (Toast's "Payment intent statuses", which seed 002 refers to). */
export type FakeToastPaymentIntentStatus =
  | 'REQUIRES_PAYMENT_METHOD'
  | 'REQUIRES_CONFIRMATION'
  | 'REQUIRES_ACTION'
  | 'PROCESSING'
  | 'REQUIRES_CAPTURE'
  | 'SUCCEEDED'
  | 'CANCELED';

/** A PaymentIntentResponse, every field of seed 002's example response. */
export interface FakeToastPaymentIntent {
  id: string;
  externalReferenceId: string | null;
  /** What the page passes to `Toast.initialize`. */
  sessionSecret: string;
  /** The amount to be charged, tip included, in minor units. */
  amount: number;
  currency: string;
  captureMethod: 'AUTOMATIC' | 'MANUAL';
  status: FakeToastPaymentIntentStatus;
  paymentMethodId: string | null;
  /** ISO 8601; the intent is valid for 24 hours from it. */
  creationDate: string;
  usage: string | null;
  customerId: string | null;
  /** `null` until an update adds a tip: seed 002 says a tip "can only be added when you update". */
  amountDetails: { tip: number } | null;
  /** Present only once given, as seed 002 says of it. */
  email?: string;
  paymentMethodConfigurationDetails: { id: string } | null;
  latestPayment: unknown;
  offSession: boolean;
  standingInstructionType: string | null;
  mandateId: string | null;
}

/** What `createIntent` takes, as the merchant's server would create an intent. */
export interface FakeToastCreateIntent {
  /**
   * In minor units, a positive integer.
   * @example 2000
   */
  amount: number;
  /**
   * An ISO 4217 code in capitals, as Toast writes it.
   * @default 'USD'
   */
  currency?: string;
  /**
   * Seed 002's example is `MANUAL`; the seed is silent on the default, ours is `AUTOMATIC`.
   * @default 'AUTOMATIC'
   */
  captureMethod?: 'AUTOMATIC' | 'MANUAL';
  /**
   * When it was made; the 24 hours run from it.
   * @default the fake's clock (`fake.now`)
   * @example new Date(Date.now() - 25 * 60 * 60 * 1000)
   */
  creationDate?: Date | string;
  /** @default a numbered UUID of the fake's */
  externalReferenceId?: string;
  /** @default null */
  customerId?: string;
  /** Present on the intent only when given, as seed 002 says. @default absent */
  email?: string;
}

/** An answer of the update endpoint: the intent, or `{error}`. */
export type FakeToastUpdateAnswer = FakeAnswer<FakeToastPaymentIntent | FakeErrorBody>;

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The statuses seed 002 names as not updatable; SUCCEEDED and CANCELED are ours (a paid or dropped intent keeps its amount). */
const NOT_UPDATABLE: readonly FakeToastPaymentIntentStatus[] = ['PROCESSING', 'REQUIRES_CAPTURE', 'SUCCEEDED', 'CANCELED'];
const NOT_PAYABLE: readonly FakeToastPaymentIntentStatus[] = ['PROCESSING', 'REQUIRES_CAPTURE', 'SUCCEEDED', 'CANCELED'];

export const EXPIRED = 'The payment intent has expired: it is valid for 24 hours from its creationDate.';
export const TIP_REQUIRED = 'amountDetails.tip is required when the amount changes.';

/** Readable ids of the form Toast uses (UUIDs), numbered so that tests can name them. */
export const fakeUuid = (kind: 'a' | 'b' | 'c', n: number): string => `00000000-0000-4000-${kind}000-${String(n).padStart(12, '0')}`;

export class ToastApi {
  private readonly intents = new Map<string, FakeToastPaymentIntent>();
  private paymentMethods = 0;

  constructor(private readonly clock: () => number) {}

  create(input: FakeToastCreateIntent): FakeToastPaymentIntent {
    const { amount, currency = 'USD', captureMethod = 'AUTOMATIC' } = input;
    if (!isPositiveInteger(amount)) throw new TypeError(`Expected \`amount\` to be a positive integer of minor units, got ${describe(amount)}`);
    if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) throw new TypeError(`Expected \`currency\` to be an ISO 4217 code such as 'USD', got ${describe(currency)}`);
    if (captureMethod !== 'AUTOMATIC' && captureMethod !== 'MANUAL') throw new TypeError(`Expected \`captureMethod\` to be 'AUTOMATIC' or 'MANUAL', got ${describe(captureMethod)}`);
    const created = input.creationDate === undefined ? new Date(this.clock()) : new Date(input.creationDate);
    if (Number.isNaN(created.getTime())) throw new TypeError(`Expected \`creationDate\` to be a date, got ${describe(input.creationDate)}`);
    const n = this.intents.size + 1;
    const id = fakeUuid('a', n);
    const intent: FakeToastPaymentIntent = {
      id,
      externalReferenceId: input.externalReferenceId ?? fakeUuid('c', n),
      sessionSecret: `PI_${id}_SECRET_fake${n}`,
      amount,
      currency,
      captureMethod,
      status: 'REQUIRES_PAYMENT_METHOD',
      paymentMethodId: null,
      creationDate: created.toISOString(),
      usage: null,
      customerId: input.customerId ?? null,
      amountDetails: null,
      ...(input.email !== undefined && { email: input.email }),
      paymentMethodConfigurationDetails: null,
      latestPayment: null,
      offSession: false,
      standingInstructionType: null,
      mandateId: null,
    };
    this.intents.set(id, intent);
    return copy(intent);
  }

  get(id: string): FakeToastPaymentIntent | undefined {
    const intent = this.intents.get(id);
    return intent && copy(intent);
  }

  bySecret(sessionSecret: string): FakeToastPaymentIntent | undefined {
    for (const intent of this.intents.values()) if (intent.sessionSecret === sessionSecret) return copy(intent);
    return undefined;
  }

  setStatus(id: string, status: FakeToastPaymentIntentStatus): void {
    this.held(id).status = status;
  }

  /**
   * `POST /v1/payment-intents/{id}`. The intent is found first (404 unknown, or more than 24
   * hours past its creationDate: exactly 24 hours is still valid), then its status (409: seed
   * 002 says only "returns an error"), then the body (400: the seed states the rules, not the
   * status). Fields other than `amount`, `amountDetails`, `email` and `customerId` are ignored.
   */
  update(id: string, body: unknown): FakeToastUpdateAnswer {
    const intent = this.intents.get(id);
    if (!intent) return refusal(404, `No payment intent ${id}.`);
    if (this.expired(intent)) return refusal(404, EXPIRED);
    if (NOT_UPDATABLE.includes(intent.status)) return refusal(409, `A payment intent with status ${intent.status} cannot be updated.`);
    const invalid = bodyError(intent, body);
    if (invalid) return refusal(400, invalid);
    const { amount, amountDetails, email, customerId } = body as Record<string, unknown>;
    if (amount !== undefined) intent.amount = amount as number;
    const tip = (amountDetails as { tip?: number } | undefined)?.tip;
    if (tip !== undefined) intent.amountDetails = { tip };
    if (typeof email === 'string') intent.email = email;
    if (typeof customerId === 'string') intent.customerId = customerId;
    return answer(200, copy(intent));
  }

  /** A payment method from the card details of the iframe, attached to the intent. */
  attachPaymentMethod(sessionSecret: string): FakeAnswer<{ paymentMethodId: string } | FakeErrorBody> {
    const intent = this.heldBySecret(sessionSecret);
    if (!intent) return refusal(404, 'No payment intent has this sessionSecret.');
    this.paymentMethods += 1;
    intent.paymentMethodId = fakeUuid('b', this.paymentMethods);
    return answer(200, { paymentMethodId: intent.paymentMethodId });
  }

  /**
   * Pays the intent at the amount it holds: `REQUIRES_CAPTURE` for `MANUAL` capture, else
   * `SUCCEEDED`. Seed 002 is silent on paying; we refuse an intent past its 24 hours (404, as
   * an update) and one that is paid, being paid or canceled (409).
   */
  confirm(sessionSecret: string): FakeToastUpdateAnswer {
    const intent = this.heldBySecret(sessionSecret);
    if (!intent) return refusal(404, 'No payment intent has this sessionSecret.');
    if (this.expired(intent)) return refusal(404, EXPIRED);
    if (NOT_PAYABLE.includes(intent.status)) return refusal(409, `A payment intent with status ${intent.status} cannot be confirmed.`);
    if (intent.paymentMethodId === null) this.attachPaymentMethod(sessionSecret);
    intent.status = intent.captureMethod === 'MANUAL' ? 'REQUIRES_CAPTURE' : 'SUCCEEDED';
    return answer(200, copy(intent));
  }

  // "valid for 24 hours from the creationDate", and a 404 when the cart is "more than 24 hours old".
  private expired(intent: FakeToastPaymentIntent): boolean {
    return this.clock() - Date.parse(intent.creationDate) > DAY_MS;
  }

  private held(id: string): FakeToastPaymentIntent {
    const intent = this.intents.get(id);
    if (!intent) throw new Error(`createFakeToast: no payment intent ${id}.`);
    return intent;
  }

  private heldBySecret(sessionSecret: string): FakeToastPaymentIntent | undefined {
    for (const intent of this.intents.values()) if (intent.sessionSecret === sessionSecret) return intent;
    return undefined;
  }
}

/** Seed 002's rules for an update's body, or `undefined` when it keeps them. */
function bodyError(intent: FakeToastPaymentIntent, body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return `The request body must be a JSON object, got ${describe(body)}`;
  const { amount, amountDetails } = body as Record<string, unknown>;
  // "the updated payment amount to be charged in minor units represented as a positive integer"
  if (amount !== undefined && !isPositiveInteger(amount)) return `amount must be a positive integer of minor units, got ${describe(amount)}`;
  if (amountDetails !== undefined && (typeof amountDetails !== 'object' || amountDetails === null)) return `amountDetails must be an object, got ${describe(amountDetails)}`;
  const tip = (amountDetails as { tip?: unknown } | undefined)?.tip;
  // The seed's tip is an amount in minor units; 0 (no tip) is one. A tip above the amount it
  // is part of is refused: the seed is silent, and such an intent would charge a negative rest.
  if (tip !== undefined && !(Number.isSafeInteger(tip) && (tip as number) >= 0)) return `amountDetails.tip must be a whole number of minor units >= 0, got ${describe(tip)}`;
  // "If you update the amount, you must include the tip amount in the AmountDetails object."
  // An `amount` equal to the one held updates nothing, so it needs no tip.
  if (amount !== undefined && amount !== intent.amount && tip === undefined) return TIP_REQUIRED;
  if (tip !== undefined && (tip as number) > ((amount as number | undefined) ?? intent.amount)) return `amountDetails.tip (${tip}) cannot be more than the amount (${(amount as number | undefined) ?? intent.amount}).`;
  return undefined;
}

function isPositiveInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

function copy(intent: FakeToastPaymentIntent): FakeToastPaymentIntent {
  return { ...intent, amountDetails: intent.amountDetails && { ...intent.amountDetails } };
}
