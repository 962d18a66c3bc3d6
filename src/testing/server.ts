import type { StripeCheckoutSession, StripeCheckoutStatus } from '@stripe/stripe-js';
import type { ConfirmArgs } from '../types.js';
import { delay } from './control.js';
import { initialActionState } from './checkout-actions.js';
import { FakeIntents } from './intents.js';
import type { ACTION_METHODS, FakeFailureKind, FakeMethod, FakeRemoteSession, NormalizedOptions } from './options.js';
import type { ItemModel } from './session.js';
import { type RemoteActionState, type ServerSession, SessionView } from './view.js';

/** How often each method was called, and how many calls overlapped. */
export interface FakeCalls {
  initCheckoutElementsSdk: number;
  loadActions: number;
  runServerUpdate: number;
  confirm: number;
  /** `sdk.createPaymentElement()` and `elements.create('payment')` calls. */
  createPaymentElement: number;
  /** `runServerUpdate` calls made and not yet resolved, queued or running (the fake runs them one at a time). */
  runServerUpdateInFlight: number;
  /** The most `runServerUpdate` calls ever in flight at once: above 1, a call was made before the previous one resolved. */
  maxRunServerUpdateInFlight: number;
  /** `stripe.elements()` calls. */
  elements: number;
  fetchUpdates: number;
  /** `fetchUpdates` calls made and not yet resolved. */
  fetchUpdatesInFlight: number;
  /** The most `fetchUpdates` calls ever in flight at once. */
  maxFetchUpdatesInFlight: number;
  /** `fetchUpdates` calls made while an earlier one had not resolved: 0 says a caller never overlapped them. */
  fetchUpdatesOverlapping: number;
  retrievePaymentIntent: number;
  confirmPayment: number;
  applyPromotionCode: number;
  removePromotionCode: number;
  updateShippingOption: number;
  updateLineItemQuantity: number;
  addOptionalLineItem: number;
  removeOptionalLineItem: number;
  /** `runServerUpdate` and action calls made and not yet resolved, queued or running: Stripe.js runs them one at a time. */
  mutationsInFlight: number;
  /** The most of those ever in flight at once: above 1, a call was made before the previous one resolved. */
  maxMutationsInFlight: number;
}

/** One `runServerUpdate` or action call, as it was made. */
export interface FakeMutation {
  method: 'runServerUpdate' | (typeof ACTION_METHODS)[number];
  args: unknown[];
}

/**
 * What every SDK instance of one fake shares, as they share Stripe's servers: the sessions,
 * the counters and the failures a test has planned.
 */
export class FakeServer {
  readonly calls: FakeCalls = {
    initCheckoutElementsSdk: 0,
    loadActions: 0,
    runServerUpdate: 0,
    confirm: 0,
    createPaymentElement: 0,
    runServerUpdateInFlight: 0,
    maxRunServerUpdateInFlight: 0,
    elements: 0,
    fetchUpdates: 0,
    fetchUpdatesInFlight: 0,
    maxFetchUpdatesInFlight: 0,
    fetchUpdatesOverlapping: 0,
    retrievePaymentIntent: 0,
    confirmPayment: 0,
    applyPromotionCode: 0,
    removePromotionCode: 0,
    updateShippingOption: 0,
    updateLineItemQuantity: 0,
    addOptionalLineItem: 0,
    removeOptionalLineItem: 0,
    mutationsInFlight: 0,
    maxMutationsInFlight: 0,
  };
  /** Every `runServerUpdate` and action call, in call order. */
  readonly mutations: FakeMutation[] = [];
  readonly clientSecrets: string[] = [];
  readonly confirmArgs: ConfirmArgs[] = [];
  readonly confirmPaymentArgs: unknown[] = [];
  readonly intents = new FakeIntents(this);
  private readonly sessions: ServerSession[] = [];
  private readonly views: SessionView[] = [];
  private readonly planned: Array<{ method: FakeMethod; kind: FakeFailureKind; times: number }> = [];
  // Reads the current session as a freshly loaded SDK would, for `fake.session` before any SDK loaded.
  private readonly probe: SessionView;

  constructor(readonly options: NormalizedOptions) {
    this.probe = new SessionView(options);
    this.renew(options.sessionId);
  }

  get current(): ServerSession {
    return this.sessions[this.sessions.length - 1]!;
  }

  /** Every session, oldest first: the n-th one's PaymentIntent is `pi_fake<n>`. */
  get allSessions(): readonly ServerSession[] {
    return this.sessions;
  }

  /** Starts a new open session, as when the merchant creates one; older SDK instances keep theirs. */
  renew(id = this.nextId()): void {
    this.sessions.push({ id, accepted: { ...this.options.accepted }, status: { type: 'open' }, created: seconds(), actions: initialActionState(this.options) });
  }

