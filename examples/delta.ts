/**
 * The delta example: `POST /update-custom-amount` takes one change per request,
 * `{checkout_session_id, product_id}`, and switches that add-on (`gift_wrap` or `insurance`)
 * on or off from what the session holds. A toggle is not idempotent, so the changes must go
 * one at a time and in order: `mode: 'serial'`, with `endpoint.body` building that body.
 * The page is plain HTML (`data-checkout="manual"`) and the script tag; this file only mounts
 * it with those options and listens to the DOM events.
 */
import type { CheckoutEvents } from 'checkout-updates';

declare global {
  interface Window {
    /** The API that `/checkout-updates.iife.js` defines. */
    CheckoutUpdates?: typeof import('checkout-updates');
  }
}

function start(): void {
  const api = window.CheckoutUpdates;
  const form = document.getElementById('delta-checkout');
  const requests = document.getElementById('requests');
  const paid = document.getElementById('paid');
  if (!api || !form || !requests || !paid) throw new Error('delta.html needs /checkout-updates.iife.js, #delta-checkout, #requests and #paid');

  api.mount(form, {
    mode: 'serial',
    endpoint: {
      url: '/update-custom-amount',
      // In serial mode each update carries one change: the add-on to switch.
      body: (u) => ({ checkout_session_id: u.sessionId, product_id: Object.keys(u.changes)[0] }),
    },
  });

  form.addEventListener('checkout:update', (event) => {
    const { changes, session } = (event as CustomEvent<CheckoutEvents['update']>).detail;
    const row = document.createElement('li');
    row.textContent = `product_id: ${Object.keys(changes)[0]} → total ${session.total.total.amount}`;
    requests.append(row);
  });
  form.addEventListener('checkout:change', (event) => {
    const { session } = (event as CustomEvent<CheckoutEvents['change']>).detail;
    paid.hidden = session.status.type !== 'complete';
  });
}

// Deferred scripts (the library's among them) have all run by DOMContentLoaded, whatever
// order a build puts the tags in.
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
