/**
 * A stand-in for Toast's hosted checkout SDK (what Toast's loader.js puts on `window.Toast`),
 * so the example pages run with no account and no network. `window.Toast` becomes the SDK of
 * `createFakeToast`, which reads each intent from the example server's emulated Toast API
 * (`GET /__toast/session?secret=...`) at `initialize` and at every `fetchUpdates()`, so its
 * iframe shows the amount and tip the merchant route last sent Toast, and pays it there
 * (`POST /__toast/session/confirm?secret=...`).
 *
 * It is built into one classic script, `/toast-stand-in.js` (see build.ts), which pages load
 * before the library. There is no real-provider mode: it is always served. A `window.Toast`
 * already there is left alone.
 */
import { createFakeToast } from '../../src/testing/index.js';
import { emulated } from './answer.js';

if (!('Toast' in window)) {
  const fake = createFakeToast({
    remote: {
      session: (secret) => emulated(`/__toast/session?secret=${encodeURIComponent(secret)}`),
      confirm: (secret) => emulated(`/__toast/session/confirm?secret=${encodeURIComponent(secret)}`, { method: 'POST' }),
    },
  });
  // `ToastStandIn`: what the stand-in saw (log, fetchUpdatesCalls), for end-to-end tests and curious developers.
  Object.assign(window, { Toast: fake.Toast, ToastStandIn: fake });
}