  /** Binds an SDK's view to the current session, as its loadActions does. */
  attach(view: SessionView): void {
    view.bind(this.current);
    this.views.push(view);
  }

  /** The session as the last SDK loaded on the current session sees it, else as a new one would. */
  session(): StripeCheckoutSession {
    const view = [...this.views].reverse().find((candidate) => candidate.serverSession === this.current);
    if (view) return view.session();
    if (this.probe.serverSession !== this.current) this.probe.bind(this.current);
    this.probe.read();
    return this.probe.session();
  }

  /**
   * Ends a session (expired, or complete) and, unless `silent`, tells every SDK instance on
   * it; a silent end is learnt by each instance at its next read, as Stripe.js learns it.
   */
  end(session: ServerSession, status: Exclude<StripeCheckoutStatus, { type: 'open' }>, silent: boolean): void {
    session.status = status;
    session.endedAt = seconds();
    if (silent) return;
    for (const view of this.views) {
      if (view.serverSession !== session) continue;
      view.learnStatus();
      view.sync();
    }
  }

  /**
   * With the `remote` option, takes the session as the remote server holds it now: a new id
   * becomes the current session (the merchant created a new one), a known id is updated.
   */
  async pull(clientSecret: string): Promise<void> {
    const remote = this.options.remote;
    if (!remote) return;
    this.take(await remote(clientSecret));
  }

  /** Takes a session the remote server reported (read, or answered to an action) as the one it holds now. */
  take(state: FakeRemoteSession): void {
    const items = state.lineItems.map(remoteItem);
    // A complete session was paid: the remote shape has no delayed payment methods, which alone complete unpaid.
    const status: StripeCheckoutStatus = state.status === 'complete' ? { type: 'complete', paymentStatus: 'paid' } : { type: state.status };
    const remote = remoteActionState(state);
    const known = this.sessions.find((session) => session.id === state.id);
    if (!known) this.sessions.push({ id: state.id, accepted: {}, status, items, remote, created: seconds(), actions: initialActionState(this.options) });
    else Object.assign(known, { status, items, remote });
  }

  /** A `runServerUpdate` or an action is called: logged, and counted in flight until `mutationEnded`. */
  mutationStarted(mutation: FakeMutation): void {
    this.mutations.push(mutation);
    this.calls.mutationsInFlight += 1;
    this.calls.maxMutationsInFlight = Math.max(this.calls.maxMutationsInFlight, this.calls.mutationsInFlight);
  }

  mutationEnded(): void {
    this.calls.mutationsInFlight -= 1;
  }

  failNext(method: FakeMethod, kind: FakeFailureKind, times: number): void {
    this.planned.push({ method, kind, times });
  }

  /** The failure this call of `method` gets: a planned one first, else the persistent `fail` option. */
  takeFailure(method: FakeMethod): FakeFailureKind | undefined {
    const plan = this.planned.find((candidate) => candidate.method === method);
    if (!plan) return this.options.fail[method];
    plan.times -= 1;
    if (plan.times <= 0) this.planned.splice(this.planned.indexOf(plan), 1);
    return plan.kind;
  }

  delay(method: FakeMethod): Promise<void> {
    return delay(this.options.latencyMs[method]);
  }

  private nextId(): string {
    return `${this.options.sessionId.replace(/_\d+$/, '')}_${this.sessions.length + 1}`;
  }
}

const seconds = () => Math.floor(Date.now() / 1000);

// The server's own Price id, never one made up: a page that keys on `priceId` sees what Stripe would show.
function remoteItem(item: FakeRemoteSession['lineItems'][number]): ItemModel {
  if (typeof item.price !== 'string' || item.price === '') {
    throw new Error(`the remote session's line item ${item.id} has no \`price\` (its Price id)`);
  }
  const adjustable = item.adjustableQuantity ? { adjustableQuantity: { minimum: item.adjustableQuantity.minimum, maximum: item.adjustableQuantity.maximum } } : {};
  return { id: item.id, priceId: item.price, name: item.name, unitAmount: item.unitAmount, quantity: item.quantity, ...adjustable };
}

// What Stripe's actions changed, as the remote server computed it: the discount's amount is its own, never recomputed here.
function remoteActionState(state: FakeRemoteSession): RemoteActionState {
  const discount = state.discounts?.[0];
  return {
    ...(discount && { discount: { code: discount.promotionCode, amount: discount.amount, ...(discount.percentOff != null && { percentOff: discount.percentOff }) } }),
    shippingOptions: (state.shippingOptions ?? []).map(({ deliveryEstimate, ...option }) => ({ ...option, ...(deliveryEstimate && { deliveryEstimate }) })),
    ...(state.shippingOptionId != null && { shippingOptionId: state.shippingOptionId }),
    optionalItems: (state.optionalItems ?? []).map((item) => ({ ...item, quantity: item.quantity ?? 1 })),
  };
}
