import type { StripeCheckoutSession, StripeCheckoutStatus, StripeCheckoutUpdateHandler } from '@stripe/stripe-js';
import type { Selection } from '../types.js';
import type { NormalizedOptions } from './options.js';
import { type ActionState, withActions } from './checkout-actions.js';
import { type AmountRead, type ItemModel, type SessionModel, buildSession, priceSelection } from './session.js';

/** What Stripe's actions changed on a remote session, as the remote server reported it. */
export type RemoteActionState = Pick<SessionModel, 'discount' | 'shippingOptions' | 'shippingOptionId' | 'optionalItems'>;

/** A Checkout Session on Stripe's side: what the merchant's server accepted, and its status. */
export interface ServerSession {
  readonly id: string;
  accepted: Selection;
  status: StripeCheckoutStatus;
  /** The line items a remote server reported; without it they are priced from `accepted`. */
  items?: ItemModel[];
  /** What Stripe's own actions changed (codes, shipping rate, quantities, optional items). */
  actions: ActionState;
  /** With a remote server, the same as that server reported it; it then stands in for `actions`. */
  remote?: RemoteActionState;
  /** Seconds since the epoch when it was made, and when it ended: its PaymentIntent's `created` and `canceled_at`. */
  readonly created: number;
  endedAt?: number;
}

/**
 * One SDK instance's copy of its session. Like Stripe.js, it knows what its last read
 * (loadActions, a runServerUpdate, a confirm) told it, not what the server holds since,
 * unless the fake is told to push a status change to it. Its session object is rebuilt
 * only when what it is built from changes, so identity tells a change, and `sync` tells
 * the change handlers.
 */
export class SessionView {
  private bound: ServerSession | undefined;
  private items: readonly ItemModel[] = [];
  private actions: ActionState = { quantities: {}, optional: [] };
  private remote: RemoteActionState | undefined;
  private status: StripeCheckoutStatus = { type: 'open' };
  private pending = 0;
  private readonly reads = new Set<AmountRead>();
  private built: { key: string; session: StripeCheckoutSession } | undefined;
  private told: StripeCheckoutSession | undefined;
  private readonly handlers: StripeCheckoutUpdateHandler[] = [];
  /** The client secret this instance was given, for reading a remote session. */
  clientSecret = '';

  constructor(private readonly options: NormalizedOptions) {}

  get serverSession(): ServerSession | undefined {
    return this.bound;
  }

  get isOpen(): boolean {
    return this.status.type === 'open';
  }

  /** The page has read the total, as the real `confirm` requires. */
  get amountShown(): boolean {
    return this.reads.has('amount') || (['minorUnitsAmount', 'currency', 'minorUnitsAmountDivisor'] as const).every((read) => this.reads.has(read));
  }

  bind(session: ServerSession): void {
    this.bound = session;
    this.read();
    this.told = this.session();
  }

  /** Takes the line items and status the server holds now, as Stripe.js does after a server update. */
  read(): void {
    if (!this.bound) return;
    this.items = withActions(this.options, this.bound.items ?? priceSelection(this.options, this.bound.accepted), this.bound.actions);
    const { actions } = this.bound;
    this.actions = { ...actions, quantities: { ...actions.quantities }, optional: [...actions.optional] };
    this.remote = this.bound.remote;
    this.learnStatus();
  }

  /** Takes the server's status only: what a refused update or a confirm tells Stripe.js. */
  learnStatus(): void {
    if (this.bound) this.status = this.bound.status;
  }

  /**
   * A server update starts or ends. Stripe.js documents `canConfirm: false` while one is
   * queued or in progress (changelog, endive, 2026-09-30), so pages can keep Pay disabled.
   */
  pend(delta: 1 | -1): void {
    this.pending += delta;
  }

  on(handler: StripeCheckoutUpdateHandler): void {
    this.handlers.push(handler);
  }

  session(): StripeCheckoutSession {
    const bound = this.bound;
    if (!bound) throw new Error('createFakeStripe: the session is read before loadActions() bound it.');
    const model = {
      id: bound.id,
      currency: this.options.currency,
      items: this.items,
      status: this.status,
      canConfirm: this.status.type === 'open' && this.pending === 0,
      ...this.actionModel(),
    };
    const key = JSON.stringify(model);
    if (this.built?.key !== key) this.built = { key, session: buildSession(model, (read) => this.reads.add(read)) };
    return this.built.session;
  }

  /** The line items the server holds now, which an action acts on. */
  get serverItems(): readonly ItemModel[] {
    const bound = this.bound;
    return bound ? withActions(this.options, bound.items ?? priceSelection(this.options, bound.accepted), bound.actions) : [];
  }

  private actionModel(): RemoteActionState {
    if (this.remote) return this.remote;
    const { promotionCodes, shippingOptions, optionalItems } = this.options;
    const { code, shippingOptionId, optional } = this.actions;
    const discount = code === undefined ? undefined : { code, ...promotionCodes[code] };
    return {
      discount,
      shippingOptions,
      shippingOptionId,
      optionalItems: optionalItems.map((item) => ({ ...item, isSelected: optional.includes(item.priceId) })),
    };
  }

  /** Returns the current session, telling the change handlers first if it is not the one they last heard of. */
  sync(): StripeCheckoutSession | undefined {
    if (!this.bound) return undefined;
    const session = this.session();
    if (session !== this.told) {
      this.told = session;
      for (const handler of [...this.handlers]) tell(handler, session);
    }
    return session;
  }
}

// A throwing handler must not break the SDK's own promise chain; it surfaces as an uncaught
// error instead, as an exception in a browser event handler does.
function tell(handler: StripeCheckoutUpdateHandler, session: StripeCheckoutSession): void {
  try {
    handler(session);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
