import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { setup } from './helpers/checkout.js';
import { trackUnhandledRejections, useMerchantServer } from './helpers/merchant.js';

const server = useMerchantServer();
const unhandled = trackUnhandledRejections();

describe('a session that ends', () => {
  it('expired: fires expired, sets the state, and refuses updates and confirm with session_expired', async () => {
    const { fake, checkout, events } = setup();
    await checkout.ready;
    events.length = 0;
    fake.expire();
    expect(checkout.state).toBe('expired');
    expect(events).toEqual(['change:$20.00:cannot-confirm:expired', 'expired']);
    const result = await checkout.set('gift_wrap', true);
    expect(result.type === 'error' && result.error.code).toBe('session_expired');
    expect(checkout.selection).toEqual({});
    const confirmed = await checkout.confirm();
    expect(confirmed.type === 'error' && confirmed.error.code).toBe('session_expired');
    expect(server.requests).toHaveLength(0);
    expect(fake.calls.runServerUpdate).toBe(0);
    expect(fake.calls.confirm).toBe(0);
  });

  it('complete: sets the state to complete without an expired event, and refuses updates', async () => {
    const { fake, checkout, events } = setup();
    await checkout.ready;
    events.length = 0;
    fake.complete();
    expect(checkout.state).toBe('complete');
    expect(events).toEqual(['change:$20.00:cannot-confirm:complete']);
    const result = await checkout.set('tip', 1);
    expect(result.type === 'error' && [result.error.code, result.error.message]).toEqual(['session_expired', 'This checkout is already complete.']);
    const paid = await checkout.confirm();
    expect(paid.type === 'error' && [paid.error.code, paid.error.message]).toEqual(['session_expired', 'This checkout is already complete.']);
    expect(fake.calls.confirm).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  it('a 409 from the server makes the page re-read the session and learn that it expired', async () => {
    const { fake, checkout, events } = setup();
    server.behaviour.reply = () => {
      fake.expire({ silent: true }); // the page is not told: only a re-read shows it
      return HttpResponse.json({ error: 'This checkout has ended.' }, { status: 409 });
    };
    await checkout.ready;
    events.length = 0;
    const result = await checkout.set('gift_wrap', true);
    expect(result.type === 'error' && [result.error.code, result.error.message]).toEqual(['session_expired', 'This checkout session has expired: reload the page to start again.']);
    expect(checkout.state).toBe('expired');
    expect(events).toEqual([
      'loading:true:update',
      'change:$20.00:cannot-confirm', 'change:$20.00', // the update that got the 409
      'change:$20.00:cannot-confirm', 'change:$20.00:cannot-confirm:expired', 'expired', // the re-read
      'error:session_expired:{"gift_wrap":null}', 'loading:false:update',
    ]);
    expect(fake.calls.runServerUpdate).toBe(2);
  });

  it('with onSessionExpired: a new secret, a new SDK instance, ready again, and the selection re-applied as one update', async () => {
    let renewals = 0;
    const { fake, checkout, events } = setup({
      onSessionExpired: () => {
        renewals++;
        fake.renew('cs_test_fake_2'); // the merchant's server created a new session
        return 'cs_test_fake_2_secret_xyz';
      },
    });
    server.accept = (s) => fake.accept(s);
    await checkout.ready;
    await checkout.set({ gift_wrap: true, shipping: 'express' });
    events.length = 0;
    fake.expire();
    await checkout.idle();
    expect(renewals).toBe(1);
    expect(fake.calls.initCheckoutElementsSdk).toBe(2);
    expect(fake.clientSecrets).toEqual(['cs_test_fake_1_secret_abc', 'cs_test_fake_2_secret_xyz']);
    expect(checkout.state).toBe('ready');
    expect(checkout.session?.id).toBe('cs_test_fake_2');
    expect(server.requests.map((r) => r.body)).toEqual([
      { checkout_session_id: 'cs_test_fake_1', selection: { gift_wrap: true, shipping: 'express' }, changes: { gift_wrap: true, shipping: 'express' } },
      { checkout_session_id: 'cs_test_fake_2', selection: { gift_wrap: true, shipping: 'express' }, changes: { gift_wrap: true, shipping: 'express' } },
    ]);
    expect(checkout.confirmed).toEqual({ gift_wrap: true, shipping: 'express' });
    expect(checkout.session?.total.total.amount).toBe('$40.00');
    expect(events).toEqual([
      'change:$40.00:cannot-confirm:expired', 'expired',
      'loading:true:update', 'ready', 'change:$20.00', // the new session, with the base item only
      'change:$20.00:cannot-confirm', 'change:$40.00', 'update:{"gift_wrap":true,"shipping":"express"}', 'loading:false:update',
    ]);
  });

  it('with onSessionExpired, a 409 mid-update renews the session and the change still lands', async () => {
    const { fake, checkout } = setup({
      onSessionExpired: () => (fake.renew('cs_test_fake_2'), 'cs_test_fake_2_secret'),
    });
    server.accept = (s) => fake.accept(s);
    server.behaviour.reply = (n) => {
      if (n > 0) return undefined;
      fake.expire({ silent: true });
      return HttpResponse.json({ error: 'Expired.' }, { status: 409 });
    };
    await checkout.ready;
    const result = await checkout.set('warranty', 1);
    expect(result.type).toBe('success');
    expect(server.requests.map((r) => r.body.checkout_session_id)).toEqual(['cs_test_fake_1', 'cs_test_fake_2']);
    expect(checkout.confirmed).toEqual({ warranty: 1 });
    expect(checkout.session?.total.total.amount).toBe('$40.00');
  });

  it('with onSessionExpired, a refresh() that discovers the expiry renews the session', async () => {
    const { fake, checkout } = setup({ onSessionExpired: () => (fake.renew('cs_test_fake_2'), 'cs_test_fake_2_secret') });
    server.accept = (s) => fake.accept(s);
    await checkout.ready;
    await checkout.set('gift_wrap', true);
    fake.expire({ silent: true });
    const result = await checkout.refresh();
    expect(result.type).toBe('success');
    expect([checkout.state, checkout.session?.id, checkout.session?.total.total.amount]).toEqual(['ready', 'cs_test_fake_2', '$25.00']);
    expect(server.requests.map((r) => r.body.checkout_session_id)).toEqual(['cs_test_fake_1', 'cs_test_fake_2']);
  });

  it('left no unhandled rejection behind', () => {
    expect(unhandled).toEqual([]);
  });
});
