// A merchant's own adapter, written as a class whose methods use `this`: the checkout calls
// it as the README's "plug in another provider" says, and knows nothing else about it.
import { describe, expect, it } from 'vitest';
import { createCheckout } from '../src/checkout.js';
import { toCheckoutError } from '../src/errors.js';
import type { AdapterResult, CheckoutAdapter, CheckoutSummary, ConfirmResult } from '../src/types.js';
import { ENDPOINT, useMerchantServer } from './helpers/merchant.js';

const server = useMerchantServer();

interface Order {
  id: string;
  cents: number;
  status: CheckoutSummary['status'];
}

/** A provider that knows an order's total once your server has priced it. */
class OrderAdapter implements CheckoutAdapter<Order> {
  readonly idField = 'order_id';
  calls: string[] = [];
  order: Order = { id: 'ord_1', cents: 2000, status: 'open' };
  nextCents = 2000;

  async start(): Promise<Order> {
    this.calls.push('start');
    return this.order;
  }

  id(order: Order): string {
    return order.id;
  }

  summarize(order: Order): CheckoutSummary {
    return { currency: 'usd', total: { amount: `$${(order.cents / 100).toFixed(2)}`, minorUnitsAmount: order.cents }, lineItems: [], status: order.status };
  }

  async update(serverCall: (() => Promise<unknown>) | null): Promise<AdapterResult<Order>> {
    try {
      await serverCall?.();
    } catch (error) {
      return { type: 'error', error: toCheckoutError('server_update_failed', error) };
    }
    this.calls.push(serverCall ? 'update' : 'refresh');
    this.order = { ...this.order, cents: this.nextCents };
    return { type: 'success', session: this.order };
  }

  async confirm(): Promise<ConfirmResult<Order>> {
    this.calls.push('confirm');
    this.order = { ...this.order, status: 'complete' };
    return { type: 'success', session: this.order };
  }

  async renew(): Promise<Order> {
    this.calls.push('renew');
    this.order = { id: 'ord_2', cents: 2000, status: 'open' };
    return this.order;
  }
}

describe('a CheckoutAdapter of your own', () => {
  it('runs updates, renewal and confirm through its methods, with its own id in the default body', async () => {
    const adapter = new OrderAdapter();
    const checkout = createCheckout({ adapter, endpoint: ENDPOINT });
    const changes: string[] = [];
    checkout.on('change', ({ summary }) => changes.push(`${summary?.total.amount}:${summary?.status}`));
    await checkout.ready;
    adapter.nextCents = 2500;
    await checkout.set('gift_wrap', true);
    expect(server.requests.map((r) => r.body)).toEqual([{ order_id: 'ord_1', selection: { gift_wrap: true }, changes: { gift_wrap: true } }]);

    // The order expires; the next change renews it (a method that reads `this`) and is sent whole.
    adapter.order = { ...adapter.order, status: 'expired' };
    adapter.nextCents = 4500;
    await checkout.refresh();
    await checkout.idle();
    expect(server.requests.map((r) => [(r.body as unknown as { order_id: string }).order_id, r.body.changes])).toEqual([
      ['ord_1', { gift_wrap: true }],
      ['ord_2', { gift_wrap: true }],
    ]);
    await checkout.set('warranty', 1);
    const paid = await checkout.confirm();
    expect(paid.type === 'success' && paid.session.status).toBe('complete');
    expect(adapter.calls).toEqual(['start', 'update', 'refresh', 'renew', 'update', 'update', 'confirm']);
    expect([checkout.state, checkout.summary?.total.amount]).toEqual(['complete', '$45.00']);
    // Each update gives a new order object, so each is a `change`, even at the same total.
    expect(changes).toEqual(['$20.00:open', '$25.00:open', '$45.00:expired', '$20.00:open', '$45.00:open', '$45.00:open', '$45.00:complete']);
  });

  it('a renewal that comes back after destroy() is not taken: no ready, and the state stays destroyed', async () => {
    const adapter = new OrderAdapter();
    let renewed: (order: Order) => void = () => {};
    adapter.renew = () => new Promise<Order>((resolve) => (renewed = resolve));
    const checkout = createCheckout({ adapter, endpoint: ENDPOINT });
    await checkout.ready;
    const seen: string[] = [];
    checkout.on('ready', ({ session }) => seen.push(`ready:${session.id}`));
    checkout.on('change', ({ session }) => seen.push(`change:${session.id}`));
    adapter.order = { ...adapter.order, status: 'expired' };
    const refreshed = checkout.refresh(); // learns of the expiry, and starts the renewal
    await new Promise((r) => setTimeout(r, 10));
    checkout.destroy();
    renewed({ id: 'ord_2', cents: 2000, status: 'open' });
    const result = await refreshed;
    expect([result.type === 'error' && result.error.code, checkout.state, checkout.session?.id]).toEqual(['destroyed', 'destroyed', 'ord_1']);
    expect(seen).toEqual(['change:ord_1']);
  });
});
