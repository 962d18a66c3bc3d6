// @vitest-environment happy-dom
// Stripe Payment Intents: your server changes the amount, then elements.fetchUpdates() and
// retrievePaymentIntent read what Stripe holds. Each test counts the calls in their order.
import { HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stripePaymentIntents } from '../src/adapters/payment-intents.js';
import { createCheckout } from '../src/checkout.js';
import { mount } from '../src/dom/mount.js';
import { asStripe, createFakeStripe, type FakeStripe, type FakeStripeOptions } from '../src/testing/index.js';
import type { Checkout, CheckoutEvents, PaymentIntent, PaymentIntentsOptions, QueueOptions, ServerUpdate } from '../src/types.js';
import { CATALOG } from './helpers/checkout.js';
import { ENDPOINT, trackUnhandledRejections, useMerchantServer } from './helpers/merchant.js';

const server = useMerchantServer();
const unhandled = trackUnhandledRejections();
const SECRET = 'pi_fake1_secret_fake';

/** Stripe.js with every call the adapter makes written to `log`, in order. */
function logged(fake: FakeStripe, log: string[]) {
  return asStripe({
    initCheckoutElementsSdk: fake.initCheckoutElementsSdk,
    elements: (options: Parameters<FakeStripe['elements']>[0]) => {
      log.push('elements');
      const group = fake.elements(options);
      const fetchUpdates = group.fetchUpdates.bind(group);
      group.fetchUpdates = async () => {
        log.push('fetchUpdates');
        return fetchUpdates();
      };
      return group;
    },
    retrievePaymentIntent: (secret: string) => (log.push('retrievePaymentIntent'), fake.retrievePaymentIntent(secret)),
    confirmPayment: ((args: never) => (log.push('confirmPayment'), fake.confirmPayment(args))) as FakeStripe['confirmPayment'],
  } as never);
}

/** Each event as a short line, read from the summary: `change:$25.00`, `error:http:{"gift_wrap":false}`. */
function record(checkout: Checkout<PaymentIntent>): string[] {
  const lines: string[] = [];
  const line = (type: string, d: Partial<CheckoutEvents<PaymentIntent>['update'] & CheckoutEvents['error'] & CheckoutEvents['loading']>) => {
    if (type === 'loading') return `loading:${d.loading}:${d.reason}`;
    if (type === 'error') return `error:${d.error?.code}:${JSON.stringify(d.reverted)}`;
    if (type === 'update') return `update:${JSON.stringify(d.changes)}`;
    const status = d.summary?.status === 'open' ? '' : `:${d.summary?.status}`;
    return type === 'change' ? `change:${d.summary?.total.amount}${status}` : type;
  };
  for (const type of ['loading', 'ready', 'change', 'update', 'error', 'expired'] as const) checkout.on(type, (detail) => lines.push(line(type, detail as never)));
  return lines;
}

function setup(options: Partial<QueueOptions> = {}, adapter: Partial<PaymentIntentsOptions> = {}, fakeOptions: FakeStripeOptions = {}) {
  const fake = createFakeStripe({ catalog: CATALOG, ...fakeOptions });
  const log: string[] = [];
  server.accept = (selection) => (log.push(`server:${JSON.stringify(selection)}`), fake.accept(selection));
  const checkout = createCheckout({
    adapter: stripePaymentIntents({ stripe: logged(fake, log), clientSecret: SECRET, ...adapter }),
    endpoint: ENDPOINT,
    ...options,
  });
  return { fake, log, checkout, events: record(checkout) };
}

afterEach(() => expect(unhandled).toEqual([]));

