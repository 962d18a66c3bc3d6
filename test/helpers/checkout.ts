import { createCheckout } from '../../src/checkout.js';
import { createFakeStripe, type FakeStripeOptions } from '../../src/testing/index.js';
import type { Checkout, CheckoutEvents, CheckoutSessionsStripeOptions, QueueOptions, Stripe } from '../../src/types.js';
import { ENDPOINT } from './merchant.js';

export const BETAS = ['custom_checkout_server_updates_1'];

/** The catalog the fake session prices from: the totals tests assert follow it. */
export const CATALOG = {
  gift_wrap: { name: 'Gift wrap', unitAmount: 500 },
  warranty: { name: 'Extended warranty', unitAmount: 2000 },
  tip: { name: 'Tip', unitAmount: 100 },
  shipping: { name: 'Shipping', options: { standard: 0, express: 1500 } },
};

/** A checkout over a fake Stripe, and the list of every event it emitted, in order. */
export function setup(options: Partial<QueueOptions & CheckoutSessionsStripeOptions> = {}, fakeOptions: FakeStripeOptions = {}) {
  const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG, ...fakeOptions });
  const checkout = createCheckout({
    stripe: fake as unknown as Stripe,
    clientSecret: 'cs_test_fake_1_secret_abc',
    endpoint: ENDPOINT,
    ...options,
  });
  return { fake, checkout, events: record(checkout) };
}

const TYPES: Array<keyof CheckoutEvents> = ['loading', 'ready', 'change', 'update', 'error', 'expired'];

/**
 * Each event as a short line, e.g. `loading:true:update`, `error:http:{"gift_wrap":false}`,
 * `change:$25.00`; a change says `:cannot-confirm` while Stripe holds confirmation back
 * during a pending update, and the status when the session is no longer open.
 */
export function record(checkout: Checkout): string[] {
  const lines: string[] = [];
  for (const type of TYPES) {
    checkout.on(type, (detail) => lines.push(describeEvent(type, detail as never)));
  }
  return lines;
}

function describeEvent<K extends keyof CheckoutEvents>(type: K, detail: CheckoutEvents[K]): string {
  const d = detail as Partial<CheckoutEvents['loading'] & CheckoutEvents['error'] & CheckoutEvents['update'] & CheckoutEvents['change']>;
  switch (type) {
    case 'loading': return `loading:${d.loading}:${d.reason}`;
    case 'error': return `error:${d.error?.code}:${JSON.stringify(d.reverted)}`;
    case 'update': return `update:${JSON.stringify(d.action ?? d.changes)}`;
    case 'change': return `change:${d.session?.total.total.amount}${d.session?.canConfirm ? '' : ':cannot-confirm'}${d.session?.status.type === 'open' ? '' : `:${d.session?.status.type}`}`;
    default: return type;
  }
}
