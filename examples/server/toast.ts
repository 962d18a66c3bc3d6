/**
 * The merchant's side of the Toast page (seed 002, "Updating a payment intent"): an order of
 * $20.00 with a cookie ($3.50) and a drink ($2.75) to add, and a tip of 0, 15, 18 or 20 percent
 * of the food, priced here; the payment intent made for the page; and the update that gives
 * Toast each new amount with its tip, from the server ("You update the payment intent from the
 * server component of your integration (not from the client browser)").
 *
 * Amounts are in minor units, as Toast takes them. The tip is rounded to the cent, half up.
 */
import { randomUUID } from 'node:crypto';
import type { SummaryLineItem } from 'checkout-updates';
import { oneOf, onOff, readChoices, type Choices } from './choices.js';
import { answeredObject, callProvider, ProviderError, type ProviderAnswer, type ProviderApi } from './provider-api.js';
import { HttpError } from './validate.js';

export const TOAST_CURRENCY = 'USD';
export const TOAST_ORDER_CENTS = 2000;
export const TOAST_ADD_ONS = { cookie: 350, drink: 275 } as const;
export const TOAST_TIPS = ['0', '15', '18', '20'] as const;

export interface ToastSelection {
  tip: (typeof TOAST_TIPS)[number];
  cookie: boolean;
  drink: boolean;
}

const CHOICES: Choices<ToastSelection> = {
  tip: { initial: '0', parse: oneOf(TOAST_TIPS), invalid: 'Choose a tip of 0, 15, 18 or 20 percent.' },
  cookie: { initial: false, parse: onOff, invalid: 'The cookie is either added or not.' },
  drink: { initial: false, parse: onOff, invalid: 'The drink is either added or not.' },
};

/** The selection of a `latest` request (`{tip, cookie, drink}`), or a 400 `SelectionError`. */
export const toastSelection = (selection: unknown, changes: unknown): ToastSelection => readChoices(CHOICES, selection, changes);

export interface ToastPrice {
  /** What is charged, tip included. */
  amount: number;
  tip: number;
}

const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: TOAST_CURRENCY });
const money = (cents: number) => ({ amount: dollars.format(cents / 100), minorUnitsAmount: cents });

/**
 * The order in the library's summary shape, for the page to show beside the total: what
 * Toast holds is one amount and a tip, so the lines come from the merchant, as the prices do.
 */
export function toastLineItems(selection: ToastSelection): SummaryLineItem[] {
  const { tip } = priceToast(selection);
  return [
    { name: 'Breakfast sandwiches', quantity: 2, total: money(TOAST_ORDER_CENTS) },
    ...(selection.cookie ? [{ name: 'Chocolate chip cookie', quantity: 1, total: money(TOAST_ADD_ONS.cookie) }] : []),
    ...(selection.drink ? [{ name: 'Iced tea', quantity: 1, total: money(TOAST_ADD_ONS.drink) }] : []),
    ...(tip > 0 ? [{ name: `Tip (${selection.tip}%)`, quantity: 1, total: money(tip) }] : []),
  ];
}

export function priceToast(selection: ToastSelection): ToastPrice {
  const food = TOAST_ORDER_CENTS + (selection.cookie ? TOAST_ADD_ONS.cookie : 0) + (selection.drink ? TOAST_ADD_ONS.drink : 0);
  const tip = Math.floor((food * Number(selection.tip) + 50) / 100);
  return { amount: food + tip, tip };
}

/** What the merchant reads of Toast's PaymentIntentResponse. */
export interface ToastIntent {
  id: string;
  sessionSecret: string;
  amount: number;
  currency: string;
}

/** Words for the customer when Toast answers 404: an intent over 24 hours old, or one it does not know. */
export const EXPIRED_ORDER = 'This order has expired. Please reload the page to start again.';

/**
 * The page's intent, at the order's price with nothing added. `captureMethod: 'MANUAL'`, as in
 * seed 002's example: the payment is a hold the restaurant captures. `externalReferenceId` is
 * the merchant's own id for it, which Toast's API reference asks for.
 */
export async function createIntent(api: ProviderApi): Promise<ToastIntent> {
  const { amount } = priceToast({ tip: '0', cookie: false, drink: false });
  const path = '/v1/payment-intents';
  const body = { amount, currency: TOAST_CURRENCY, captureMethod: 'MANUAL', externalReferenceId: randomUUID() };
  return intentOf(api, path, await callProvider(api, 'POST', path, body));
}

/**
 * Seed 002's update: the amount and, always (the amount is what changes), its tip. Seed 002 says
 * to compare `creationDate` with the time before updating; Toast's 404 for an intent over 24
 * hours old says the same without a second request, so it is not read first. Toast's refusal of
 * an intent being paid (seed 002: "returns an error", which the emulator answers with a 409) is
 * a 409 for the customer; the library then learns the payment went ahead.
 */
export async function updateIntent(api: ProviderApi, id: string, price: ToastPrice): Promise<ToastIntent> {
  const path = `/v1/payment-intents/${encodeURIComponent(id)}`;
  const answer = await callProvider(api, 'POST', path, { amount: price.amount, amountDetails: { tip: price.tip } });
  if (answer.status === 404) throw new HttpError(404, EXPIRED_ORDER);
  if (answer.status === 409) throw new HttpError(409, 'This order is already being paid, so it can no longer change.');
  return intentOf(api, path, answer);
}

/** An intent takes updates for 24 hours from its `creationDate` (seed 002). */
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The intent `id`, if it can still change, else `null`: Toast's "Getting a payment intent"
 * (`GET /v1/payment-intents/{id}`) gives its `status` and `creationDate`; it can change while
 * `REQUIRES_PAYMENT_METHOD` (seed 002: not while PROCESSING or REQUIRES_CAPTURE) and for 24
 * hours from `creationDate`. A reloaded page gets it back (resume.ts); a paid or expired one is
 * replaced.
 */
export async function openIntent(api: ProviderApi, id: string, now: () => number): Promise<ToastIntent | null> {
  const path = `/v1/payment-intents/${encodeURIComponent(id)}`;
  const answer = await callProvider(api, 'GET', path);
  if (answer.status === 404) return null;
  const intent = intentOf(api, path, answer);
  const { status, creationDate } = answer.body as { status?: unknown; creationDate?: unknown };
  return status === 'REQUIRES_PAYMENT_METHOD' && now() - Date.parse(String(creationDate)) <= DAY_MS ? intent : null;
}

function intentOf(api: ProviderApi, path: string, answer: ProviderAnswer): ToastIntent {
  const { id, sessionSecret, amount, currency } = answeredObject(api, path, answer);
  if (typeof id !== 'string' || typeof sessionSecret !== 'string' || typeof amount !== 'number' || typeof currency !== 'string') {
    throw new ProviderError(`${api.name} ${path} answered an intent without id, sessionSecret, amount and currency.`);
  }
  return { id, sessionSecret, amount, currency };
}
