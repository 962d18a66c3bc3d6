/**
 * A stand-in for Payrails' web SDK, so the example pages run with no account and no network.
 * `window.Payrails` becomes the SDK of `createFakePayrails`, whose card button pays on the
 * example server's emulated Payrails backend (`POST /__payrails/executions/:id/authorize`):
 * that backend holds the amount the merchant route authorised through the lookup action, so
 * a payment whose amount differs from it is refused with a 401 there, as Payrails would.
 *
 * It is built into one classic script, `/payrails-stand-in.js` (see build.ts), which pages
 * load before the library. There is no real-provider mode: it is always served. A
 * `window.Payrails` already there is left alone.
 */
import { createFakePayrails } from '../../src/testing/index.js';
import { emulated } from './answer.js';

if (!('Payrails' in window)) {
  const fake = createFakePayrails({
    remote: {
      authorize: (executionId, amount) => emulated(`/__payrails/executions/${encodeURIComponent(executionId)}/authorize`, { method: 'POST', body: { amount } }),
    },
  });
  // `PayrailsStandIn`: what the stand-in saw (log, updates), for end-to-end tests and curious developers.
  Object.assign(window, { Payrails: fake.Payrails, PayrailsStandIn: fake });
}