describe('Payment Intents: one update', () => {
  it('calls your server, then fetchUpdates, then retrievePaymentIntent, and the total is what Stripe holds', async () => {
    const { fake, log, checkout, events } = setup();
    const first = await checkout.ready;
    expect([first.id, first.amount, checkout.summary?.total]).toEqual(['pi_fake1', 2000, { amount: '$20.00', minorUnitsAmount: 2000 }]);
    const result = await checkout.set('gift_wrap', true);
    expect(result.type === 'success' && result.session.amount).toBe(2500);
    expect(log).toEqual(['elements', 'retrievePaymentIntent', 'server:{"gift_wrap":true}', 'fetchUpdates', 'retrievePaymentIntent']);
    expect(server.requests.map((r) => r.body)).toEqual([{ payment_intent_id: 'pi_fake1', selection: { gift_wrap: true }, changes: { gift_wrap: true } }]);
    expect(server.requests[0]?.idempotencyKey).toMatch(/\S{16,}/);
    expect(events).toEqual([
      'loading:true:init', 'ready', 'change:$20.00', 'loading:false:init',
      'loading:true:update', 'change:$25.00', 'update:{"gift_wrap":true}', 'loading:false:update',
    ]);
    expect(checkout.summary).toEqual({ currency: 'usd', total: { amount: '$25.00', minorUnitsAmount: 2500 }, lineItems: [], status: 'open' });
    expect(checkout.elements).not.toBeNull();
    expect([checkout.sdk, checkout.actions]).toEqual([null, null]);
  });

  it('never takes the amount from your server: a reply claiming another amount changes nothing', async () => {
    const { checkout } = setup();
    await checkout.ready;
    server.behaviour.reply = (_n, request) => {
      server.accept(request.body.selection);
      return HttpResponse.json({ amount: 1, currency: 'eur' });
    };
    await checkout.set('gift_wrap', true);
    expect(checkout.summary?.total).toEqual({ amount: '$25.00', minorUnitsAmount: 2500 });
    expect(checkout.session?.currency).toBe('usd');
  });

  it('merges a burst within one round trip into at most 2 requests, never two at once', async () => {
    const { fake, log, checkout } = setup();
    server.behaviour.latencyMs = 30;
    await checkout.ready;
    const results = [checkout.set('gift_wrap', true)];
    await new Promise((r) => setTimeout(r, 5)); // the first request is in flight
    for (let i = 0; i < 12; i++) results.push(i % 2 ? checkout.toggle('gift_wrap') : checkout.set('warranty', i % 3));
    await checkout.idle();
    expect(server.requests.map((r) => r.body.selection)).toEqual([{ gift_wrap: true }, { gift_wrap: true, warranty: 1 }]);
    expect([server.maxInFlight, fake.calls.maxFetchUpdatesInFlight, fake.calls.fetchUpdatesOverlapping]).toEqual([1, 1, 0]);
    expect(log.filter((call) => call === 'fetchUpdates')).toHaveLength(2);
    expect((await Promise.all(results)).every((r) => r.type === 'success')).toBe(true);
    expect(checkout.summary?.total.minorUnitsAmount).toBe(2000 + 500 + 2000);
  });

  it("your server's refusal reverts the change and asks Stripe for nothing", async () => {
    const { log, checkout, events } = setup();
    await checkout.ready;
    server.behaviour.reply = () => HttpResponse.json({ error: 'Gift wrap is out of stock.' }, { status: 400 });
    const result = await checkout.set('gift_wrap', true);
    expect(result.type === 'error' && [result.error.code, result.error.message]).toEqual(['http', 'Gift wrap is out of stock.']);
    expect(log).toEqual(['elements', 'retrievePaymentIntent']);
    expect(events.slice(4)).toEqual(['loading:true:update', 'error:http:{"gift_wrap":null}', 'loading:false:update']);
    expect([checkout.selection, checkout.summary?.total.amount]).toEqual([{}, '$20.00']);
  });

  it.each(['error', 'reject'] as const)('fetchUpdates that fails (%s) is an error, and keeps the change your server applied', async (kind) => {
    const { fake, log, checkout, events } = setup();
    await checkout.ready;
    fake.failNext('fetchUpdates', kind);
    const result = await checkout.set('gift_wrap', true);
    expect(result.type === 'error' && result.error.code).toBe('server_update_failed');
    expect(log.slice(2)).toEqual(['server:{"gift_wrap":true}', 'fetchUpdates']);
    expect(events.slice(4)).toEqual(['loading:true:update', 'error:server_update_failed:{}', 'loading:false:update']);
    // Kept: the intent's amount is already the new one, and the next change starts from it.
    expect([checkout.selection, checkout.confirmed]).toEqual([{ gift_wrap: true }, { gift_wrap: true }]);
    expect((await fake.retrievePaymentIntent(SECRET)).paymentIntent?.amount).toBe(2500);
    await checkout.set('warranty', 1);
    expect(server.requests.map((r) => r.body.changes)).toEqual([{ gift_wrap: true }, { warranty: 1 }]);
    expect(checkout.summary?.total.amount).toBe('$45.00');
  });

  it('a failed re-read of the intent is an error with the change kept, and says why', async () => {
    const { fake, checkout } = setup();
    await checkout.ready;
    fake.failNext('retrievePaymentIntent', 'error');
    const result = await checkout.set('gift_wrap', true);
    expect(result.type === 'error' && [result.error.code, result.error.message]).toEqual(['server_update_failed', 'The PaymentIntent could not be retrieved (injected failure).']);
    expect(checkout.confirmed).toEqual({ gift_wrap: true });
    expect(checkout.summary?.total.amount).toBe('$20.00'); // nothing was read: what Stripe last said
    await checkout.refresh();
    expect(checkout.summary?.total.amount).toBe('$25.00');
  });

  it("a failed re-read Stripe gives without words reads 'Stripe could not refresh the checkout.', with Stripe's error as the cause", async () => {
    const { fake, checkout } = setup();
    await checkout.ready;
    vi.spyOn(fake, 'retrievePaymentIntent').mockResolvedValueOnce({ error: { type: 'api_error' } } as never);
    const result = await checkout.set('gift_wrap', true);
    expect(result).toEqual({ type: 'error', error: expect.objectContaining({ code: 'server_update_failed', message: 'Stripe could not refresh the checkout.', cause: { type: 'api_error' } }) });
  });

  it('destroy() mid-update: the change resolves destroyed, Stripe is not asked again, nothing is emitted', async () => {
    const { log, checkout, events } = setup();
    server.behaviour.latencyMs = 50;
    await checkout.ready;
    const pending = checkout.set('gift_wrap', true);
    await new Promise((r) => setTimeout(r, 10));
    const before = events.length;
    checkout.destroy();
    const result = await pending;
    await new Promise((r) => setTimeout(r, 80));
    expect(result.type === 'error' && result.error.code).toBe('destroyed');
    expect(log.filter((call) => !call.startsWith('server:'))).toEqual(['elements', 'retrievePaymentIntent']);
    expect(events.length).toBe(before);
  });
});

