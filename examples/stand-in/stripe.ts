/**
 * A stand-in for Stripe.js, so the example pages run with no keys and no network.
 * `window.Stripe` becomes the constructor of `createFakeStripe`, which reads every session
 * from the example server's emulator (`GET /__emulator/session`): the totals a page shows
 * are the ones that server computed, exactly as with Stripe, where the SDK re-reads the
 * session after each server update. Paying completes the emulator's session
 * (`POST /__emulator/complete/:id`), so the server refuses later updates, as Stripe would.
 * A page on the Payment Intents API is served the same way: `stripe.elements`,
 * `fetchUpdates` and `retrievePaymentIntent` read the intent from
 * `GET /__emulator/payment_intent`, and `confirmPayment` confirms it with
 * `POST /__emulator/payment_intent/confirm`.
 *
 * It is built into one classic script, `/stripe-stand-in.js` (see build.ts). Pages load it
 * before the library; `loadStripe` then finds `window.Stripe` and uses it, and the page's
 * `Stripe(pk, {betas})` call decides whether `runServerUpdate` exists, as with Stripe.js.
 * It works as the content of Stripe's own script URL too (a test that answers
 * https://js.stripe.com/** with it): the loader adds that script and takes `window.Stripe`
 * on its `load` event. A `window.Stripe` already there (the real one) is left alone.
 */
import { createFakeStripe, type FakeRemoteAction, type FakeRemotePaymentIntent, type FakeRemoteSession } from '../../src/testing/index.js';

/**
 * What the emulator refused, with its HTTP status. `answered`: the emulator gave its JSON
 * `{error}`, so a 404 is an object it does not have, not a route the server lacks. `code`: the
 * code of a refused action (`'invalidCode'`), which the fake passes on as Stripe.js's.
 */
class EmulatorError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly answered: boolean,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/**
 * A request to the example server's emulator: its JSON body, or an EmulatorError carrying the
 * emulator's `error`. A relative URL: the page's own origin, even when loaded from js.stripe.com.
 */
async function emulator(path: string, init: RequestInit = {}): Promise<unknown> {
  const headers = { Accept: 'application/json', ...(init.body !== undefined && { 'Content-Type': 'application/json' }) };
  const response = await fetch(`/__emulator/${path}`, { ...init, headers, cache: 'no-store' });
  const body = (await response.json().catch(() => null)) as { error?: unknown; code?: unknown } | null;
  if (response.ok && body !== null) return body;
  const answered = typeof body?.error === 'string';
  const code = typeof body?.code === 'string' ? body.code : null;
  throw new EmulatorError(answered ? (body!.error as string) : `HTTP ${response.status}`, response.status, answered, code);
}

/** The session as the emulator holds it. */
async function readSession(clientSecret: string): Promise<FakeRemoteSession> {
  try {
    return (await emulator(`session?client_secret=${encodeURIComponent(clientSecret)}`)) as FakeRemoteSession;
  } catch (error) {
    throw new Error(`the emulator did not give the session (${(error as Error).message}); is the example server in emulator mode?`);
  }
}

/**
 * Stripe's own actions (a promotion code, a shipping rate, a quantity) performed by the
 * emulator, as Stripe performs them for Stripe.js; a refusal keeps the emulator's words and code.
 */
async function performAction(clientSecret: string, action: FakeRemoteAction): Promise<FakeRemoteSession> {
  const path = `session/action?client_secret=${encodeURIComponent(clientSecret)}`;
  return (await emulator(path, { method: 'POST', body: JSON.stringify(action) })) as FakeRemoteSession;
}

/** Paying completes the session on the emulator too, as paying completes it on Stripe. */
async function completeSession(id: string): Promise<void> {
  await emulator(`complete/${encodeURIComponent(id)}`, { method: 'POST' });
}

/**
 * The PaymentIntent as the emulator holds it, in the shape Stripe.js's retrievePaymentIntent
 * gives; `null` for the emulator's 404, which the fake answers as Stripe's `resource_missing`.
 */
async function readPaymentIntent(clientSecret: string): Promise<FakeRemotePaymentIntent | null> {
  try {
    return (await emulator(`payment_intent?client_secret=${encodeURIComponent(clientSecret)}`)) as FakeRemotePaymentIntent;
  } catch (error) {
    if (error instanceof EmulatorError && error.status === 404 && error.answered) return null;
    throw new Error(`the emulator did not give the PaymentIntent (${(error as Error).message}); is the example server in emulator mode?`);
  }
}

/** Paying confirms the intent on the emulator, as paying changes it at Stripe; a refusal keeps the emulator's `error`. */
async function confirmPaymentIntent(clientSecret: string): Promise<FakeRemotePaymentIntent> {
  return (await emulator(`payment_intent/confirm?client_secret=${encodeURIComponent(clientSecret)}`, { method: 'POST' })) as FakeRemotePaymentIntent;
}

if (!window.Stripe) {
  const fake = createFakeStripe({
    remote: readSession,
    remoteComplete: completeSession,
    remoteAction: performAction,
    remotePaymentIntent: readPaymentIntent,
    remoteConfirmPayment: confirmPaymentIntent,
  });
  window.Stripe = fake.Stripe as unknown as NonNullable<Window['Stripe']>;
  // What the stand-in saw (calls, confirm arguments), for end-to-end tests and curious developers.
  Object.assign(window, { StripeStandIn: fake });
}
