import { describe, expectTypeOf, it } from 'vitest';
import {
  createCheckout,
  mount,
  shopperMessages,
  payrails,
  stripeCheckoutSessions,
  stripePaymentIntents,
  type Amount,
  type Checkout,
  type CheckoutAction,
  type CheckoutAdapter,
  type CheckoutEvents,
  type CheckoutSnapshot,
  type CheckoutSummary,
  type CheckoutUpdateError,
  type MessageKey,
  type Messages,
  type PageFeature,
  type PaymentIntent,
  type PayrailsClient,
  type PayrailsSession,
  type ServerUpdate,
  type ToastSdk,
  type ToastSession,
  type StripeCheckoutElementsSdk,
  type StripeCheckoutSession,
  type UpdateResult,
  toast,
} from '../src/index.js';

declare const checkout: Checkout;
declare const sdk: StripeCheckoutElementsSdk;
declare const root: HTMLElement;

describe('public types', () => {
  it('takes publishableKey or a stripe instance, and every endpoint form', () => {
    createCheckout({ publishableKey: 'pk_test', clientSecret: 'cs', endpoint: '/update' });
    createCheckout({ publishableKey: 'pk_test', clientSecret: Promise.resolve('cs'), endpoint: new URL('https://shop.test/u') });
    createCheckout({ publishableKey: 'pk_test', clientSecret: async () => 'cs', endpoint: { url: '/u', method: 'PATCH', headers: () => ({ 'X-CSRF': 't' }), body: (u) => ({ id: u.sessionId }) } });
    createCheckout({ publishableKey: 'pk_test', clientSecret: 'cs', endpoint: (update, signal) => fetch('/u', { signal, body: JSON.stringify(update.selection) }) });
    // @ts-expect-error endpoint is required
    createCheckout({ publishableKey: 'pk_test', clientSecret: 'cs' });
    // @ts-expect-error mode is 'latest' or 'serial'
    createCheckout({ publishableKey: 'pk_test', clientSecret: 'cs', endpoint: '/u', mode: 'fast' });
    // @ts-expect-error method is POST, PUT or PATCH
    createCheckout({ publishableKey: 'pk_test', clientSecret: 'cs', endpoint: { url: '/u', method: 'GET' } });
    // @ts-expect-error clientSecret is a string, a promise or a function
    createCheckout({ publishableKey: 'pk_test', clientSecret: 42, endpoint: '/u' });
  });

  it('maps each event to its detail', () => {
    checkout.on('loading', (detail) => expectTypeOf(detail).toEqualTypeOf<{ loading: boolean; reason: 'init' | 'update' }>());
    checkout.on('error', (detail) => {
      expectTypeOf(detail.error).toEqualTypeOf<CheckoutUpdateError>();
      expectTypeOf(detail.error.code).toEqualTypeOf<CheckoutUpdateError['code']>();
    });
    checkout.on('update', (detail) => expectTypeOf(detail).toEqualTypeOf<CheckoutEvents['update']>());
    expectTypeOf(checkout.on('ready', () => {})).toEqualTypeOf<() => void>();
    // @ts-expect-error no such event
    checkout.on('paid', () => {});
    // @ts-expect-error the loading detail has no session
    checkout.on('loading', (detail) => detail.session);
  });

  it('takes only selection values, and returns results as values', () => {
    expectTypeOf(checkout.set('gift_wrap', true)).toEqualTypeOf<Promise<UpdateResult>>();
    checkout.set({ tip: '10', warranty: 2, note: null });
    // @ts-expect-error values are boolean, number, string or null
    checkout.set('gift_wrap', { on: true });
    expectTypeOf<ServerUpdate['attempt']>().toEqualTypeOf<number>();
    expectTypeOf(checkout.state).toEqualTypeOf<'loading' | 'ready' | 'error' | 'expired' | 'complete' | 'destroyed'>();
  });

  it('types the store and a promised initial selection', () => {
    expectTypeOf(checkout.subscribe(() => {})).toEqualTypeOf<() => void>();
    expectTypeOf(checkout.getSnapshot()).toEqualTypeOf<CheckoutSnapshot<StripeCheckoutSession>>();
    expectTypeOf(checkout.getSnapshot().session).toEqualTypeOf<StripeCheckoutSession | null>();
    // @ts-expect-error a snapshot is read-only
    checkout.getSnapshot().pending = true;
    expectTypeOf(checkout.refresh({ gift_wrap: true })).toEqualTypeOf<Promise<UpdateResult>>();
    // @ts-expect-error what another tab applied is a selection
    void checkout.refresh({ gift_wrap: [true] });
    createCheckout({ publishableKey: 'pk_test', clientSecret: 'cs', endpoint: '/u', initial: fetch('/saved').then((r) => r.json() as Promise<{ gift_wrap: boolean }>) });
    createCheckout({ publishableKey: 'pk_test', clientSecret: 'cs', endpoint: '/u', initial: async () => ({ tip: '10' }) });
    // @ts-expect-error a promised selection holds selection values only
    createCheckout({ publishableKey: 'pk_test', clientSecret: 'cs', endpoint: '/u', initial: Promise.resolve({ gift_wrap: [true] }) });
  });

  it("types Stripe's actions: their arguments, their results, and the action an update event names", () => {
    expectTypeOf(checkout.applyPromotionCode('SAVE10')).toEqualTypeOf<Promise<UpdateResult>>();
    expectTypeOf(checkout.updateLineItemQuantity('li_1', 2)).toEqualTypeOf<Promise<UpdateResult>>();
    // @ts-expect-error a quantity is a number
    checkout.updateLineItemQuantity('li_1', '2');
    // @ts-expect-error removePromotionCode takes nothing
    checkout.removePromotionCode('SAVE10');
    checkout.on('update', ({ action }) => {
      expectTypeOf(action).toEqualTypeOf<CheckoutAction | undefined>();
      if (action?.type === 'updateLineItemQuantity') expectTypeOf(action.quantity).toEqualTypeOf<number>();
    });
  });
});

