/**
 * The emulated Toast API's payment intents and Toast's rules for them, with no HTTP (as
 * emulator-intents.ts is for Stripe's): each method takes the parsed JSON body and returns the
 * PaymentIntentResponse, or throws an `HttpError` with Toast's status. From seed 002 ("Updating
 * a payment intent"):
 *
 * - "The payment intent is valid for 24 hours from the creationDate [...] updating the original
 *   payment intent results in a 404 error": an update more than 24 hours after `creationDate`
 *   (to the millisecond; at exactly 24 hours it is still valid, our reading) is a 404, as for an
 *   id Toast does not know.
 * - "A payment intent with a status of PROCESSING or REQUIRES_CAPTURE cannot be updated. Any
 *   request to update the payment intent with either of those statuses returns an error": a 409
 *   (seed 002 does not say which error; our choice), and the same for SUCCEEDED and CANCELED,
 *   on which seed 002 is silent: only REQUIRES_PAYMENT_METHOD takes an update here.
 * - "If you update the amount, you must include the tip amount in the AmountDetails object":
 *   an `amount` other than the intent's without `amountDetails.tip` is a 400; the same amount
 *   without it is not a change, and is accepted. "Tip can only be added when you update the
 *   payment intent": `amountDetails` at creation is a 400.
 * - The amount: "in minor units represented as a positive integer"; Toast's API reference bounds
 *   it at 99999999 (eight digits), and so do we.
 *
 * Where seed 002 is silent, our choices: a tip is a whole number of minor units from 0 up to the
 * amount (a tip of 0 is how a changed amount says "no tip"); `amountDetails` without `amount`
 * is a 400, the tip being part of an amount; `captureMethod` is `MANUAL` unless `AUTOMATIC` is
 * sent (seed 002's example is MANUAL); a new intent has `amountDetails: {tip: 0}`; currencies
 * are USD and CAD, those of Toast's API reference; the error body is `{error}`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { objectWith } from './emulated-backend.js';
import { HttpError } from './validate.js';

export type ToastStatus = 'REQUIRES_PAYMENT_METHOD' | 'PROCESSING' | 'REQUIRES_CAPTURE' | 'SUCCEEDED' | 'CANCELED';
export type CaptureMethod = 'MANUAL' | 'AUTOMATIC';

/** Seed 002's PaymentIntentResponse, its fields in the seed's order. */
export interface ToastPaymentIntent {
  id: string;
  externalReferenceId: string | null;
  sessionSecret: string;
  amount: number;
  currency: string;
  captureMethod: CaptureMethod;
  status: ToastStatus;
  paymentMethodId: string | null;
  /** ISO 8601 in UTC, to the millisecond (seed 002 shows microseconds). */
  creationDate: string;
  usage: null;
  customerId: string | null;
  amountDetails: { tip: number };
  email: string | null;
  paymentMethodConfigurationDetails: { id: string };
  latestPayment: null;
  offSession: boolean;
  standingInstructionType: null;
  mandateId: null;
}

