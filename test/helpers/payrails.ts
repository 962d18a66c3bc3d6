import { HttpResponse } from 'msw';
import type { PayrailsAmount } from '../../src/index.js';
import type { FakePayrails } from '../../src/testing/index.js';
import type { useMerchantServer } from './merchant.js';

export const EXECUTION = 'execution_fake_1';

/** The tip page's price: €45.99 and a tip in percent, in cents, written "%.2f" as seed 003 does. */
export function price(tip: unknown): PayrailsAmount {
  const cents = Math.round((4599 * (100 + Number(tip ?? 0))) / 100);
  return { value: (cents / 100).toFixed(2), currency: 'EUR' };
}

/** The merchant's endpoint as seed 003 has it: the lookup first, then the amount it authorised in the reply. */
export function authorising(server: ReturnType<typeof useMerchantServer>, fake: FakePayrails): void {
  server.behaviour.reply = (_n, request) => {
    const amount = price(request.body.selection['tip']);
    const lookup = fake.lookup(EXECUTION, amount);
    if (lookup.status !== 200) return HttpResponse.json({ error: 'Payrails refused the amount.' }, { status: 502 });
    return HttpResponse.json({ amount, lineItems: [{ name: 'Dinner for two', quantity: 1, total: { amount: '€45.99', minorUnitsAmount: 4599 } }] });
  };
}
