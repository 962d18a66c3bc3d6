/**
 * A stand-in for Stripe.js, so the example pages run with no keys and no network.
 * `window.Stripe` becomes the constructor of `createFakeStripe`, which reads every session
 * from the example server's emulator (`GET /__emulator/session`): the totals a page shows
 * are the ones that server computed, exactly as with Stripe, where the SDK re-reads the
 * session after each server update. Paying completes the emulator's session
 * (`POST /__emulator/complete/:id`), so the server refuses later updates, as Stripe would.
 *
 * It is built into one classic script, `/stripe-stand-in.js` (see build.ts). Pages load it
 * before the library; `loadStripe` then finds `window.Stripe` and uses it, and the page's
 * `Stripe(pk, {betas})` call decides whether `runServerUpdate` exists, as with Stripe.js.
 * It works as the content of Stripe's own script URL too (a test that answers
 * https://js.stripe.com/** with it): the loader adds that script and takes `window.Stripe`
 * on its `load` event. A `window.Stripe` already there (the real one) is left alone.
 */
import { createFakeStripe, type FakeRemoteSession } from '../../src/testing/index.js';

/** The session as the emulator holds it. A relative URL: the page's own origin, even when loaded from js.stripe.com. */
async function readSession(clientSecret: string): Promise<FakeRemoteSession> {
  const response = await fetch(`/__emulator/session?client_secret=${encodeURIComponent(clientSecret)}`, {
    headers: { Accept: 'application/json' },
    cache: 'no-store',
  });
  const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
  if (!response.ok || body === null) {
    const reason = typeof body?.error === 'string' ? body.error : `HTTP ${response.status}`;
    throw new Error(`the emulator did not give the session (${reason}); is the example server in emulator mode?`);
  }
  return body as unknown as FakeRemoteSession;
}

/** Paying completes the session on the emulator too, as paying completes it on Stripe. */
async function completeSession(id: string): Promise<void> {
  const response = await fetch(`/__emulator/complete/${encodeURIComponent(id)}`, { method: 'POST' });
  if (response.ok) return;
  const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
  throw new Error(typeof body?.error === 'string' ? body.error : `the emulator answered HTTP ${response.status}`);
}

if (!window.Stripe) {
  const fake = createFakeStripe({ remote: readSession, remoteComplete: completeSession });
  window.Stripe = fake.Stripe as unknown as NonNullable<Window['Stripe']>;
  // What the stand-in saw (calls, confirm arguments), for end-to-end tests and curious developers.
  Object.assign(window, { StripeStandIn: fake });
}
