// @vitest-environment happy-dom
// Two tabs on one session stay in step (shareTabs, sharedTabs): after each successful update a
// checkout posts `{sessionId, selection}` on a BroadcastChannel; another checkout on the same
// session takes it as its confirmed and desired selection, with no request of its own, and
// re-reads the session once. Each checkout here is a tab; the setup file cuts the channels
// off after each test.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { payrails } from '../src/adapters/payrails.js';
import { createCheckout } from '../src/checkout.js';
import { mount } from '../src/dom/mount.js';
import { sharedTabs } from '../src/dom/tabs.js';
import { shareTabs } from '../src/tabs.js';
import { asStripe, createFakePayrails, createFakeStripe } from '../src/testing/index.js';
import type { Checkout, Selection } from '../src/types.js';
import { BETAS, CATALOG, record } from './helpers/checkout.js';
import { ENDPOINT, useMerchantServer } from './helpers/merchant.js';
import { authorising } from './helpers/payrails.js';

const server = useMerchantServer();
const made: Array<() => void> = [];
afterEach(() => {
  vi.useRealTimers();
  for (const end of made.splice(0)) end();
  document.body.replaceChildren();
});

/** A tab: its own Stripe.js and SDK instance on the one session `cs_test_fake_1`, sharing its news. */
function tab() {
  const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG });
  const checkout = createCheckout({ stripe: asStripe(fake), clientSecret: 'cs_test_fake_1_secret_abc', endpoint: ENDPOINT });
  const stop = shareTabs(checkout);
  made.push(() => (stop(), checkout.destroy()));
  return { fake, checkout, stop, events: record(checkout) };
}

/** Two tabs; the server's session is one, so what it accepts both fakes hold. */
async function twoTabs() {
  const a = tab();
  const b = tab();
  server.accept = (s) => (a.fake.accept(s), b.fake.accept(s));
  await Promise.all([a.checkout.ready, b.checkout.ready]);
  a.events.length = 0;
  b.events.length = 0;
  return { a, b };
}

/** Tab B as a mounted page with sharedTabs, and tab A as a bare checkout, both ready on the one session. */
async function pageTabs() {
  document.body.innerHTML = `
    <form data-checkout data-publishable-key="pk_test_1" data-client-secret="cs_test_fake_1_secret_abc" data-endpoint="${ENDPOINT}">
      <input type="checkbox" data-addon="gift_wrap">
      <input type="checkbox" data-addon="warranty">
      <select data-addon="shipping"><option value="standard">Standard</option><option value="express">Express</option></select>
      <input type="number" data-addon="tip" min="0" max="3">
      <span data-checkout-amount="total"></span>
    </form>`; // test fixture: tab B's page
  const root = document.querySelector<HTMLElement>('[data-checkout]')!;
  const fakeB = createFakeStripe({ betas: BETAS, catalog: CATALOG });
  const b = mount(root, { stripe: asStripe(fakeB), features: [sharedTabs] });
  made.push(() => b.destroy());
  const a = tab();
  server.accept = (s) => (a.fake.accept(s), fakeB.accept(s));
  await Promise.all([a.checkout.ready, b.ready]);
  return { root, a, b, fakeB };
}

const news = () => new Promise((resolve) => setTimeout(resolve, 30)); // a message crosses, a re-read ends

/** A promise the test resolves when it chooses: `open()` lets what awaits `passed` through. */
function gate() {
  let open = () => {};
  const passed = new Promise<void>((resolve) => (open = resolve));
  return { passed, open };
}

/** What another tab of this browser would post. */
function post(message: unknown): void {
  const channel = new BroadcastChannel('checkout-updates');
  channel.postMessage(message);
  channel.close();
}

