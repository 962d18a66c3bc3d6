import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { setup } from './helpers/checkout.js';
import { unhandledRejectionsOf, useMerchantServer } from './helpers/merchant.js';

const server = useMerchantServer();

describe('updates through runServerUpdate', () => {
  it('emits the exact sequence of an init and of one update, and the total follows the server', async () => {
    const { fake, checkout, events } = setup();
    server.accept = (s) => fake.accept(s);
    await checkout.ready;
    const result = await checkout.set('gift_wrap', true);
    expect(result.type).toBe('success');
    expect(events).toEqual([
      'loading:true:init', 'ready', 'change:$20.00', 'loading:false:init',
      'loading:true:update', 'change:$20.00:cannot-confirm', 'change:$25.00', 'update:{"gift_wrap":true}', 'loading:false:update',
    ]);
    expect(server.requests.map((r) => r.body)).toEqual([
      { checkout_session_id: 'cs_test_fake_1', selection: { gift_wrap: true }, changes: { gift_wrap: true } },
    ]);
    expect(checkout.session?.total.total.minorUnitsAmount).toBe(2500);
    expect(fake.calls.runServerUpdate).toBe(1);
  });

  it('turns 20 changes over 3 add-ons made during one update into 2 requests, never 2 at once, both sides equal', async () => {
    const { fake, checkout } = setup();
    server.accept = (s) => fake.accept(s);
    server.behaviour.latencyMs = 30;
    await checkout.ready;
    const results = [checkout.set('gift_wrap', true)];
    await new Promise((r) => setTimeout(r, 5)); // the first request is now in flight
    for (let i = 0; i < 20; i++) {
      if (i % 3 === 0) results.push(checkout.toggle('gift_wrap'));
      if (i % 3 === 1) results.push(checkout.set('warranty', i % 4));
      if (i % 3 === 2) results.push(checkout.set('shipping', i % 2 ? 'express' : 'standard'));
    }
    await checkout.idle();
    expect(server.requests).toHaveLength(2);
    expect(server.maxInFlight).toBe(1);
    expect(fake.calls.runServerUpdate).toBe(2);
    expect(fake.calls.maxRunServerUpdateInFlight).toBe(1);
    // gift_wrap: set, then toggled 7 times; warranty: 19 % 4; shipping: 17 is odd.
    const final = { gift_wrap: false, warranty: 3, shipping: 'express' };
    expect(checkout.selection).toEqual(final);
    expect(checkout.confirmed).toEqual(final);
    expect(server.accepted).toEqual(final);
    // $20 + 3 × $20 + $15
    expect(checkout.session?.total.total.minorUnitsAmount).toBe(9500);
    expect((await Promise.all(results)).map((r) => r.type)).toEqual(Array(21).fill('success'));
  });

  it('sends nothing for a change undone before it was sent', async () => {
    const { fake, checkout, events } = setup({ initial: { gift_wrap: false } });
    await checkout.ready;
    events.length = 0;
    void checkout.toggle('gift_wrap');
    await checkout.toggle('gift_wrap');
    expect(server.requests).toHaveLength(0);
    expect(fake.calls.runServerUpdate).toBe(0);
    expect(events).toEqual(['loading:true:update', 'loading:false:update']);
  });

  it('reports a 400 from the server as an error, although runServerUpdate itself succeeded, and reverts', async () => {
    const { fake, checkout, events } = setup({ initial: { gift_wrap: false } });
    server.behaviour.reply = () => HttpResponse.json({ error: 'Gift wrap is sold out.' }, { status: 400 });
    await checkout.ready;
    events.length = 0;
    const result = await checkout.set('gift_wrap', true);
    expect(result.type === 'error' && [result.error.code, result.error.status, result.error.message]).toEqual(['http', 400, 'Gift wrap is sold out.']);
    // Stripe still refreshed the session (its runServerUpdate succeeded): the totals did not move.
    expect(events).toEqual(['loading:true:update', 'change:$20.00:cannot-confirm', 'change:$20.00', 'error:http:{"gift_wrap":false}', 'loading:false:update']);
    expect(checkout.selection).toEqual({ gift_wrap: false });
    expect(checkout.session?.total.total.minorUnitsAmount).toBe(2000);
    expect(server.requests).toHaveLength(1);
    expect(fake.calls.runServerUpdate).toBe(1);
  });

  it('reverts only the failed keys, keeps a later change, and sends the later one next', async () => {
    const { fake, checkout } = setup();
    server.accept = (s) => fake.accept(s);
    server.behaviour.latencyMs = 20;
    server.behaviour.reply = (n) => (n === 0 ? HttpResponse.json({ error: 'No' }, { status: 422 }) : undefined);
    await checkout.ready;
    const first = checkout.set({ gift_wrap: true, warranty: 1 });
    await new Promise((r) => setTimeout(r, 5));
    const later = checkout.set('shipping', 'express');
    expect((await first).type).toBe('error');
    expect((await later).type).toBe('success');
    expect(server.requests.map((r) => r.body.selection)).toEqual([
      { gift_wrap: true, warranty: 1 },
      { shipping: 'express' },
    ]);
    expect(checkout.confirmed).toEqual({ shipping: 'express' });
    expect(checkout.session?.total.total.minorUnitsAmount).toBe(3500);
  });

  it('in serial mode sends one delta request per change, in order, with the endpoint body builder', async () => {
    const { fake, checkout } = setup({
      mode: 'serial',
      endpoint: { url: 'http://shop.test/update-checkout', body: (u) => ({ checkout_session_id: u.sessionId, selection: u.selection, changes: u.changes, product_id: Object.keys(u.changes)[0] }) },
    });
    server.accept = (s) => fake.accept(s);
    await checkout.ready;
    void checkout.set('gift_wrap', true);
    void checkout.set('warranty', 1);
    await checkout.set('gift_wrap', false);
    expect(server.requests.map((r) => (r.body as unknown as { product_id: string }).product_id)).toEqual(['gift_wrap', 'warranty', 'gift_wrap']);
    expect(server.requests.map((r) => r.body.changes)).toEqual([{ gift_wrap: true }, { warranty: 1 }, { gift_wrap: false }]);
    expect(new Set(server.requests.map((r) => r.idempotencyKey)).size).toBe(3);
    expect(server.maxInFlight).toBe(1);
    expect(checkout.confirmed).toEqual({ gift_wrap: false, warranty: 1 });
  });

  it('refresh() re-reads the session without calling the server', async () => {
    const { fake, checkout, events } = setup();
    await checkout.ready;
    fake.accept({ tip: 5 }); // changed behind the page's back, e.g. by a webhook
    events.length = 0;
    const result = await checkout.refresh();
    expect(result.type === 'success' && result.session.total.total.amount).toBe('$25.00');
    expect(server.requests).toHaveLength(0);
    expect(fake.calls.runServerUpdate).toBe(1);
    expect(events).toEqual(['loading:true:update', 'change:$20.00:cannot-confirm', 'change:$25.00', 'loading:false:update']);
  });

  it('when the server applied a change but Stripe could not refresh: server_update_failed, and the change is kept, not reverted', async () => {
    const { fake, checkout, events } = setup();
    server.accept = (s) => fake.accept(s);
    await checkout.ready;
    fake.failNext('runServerUpdate', 'error');
    const result = await checkout.set('tip', 3);
    expect(result.type === 'error' && result.error.code).toBe('server_update_failed');
    expect(events.slice(-2)).toEqual(['error:server_update_failed:{}', 'loading:false:update']);
    expect([checkout.selection, checkout.confirmed, server.accepted]).toEqual([{ tip: 3 }, { tip: 3 }, { tip: 3 }]);
    fake.failNext('runServerUpdate', 'reject');
    const rejected = await checkout.set('tip', 4);
    expect(rejected.type === 'error' && rejected.error.code).toBe('server_update_failed');
    expect([checkout.confirmed, server.accepted]).toEqual([{ tip: 4 }, { tip: 4 }]);
    // The next refresh brings the totals the server computed: $20 + 4 × $1.
    await checkout.refresh();
    expect(checkout.session?.total.total.amount).toBe('$24.00');
  });

  it('when Stripe refuses the update before calling your server, the change goes back: nothing was applied', async () => {
    const { fake, checkout, events } = setup();
    await checkout.ready;
    // As Stripe.js answers when it cannot start the update at all: the function is never called.
    const actions = checkout.actions as { runServerUpdate: (fn: () => Promise<unknown>) => Promise<unknown> };
    actions.runServerUpdate = async () => ({ type: 'error', error: { message: 'Something went wrong.', code: null } });
    events.length = 0;
    const result = await checkout.set('tip', 3);
    expect(result.type === 'error' && [result.error.code, result.error.message]).toEqual(['server_update_failed', 'Something went wrong.']);
    expect([checkout.selection, checkout.confirmed, server.requests.length, fake.calls.runServerUpdate]).toEqual([{}, {}, 0, 0]);
    expect(events).toEqual(['loading:true:update', 'error:server_update_failed:{"tip":null}', 'loading:false:update']);
  });

  it('refuses bad input at once with invalid_option, and keeps the selection', async () => {
    const { checkout } = setup({ initial: { tip: 1 } });
    expect(() => checkout.set('__proto__', true)).toThrowError(/add-on name/);
    expect(() => checkout.set('tip', { amount: 5 } as never)).toThrowError('Expected the value of "tip" to be a boolean, a finite number, a string or null, got `{"amount":5}` (object)');
    expect(() => checkout.set('tip', Number.NaN)).toThrowError(/finite number/);
    expect(() => checkout.set(JSON.parse('{"__proto__": 1}'))).toThrowError(/add-on name/);
    expect(checkout.selection).toEqual({ tip: 1 });
    expect(checkout.pending).toBe(false);
    checkout.destroy();
  });

  it('leaves no unhandled rejection when nobody reads the results of updates that fail', async () => {
    const { checkout, events } = setup();
    server.behaviour.reply = (n) => (n === 0 ? HttpResponse.json({ error: 'No.' }, { status: 400 }) : HttpResponse.error());
    const leaked = await unhandledRejectionsOf(async () => {
      await checkout.ready;
      void checkout.set('gift_wrap', true);
      await checkout.idle();
      void checkout.set('warranty', 1);
      await checkout.idle();
    });
    expect(events.filter((e) => e.startsWith('error'))).toEqual(['error:http:{"gift_wrap":null}', 'error:network:{"warranty":null}']);
    expect(leaked).toEqual([]);
  });
});
