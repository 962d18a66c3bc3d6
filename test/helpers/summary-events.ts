import type { Checkout, CheckoutEvents } from '../../src/index.js';

const TYPES: Array<keyof CheckoutEvents> = ['loading', 'ready', 'change', 'update', 'error', 'expired'];

/**
 * Each event of a checkout as a short line, read from its summary (any adapter):
 * `loading:true:update`, `change:€52.89`, `change:$20.00:expired`, `update:{"tip":"15"}`,
 * `error:http:{"tip":"0"}`, `ready:no amount` while no amount is known.
 */
export function recordSummaries(checkout: Checkout<any, any>): string[] {
  const lines: string[] = [];
  for (const type of TYPES) {
    checkout.on(type, (detail) => {
      const d = detail as Partial<CheckoutEvents['loading'] & CheckoutEvents['error'] & CheckoutEvents['update']>;
      if (type === 'loading') lines.push(`loading:${d.loading}:${d.reason}`);
      else if (type === 'error') lines.push(`error:${d.error?.code}:${JSON.stringify(d.reverted)}`);
      else if (type === 'update') lines.push(`update:${JSON.stringify(d.changes)}`);
      else lines.push(`${type}:${d.summary?.total.amount ?? 'no amount'}${d.summary && d.summary.status !== 'open' ? `:${d.summary.status}` : ''}`);
    });
  }
  return lines;
}