interface Intent extends Omit<ToastPaymentIntent, 'creationDate'> {
  /** `creationDate` in milliseconds: the 24-hour rule compares it with the clock. */
  created: number;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_AMOUNT = 99_999_999;
const CURRENCIES = ['USD', 'CAD'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The characters Toast's API reference allows in an email address. */
const EMAIL = /^[A-Za-z0-9=.\-_+@:&^%!$]{3,254}$/;

export class ToastIntents {
  private readonly intents = new Map<string, Intent>();
  /** The account's default payment method configuration, which every intent here uses. */
  private readonly configuration = randomUUID();

  constructor(private readonly now: () => number) {}

  create(body: unknown): ToastPaymentIntent {
    const params = objectWith(body, ['amount', 'currency', 'captureMethod', 'externalReferenceId', 'email', 'customerId', 'amountDetails']);
    if (params['amountDetails'] !== undefined) throw new HttpError(400, 'Tip can only be added when you update the payment intent.');
    const { currency, captureMethod = 'MANUAL' } = params;
    if (typeof currency !== 'string' || !CURRENCIES.includes(currency)) throw new HttpError(400, `currency must be one of ${CURRENCIES.join(', ')}.`);
    if (captureMethod !== 'MANUAL' && captureMethod !== 'AUTOMATIC') throw new HttpError(400, 'captureMethod must be MANUAL or AUTOMATIC.');
    const id = randomUUID();
    const intent: Intent = {
      id,
      externalReferenceId: optional(params['externalReferenceId'], uuid, 'externalReferenceId'),
      sessionSecret: `PI_${id}_SECRET_${secret()}`,
      amount: amountParam(params['amount']),
      currency,
      captureMethod,
      status: 'REQUIRES_PAYMENT_METHOD',
      paymentMethodId: null,
      created: this.now(),
      usage: null,
      customerId: optional(params['customerId'], uuid, 'customerId'),
      amountDetails: { tip: 0 },
      email: optional(params['email'], email, 'email'),
      paymentMethodConfigurationDetails: { id: this.configuration },
      latestPayment: null,
      offSession: false,
      standingInstructionType: null,
      mandateId: null,
    };
    this.intents.set(id, intent);
    return toJson(intent);
  }

  /** The intent whatever its age: seed 002's 24-hour rule is about updating it. */
  read(id: string): ToastPaymentIntent {
    return toJson(this.intent(id));
  }

  update(id: string, body: unknown): ToastPaymentIntent {
    const intent = this.live(id);
    const { amount, tip, email, customerId } = updateParams(body, intent.amount);
    if (intent.status !== 'REQUIRES_PAYMENT_METHOD') {
      throw new HttpError(409, `A payment intent with a status of ${intent.status} cannot be updated.`);
    }
    if (amount !== undefined) intent.amount = amount;
    if (tip !== undefined) intent.amountDetails = { tip };
    if (email !== undefined) intent.email = email;
    if (customerId !== undefined) intent.customerId = customerId;
    return toJson(intent);
  }

  // --- for the SDK stand-in and tests, not part of Toast's API -------------------------------

  bySecret(sessionSecret: string): ToastPaymentIntent | null {
    const found = [...this.intents.values()].find((intent) => intent.sessionSecret === sessionSecret);
    return found ? toJson(found) : null;
  }

  /** As the hosted checkout's confirmPayment with a card: a hold for MANUAL capture, paid for AUTOMATIC. */
  confirm(id: string): ToastPaymentIntent {
    const intent = this.live(id);
    if (intent.status !== 'REQUIRES_PAYMENT_METHOD') {
      throw new HttpError(409, `A payment intent with a status of ${intent.status} cannot be confirmed.`);
    }
    intent.paymentMethodId ??= randomUUID();
    intent.status = intent.captureMethod === 'MANUAL' ? 'REQUIRES_CAPTURE' : 'SUCCEEDED';
    return toJson(intent);
  }

  /** Moves `creationDate` back by `ms`, as if it had been made that long before. */
  age(id: string, ms: number): ToastPaymentIntent {
    const intent = this.intent(id);
    intent.created -= ms;
    return toJson(intent);
  }

  setStatus(id: string, status: ToastStatus): void {
    this.intent(id).status = status;
  }

  private intent(id: string): Intent {
    const found = this.intents.get(id);
    if (!found) throw new HttpError(404, `No payment intent ${id}.`);
    return found;
  }

  /** The intent, unless it is more than 24 hours old: then Toast answers as for one it does not know. */
  private live(id: string): Intent {
    const intent = this.intent(id);
    if (this.now() - intent.created > DAY_MS) throw new HttpError(404, `Payment intent ${id} has expired: it is more than 24 hours old.`);
    return intent;
  }
}

/** The update's fields, checked before the intent's status is (a malformed request is a 400 in any status). */
function updateParams(body: unknown, current: number) {
  const params = objectWith(body, ['amount', 'amountDetails', 'email', 'customerId']);
  const amount = params['amount'] === undefined ? undefined : amountParam(params['amount']);
  const details = params['amountDetails'] === undefined ? undefined : objectWith(params['amountDetails'], ['tip'], '`amountDetails`');
  const tip = details?.['tip'] === undefined ? undefined : tipParam(details['tip']);
  if (details !== undefined && amount === undefined) throw new HttpError(400, 'amountDetails needs the amount it is part of: send amount with it.');
  if (amount !== undefined && amount !== current && tip === undefined) {
    throw new HttpError(400, 'amountDetails.tip is required when the amount is updated.');
  }
  if (amount !== undefined && tip !== undefined && tip > amount) throw new HttpError(400, 'amountDetails.tip cannot be more than the amount.');
  return {
    amount,
    tip,
    email: optional(params['email'], email, 'email'),
    customerId: optional(params['customerId'], uuid, 'customerId'),
  };
}

function amountParam(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > MAX_AMOUNT) {
    throw new HttpError(400, `amount must be a positive integer of minor units, at most ${MAX_AMOUNT}.`);
  }
  return value;
}

function tipParam(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new HttpError(400, 'amountDetails.tip must be a whole number of minor units, 0 or more.');
  }
  return value;
}

const uuid = (value: unknown) => (typeof value === 'string' && UUID.test(value) ? value : undefined);
const email = (value: unknown) => (typeof value === 'string' && EMAIL.test(value) && value.includes('@') ? value : undefined);

/** `null` when absent; otherwise what `read` accepts, or a 400 naming the field. */
function optional(value: unknown, read: (value: unknown) => string | undefined, field: string): string | null {
  if (value === undefined) return null;
  const checked = read(value);
  if (checked === undefined) throw new HttpError(400, `${field} is not valid.`);
  return checked;
}

const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789^?&';

/**
 * 25 characters after `_SECRET_`, as in seed 002's example (`EqYQ5^CgQWc4J?KBwq2jfv&Ov`), which
 * holds `^`, `?` and `&`. An `&` cuts a query string short unless it is encoded: every secret here
 * holds one, so a page that forgets to encode it fails every time rather than now and then.
 */
function secret(): string {
  const chars = Array.from(randomBytes(25), (b) => SECRET_ALPHABET[b % SECRET_ALPHABET.length]!);
  chars[randomBytes(1)[0]! % chars.length] = '&';
  return chars.join('');
}

function toJson(intent: Intent): ToastPaymentIntent {
  const { created, ...rest } = intent;
  return {
    id: rest.id,
    externalReferenceId: rest.externalReferenceId,
    sessionSecret: rest.sessionSecret,
    amount: rest.amount,
    currency: rest.currency,
    captureMethod: rest.captureMethod,
    status: rest.status,
    paymentMethodId: rest.paymentMethodId,
    creationDate: new Date(created).toISOString(),
    usage: null,
    customerId: rest.customerId,
    amountDetails: { ...rest.amountDetails },
    email: rest.email,
    paymentMethodConfigurationDetails: { ...rest.paymentMethodConfigurationDetails },
    latestPayment: null,
    offSession: rest.offSession,
    standingInstructionType: null,
    mandateId: null,
  };
}
