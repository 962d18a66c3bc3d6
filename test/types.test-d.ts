import { describe, expectTypeOf, it } from 'vitest';
import { createCheckout, type Checkout, type CheckoutEvents, type CheckoutUpdateError, type ServerUpdate, type UpdateResult } from '../src/index.js';

declare const checkout: Checkout;

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
});