describe('Payment Intents: status', () => {
  it.each([
    ['complete', 'succeeded', 'complete'],
    ['expire', 'canceled', 'expired'],
  ] as const)('an intent that was %sd (%s) is %s at the next read', async (end, status, state) => {
    const { fake, checkout, events } = setup();
    await checkout.ready;
    fake[end]();
    await checkout.refresh();
    expect([checkout.session?.status, checkout.summary?.status, checkout.state]).toEqual([status, state, state]);
    expect(events.slice(4, 6)).toEqual(['loading:true:update', `change:$20.00:${state}`]);
    const refused = await checkout.set('gift_wrap', true);
    expect(refused.type === 'error' && refused.error.code).toBe('session_expired');
    expect(server.requests).toHaveLength(0);
  });

  it.each(['processing', 'requires_capture'] as const)('an intent Stripe reports %s is paid for: complete at the next read, and takes no more changes', async (status) => {
    const { fake, checkout } = setup();
    await checkout.ready;
    const read = fake.retrievePaymentIntent.bind(fake);
    vi.spyOn(fake, 'retrievePaymentIntent').mockImplementation(async (secret) => {
      const { paymentIntent } = await read(secret);
      return { paymentIntent: { ...paymentIntent!, status } } as never;
    });
    await checkout.refresh();
    expect([checkout.session?.status, checkout.summary?.status, checkout.state]).toEqual([status, 'complete', 'complete']);
    const refused = await checkout.set('gift_wrap', true);
    expect(refused.type === 'error' && refused.error.code).toBe('session_expired');
    expect(server.requests).toHaveLength(0);
  });

  it('a 409 from your server re-reads the intent, and a canceled one is session_expired', async () => {
    const { fake, log, checkout } = setup();
    await checkout.ready;
    fake.expire();
    server.behaviour.reply = () => HttpResponse.json({ error: 'This checkout was canceled.' }, { status: 409 });
    const result = await checkout.set('gift_wrap', true);
    expect(result.type === 'error' && result.error.code).toBe('session_expired');
    expect(log.slice(2)).toEqual(['fetchUpdates', 'retrievePaymentIntent']);
    expect(checkout.state).toBe('expired');
  });

  it('renews a canceled intent with onSessionExpired and re-applies the selection as one update', async () => {
    let renewals = 0;
    const { fake, log, checkout } = setup({}, { onSessionExpired: () => (renewals++, fake.renew(), 'pi_fake2_secret_fake') });
    await checkout.ready;
    await checkout.set('gift_wrap', true);
    fake.expire();
    // As the example server does: Stripe refuses a canceled intent's amount, so it answers 409.
    server.behaviour.reply = (n) => (n === 1 ? HttpResponse.json({ error: 'This checkout was canceled.' }, { status: 409 }) : undefined);
    const result = await checkout.set('warranty', 1);
    expect(result.type === 'success' && result.session.id).toBe('pi_fake2');
    expect(renewals).toBe(1);
    expect(server.requests.map((r) => [r.body.payment_intent_id, r.body.changes])).toEqual([
      ['pi_fake1', { gift_wrap: true }],
      ['pi_fake1', { warranty: 1 }],
      ['pi_fake2', { gift_wrap: true, warranty: 1 }],
    ]);
    expect(log.filter((call) => call === 'elements')).toHaveLength(2);
    expect([checkout.state, checkout.summary?.total.amount]).toEqual(['ready', '$45.00']);
  });

  it('formats the amount in the Elements locale, as Stripe shows it to the customer', async () => {
    const { checkout } = setup({}, { elementsOptions: { locale: 'de' } }, { currency: 'eur' });
    await checkout.ready;
    await checkout.set('gift_wrap', true);
    expect(checkout.summary?.total).toEqual({ amount: '25,00\u00a0€', minorUnitsAmount: 2500 });
  });

  it("with the Elements locale 'auto', formats the amount in the browser's locale", async () => {
    const { checkout } = setup({}, { elementsOptions: { locale: 'auto' } });
    await checkout.ready;
    expect(checkout.summary?.total).toEqual({ amount: new Intl.NumberFormat(undefined, { style: 'currency', currency: 'usd' }).format(20), minorUnitsAmount: 2000 });
  });

  it('formats a zero-decimal currency with its own minor units', async () => {
    const { checkout } = setup({}, {}, { currency: 'jpy', baseItems: [{ name: 'T-shirt', unitAmount: 2000 }] });
    await checkout.ready;
    expect(checkout.summary?.total).toEqual({ amount: '¥2,000', minorUnitsAmount: 2000 });
  });
});