describe('two tabs on one session', () => {
  it("takes A's change as B's confirmed and desired selection, with no request from B, and re-reads once", async () => {
    const { a, b } = await twoTabs();
    await a.checkout.set('gift_wrap', true);
    await news();
    expect(server.requests.map((r) => r.body.selection)).toEqual([{ gift_wrap: true }]); // A's only
    expect([b.checkout.selection, b.checkout.confirmed, b.checkout.pending]).toEqual([{ gift_wrap: true }, { gift_wrap: true }, false]);
    expect([b.fake.calls.runServerUpdate, b.checkout.session?.total.total.amount]).toEqual([1, '$25.00']);
    // No `update` in B: taking news sends nothing, so nothing is posted back to A.
    expect(b.events).toEqual(['loading:true:update', 'change:$20.00:cannot-confirm', 'change:$25.00', 'loading:false:update']);
    expect(a.events.filter((e) => !e.startsWith('loading'))).toEqual(['change:$20.00:cannot-confirm', 'change:$25.00', 'update:{"gift_wrap":true}']);
  });

  it("sends B's next change over A's add-on", async () => {
    const { a, b } = await twoTabs();
    await a.checkout.set('gift_wrap', true);
    await news();
    await b.checkout.set('warranty', 1);
    expect(server.requests.map((r) => r.body)).toEqual([
      { checkout_session_id: 'cs_test_fake_1', selection: { gift_wrap: true }, changes: { gift_wrap: true } },
      { checkout_session_id: 'cs_test_fake_1', selection: { gift_wrap: true, warranty: 1 }, changes: { warranty: 1 } },
    ]);
    await news();
    expect([a.checkout.confirmed, b.checkout.confirmed]).toEqual([{ gift_wrap: true, warranty: 1 }, { gift_wrap: true, warranty: 1 }]);
    expect(server.requests).toHaveLength(2); // A took B's news without a request
  });

  it("sends a change of B's that was in flight when A's news came, then A's selection with it, as an update of B's own", async () => {
    const { a, b } = await twoTabs();
    // A's request is held until B's is in flight, and B's until A's news has reached B: B's
    // change is in flight when the news comes, whatever the timing.
    const gates = { gift_wrap: gate(), warranty: gate() };
    server.behaviour.reply = async (n, request) => void (n < 2 && (await gates[Object.keys(request.body.changes)[0] as keyof typeof gates].passed));
    const fromA = a.checkout.set('gift_wrap', true);
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    const fromB = b.checkout.set('warranty', 1);
    await vi.waitFor(() => expect(server.requests).toHaveLength(2));
    gates.gift_wrap.open();
    expect((await fromA).type).toBe('success');
    await vi.waitFor(() => expect(b.checkout.selection).toEqual({ warranty: 1, gift_wrap: true }));
    expect(b.checkout.pending).toBe(true);
    gates.warranty.open();
    expect((await fromB).type).toBe('success');
    await b.checkout.idle();
    await news();
    expect(server.requests.map((r) => r.body)).toEqual([
      { checkout_session_id: 'cs_test_fake_1', selection: { gift_wrap: true }, changes: { gift_wrap: true } },
      { checkout_session_id: 'cs_test_fake_1', selection: { warranty: 1 }, changes: { warranty: 1 } },
      { checkout_session_id: 'cs_test_fake_1', selection: { warranty: 1, gift_wrap: true }, changes: { gift_wrap: true } },
    ]);
    expect(server.accepted).toEqual({ warranty: 1, gift_wrap: true });
    expect([a.checkout.confirmed, b.checkout.confirmed, a.checkout.pending]).toEqual([{ warranty: 1, gift_wrap: true }, { warranty: 1, gift_wrap: true }, false]);
  });

  it("keeps B's own waiting change of the same add-on over A's", async () => {
    const { a, b } = await twoTabs();
    // A's request lands first, and its news reaches B while B's own is still in flight.
    const gates = [gate(), gate()];
    server.behaviour.reply = async (n) => void (n < 2 && (await gates[n]!.passed));
    const fromA = a.checkout.set('gift_wrap', true);
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    void b.checkout.set({ gift_wrap: false, warranty: 1 });
    await vi.waitFor(() => expect(server.requests).toHaveLength(2));
    gates[0]!.open();
    await fromA;
    await news();
    gates[1]!.open();
    await b.checkout.idle();
    await news();
    // B's landed last and carried its own gift_wrap: nothing of A's was left to send.
    expect(server.requests.map((r) => r.body.selection)).toEqual([{ gift_wrap: true }, { gift_wrap: false, warranty: 1 }]);
    expect([a.checkout.confirmed, b.checkout.confirmed]).toEqual([{ gift_wrap: false, warranty: 1 }, { gift_wrap: false, warranty: 1 }]);
  });

  it('ignores news for another session, and malformed news, without throwing', async () => {
    const { b } = await twoTabs();
    for (const message of [
      { sessionId: 'cs_test_other', selection: { gift_wrap: true } },
      null, 'gift_wrap', 42, [], {},
      { sessionId: 'cs_test_fake_1' },
      { sessionId: 'cs_test_fake_1', selection: null },
      { sessionId: 'cs_test_fake_1', selection: 'gift_wrap' },
      { sessionId: 'cs_test_fake_1', selection: ['gift_wrap'] },
      { sessionId: 'cs_test_fake_1', selection: { gift_wrap: { on: true } } },
      { sessionId: 'cs_test_fake_1', selection: { gift_wrap: Number.NaN } },
      { sessionId: 'cs_test_fake_1', selection: { constructor: true } },
      { sessionId: 'cs_test_fake_1', selection: JSON.parse('{"__proto__": true, "gift_wrap": true}') },
    ]) post(message);
    await news();
    expect([b.checkout.selection, b.checkout.confirmed, b.events, b.fake.calls.runServerUpdate]).toEqual([{}, {}, [], 0]);
    post({ sessionId: 'cs_test_fake_1', selection: { gift_wrap: true } }); // and still hears good news
    await news();
    expect(b.checkout.confirmed).toEqual({ gift_wrap: true });
  });

  it('ignores news that changes nothing it has not confirmed', async () => {
    const { b } = await twoTabs();
    post({ sessionId: 'cs_test_fake_1', selection: {} });
    post({ sessionId: 'cs_test_fake_1', selection: { gift_wrap: null } });
    await news();
    expect([b.events, b.fake.calls.runServerUpdate]).toEqual([[], 0]);
  });

  it('stops hearing and posting once stopped', async () => {
    const { a, b } = await twoTabs();
    b.stop();
    await a.checkout.set('gift_wrap', true);
    await news();
    expect([b.checkout.confirmed, b.fake.calls.runServerUpdate]).toEqual([{}, 0]);
    await b.checkout.set('warranty', 1);
    await news();
    expect(a.checkout.confirmed).toEqual({ gift_wrap: true }); // B's news never came
  });

  it("shows A's change in B's controls, and a destroyed page hears nothing more", async () => {
    const { root, a, b, fakeB } = await pageTabs();
    await a.checkout.set({ gift_wrap: true, shipping: 'express' });
    await news();
    const box = root.querySelector<HTMLInputElement>('[data-addon="gift_wrap"]')!;
    const warranty = root.querySelector<HTMLInputElement>('[data-addon="warranty"]')!;
    const select = root.querySelector<HTMLSelectElement>('[data-addon="shipping"]')!;
    expect([box.checked, warranty.checked, select.value, root.querySelector('[data-checkout-amount="total"]')!.textContent]).toEqual([true, false, 'express', '$40.00']);
    expect([server.requests.length, b.confirmed]).toEqual([1, { gift_wrap: true, shipping: 'express' }]); // A's selection, as your server holds it
    b.destroy();
    await a.checkout.set('gift_wrap', false);
    await news();
    expect([box.checked, fakeB.calls.runServerUpdate]).toEqual([true, 1]);
  });

  it("leaves B's controls of add-ons A did not change as the shopper left them, an invalid entry included", async () => {
    const { root, a } = await pageTabs();
    const tip = root.querySelector<HTMLInputElement>('[data-addon="tip"]')!;
    tip.value = '7'; // over its max: not sent, marked invalid
    tip.dispatchEvent(new Event('change', { bubbles: true }));
    await a.checkout.set('gift_wrap', true);
    await news();
    expect([root.querySelector<HTMLInputElement>('[data-addon="gift_wrap"]')!.checked, tip.value, tip.getAttribute('aria-invalid')]).toEqual([true, '7', 'true']);
  });

  it('on Payrails, where nothing can be re-read, B sends the news as an update of its own, so its SDK gets the amount', async () => {
    const fake = createFakePayrails();
    authorising(server, fake);
    const open = () => {
      const checkout = createCheckout({ adapter: payrails({ client: fake.Payrails.init(fake.initPayload), locale: 'en-US' }), endpoint: ENDPOINT, initial: { tip: '0' } });
      const stop = shareTabs(checkout);
      made.push(() => (stop(), checkout.destroy()));
      return checkout as Checkout<any, any>;
    };
    const [a, b] = [open(), open()];
    await Promise.all([a.ready, b.ready]);
    await a.set('tip', '15');
    await news();
    await b.idle();
    await news(); // B's news reaches A, which already holds it: nothing more is sent
    expect(server.requests.map((r) => r.body.selection)).toEqual([{ tip: '15' }, { tip: '15' }]);
    expect([a.confirmed, b.confirmed, b.summary?.total.amount]).toEqual([{ tip: '15' }, { tip: '15' }, '€52.89']);
    expect(fake.updates).toEqual([{ value: '52.89', currency: 'EUR' }, { value: '52.89', currency: 'EUR' }]);
  });

  it("hears news its own waiting change already holds without calling taken, and without holding that change's debounce back", async () => {
    // The channel stood in for, so the news lands at a chosen moment of the fake clock.
    let heard: ((event: { data: unknown }) => void) | null = null;
    vi.stubGlobal('BroadcastChannel', class {
      set onmessage(listener: typeof heard) { heard = listener; }
      postMessage() {}
      close() {}
    });
    const fake = createFakeStripe({ betas: BETAS, catalog: CATALOG });
    const checkout = createCheckout({ stripe: asStripe(fake), clientSecret: 'cs_test_fake_1_secret_abc', endpoint: ENDPOINT, debounceMs: 100 });
    const taken: Selection[] = [];
    made.push(shareTabs(checkout, (changes) => taken.push(changes)), () => checkout.destroy());
    await checkout.ready;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    void checkout.set('gift_wrap', true); // waits for its debounce
    await vi.advanceTimersByTimeAsync(60);
    heard!({ data: { sessionId: 'cs_test_fake_1', selection: { gift_wrap: true } } }); // another tab applied the same
    await vi.advanceTimersByTimeAsync(40);
    expect([server.requests.map((r) => r.body.changes), taken, checkout.selection]).toEqual([[{ gift_wrap: true }], [], { gift_wrap: true }]);
  });

  it('does nothing where the browser has no BroadcastChannel', async () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    const checkout = createCheckout({ stripe: asStripe(createFakeStripe({ betas: BETAS, catalog: CATALOG })), clientSecret: 'cs_test_fake_1_secret_abc', endpoint: ENDPOINT });
    made.push(() => checkout.destroy());
    const stop = shareTabs(checkout);
    await checkout.ready;
    expect(() => stop()).not.toThrow();
  });
});
