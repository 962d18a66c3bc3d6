/**
 * Stripe's rules for the amount of a payment (a PaymentIntent's `amount`, `currency`): "A
 * positive integer representing how much to charge in the smallest currency unit [...]. The
 * minimum amount is $0.50 US or equivalent in charge currency. The amount value supports up
 * to eight digits" (docs.stripe.com/api/payment_intents/create, `amount`).
 *
 * The minimums are Stripe's table of minimum charge amounts
 * (docs.stripe.com/currencies#minimum-and-maximum-charge-amounts) for the currencies below.
 * For any other currency the minimum is an exchange rate away from $0.50, and the emulator has
 * no rates: it refuses those currencies rather than guess, so it is never more permissive
 * than Stripe. The error messages follow the ones Stripe answers ("Amount must be at least
 * €0.50 eur"); for a currency whose symbol is not listed here, the amount is written without one.
 */
import { ApiError, invalid, string } from './emulator-params.js';

interface Currency {
  /** The minimum charge, in minor units. */
  minimum: number;
  /** Digits after the decimal point: 0 for zero-decimal currencies (JPY), else 2. */
  decimals: 0 | 2;
  symbol: string;
}

const two = (minimum: number, symbol = ''): Currency => ({ minimum, decimals: 2, symbol });

export const CURRENCIES: Readonly<Record<string, Currency>> = {
  usd: two(50, '$'),
  aed: two(200),
  aud: two(50, '$'),
  brl: two(50, 'R$'),
  cad: two(50, '$'),
  chf: two(50),
  czk: two(1500),
  dkk: two(250),
  eur: two(50, '€'),
  gbp: two(30, '£'),
  hkd: two(400, '$'),
  // HUF is charged with two decimals; only its payouts are zero-decimal (docs.stripe.com/currencies, "Special cases").
  huf: two(17500),
  jpy: { minimum: 50, decimals: 0, symbol: '¥' },
  myr: two(200),
  nok: two(300),
  nzd: two(50, '$'),
  pln: two(200),
  ron: two(200),
  sek: two(300),
  sgd: two(50, '$'),
};

/** Eight digits, the most an amount may have: $999,999.99. */
export const MAX_AMOUNT = 99_999_999;

/** A three-letter code from the table, in lowercase as Stripe asks. */
export function currencyParam(value: unknown, param = 'currency'): string {
  const code = string(value, param);
  if (!Object.hasOwn(CURRENCIES, code)) {
    throw new ApiError(400, `Invalid currency: ${code}. The emulator supports these currencies: ${Object.keys(CURRENCIES).join(', ')}.`, undefined, param);
  }
  return code;
}

/** The amount in minor units of `currency` (a code from the table), checked as Stripe checks it. */
export function amountParam(value: unknown, currency: string, param = 'amount'): number {
  const text = string(value, param);
  if (!/^-?\d{1,20}$/.test(text)) throw invalid(param, `Invalid integer: ${text}`, 'parameter_invalid_integer');
  const amount = Number(text);
  if (amount < 1) throw invalid(param, 'This value must be greater than or equal to 1.', 'parameter_invalid_integer');
  const { minimum, symbol } = CURRENCIES[currency]!;
  if (amount < minimum) throw new ApiError(400, `Amount must be at least ${symbol}${major(minimum, currency)} ${currency}`, 'amount_too_small', param);
  if (amount > MAX_AMOUNT) {
    const most = symbol ? `${symbol}${major(MAX_AMOUNT, currency)}` : `${major(MAX_AMOUNT, currency)} ${currency}`;
    throw new ApiError(400, `Amount must be no more than ${most}`, 'amount_too_large', param);
  }
  return amount;
}

/** Minor units written in major units, as in Stripe's messages: 99999999 cents is `999,999.99`, 50 yen `50`. */
function major(minor: number, currency: string): string {
  const { decimals } = CURRENCIES[currency]!;
  return new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(minor / 10 ** decimals);
}
