// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { createEmitter } from '../src/events.js';
import { setup } from './helpers/checkout.js';
import { useMerchantServer } from './helpers/merchant.js';

const server = useMerchantServer();

describe('events', () => {
  it('dispatches every event as a bubbling checkout:<type> CustomEvent on root, with the same detail', async () => {
    const form = document.createElement('form');
    document.body.append(form);
    const seen: string[] = [];
    const details: unknown[] = [];
    for (const type of ['loading', 'ready', 'change', 'update', 'error']) {
      document.addEventListener(`checkout:${type}`, (event) => {
        seen.push(`${event.type}@${(event.target as Element).tagName}`);
        details.push((event as CustomEvent).detail);
      });
    }
    const { fake, checkout } = setup({ root: form });
    server.accept = (s) => fake.accept(s);
    const updates: unknown[] = [];
    checkout.on('update', (detail) => updates.push(detail));
    await checkout.ready;
    await checkout.set('tip', 2);
    expect(seen).toEqual([
      'checkout:loading@FORM', 'checkout:ready@FORM', 'checkout:change@FORM', 'checkout:loading@FORM',
      // Stripe first holds confirmation back (canConfirm false), then gives the new totals.
      'checkout:loading@FORM', 'checkout:change@FORM', 'checkout:change@FORM', 'checkout:update@FORM', 'checkout:loading@FORM',
    ]);
    expect(details[7]).toBe(updates[0]);
    checkout.destroy();
    form.remove();
  });

  it('on() returns an unsubscribe function; off() removes; a listener removed mid-emit does not skip its neighbour', () => {
    const emitter = createEmitter(() => null);
    const calls: string[] = [];
    const b = () => calls.push('b');
    const a = () => { calls.push('a'); emitter.off('ready', b); };
    const c = () => calls.push('c');
    emitter.on('ready', a);
    emitter.on('ready', b);
    const offC = emitter.on('ready', c);
    emitter.emit('ready', { session: {} as never, summary: null });
    offC();
    emitter.emit('ready', { session: {} as never, summary: null });
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });

  // Where the browser has no reportError (Safari before 15.4), the console is told instead.
  it.each(['reportError', 'console.error'])('a throwing listener is reported through %s and does not stop the others', (through) => {
    const reported: unknown[] = [];
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.stubGlobal('reportError', through === 'reportError' ? (e: unknown) => reported.push(e) : undefined);
    const emitter = createEmitter(() => null);
    const calls: string[] = [];
    emitter.on('loading', () => { throw new Error('page bug'); });
    emitter.on('loading', () => calls.push('second'));
    emitter.emit('loading', { loading: true, reason: 'update' });
    expect(calls).toEqual(['second']);
    const seen = (list: unknown[]) => list.map((e) => (e as Error).message);
    expect([seen(reported), seen(logged.mock.calls.map(([e]) => e))]).toEqual(through === 'reportError' ? [['page bug'], []] : [[], ['page bug']]);
  });
});
