import type {
  StripeCheckoutConfirmResult,
  StripeCheckoutLoadActionsSuccess,
  StripeCheckoutRunServerUpdateResult,
} from '@stripe/stripe-js';
import { describe, messageOf } from '../errors.js';
import type { ConfirmArgs } from '../types.js';
import { type Settled, injectedRejection, integrationError, serial, settle } from './control.js';
import { type FakeFailureKind, SERVER_UPDATES_BETA } from './options.js';
import type { FakeServer } from './server.js';
import type { SessionView } from './view.js';

const INACTIVE = 'This Checkout Session is no longer active.';

type Queue = ReturnType<typeof serial>;

/** The `actions` of a loaded SDK. `runServerUpdate` exists only with the beta flag, as in Stripe.js. */
export function createActions(server: FakeServer, view: SessionView, betas: readonly string[]): StripeCheckoutLoadActionsSuccess {
  const actions: Omit<StripeCheckoutLoadActionsSuccess, 'runServerUpdate'> &
    Partial<Pick<StripeCheckoutLoadActionsSuccess, 'runServerUpdate'>> = {
    getSession: () => view.session(),
    confirm: (args) => confirm(server, view, args),
    // The fake Payment Element is always complete.
    validateElements: () => Promise.resolve({ type: 'success', session: view.session() }),
    applyPromotionCode: unsupported('applyPromotionCode'),
    removePromotionCode: unsupported('removePromotionCode'),
    updateShippingAddress: unsupported('updateShippingAddress'),
    updateBillingAddress: unsupported('updateBillingAddress'),
    updatePhoneNumber: unsupported('updatePhoneNumber'),
    updateEmail: unsupported('updateEmail'),
    updateIndividualName: unsupported('updateIndividualName'),
    updateBusinessName: unsupported('updateBusinessName'),
    updateLineItemQuantity: unsupported('updateLineItemQuantity'),
    updateTaxIdInfo: unsupported('updateTaxIdInfo'),
    updateShippingOption: unsupported('updateShippingOption'),
    addOptionalLineItem: unsupported('addOptionalLineItem'),
    removeOptionalLineItem: unsupported('removeOptionalLineItem'),
  };
  if (betas.includes(SERVER_UPDATES_BETA)) {
    const queue: Queue = serial();
    actions.runServerUpdate = (fn) => runServerUpdate(server, view, queue, fn);
  }
  return actions as StripeCheckoutLoadActionsSuccess;
}

/**
 * Queues the update, then awaits `fn` (ignoring its value) and re-reads the session from
 * what the merchant's server accepted meanwhile. Stripe.js holds `canConfirm` false "while a
 * Custom Checkout server update is queued or in progress" (changelog, endive, 2026-09-30:
 * block-custom-checkout-confirmation-pending-updates), so it runs them one at a time: a
 * second call's function is not called before the first call has resolved. The calls count
 * as in flight from the call, queued or running, so `maxRunServerUpdateInFlight` still tells
 * how many a caller had started before the earlier ones resolved.
 */
// Not `async`: the promise the caller gets is the queue's own, so the next call starts only
// after the caller has seen this one resolve.
function runServerUpdate(server: FakeServer, view: SessionView, queue: Queue, fn: unknown): Promise<StripeCheckoutRunServerUpdateResult> {
  const { calls } = server;
  calls.runServerUpdate += 1;
  if (typeof fn !== 'function') return Promise.reject(integrationError(`runServerUpdate expects a function, got ${describe(fn)}`));
  if (!view.isOpen) return Promise.resolve({ type: 'error', error: { message: INACTIVE, code: null } });
  const failure = server.takeFailure('runServerUpdate');
  calls.runServerUpdateInFlight += 1;
  calls.maxRunServerUpdateInFlight = Math.max(calls.maxRunServerUpdateInFlight, calls.runServerUpdateInFlight);
  view.pend(1);
  view.sync();
  return queue(() => serverUpdate(server, view, fn as () => unknown, failure));
}

/** One queued update at its turn: the function, Stripe's re-read, and the result. */
async function serverUpdate(
  server: FakeServer,
  view: SessionView,
  fn: () => unknown,
  failure: FakeFailureKind | undefined,
): Promise<StripeCheckoutRunServerUpdateResult> {
  // An update queued behind one whose re-read found the session ended is refused, its
  // function not called, as a call made then would be.
  let settled: Settled = view.isOpen ? await settle(fn, server.options.serverUpdateLimitMs) : { ok: false, message: INACTIVE };
  if (settled.ok) await server.delay('runServerUpdate');
  // With a remote server, Stripe's re-read is a real read of what that server holds.
  if (settled.ok && !failure && server.options.remote) settled = await settle(() => server.pull(view.clientSecret), server.options.serverUpdateLimitMs);
  server.calls.runServerUpdateInFlight -= 1;
  view.pend(-1);
  // Stripe's re-read: it is where an SDK learns that the session ended meanwhile.
  const reread = settled.ok && !failure;
  if (reread) view.learnStatus();
  if (reread && view.isOpen) view.read();
  view.sync();

  if (!settled.ok) return { type: 'error', error: { message: settled.message, code: null } };
  if (failure === 'reject') throw injectedRejection('runServerUpdate');
  if (failure === 'error') return { type: 'error', error: { message: 'The Checkout Session could not be updated (injected failure).', code: null } };
  if (!view.isOpen) return { type: 'error', error: { message: INACTIVE, code: null } };
  return { type: 'success', session: view.session() };
}

/**
 * Completes the session with a paid status. Like Stripe.js, it refuses (rejects) unless the
 * page has read the total to show it: `total.total.amount`, or `total.total.minorUnitsAmount`
 * with `currency` and `minorUnitsAmountDivisor`.
 */
async function confirm(server: FakeServer, view: SessionView, args: ConfirmArgs): Promise<StripeCheckoutConfirmResult> {
  server.calls.confirm += 1;
  server.confirmArgs.push(args);
  if (!view.amountShown) {
    throw integrationError(
      'confirm() needs the total shown to the customer first: read session.total.total.amount, or ' +
        'session.total.total.minorUnitsAmount with session.currency and session.minorUnitsAmountDivisor, and display it.',
    );
  }
  const failure = server.takeFailure('confirm');
  await server.delay('confirm');
  if (failure === 'reject') throw injectedRejection('confirm');
  if (failure === 'error') {
    return { type: 'error', error: { message: 'Your card was declined.', code: 'paymentFailed', paymentFailed: { declineCode: null } } };
  }
  const session = view.serverSession;
  view.learnStatus();
  if (!session || !view.isOpen) {
    view.sync();
    return { type: 'error', error: { message: INACTIVE, code: null } };
  }
  if (server.options.remoteComplete) {
    try {
      await server.options.remoteComplete(session.id);
    } catch (reason) {
      // Learn why, as Stripe.js would: the server may hold the session expired or paid by now.
      await server.pull(view.clientSecret).catch(() => {});
      view.learnStatus();
      view.sync();
      return { type: 'error', error: { message: `The payment could not be completed: ${messageOf(reason) ?? 'the server refused it.'}`, code: null } };
    }
  }
  server.end(session, { type: 'complete', paymentStatus: 'paid' }, false);
  return { type: 'success', session: view.session() };
}

// Rejects loudly rather than pretend: a fake that answered these would decide outcomes the
// real Stripe.js decides.
function unsupported(name: string): () => Promise<never> {
  return () => Promise.reject(new Error(`actions.${name}() is not implemented by createFakeStripe.`));
}
