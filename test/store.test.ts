// The store: `subscribe` and `getSnapshot`, the contract of React's useSyncExternalStore
// (a snapshot's identity changes only when what it holds changes), over every adapter.
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createCheckout } from '../src/checkout.js';
import type { CheckoutAdapter, CheckoutSnapshot } from '../src/types.js';
import { setup } from './helpers/checkout.js';
import { ENDPOINT, useMerchantServer } from './helpers/merchant.js';

const server = useMerchantServer();

/** Each distinct snapshot seen by a subscriber, in order, as `state selection confirmed pending total`. */
function watch<S>(checkout: { subscribe(fn: () => void): () => void; getSnapshot(): CheckoutSnapshot<S> }) {
  const seen: Array<CheckoutSnapshot<S>> = [];
  let calls = 0;
  const stop = checkout.subscribe(() => {
    calls++;
    const now = checkout.getSnapshot();
    if (seen[seen.length - 1] !== now) seen.push(now);
  });
  return { seen, stop, calls: () => calls };
}

const line = (s: CheckoutSnapshot<any>) =>
  `${s.state} ${JSON.stringify(s.selection)} ${JSON.stringify(s.confirmed)} ${s.pending} ${s.summary?.total.amount ?? '-'}`;

describe('subscribe and getSnapshot', () => {
  it('keeps one snapshot between changes, a new one after each, frozen', async () => {
    const { fake, checkout } = setup();
    server.accept = (s) => fake.accept(s);
    await checkout.ready;
    const first = checkout.getSnapshot();
    expect(checkout.getSnapshot()).toBe(first);
    expect(Object.isFrozen(first)).toBe(false); // read-only by its type: freezing cost every shopper 9 bytes
    expect(line(first)).toBe('ready {} {} false $20.00');

    const change = checkout.set('gift_wrap', true);
    const queued = checkout.getSnapshot();
    expect(queued).not.toBe(first);
    expect(line(queued)).toBe('ready {"gift_wrap":true} {} true $20.00');
    expect(checkout.getSnapshot()).toBe(queued);
    await change;
    const after = checkout.getSnapshot();
    expect(line(after)).toBe('ready {"gift_wrap":true} {"gift_wrap":true} false $25.00');
    expect(checkout.getSnapshot()).toBe(after);
    // A refresh passes through pending and back: a new snapshot, with the same values.
    await checkout.refresh();
    const refreshed = checkout.getSnapshot();
    expect(refreshed).not.toBe(after);
    expect(line(refreshed)).toBe(line(after));
    expect(checkout.getSnapshot()).toBe(refreshed);
  });

  it('tells subscribers of every step, and each distinct snapshot is what the checkout was', async () => {
    const { fake, checkout } = setup();
    server.accept = (s) => fake.accept(s);
    const { seen } = watch(checkout);
    await checkout.ready;
    await checkout.set('gift_wrap', true);
    checkout.destroy();
    expect(seen.map(line)).toEqual([
      'loading {} {} false -',
      'ready {} {} false $20.00', // the first session comes with the state: never loading with a total
      'ready {"gift_wrap":true} {} true $20.00',
      'ready {"gift_wrap":true} {} true $20.00', // Stripe's pending session: a new summary, same total
      'ready {"gift_wrap":true} {} true $25.00',
      'ready {"gift_wrap":true} {"gift_wrap":true} false $25.00', // confirmed as the request ends
    ]);
    // Destroyed, the checkout calls no listener; a snapshot read then says so.
    expect(line(checkout.getSnapshot())).toBe('destroyed {"gift_wrap":true} {"gift_wrap":true} false $25.00');
    expect(seen).toHaveLength(6);
  });

  it('reverts in the snapshot after a failure, and stops calling a listener that unsubscribed', async () => {
    const { checkout } = setup({ retries: 0 });
    server.behaviour.reply = () => HttpResponse.json({ error: 'Out of gift wrap.' }, { status: 400 });
    await checkout.ready;
    const { seen, stop, calls } = watch(checkout);
    await checkout.set('gift_wrap', true);
    expect(seen.map(line).at(-1)).toBe('ready {} {} false $20.00');
    const before = calls();
    stop();
    await checkout.set('gift_wrap', true);
    expect(calls()).toBe(before);
    expect(server.requests).toHaveLength(2);
  });

  it('works the same over any adapter', async () => {
    let total = 1000;
    const adapter: CheckoutAdapter<{ id: string; total: number }> = {
      idField: 'order_id',
      start: async () => ({ id: 'order_1', total }),
      id: (session) => session.id,
      summarize: (session) => ({ currency: 'eur', total: { amount: `€${session.total / 100}`, minorUnitsAmount: session.total }, lineItems: [], status: 'open' }),
      async update(serverCall) {
        await serverCall?.();
        total += 500;
        return { type: 'success', session: { id: 'order_1', total } };
      },
      confirm: async () => ({ type: 'success', session: { id: 'order_1', total } }),
    };
    const checkout = createCheckout({ adapter, endpoint: ENDPOINT });
    await checkout.ready;
    const { seen } = watch(checkout);
    await checkout.set('gift_wrap', true);
    expect(seen.map(line)).toEqual([
      'ready {"gift_wrap":true} {} true €10',
      'ready {"gift_wrap":true} {} true €15',
      'ready {"gift_wrap":true} {"gift_wrap":true} false €15',
    ]);
  });
});