describe('Payment Intents: confirm', () => {
  function mounted() {
    const target = document.createElement('div');
    document.body.append(target);
    return target;
  }

  it('waits for the update, then confirms once for two calls, with confirmParams and redirect', async () => {
    const { fake, log, checkout } = setup({}, { returnUrl: 'https://shop.test/thanks' });
    await checkout.ready;
    checkout.adapter.mountPaymentElement?.(mounted());
    void checkout.set('gift_wrap', true);
    const [a, b] = [checkout.confirm({ redirect: 'if_required' }), checkout.confirm()];
    const [first, second] = await Promise.all([a, b]);
    expect(first).toBe(second);
    expect(first.type === 'success' && [first.session.status, first.session.amount]).toEqual(['succeeded', 2500]);
    expect(log.slice(2)).toEqual(['server:{"gift_wrap":true}', 'fetchUpdates', 'retrievePaymentIntent', 'confirmPayment']);
    expect(fake.confirmPaymentArgs.map((args) => [args.confirmParams, args.redirect])).toEqual([[{ return_url: 'https://shop.test/thanks' }, 'if_required']]);
    expect(checkout.state).toBe('complete');
  });

  it('refuses with confirm_blocked after an update it waited for failed, and charges nothing', async () => {
    const { fake, checkout } = setup({}, { returnUrl: 'https://shop.test/thanks' });
    await checkout.ready;
    checkout.adapter.mountPaymentElement?.(mounted());
    server.behaviour.reply = () => HttpResponse.json({ error: 'No.' }, { status: 400 });
    void checkout.set('gift_wrap', true);
    const result = await checkout.confirm();
    expect(result.type === 'error' && 'code' in result.error && result.error.code).toBe('confirm_blocked');
    expect(fake.calls.confirmPayment).toBe(0);
  });

  it("gives Stripe's own decline as an error value", async () => {
    const { fake, checkout } = setup({}, { returnUrl: 'https://shop.test/thanks' });
    await checkout.ready;
    checkout.adapter.mountPaymentElement?.(mounted());
    fake.failNext('confirmPayment', 'error');
    const result = await checkout.confirm();
    expect(result.type === 'error' && [result.error.message, checkout.state]).toEqual([expect.stringMatching(/declined/), 'ready']);
  });
});

