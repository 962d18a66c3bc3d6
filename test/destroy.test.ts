import { describe, expect, it } from 'vitest';
import { isCheckoutUpdateError } from '../src/errors.js';
import { setup } from './helpers/checkout.js';
import { unhandledRejectionsOf, useMerchantServer } from './helpers/merchant.js';

const server = useMerchantServer();

const codeOf = (r: { type: string; error?: { code: string } }) => (r.type === 'error' ? r.error?.code : r.type);

describe('destroy()', () => {
  it('mid-flight: aborts the request, settles sent and queued changes with destroyed, and emits nothing more', async () => {
    const { fake, checkout, events } = setup();
    server.accept = (s) => fake.accept(s);
    server.behaviour.latencyMs = 50;
    await checkout.ready;
    const sent = checkout.set('gift_wrap', true);
    await new Promise((r) => setTimeout(r, 10));
    const queued = checkout.set('tip', 2);
    const before = events.length;
    let late = 0;
    checkout.on('change', () => late++);
    checkout.destroy();
    expect(checkout.state).toBe('destroyed');
    expect([codeOf(await sent), codeOf(await queued)]).toEqual(['destroyed', 'destroyed']);
    await new Promise((r) => setTimeout(r, 80)); // past the server's reply
    expect(events.length).toBe(before);
    expect(late).toBe(0);
    expect(server.requests).toHaveLength(1);
    // The server may have applied it, but the page never re-read the session after destroy.
    expect(checkout.session?.total.total.amount).toBe('$20.00');
    expect(fake.calls.runServerUpdate).toBe(1);
    expect(checkout.pending).toBe(false);
    await checkout.idle();
  });

  it('during start-up: ready rejects with destroyed and no event is emitted', async () => {
    const { checkout, events, fake } = setup();
    checkout.destroy();
    const outcome = await checkout.ready.then(() => 'resolved', (e: unknown) => (isCheckoutUpdateError(e) ? e.code : 'other'));
    expect(outcome).toBe('destroyed');
    expect(events).toEqual([]);
    expect(fake.calls.loadActions).toBe(0);
  });

  it('while Stripe loads the actions: ready rejects with destroyed, the state stays destroyed, and nothing is emitted', async () => {
    const { checkout, events, fake } = setup({}, { latencyMs: { loadActions: 20 } });
    await new Promise((r) => setTimeout(r, 5));
    expect(fake.calls.loadActions).toBe(1);
    checkout.destroy();
    const outcome = await checkout.ready.then(() => 'resolved', (e: unknown) => (isCheckoutUpdateError(e) ? e.code : 'other'));
    await new Promise((r) => setTimeout(r, 30)); // past the actions' arrival
    expect([outcome, checkout.state, checkout.session]).toEqual(['destroyed', 'destroyed', null]);
    expect(events).toEqual(['loading:true:init']);
  });

  it('while onSessionExpired renews: the new session is not taken, no ready is emitted, and the state stays destroyed', async () => {
    let secret: (value: string) => void = () => {};
    const made = setup({ onSessionExpired: () => new Promise<string>((resolve) => (secret = resolve)) });
    const { fake, checkout, events } = made;
    await checkout.ready;
    fake.expire(); // the renewal starts at once, and waits for the merchant's new secret
    events.length = 0;
    checkout.destroy();
    fake.renew('cs_test_fake_2');
    secret('cs_test_fake_2_secret');
    await new Promise((r) => setTimeout(r, 30));
    expect([checkout.state, checkout.session?.id, events]).toEqual(['destroyed', 'cs_test_fake_1', []]);
    expect(fake.calls.initCheckoutElementsSdk).toBe(1);
  });

  it('after destroy, set/refresh/confirm resolve with destroyed without a request', async () => {
    const { checkout } = setup();
    await checkout.ready;
    checkout.destroy();
    checkout.destroy(); // twice is harmless
    expect(codeOf(await checkout.set('tip', 1))).toBe('destroyed');
    expect(codeOf(await checkout.refresh())).toBe('destroyed');
    expect(codeOf(await checkout.confirm() as never)).toBe('destroyed');
    expect(server.requests).toHaveLength(0);
  });

  it('leaves no unhandled rejection when nobody awaits ready or the changes a destroy cut short', async () => {
    const starting = setup();
    const sending = setup();
    server.behaviour.latencyMs = 20;
    const leaked = await unhandledRejectionsOf(async () => {
      void starting.checkout.set('tip', 1);
      starting.checkout.destroy(); // ready rejects with destroyed
      await sending.checkout.ready;
      void sending.checkout.set('gift_wrap', true);
      void sending.checkout.set('tip', 2);
      await new Promise((r) => setTimeout(r, 5));
      sending.checkout.destroy();
      void sending.checkout.confirm();
    });
    expect([starting.checkout.state, sending.checkout.state, server.requests.length]).toEqual(['destroyed', 'destroyed', 1]);
    expect(leaked).toEqual([]);
  });
});
