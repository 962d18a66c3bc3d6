import type { StripeCheckoutAmount } from '@stripe/stripe-js';

// Stripe.js gives every amount twice: minor units to compute with, a formatted string to show.
// Intl knows each currency's minor units (2 for usd, 0 for jpy), so the divisor follows it.

const divisors = new Map<string, number>();

/** 100 for `usd`, 1 for `jpy`: what `minorUnitsAmount` is divided by to get major units. */
export function divisorOf(currency: string): number {
  let divisor = divisors.get(currency);
  // resolvedOptions() is slow: read it once per currency.
  if (divisor === undefined) divisors.set(currency, (divisor = 10 ** (formatter(currency).resolvedOptions().maximumFractionDigits ?? 2)));
  return divisor;
}

/** `{minorUnitsAmount: 2500, amount: '$25.00'}` for 2500 in `usd`. */
export function money(minorUnitsAmount: number, currency: string): StripeCheckoutAmount {
  return { minorUnitsAmount, amount: formatter(currency).format(minorUnitsAmount / divisorOf(currency)) };
}

// Building an Intl.NumberFormat costs far more than using one: keep one per currency.
const formatters = new Map<string, Intl.NumberFormat>();

function formatter(currency: string): Intl.NumberFormat {
  let made = formatters.get(currency);
  if (!made) formatters.set(currency, (made = new Intl.NumberFormat('en-US', { style: 'currency', currency })));
  return made;
}