describe('Payment Intents: options and start', () => {
  it('refuses the Stripe options beside `adapter`', () => {
    const fake = createFakeStripe();
    const adapter = stripePaymentIntents({ stripe: asStripe(fake), clientSecret: SECRET });
    for (const stray of [{ publishableKey: 'pk_test_x' }, { stripe: asStripe(fake) }, { clientSecret: SECRET }]) {
      expect(() => createCheckout({ adapter, endpoint: ENDPOINT, ...stray } as never)).toThrowError(`Give \`${Object.keys(stray)[0]}\` to the adapter, not beside \`adapter\``);
    }
    expect(() => stripePaymentIntents({ clientSecret: SECRET } as never)).toThrowError('Expected exactly one of `publishableKey` or `stripe`, got neither');
  });

  it('destroy() during the start makes no Elements group and reads no intent', async () => {
    const { log, checkout, events } = setup();
    checkout.destroy();
    const error = (await checkout.ready.catch((e: unknown) => e)) as { code: string };
    expect([error.code, log, events, checkout.state]).toEqual(['destroyed', [], [], 'destroyed']);
  });

  it("fails the start with init_failed when stripe.elements throws, with Stripe's words", async () => {
    const { fake, checkout } = setup();
    vi.spyOn(fake, 'elements').mockImplementation(() => {
      throw new Error('Invalid value for elements(): appearance should be an object.');
    });
    const error = (await checkout.ready.catch((e: unknown) => e)) as { code: string; message: string };
    expect([error.code, error.message]).toEqual(['init_failed', 'stripe.elements failed: Invalid value for elements(): appearance should be an object.']);
  });

  it('fails the start with init_failed when Stripe does not know the intent', async () => {
    const { checkout, events } = setup({}, { clientSecret: 'pi_unknown_secret_x' });
    const error = (await checkout.ready.catch((e: unknown) => e)) as { code: string; message: string };
    expect([error.code, error.message]).toEqual(['init_failed', expect.stringMatching(/^Stripe could not load the payment: /)]);
    expect(events).toEqual(['loading:true:init', 'error:init_failed:{}', 'loading:false:init']);
  });

  it('sends a custom body with the same sessionId', async () => {
    const seen: ServerUpdate[] = [];
    const { checkout } = setup({ endpoint: { url: ENDPOINT, body: (update) => (seen.push(update), { payment_intent_id: update.sessionId, selection: update.selection }) } });
    await checkout.ready;
    await checkout.set('tip', 2);
    expect(seen.map((u) => u.sessionId)).toEqual(['pi_fake1']);
  });
});

