import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { setup } from './helpers/checkout.js';
import { unhandledRejectionsOf, useMerchantServer } from './helpers/merchant.js';

const server = useMerchantServer();

describe('confirm()', () => {
  it('waits until the pending update has landed, then confirms once with the arguments', async () => {
    const { fake, checkout } = setup();
    server.accept = (s) => fake.accept(s);
    server.behaviour.latencyMs = 30;
    await checkout.ready;
    const order: string[] = [];
    checkout.on('update', () => order.push('update'));
    void checkout.set('gift_wrap', true);
    const result = await checkout.confirm({ returnUrl: 'https://shop.test/thanks' });
    order.push('confirmed');
    expect(order).toEqual(['update', 'confirmed']);
    expect(result.type).toBe('success');
    expect(fake.calls.confirm).toBe(1);
    expect(fake.confirmArgs).toEqual([{ returnUrl: 'https://shop.test/thanks' }]);
    expect(server.accepted).toEqual({ gift_wrap: true });
    expect(checkout.state).toBe('complete');
  });

  it('a second call while the first runs confirms once and gives the same result', async () => {
    const { fake, checkout } = setup({}, { latencyMs: { confirm: 20 } });
    await checkout.ready;
    const [a, b] = await Promise.all([checkout.confirm(), checkout.confirm()]);
    expect(a).toBe(b);
    expect(fake.calls.confirm).toBe(1);
  });

  it('refuses with confirm_blocked, without charging, when an update fails while it waits', async () => {
    const { fake, checkout } = setup();
    server.behaviour.latencyMs = 20;
    server.behaviour.reply = () => HttpResponse.json({ error: 'Warranty unavailable.' }, { status: 400 });
    await checkout.ready;
    void checkout.set('warranty', 2);
    const result = await checkout.confirm();
    expect(result.type === 'error' && 'code' in result.error && result.error.code).toBe('confirm_blocked');
    expect(fake.calls.confirm).toBe(0);
    expect(checkout.selection).toEqual({});
    // The customer has seen the reverted total: the next confirmation goes through.
    expect((await checkout.confirm()).type).toBe('success');
    expect(fake.calls.confirm).toBe(1);
  });

  it("passes Stripe's own {type: 'error'} through, and turns a rejection into server_update_failed", async () => {
    const { fake, checkout } = setup();
    await checkout.ready;
    fake.failNext('confirm', 'error');
    const declined = await checkout.confirm();
    expect(declined.type === 'error' && declined.error.code).toBe('paymentFailed');
    fake.failNext('confirm', 'reject');
    const thrown = await checkout.confirm();
    expect(thrown.type === 'error' && thrown.error.code).toBe('server_update_failed');
    expect(fake.calls.confirm).toBe(2);
  });

  it('gives init_failed when start-up failed, without calling Stripe', async () => {
    const { fake, checkout } = setup({ clientSecret: () => Promise.reject(new Error('offline')) });
    const result = await checkout.confirm();
    expect(result.type === 'error' && result.error.code).toBe('init_failed');
    expect(fake.calls.confirm).toBe(0);
  });

  it('holds a change made while a slow confirm runs; after a successful payment it resolves session_expired with no request', async () => {
    const { fake, checkout, events } = setup({}, { latencyMs: { confirm: 40 } });
    server.accept = (s) => fake.accept(s);
    await checkout.ready;
    events.length = 0;
    const paying = checkout.confirm();
    await new Promise((resolve) => setTimeout(resolve, 10)); // Stripe's confirm is running now
    const change = checkout.set('gift_wrap', true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect([server.requests.length, checkout.pending]).toEqual([0, true]);
    expect((await paying).type).toBe('success');
    const result = await change;
    expect(result.type === 'error' && [result.error.code, result.error.message]).toEqual(['session_expired', 'This checkout is already complete.']);
    expect(server.requests).toHaveLength(0);
    expect(checkout.selection).toEqual({});
    expect(events).toEqual(['loading:true:update', 'change:$20.00:cannot-confirm:complete', 'error:session_expired:{"gift_wrap":null}', 'loading:false:update']);
  });

  it('holds a change made while a slow confirm runs; after a declined payment it sends it', async () => {
    const { fake, checkout } = setup({}, { latencyMs: { confirm: 40 } });
    server.accept = (s) => fake.accept(s);
    await checkout.ready;
    fake.failNext('confirm', 'error');
    const paying = checkout.confirm();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const change = checkout.set('gift_wrap', true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(server.requests).toHaveLength(0);
    const declined = await paying;
    expect(declined.type === 'error' && declined.error.code).toBe('paymentFailed');
    expect(server.requests).toHaveLength(0); // the hold was let go as confirm settled; the change goes out next
    const result = await change;
    expect(result.type === 'success' && result.session.total.total.amount).toBe('$25.00');
    expect(server.requests.map((r) => r.body.changes)).toEqual([{ gift_wrap: true }]);
  });

  it('with a debounce, a change held during confirm is sent once the payment is declined, not left waiting', async () => {
    const { fake, checkout } = setup({ debounceMs: 60 }, { latencyMs: { confirm: 30 } });
    server.accept = (s) => fake.accept(s);
    await checkout.ready;
    fake.failNext('confirm', 'error');
    const paying = checkout.confirm();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const change = checkout.set('gift_wrap', true); // its debounce timer is still running when confirm settles
    expect((await paying).type).toBe('error');
    const result = await Promise.race([change, new Promise((resolve) => setTimeout(() => resolve('still waiting'), 1000))]);
    expect(result !== 'still waiting' && (result as { type: string }).type).toBe('success');
    expect([server.requests.length, checkout.pending]).toEqual([1, false]);
  });

  it('a change listener that destroys the checkout once paid leaves it destroyed: nothing more is emitted or queued', async () => {
    const { checkout, events } = setup();
    await checkout.ready;
    checkout.on('change', () => checkout.state === 'complete' && checkout.destroy()); // an SPA leaving for its thank-you route
    events.length = 0;
    await checkout.confirm();
    expect(checkout.state).toBe('destroyed');
    const after = await checkout.set('gift_wrap', true);
    expect(after.type === 'error' && after.error.code).toBe('destroyed');
    expect(events).toEqual(['change:$20.00:cannot-confirm:complete']);
  });

  it('a change listener already reads state complete for the session that was paid', async () => {
    const { checkout } = setup();
    await checkout.ready;
    const seen: string[] = [];
    checkout.on('change', ({ session }) => seen.push(`${session.status.type}:${checkout.state}`));
    expect((await checkout.confirm()).type).toBe('success');
    expect(seen).toEqual(['complete:complete']);
  });

  it('leaves no unhandled rejection when nobody reads the results of payments that fail', async () => {
    const blocked = setup();
    const broken = setup({ clientSecret: () => Promise.reject(new Error('offline')) });
    server.behaviour.reply = () => HttpResponse.json({ error: 'Warranty unavailable.' }, { status: 400 });
    const leaked = await unhandledRejectionsOf(async () => {
      void broken.checkout.confirm();
      await blocked.checkout.ready;
      void blocked.checkout.set('warranty', 2);
      void blocked.checkout.confirm(); // confirm_blocked
      await blocked.checkout.idle();
      await new Promise((r) => setTimeout(r, 0)); // the refused confirm has settled
      blocked.fake.failNext('confirm', 'reject');
      void blocked.checkout.confirm(); // server_update_failed
    });
    expect([blocked.fake.calls.confirm, broken.fake.calls.confirm]).toEqual([1, 0]);
    expect(leaked).toEqual([]);
  });
});
