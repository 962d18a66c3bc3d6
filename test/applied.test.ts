// refresh(applied): the selection your server already holds, applied elsewhere (another tab of
// the same session), taken as the confirmed one with no request to your server.
import { describe, expect, it } from 'vitest';
import { setup } from './helpers/checkout.js';
import { useMerchantServer } from './helpers/merchant.js';

const server = useMerchantServer();

describe('refresh(applied)', () => {
  it('takes the applied selection as confirmed and desired, re-reads the session once, and asks your server nothing', async () => {
    const { fake, checkout, events } = setup();
    await checkout.ready;
    events.length = 0;
    fake.accept({ gift_wrap: true }); // another tab's update reached the session
    const result = await checkout.refresh({ gift_wrap: true });
    expect(result.type).toBe('success');
    expect([checkout.confirmed, checkout.selection, server.requests.length, fake.calls.runServerUpdate]).toEqual([{ gift_wrap: true }, { gift_wrap: true }, 0, 1]);
    expect(events).toEqual(['loading:true:update', 'change:$20.00:cannot-confirm', 'change:$25.00', 'loading:false:update']);
  });

  it('sends a change that waits over the applied selection', async () => {
    const { fake, checkout } = setup({ debounceMs: 20 });
    server.accept = (s) => fake.accept(s);
    await checkout.ready;
    const change = checkout.set('warranty', 1); // waits for its debounce
    fake.accept({ gift_wrap: true });
    void checkout.refresh({ gift_wrap: true });
    await change;
    expect(server.requests.map((r) => r.body)).toEqual([
      { checkout_session_id: 'cs_test_fake_1', selection: { gift_wrap: true, warranty: 1 }, changes: { warranty: 1 } },
    ]);
    expect(checkout.confirmed).toEqual({ gift_wrap: true, warranty: 1 });
  });

  it('refuses an applied selection that is no selection, as set does, and keeps the confirmed one', async () => {
    const { checkout } = setup({ initial: { gift_wrap: true } });
    await checkout.ready;
    expect(() => checkout.refresh({ gift_wrap: { on: true } } as never)).toThrowError(
      'Expected the value of "gift_wrap" to be a boolean, a finite number, a string or null, got `{"on":true}` (object)',
    );
    expect(() => checkout.refresh(['gift_wrap'] as never)).toThrowError('Expected `applied` to be an object of add-on names to values, got `["gift_wrap"]` (object)');
    expect([checkout.confirmed, checkout.pending, server.requests.length]).toEqual([{ gift_wrap: true }, false, 0]);
  });
});