describe('Payment Intents: the page layer', () => {
  const PAGE = `<form data-checkout data-adapter="payment-intents" data-publishable-key="pk_test_x" data-client-secret="${SECRET}" data-endpoint="${ENDPOINT}" data-return-url="/thanks">
    <input type="checkbox" data-addon="gift_wrap"><span data-checkout-amount="total"></span>
    <div data-payment-element></div><p data-checkout-error hidden></p>
    <button type="submit" data-checkout-pay disabled>Pay</button></form>`;

  it('data-adapter="payment-intents" needs that adapter in the build: the page says it is broken, the console why', () => {
    document.body.innerHTML = PAGE;
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => mount(document.querySelector('form')!, { stripe: asStripe(createFakeStripe()) })).toThrowError('data-adapter: "payment-intents" is not in this script');
    expect(logged.mock.calls.map(([error]) => (error as Error).message)).toEqual(['data-adapter: "payment-intents" is not in this script']);
    expect(document.querySelector('[data-checkout-error]')!.textContent).toBe('This checkout is not working. Please reload the page.');
  });

  it('renders the summary, mounts the Payment Element and pays with data-return-url, made absolute as Stripe wants it', async () => {
    document.body.innerHTML = PAGE;
    const fake = createFakeStripe({ catalog: CATALOG });
    server.accept = (s) => fake.accept(s);
    const root = document.querySelector('form')!;
    const checkout = mount(root, { stripe: asStripe(fake), adapters: { 'payment-intents': stripePaymentIntents } });
    await checkout.ready;
    const total = root.querySelector('[data-checkout-amount="total"]')!;
    expect([total.textContent, root.querySelectorAll('[data-fake-payment-element]').length]).toEqual(['$20.00', 1]);
    root.querySelector<HTMLInputElement>('[data-addon]')!.click();
    await checkout.idle();
    expect(total.textContent).toBe('$25.00');
    expect(root.querySelector('button')!.disabled).toBe(false);
    root.requestSubmit();
    await expect.poll(() => fake.calls.confirmPayment).toBe(1);
    expect(fake.confirmPaymentArgs[0]?.confirmParams).toEqual({ return_url: new URL('/thanks', document.baseURI).href });
    expect(new URL(fake.confirmPaymentArgs[0]?.confirmParams?.return_url ?? '').pathname).toBe('/thanks');
    await expect.poll(() => root.getAttribute('data-checkout-state')).toBe('complete');
    checkout.destroy();
    expect(root.querySelectorAll('[data-fake-payment-element]').length).toBe(0);
  });

  it('data-adapter="constructor" names no adapter, whatever Object.prototype holds', () => {
    document.body.innerHTML = PAGE.replace('data-adapter="payment-intents"', 'data-adapter="constructor"');
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => mount(document.querySelector('form')!, { stripe: asStripe(createFakeStripe()) })).toThrowError('data-adapter: "constructor" is not in this script');
  });

  it('mount(root, {adapter}) runs on the adapter it is given, reading no Stripe attribute', async () => {
    document.body.innerHTML = `<div data-checkout data-endpoint="${ENDPOINT}"><span data-checkout-amount="total">…</span><input type="checkbox" data-addon="gift_wrap"></div>`;
    const fake = createFakeStripe({ catalog: CATALOG });
    server.accept = (s) => fake.accept(s);
    const root = document.querySelector<HTMLElement>('[data-checkout]')!;
    const checkout = mount(root, { adapter: stripePaymentIntents({ stripe: asStripe(fake), clientSecret: SECRET }) });
    await checkout.ready;
    root.querySelector<HTMLInputElement>('[data-addon]')!.click();
    await checkout.idle();
    expect([root.querySelector('[data-checkout-amount]')!.textContent, server.requests.map((r) => r.body.payment_intent_id)]).toEqual(['$25.00', ['pi_fake1']]);
    checkout.destroy();
    expect(root.querySelector('[data-checkout-amount]')!.textContent).toBe('…');
  });
});
