import type {
  StripeCheckoutSession,
  StripeCheckoutConfirmResult,
  StripeCheckoutLoadActionsSuccess,
  StripeCheckoutRunServerUpdateResult,
} from '@stripe/stripe-js';
import { describe, messageOf } from '../errors.js';
import type { ConfirmArgs } from '../types.js';
import { type Settled, injectedRejection, integrationError, serial, settle } from './control.js';
import { type ActionError, perform } from './checkout-actions.js';
import { type ACTION_METHODS, type FakeFailureKind, type FakeRemoteAction, SERVER_UPDATES_BETA } from './options.js';
import type { FakeServer } from './server.js';
import type { SessionView } from './view.js';

const INACTIVE = 'This Checkout Session is no longer active.';

type Queue = ReturnType<typeof serial>;

/** The `actions` of a loaded SDK. `runServerUpdate` exists only with the beta flag, as in Stripe.js. */
export function createActions(server: FakeServer, view: SessionView, betas: readonly string[]): StripeCheckoutLoadActionsSuccess {
  // One queue for every call that changes the session, as Stripe.js runs them (see runServerUpdate).
  const queue: Queue = serial();
  const actions: Omit<StripeCheckoutLoadActionsSuccess, 'runServerUpdate'> &
    Partial<Pick<StripeCheckoutLoadActionsSuccess, 'runServerUpdate'>> = {
    getSession: () => view.session(),
    confirm: (args) => confirm(server, view, args),
    // The fake Payment Element is always complete.
    validateElements: () => Promise.resolve({ type: 'success', session: view.session() }),
    updateShippingAddress: unsupported('updateShippingAddress'),
    updateBillingAddress: unsupported('updateBillingAddress'),
    updatePhoneNumber: unsupported('updatePhoneNumber'),
    updateEmail: unsupported('updateEmail'),
    updateIndividualName: unsupported('updateIndividualName'),
    updateBusinessName: unsupported('updateBusinessName'),
    updateTaxIdInfo: unsupported('updateTaxIdInfo'),
    applyPromotionCode: (code) => act(server, view, queue, 'applyPromotionCode', [code]),
    removePromotionCode: () => act(server, view, queue, 'removePromotionCode', []),
    updateShippingOption: (id) => act(server, view, queue, 'updateShippingOption', [id]),
    updateLineItemQuantity: (args) => act(server, view, queue, 'updateLineItemQuantity', [args]),
    addOptionalLineItem: (priceId) => act(server, view, queue, 'addOptionalLineItem', [priceId]),
    removeOptionalLineItem: (priceId) => act(server, view, queue, 'removeOptionalLineItem', [priceId]),
  };
  if (betas.includes(SERVER_UPDATES_BETA)) actions.runServerUpdate = (fn) => runServerUpdate(server, view, queue, fn);
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
  server.mutationStarted({ method: 'runServerUpdate', args: [] });
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
  server.mutationEnded();
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

type ActionMethod = (typeof ACTION_METHODS)[number];
type ActionResult = { type: 'success'; session: StripeCheckoutSession } | { type: 'error'; error: ActionError };

/**
 * One of Stripe's own actions, queued with the server updates and performed on the session
 * Stripe holds (checkout-actions.ts), or with `remoteAction` by the remote server. A session
 * that ended meanwhile refuses it, and the SDK learns the status from the answer, as from a
 * refused update. With `remote` and no `remoteAction`, the actions are not implemented.
 */
// `R`: each action's own result type in checkout.d.ts; `perform` gives only the codes it allows.
function act<R>(server: FakeServer, view: SessionView, queue: Queue, method: ActionMethod, args: unknown[]): Promise<R> {
  server.calls[method] += 1;
  const { remote, remoteAction } = server.options;
  if (remote && !remoteAction) return Promise.reject(new Error(`actions.${method}() is not implemented by createFakeStripe with \`remote\`.`));
  const failure = server.takeFailure(method);
  server.mutationStarted({ method, args });
  view.pend(1);
  view.sync();
  return queue(async () => {
    await server.delay(method);
    view.learnStatus();
    const session = view.serverSession;
    if (failure === 'reject') {
      server.mutationEnded();
      view.pend(-1);
      view.sync();
      throw injectedRejection(method);
    }
    // A remote action is in flight (and `canConfirm` false) until its server answers.
    const error: ActionError | undefined =
      failure === 'error'
        ? { message: `The ${method} action failed (injected failure).`, code: null }
        : !session || !view.isOpen
          ? { message: INACTIVE, code: null }
          : remoteAction
            ? await performRemotely(server, view, { method, args })
            : perform(server.options, session.actions, view.serverItems, method, args[0]);
    server.mutationEnded();
    view.pend(-1);
    if (!error) view.read();
    view.sync();
    return (error ? { type: 'error', error } : { type: 'success', session: view.session() }) as ActionResult as R;
  });
}

/**
 * The action on the remote server: its answer is the session the SDK shows; its refusal is
 * Stripe's error value, after a read that tells whether the session ended meanwhile.
 */
async function performRemotely(server: FakeServer, view: SessionView, action: FakeRemoteAction): Promise<ActionError | undefined> {
  try {
    server.take(await server.options.remoteAction!(view.clientSecret, action));
    view.learnStatus();
    return undefined;
  } catch (reason) {
    await server.pull(view.clientSecret).catch(() => {});
    view.learnStatus();
    const code = (reason as { code?: unknown } | null)?.code === 'invalidCode' ? 'invalidCode' : null;
    return { message: messageOf(reason) ?? `The ${action.method} action failed.`, code };
  }
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
