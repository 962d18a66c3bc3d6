// Amounts for the summary, where the merchant's reply is the only source of the amount
// (Payrails, Toast): formatted for the customer with Intl, which knows each currency's minor
// units (2 for EUR, 0 for JPY) as the providers do.
import type { Amount } from '../types.js';

/** `(minorUnits, currency) => Amount`, with one formatter kept per currency: a new Intl.NumberFormat costs tens of µs. */
export function createMoney(locale?: string) {
  let cached: { currency: string; format: Intl.NumberFormat; digits: number } | undefined;

  function formatter(currency: string) {
    if (cached?.currency !== currency) {
      const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
      cached = { currency, format, digits: format.resolvedOptions().maximumFractionDigits ?? 2 };
    }
    return cached;
  }

  return {
    /** An amount in minor units (Toast's `2000` for $20.00). */
    minor(minorUnitsAmount: number, currency: string): Amount {
      const { format, digits } = formatter(currency);
      return { amount: format.format(minorUnitsAmount / 10 ** digits), minorUnitsAmount };
    },
    /** A decimal string in major units (Payrails' `"52.89"`). */
    major(value: string, currency: string): Amount {
      const { format, digits } = formatter(currency);
      return { amount: format.format(Number(value)), minorUnitsAmount: Math.round(Number(value) * 10 ** digits) };
    },
  };
}
