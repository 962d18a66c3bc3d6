/**
 * The merchant's side of the Payrails page (seed 003, "Update Checkout Amount"): an order of
 * €45.99 and a tip of 0, 10, 15 or 20 percent, priced here, never in the browser; the
 * execution made for the page; and the lookup action that authorises each new amount on the
 * Payrails backend before the page gives the same amount to the SDK's `update()`.
 *
 * The amount is written as seed 003 writes it, `"%.2f".format(total)`: two decimals and a point
 * ("52.89"). Seed 003 computes it in floating point (45.99 + 45.99 * 0.15); here it is
 * computed in cents, the tip rounded half up, which gives the seed's strings for every tip
 * without float error. Kotlin's `"%.2f"` would write a comma in some locales; seed 003 says the
 * value must be "a numeric string", so it is always a point here.
 */
import type { SummaryLineItem } from 'checkout-updates';
import { oneOf, readChoices, type Choices } from './choices.js';
import type { PayrailsAmount } from './payrails-emulator.js';
import { answeredObject, callProvider, ProviderError, type ProviderApi } from './provider-api.js';
import { HttpError, UNKNOWN_PAYMENT } from './validate.js';

export const PAYRAILS_CURRENCY = 'EUR';
/** The order the page starts with, as in seed 003 (`val baseAmount = 45.99`). */
export const PAYRAILS_ORDER = { name: 'Order', cents: 4599 } as const;
export const PAYRAILS_TIPS = ['0', '10', '15', '20'] as const;

export interface PayrailsSelection {
  tip: (typeof PAYRAILS_TIPS)[number];
}

const CHOICES: Choices<PayrailsSelection> = {
  tip: { initial: '0', parse: oneOf(PAYRAILS_TIPS), invalid: 'Choose a tip of 0, 10, 15 or 20 percent.' },
};

/** The selection of a `latest` request (`{tip}`), or a 400 `SelectionError`. */
export const payrailsSelection = (selection: unknown, changes: unknown): PayrailsSelection => readChoices(CHOICES, selection, changes);

export interface PayrailsPrice {
  amount: PayrailsAmount;
  /** In the library's summary shape, for the page to show: the order, then the tip when there is one. */
  lineItems: SummaryLineItem[];
}

export function pricePayrails(selection: PayrailsSelection): PayrailsPrice {
  const order = PAYRAILS_ORDER.cents;
  const tip = percentOf(order, Number(selection.tip));
  return {
    amount: { value: decimal(order + tip), currency: PAYRAILS_CURRENCY },
    lineItems: [
      { name: PAYRAILS_ORDER.name, quantity: 1, total: money(order) },
      ...(tip > 0 ? [{ name: `Tip (${selection.tip}%)`, quantity: 1, total: money(tip) }] : []),
    ],
  };
}

/** `percent` % of `cents`, rounded half up; exact, as both are integers. */
const percentOf = (cents: number, percent: number) => Math.floor((cents * percent + 50) / 100);

/** `"%.2f"` of cents: 5289 → `'52.89'`. */
const decimal = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

const euros = new Intl.NumberFormat('en-US', { style: 'currency', currency: PAYRAILS_CURRENCY });
const money = (cents: number) => ({ amount: euros.format(cents / 100), minorUnitsAmount: cents });

/**
 * Makes the page's execution at the order's amount (tip 0), and gives the SDK's init payload
 * as the backend answered it: the page passes it to `Payrails.init` unread.
 */
export async function createExecution(api: ProviderApi): Promise<{ init: Record<string, unknown>; amount: PayrailsAmount }> {
  const { amount } = pricePayrails({ tip: '0' });
  const path = '/merchant/client/init';
  const init = answeredObject(api, path, await callProvider(api, 'POST', path, { amount }));
  return { init, amount };
}

/**
 * Seed 003, step 2: the lookup action with the new amount, which authorises it for the next
 * payment. It must succeed before the page calls `update()`, so the route answers only after
 * it. Its answer's body is not read (seed 003 does not show one). An execution Payrails does
 * not know is a 404, one already paid a 409, in words for the customer.
 */
export async function lookup(api: ProviderApi, executionId: string, amount: PayrailsAmount): Promise<void> {
  const path = `/merchant/executions/${encodeURIComponent(executionId)}/lookup`;
  const answer = await callProvider(api, 'POST', path, { amount });
  if (answer.status === 404) throw new HttpError(404, UNKNOWN_PAYMENT);
  if (answer.status === 409) throw new HttpError(409, 'This checkout has already been paid.');
  if (answer.status < 200 || answer.status > 299) throw new ProviderError(`${api.name} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)?.slice(0, 300)}`);
}
