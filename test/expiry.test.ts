import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { setup } from './helpers/checkout.js';
import { unhandledRejectionsOf, useMerchantServer } from './helpers/merchant.js';

const server = useMerchantServer();

type Fake = ReturnType<typeof setup>['fake'];

/** The `change` handlers given to each SDK instance the checkout creates from now on, one list per instance. */
function changeHandlers(fake: Fake): Array<Array<(session: unknown) => void>> {
  const handlers: Array<Array<(session: unknown) => void>> = [];
  const init = fake.initCheckoutElementsSdk.bind(fake);
  fake.initCheckoutElementsSdk = (options) => {
    const sdk = init(options);
    const own: Array<(session: unknown) => void> = [];
    handlers.push(own);
    const on = sdk.on.bind(sdk);
    sdk.on = ((event: 'change', handler: (session: unknown) => void) => (own.push(handler), on(event, handler))) as typeof sdk.on;
    return sdk;
  };
  return handlers;
}

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

  it('tells of the expiry once, however often Stripe reports it again', async () => {
    const { fake, checkout, events } = setup();
    const handlers = changeHandlers(fake);
    await checkout.ready;
    events.length = 0;
    fake.expire();
    for (const handler of handlers[0] ?? []) handler({ ...checkout.session });
    expect(events).toEqual(['change:$20.00:cannot-confirm:expired', 'expired', 'change:$20.00:cannot-confirm:expired']);
    expect(checkout.state).toBe('expired');
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
    // The server's own refusal stays reachable, for a log.
    expect(result.type === 'error' && result.error.cause).toMatchObject({ code: 'http', status: 409, message: 'This checkout has ended.' });
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

  it('with onSessionExpired and nothing chosen, a refresh() renews the session and asks the server nothing', async () => {
    const { fake, checkout } = setup({ onSessionExpired: () => (fake.renew('cs_test_fake_2'), 'cs_test_fake_2_secret') });
    await checkout.ready;
    fake.expire({ silent: true });
    const result = await checkout.refresh();
    expect(result.type).toBe('success');
    expect([checkout.state, checkout.session?.id, server.requests.length]).toEqual(['ready', 'cs_test_fake_2', 0]);
  });

  it('a 410 from the server is read like a 409: the re-read shows the session expired', async () => {
    const { fake, checkout } = setup();
    server.behaviour.reply = () => (fake.expire({ silent: true }), HttpResponse.json({ error: 'Gone.' }, { status: 410 }));
    await checkout.ready;
    const result = await checkout.set('gift_wrap', true);
    expect(result.type === 'error' && [result.error.code, result.error.cause && (result.error.cause as { status?: number }).status]).toEqual(['session_expired', 410]);
    expect([checkout.state, checkout.selection, fake.calls.runServerUpdate]).toEqual(['expired', {}, 2]);
  });

  it('a 409 that reveals a paid session is session_expired saying it is complete, and nothing is renewed', async () => {
    let renewals = 0;
    const { fake, checkout } = setup({ onSessionExpired: () => (renewals++, 'cs_never_used') });
    server.behaviour.reply = () => (fake.complete({ silent: true }), HttpResponse.json({ error: 'Already paid.' }, { status: 409 }));
    await checkout.ready;
    const result = await checkout.set('gift_wrap', true);
    expect(result.type === 'error' && [result.error.code, result.error.message]).toEqual(['session_expired', 'This checkout is already complete.']);
    expect([checkout.state, renewals, fake.calls.initCheckoutElementsSdk]).toEqual(['complete', 0, 1]);
  });

  it('with onSessionExpired, a plain 400 is the refusal it is: no re-read, no renewal, the change reverted', async () => {
    let renewals = 0;
    const { fake, checkout, events } = setup({ onSessionExpired: () => (renewals++, 'cs_never_used') });
    server.behaviour.reply = () => HttpResponse.json({ error: 'Warranty unavailable.' }, { status: 400 });
    await checkout.ready;
    events.length = 0;
    const result = await checkout.set('warranty', 1);
    expect(result.type === 'error' && [result.error.code, result.error.message]).toEqual(['http', 'Warranty unavailable.']);
    expect([checkout.state, renewals, fake.calls.runServerUpdate, fake.calls.initCheckoutElementsSdk]).toEqual(['ready', 0, 1, 1]);
    expect(events.filter((e) => e.startsWith('error'))).toEqual(['error:http:{"warranty":null}']);
  });

  it('with onSessionExpired, a session that expires a second time is renewed again, and the selection follows each time', async () => {
    const secrets = ['cs_test_fake_2_secret', 'cs_test_fake_3_secret'];
    const made = setup({ onSessionExpired: () => (made.fake.renew(`cs_test_fake_${4 - secrets.length}`), secrets.shift() as string) });
    const { fake, checkout } = made;
    server.accept = (s) => fake.accept(s);
    await checkout.ready;
    await checkout.set('gift_wrap', true);
    fake.expire();
    await checkout.idle();
    fake.expire();
    await checkout.idle();
    expect(fake.clientSecrets).toEqual(['cs_test_fake_1_secret_abc', 'cs_test_fake_2_secret', 'cs_test_fake_3_secret']);
    expect(server.requests.map((r) => [r.body.checkout_session_id, r.body.changes])).toEqual([
      ['cs_test_fake_1', { gift_wrap: true }],
      ['cs_test_fake_2', { gift_wrap: true }],
      ['cs_test_fake_3', { gift_wrap: true }],
    ]);
    expect([checkout.state, checkout.session?.id, checkout.session?.total.total.amount]).toEqual(['ready', 'cs_test_fake_3', '$25.00']);
  });

  it('with onSessionExpired failing, the change fails with init_failed, the session stays expired, and the next change tries again', async () => {
    let calls = 0;
    const made = setup({
      onSessionExpired: () => (++calls === 1 ? Promise.reject(new Error('503 from /checkout-session')) : (made.fake.renew('cs_test_fake_2'), 'cs_test_fake_2_secret')),
    });
    const { fake, checkout } = made;
    server.accept = (s) => fake.accept(s);
    await checkout.ready;
    fake.expire();
    const failed = await checkout.set('tip', 2);
    expect(failed.type === 'error' && [failed.error.code, failed.error.message]).toEqual(['init_failed', 'The client secret could not be obtained: 503 from /checkout-session']);
    expect([checkout.state, checkout.selection, server.requests.length]).toEqual(['expired', {}, 0]);
    const retried = await checkout.set('tip', 3);
    expect(retried.type).toBe('success');
    expect([calls, checkout.state, checkout.session?.id, checkout.confirmed]).toEqual([2, 'ready', 'cs_test_fake_2', { tip: 3 }]);
    expect(server.requests.map((r) => [r.body.checkout_session_id, r.body.changes])).toEqual([['cs_test_fake_2', { tip: 3 }]]);
  });

  it('after a renewal, a change the server refuses goes back to what the new session holds, not to the old one', async () => {
    const made = setup({ onSessionExpired: () => (made.fake.renew('cs_test_fake_2'), 'cs_test_fake_2_secret') });
    const { fake, checkout, events } = made;
    server.accept = (s) => fake.accept(s);
    await checkout.ready;
    await checkout.set('gift_wrap', true);
    server.behaviour.reply = () => HttpResponse.json({ error: 'Gift wrap is sold out.' }, { status: 400 });
    events.length = 0;
    fake.expire();
    await checkout.idle();
    // The new session holds the base item only: the page shows that, not the gift wrap of the old one.
    expect([checkout.session?.id, checkout.confirmed, checkout.selection, checkout.session?.total.total.amount]).toEqual(['cs_test_fake_2', {}, {}, '$20.00']);
    expect(events.filter((e) => e.startsWith('error'))).toEqual(['error:http:{"gift_wrap":null}']);
  });

  it("after a renewal, the old SDK instance's change events are ignored: the page keeps the new session", async () => {
    const made = setup({ onSessionExpired: () => (made.fake.renew('cs_test_fake_2'), 'cs_test_fake_2_secret') });
    const { fake, checkout, events } = made;
    // Each instance's change handlers, to speak for the old one once it has been replaced.
    const handlers = changeHandlers(fake);
    await checkout.ready;
    const old = checkout.session;
    fake.expire();
    await checkout.idle();
    events.length = 0;
    for (const handler of handlers[0] ?? []) handler({ ...old, total: { ...old!.total, total: { amount: '$99.00', minorUnitsAmount: 9900 } } });
    expect([handlers.length, handlers[0]?.length]).toEqual([2, 1]);
    expect(events).toEqual([]);
    expect([checkout.state, checkout.session?.id, checkout.session?.total.total.amount]).toEqual(['ready', 'cs_test_fake_2', '$20.00']);
  });

  it('leaves no unhandled rejection when nobody reads the results of changes to a session that ended, or whose renewal failed', async () => {
    const ended = setup();
    const renewing = setup({ onSessionExpired: () => Promise.reject(new Error('The server could not create a session')) });
    const leaked = await unhandledRejectionsOf(async () => {
      await Promise.all([ended.checkout.ready, renewing.checkout.ready]);
      ended.fake.expire();
      renewing.fake.expire();
      void ended.checkout.set('tip', 1);
      void ended.checkout.confirm();
      void renewing.checkout.set('tip', 1);
      await Promise.all([ended.checkout.idle(), renewing.checkout.idle()]);
    });
    expect(ended.events.filter((e) => e.startsWith('error'))).toEqual(['error:session_expired:{"tip":null}']);
    expect(renewing.events.filter((e) => e.startsWith('error'))).toEqual(['error:init_failed:{"tip":null}']);
    expect(leaked).toEqual([]);
  });
});
