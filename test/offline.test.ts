// @vitest-environment happy-dom
// Offline-aware changes: while `navigator.onLine` is false, changes wait instead of failing,
// `loading` stays true, `confirm` refuses with `offline`, nothing is reverted; the `online`
// event sends the latest selection as one request.
import { HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCheckout } from '../src/checkout.js';
import { payrails } from '../src/adapters/payrails.js';
import { createFakePayrails } from '../src/testing/index.js';
import { setup as setupCheckout } from './helpers/checkout.js';
import { ENDPOINT, useMerchantServer } from './helpers/merchant.js';
import { authorising } from './helpers/payrails.js';

const server = useMerchantServer();
let online = true;
const onLine = () => vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => online);
// The window is this file's one browser: a checkout a test leaves behind would hear the next
// test's online event and send what it held.
const made: Array<{ destroy(): void }> = [];
afterEach(() => {
  online = true;
  for (const checkout of made.splice(0)) checkout.destroy();
});
const setup: typeof setupCheckout = (...args) => {
  const opened = setupCheckout(...args);
  made.push(opened.checkout);
  return opened;
};

/** The browser loses (or finds) the network: `navigator.onLine`, then the window's event. */
function network(now: boolean): void {
  online = now;
  window.dispatchEvent(new Event(now ? 'online' : 'offline'));
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('offline', () => {
  it('holds every change made offline, sends nothing, and sends the last selection as one request once online', async () => {
    onLine();
    const { fake, checkout, events } = setup();
    server.accept = (s) => fake.accept(s);
    await checkout.ready;
    events.length = 0;
    network(false);
    const results = [checkout.set('gift_wrap', true), checkout.set('warranty', true)];
    await settle();
    results.push(checkout.set('gift_wrap', false), checkout.set('shipping', 'express'));
    await settle();
    expect(server.requests).toHaveLength(0);
    expect([checkout.pending, checkout.selection, checkout.confirmed]).toEqual([true, { gift_wrap: false, warranty: true, shipping: 'express' }, {}]);
    // Told each time changes could have gone out (the two of each task merge), nothing reverted.
    expect(events).toEqual(['loading:true:update', 'error:offline:{}', 'error:offline:{}']);
    network(true);
    await checkout.idle();
    expect(server.requests.map((r) => r.body.selection)).toEqual([{ gift_wrap: false, warranty: true, shipping: 'express' }]);
    expect((await Promise.all(results)).map((r) => r.type)).toEqual(['success', 'success', 'success', 'success']);
    expect(checkout.confirmed).toEqual({ gift_wrap: false, warranty: true, shipping: 'express' });
    expect(events.slice(3)).toEqual([
      'change:$20.00:cannot-confirm', 'change:$55.00', 'update:{"gift_wrap":false,"warranty":true,"shipping":"express"}', 'loading:false:update',
    ]);
  });

  it('starts offline when the browser is, and says so with the first change', async () => {
    onLine();
    online = false;
    const { checkout, events } = setup();
    await checkout.ready;
    void checkout.set('gift_wrap', true);
    await settle();
    expect([server.requests.length, events.slice(-2)]).toEqual([0, ['loading:true:update', 'error:offline:{}']]);
  });

  it('back online while still loading, waits for the session: what was changed goes once, after ready', async () => {
    onLine();
    online = false;
    const { fake, checkout, events } = setup({}, { latencyMs: { loadActions: 40 } });
    server.accept = (s) => fake.accept(s);
    const result = checkout.set('gift_wrap', true);
    network(true);
    await settle();
    expect([checkout.state, server.requests.length]).toEqual(['loading', 0]);
    expect((await result).type).toBe('success');
    expect(server.requests.map((r) => [r.body.checkout_session_id, r.body.selection])).toEqual([['cs_test_fake_1', { gift_wrap: true }]]);
    expect(events.filter((e) => e.startsWith('ready') || e.startsWith('update'))).toEqual(['ready', 'update:{"gift_wrap":true}']);
  });

  it('refuses confirm with `offline` while changes wait, and charges nothing', async () => {
    onLine();
    const { fake, checkout } = setup();
    await checkout.ready;
    network(false);
    void checkout.set('gift_wrap', true);
    const result = await checkout.confirm();
    expect(result.type === 'error' && [result.error.code, result.error.message]).toEqual([
      'offline', 'You are offline: changes wait for the network.',
    ]);
    expect([fake.calls.confirm, server.requests.length, checkout.selection]).toEqual([0, 0, { gift_wrap: true }]);
  });

  it('keeps a change whose request met a network error while offline, and sends it once online, merged', async () => {
    onLine();
    const { fake, checkout, events } = setup({ retries: 0 });
    server.accept = (s) => fake.accept(s);
    server.behaviour.reply = (n) => (n === 0 ? (online = false, HttpResponse.error()) : undefined); // lost on the way
    await checkout.ready;
    events.length = 0;
    const first = checkout.set('gift_wrap', true);
    await settle();
    void checkout.set('warranty', true);
    await settle();
    expect([server.requests.length, checkout.pending, checkout.selection]).toEqual([1, true, { gift_wrap: true, warranty: true }]);
    // Not `network`, nothing reverted: told as the request failed, as the queue looked again, and
    // for the second change.
    expect(events.filter((e) => e.startsWith('error'))).toEqual(['error:offline:{}', 'error:offline:{}', 'error:offline:{}']);
    network(true);
    expect((await first).type).toBe('success');
    await checkout.idle();
    expect(server.requests.map((r) => r.body.selection)).toEqual([{ gift_wrap: true }, { gift_wrap: true, warranty: true }]);
    expect(checkout.confirmed).toEqual({ gift_wrap: true, warranty: true });
  });

  it('reverts a network error as before while the browser says it is online', async () => {
    onLine();
    const { checkout, events } = setup({ retries: 0 });
    server.behaviour.reply = () => HttpResponse.error();
    await checkout.ready;
    const result = await checkout.set('gift_wrap', true);
    expect(result.type === 'error' && result.error.code).toBe('network');
    expect([checkout.selection, events.filter((e) => e.startsWith('error'))]).toEqual([{}, ['error:network:{"gift_wrap":null}']]);
  });

  it('leaves no listener behind when destroyed offline, and the online event then sends nothing', async () => {
    onLine();
    const added = vi.spyOn(window, 'addEventListener');
    const removed = vi.spyOn(window, 'removeEventListener');
    const { checkout } = setup();
    await checkout.ready;
    network(false);
    const change = checkout.set('gift_wrap', true);
    checkout.destroy();
    const ours = (spy: typeof added) => spy.mock.calls.filter(([type]) => type === 'online' || type === 'offline').map(([type, fn]) => [type, fn]);
    expect(ours(added)).toHaveLength(1);
    expect(ours(removed)).toEqual(ours(added));
    network(true);
    await settle();
    expect([(await change).type, server.requests.length]).toEqual(['error', 0]);
  });

  it('works the same over Payrails', async () => {
    onLine();
    const fake = createFakePayrails();
    const checkout = createCheckout({ adapter: payrails({ client: fake.Payrails.init(fake.initPayload), locale: 'en-US' }), endpoint: ENDPOINT, initial: { tip: '0' } });
    made.push(checkout);
    authorising(server, fake);
    await checkout.ready;
    network(false);
    void checkout.set('tip', '10');
    void checkout.set('tip', '15');
    await settle();
    expect(server.requests).toHaveLength(0);
    network(true);
    await checkout.idle();
    expect([server.requests.map((r) => r.body.selection), fake.updates]).toEqual([[{ tip: '15' }], [{ value: '52.89', currency: 'EUR' }]]);
  });
});