describe("the page layer: the shopper's language", () => {
  it('takes the texts by key, each error code the page shows and each state, with the feature that shows them', () => {
    mount(root, { features: [shopperMessages], messages: { network: 'Keine Verbindung zum Server.', http: 'Abgelehnt.', updating: 'Wird aktualisiert…', paid: 'Bezahlt.' } });
    expectTypeOf(shopperMessages).toEqualTypeOf<PageFeature>();
    expectTypeOf<MessageKey>().toEqualTypeOf<
      'network' | 'timeout' | 'http' | 'session_expired' | 'confirm_blocked' | 'offline' | 'server_update_failed' | 'action_failed' | 'updating' | 'paying' | 'paid' | 'failed_to_start'
    >();
    expectTypeOf<Messages>().toEqualTypeOf<Record<MessageKey, string>>();
    // A feature is given mount's options.
    expectTypeOf<Parameters<PageFeature>[4]['messages']>().toEqualTypeOf<Partial<Messages> | undefined>();
    // @ts-expect-error no such message key
    mount(root, { messages: { colour: 'Rot' } });
    // @ts-expect-error a message is a string
    mount(root, { messages: { paid: true } });
  });
});

describe('adapters', () => {
  it('takes `adapter` or the Stripe options, never both', () => {
    const intents = stripePaymentIntents({ publishableKey: 'pk_test', clientSecret: 'pi_1_secret_2' });
    createCheckout({ adapter: intents, endpoint: '/update-payment-intent' });
    createCheckout({ adapter: stripeCheckoutSessions({ publishableKey: 'pk_test', clientSecret: 'cs' }), endpoint: '/u' });
    // @ts-expect-error the Stripe options go to the adapter
    createCheckout({ adapter: intents, publishableKey: 'pk_test', endpoint: '/u' });
    // @ts-expect-error the client secret goes to the adapter
    createCheckout({ adapter: intents, clientSecret: 'pi_1_secret_2', endpoint: '/u' });
    // @ts-expect-error an adapter is not a string
    createCheckout({ adapter: 'payment-intents', endpoint: '/u' });
    // @ts-expect-error Payment Intents' elementsOptions are stripe.elements() options
    stripePaymentIntents({ publishableKey: 'pk_test', clientSecret: 'pi', elementsOptions: { clientSecret: 'x' } });
  });

  it('types the session, the summary and confirm per adapter', () => {
    const intents = createCheckout({ adapter: stripePaymentIntents({ publishableKey: 'pk_test', clientSecret: 'pi' }), endpoint: '/u' });
    expectTypeOf(intents).toEqualTypeOf<Checkout<PaymentIntent>>();
    expectTypeOf(intents.session).toEqualTypeOf<PaymentIntent | null>();
    expectTypeOf(intents.ready).toEqualTypeOf<Promise<PaymentIntent>>();
    intents.on('change', ({ session, summary }) => {
      expectTypeOf(session).toEqualTypeOf<PaymentIntent>();
      expectTypeOf(summary).toEqualTypeOf<CheckoutSummary | null>();
    });
    intents.confirm({ return_url: 'https://shop.test/thanks', redirect: 'if_required' });
    // @ts-expect-error Payment Intents take Stripe's confirmParams (return_url), not Checkout's returnUrl
    intents.confirm({ returnUrl: 'https://shop.test/thanks' });
    expectTypeOf(checkout.session).toEqualTypeOf<StripeCheckoutSession | null>();
    expectTypeOf(checkout.summary).toEqualTypeOf<CheckoutSummary | null>();
    checkout.confirm({ returnUrl: 'https://shop.test/thanks' });
    expectTypeOf<CheckoutSummary['status']>().toEqualTypeOf<'open' | 'complete' | 'expired'>();
    expectTypeOf<CheckoutSummary['total']>().toEqualTypeOf<Amount>();
  });

  it('takes a Checkout Elements SDK instance as `sdk`, alone', () => {
    createCheckout({ sdk, endpoint: '/u', returnUrl: 'https://shop.test/thanks' });
    expectTypeOf(stripeCheckoutSessions({ sdk }).sdk).toEqualTypeOf<StripeCheckoutElementsSdk | null>();
    // @ts-expect-error the SDK's creator gave it its client secret
    createCheckout({ sdk, clientSecret: 'cs', endpoint: '/u' });
    // @ts-expect-error the SDK's creator loaded Stripe.js
    createCheckout({ sdk, publishableKey: 'pk_test', endpoint: '/u' });
    // @ts-expect-error the SDK's creator loaded Stripe.js
    stripeCheckoutSessions({ sdk, stripe: Promise.resolve(null) });
    // @ts-expect-error renewing makes a new SDK: its creator's job
    stripeCheckoutSessions({ sdk, onSessionExpired: () => 'cs' });
    // @ts-expect-error the SDK's creator set its elementsOptions
    stripeCheckoutSessions({ sdk, elementsOptions: {} });
    // @ts-expect-error `sdk` goes to the adapter
    createCheckout({ adapter: stripeCheckoutSessions({ sdk }), sdk, endpoint: '/u' });
    // @ts-expect-error Payment Intents take no Checkout Elements SDK
    stripePaymentIntents({ sdk, publishableKey: 'pk_test', clientSecret: 'pi_1_secret_2' });
    // @ts-expect-error not an SDK instance
    createCheckout({ sdk: 'cs_secret', endpoint: '/u' });
  });

  it('lets a merchant write an adapter for another provider', () => {
    interface Order { id: string; cents: number; paid: boolean }
    const adapter: CheckoutAdapter<Order> = {
      idField: 'order_id',
      start: async () => ({ id: 'o_1', cents: 100, paid: false }),
      id: (order) => order.id,
      summarize: (order) => ({ currency: 'usd', total: { amount: '$1.00', minorUnitsAmount: order.cents }, lineItems: [], status: order.paid ? 'complete' : 'open' }),
      update: async () => ({ type: 'success', session: { id: 'o_1', cents: 200, paid: false } }),
      confirm: async () => ({ type: 'success', session: { id: 'o_1', cents: 200, paid: true } }),
    };
    const orders = createCheckout({ adapter, endpoint: '/orders' });
    expectTypeOf(orders.session).toEqualTypeOf<Order | null>();
    // @ts-expect-error a summary's status is open, complete or expired
    const bad: CheckoutAdapter<Order> = { ...adapter, summarize: () => ({ currency: 'usd', total: { amount: '', minorUnitsAmount: 0 }, lineItems: [], status: 'paid' }) };
    void bad;
  });

  it('types Payrails and Toast: their options, sessions and go-ahead confirm', () => {
    const client: PayrailsClient = { query: () => 'exec_1', update: () => {} };
    const tips = createCheckout({ adapter: payrails({ client, amount: { value: '45.99', currency: 'EUR' } }), endpoint: '/update-payrails-amount' });
    expectTypeOf(tips).toEqualTypeOf<Checkout<PayrailsSession, void>>();
    expectTypeOf(tips.session?.amount).toEqualTypeOf<{ value: string; currency: string } | null | undefined>();
    payrails({ client: Promise.resolve(client) }).sessionRecovered();
    // @ts-expect-error Payrails takes the amount as decimal strings
    payrails({ client, amount: { value: 45.99, currency: 'EUR' } });
    // @ts-expect-error a Payrails client has query and update
    payrails({ client: { update: () => {} } });

    const sdk: ToastSdk = { initialize: () => {}, fetchUpdates: async () => {} };
    const orders = createCheckout({ adapter: toast({ toast: sdk, paymentIntentId: 'pi_1', amount: 2000, currency: 'USD', onSessionExpired: async () => ({ paymentIntentId: 'pi_2' }) }), endpoint: '/u' });
    expectTypeOf(orders.session).toEqualTypeOf<ToastSession | null>();
    expectTypeOf(orders.confirm()).resolves.toMatchTypeOf<{ type: 'success'; session: ToastSession } | { type: 'error' }>();
    // @ts-expect-error Toast's amounts are whole minor units, not strings
    toast({ toast: sdk, paymentIntentId: 'pi_1', amount: '20.00' });
    // @ts-expect-error a new intent names its id
    toast({ toast: sdk, paymentIntentId: 'pi_1', onSessionExpired: async () => ({ amount: 2000 }) });
  });
});
