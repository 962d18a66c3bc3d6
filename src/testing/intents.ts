import type { PaymentIntent, PaymentIntentResult } from '@stripe/stripe-js';
import { messageOf } from '../errors.js';
import { CONFIRMABLE, buildPaymentIntent, fromRemote, intentIdOf, noSuchIntent, unexpectedState, wrongSecret } from './intent.js';
import type { FakeServer } from './server.js';
import { priceSelection } from './session.js';
import type { ServerSession } from './view.js';

/**
 * One Elements group's copy of its PaymentIntent: what its last read (its creation, a
 * `fetchUpdates`, a `confirmPayment`) told it, as the Payment Element shows the intent it
 * last fetched, not what Stripe holds since.
 */
export class IntentView {
  reflected: PaymentIntent | undefined;
  private started = 0;
  private taken = 0;

  constructor(readonly clientSecret: string) {}

  /** Starts a read; its answer is taken unless one started later was taken first, so the newest read wins. */
  begin(): (intent: PaymentIntent) => void {
    const read = ++this.started;
    return (intent) => {
      if (read < this.taken) return;
      this.taken = read;
      this.reflected = intent;
    };
  }
}

/**
 * Stripe's side of the PaymentIntents. Without `remotePaymentIntent`, each Checkout Session of
 * the fake has one PaymentIntent, `pi_fake<n>` for the n-th session, so one fake serves a page
 * on either API: its amount is the session's total (what `accept()` made it), and the
 * session's end is the intent's: open is `requires_payment_method`, complete (`complete()`, a
 * `confirm`, a `confirmPayment`) is `succeeded`, expired (`expire()`) is `canceled`, and
 * `renew()` starts a session with a new intent. With it, every read asks that server.
 */
export class FakeIntents {
  private readonly views: IntentView[] = [];

  constructor(private readonly server: FakeServer) {}

  /** Keeps a group's view, for `fake.paymentIntent`. */
  attach(view: IntentView): void {
    this.views.push(view);
  }

  /** What Stripe's API answers a publishable key for this client secret now. */
  async retrieve(clientSecret: string): Promise<PaymentIntentResult> {
    const remote = this.server.options.remotePaymentIntent;
    if (!remote) return this.local(clientSecret);
    let found;
    try {
      found = await remote(clientSecret);
    } catch (reason) {
      return { error: { type: 'api_connection_error', message: `The PaymentIntent could not be read: ${messageOf(reason) ?? 'the request failed.'}` } };
    }
    return found === null ? { error: noSuchIntent(intentIdOf(clientSecret) ?? clientSecret) } : { paymentIntent: fromRemote(found) };
  }

  /** The local intent for a client secret, answered at once. */
  local(clientSecret: string): PaymentIntentResult {
    const sessions = this.server.allSessions;
    const index = sessions.findIndex((_, at) => intentId(at) === intentIdOf(clientSecret));
    if (index < 0) return { error: noSuchIntent(intentIdOf(clientSecret) ?? clientSecret) };
    if (clientSecret !== secretOf(index)) return { error: wrongSecret() };
    return { paymentIntent: this.build(sessions[index]!, index) };
  }

  /**
   * Pays: a local intent succeeds by completing its session (every SDK instance on it hears
   * `change`); a remote one is confirmed by `remoteConfirmPayment`, whose server decides.
   */
  async confirm(clientSecret: string): Promise<PaymentIntentResult> {
    const { remotePaymentIntent, remoteConfirmPayment } = this.server.options;
    if (remoteConfirmPayment) {
      try {
        return { paymentIntent: fromRemote(await remoteConfirmPayment(clientSecret)) };
      } catch (reason) {
        return { error: { type: 'invalid_request_error', message: `The payment could not be completed: ${messageOf(reason) ?? 'the server refused it.'}` } };
      }
    }
    const answer = await this.retrieve(clientSecret);
    if (answer.error) return answer;
    if (!CONFIRMABLE.has(answer.paymentIntent.status)) return { error: unexpectedState(answer.paymentIntent) };
    if (remotePaymentIntent) return { paymentIntent: { ...answer.paymentIntent, status: 'succeeded', payment_method: 'pm_fake_card' } };
    const index = this.server.allSessions.findIndex((_, at) => secretOf(at) === clientSecret);
    this.server.end(this.server.allSessions[index]!, { type: 'complete', paymentStatus: 'paid' }, false);
    return this.local(clientSecret);
  }

  /**
   * The current intent as the last Elements group on it last read it; before any, as Stripe
   * holds it now. With `remotePaymentIntent` the current one is the last group's.
   */
  current(): PaymentIntent {
    const reflected = (secret?: string) =>
      [...this.views].reverse().find((view) => view.reflected && (secret === undefined || view.clientSecret === secret))?.reflected;
    if (this.server.options.remotePaymentIntent) {
      const last = reflected();
      if (!last) throw new Error('createFakeStripe: with `remotePaymentIntent`, fake.paymentIntent is known once an Elements group has read one.');
      return last;
    }
    const secret = secretOf(this.server.allSessions.length - 1);
    const answer = this.local(secret);
    return reflected(secret) ?? answer.paymentIntent!;
  }

  private build(session: ServerSession, index: number): PaymentIntent {
    const items = session.items ?? priceSelection(this.server.options, session.accepted);
    const status = session.status.type === 'open' ? 'requires_payment_method' : session.status.type === 'complete' ? 'succeeded' : 'canceled';
    return buildPaymentIntent({
      id: intentId(index),
      clientSecret: secretOf(index),
      amount: items.reduce((sum, item) => sum + item.unitAmount * item.quantity, 0),
      currency: this.server.options.currency,
      status,
      created: session.created,
      canceledAt: session.endedAt ?? null,
    });
  }
}

// Letters and digits after `pi_`, as Stripe.js's check of a client secret wants.
const intentId = (index: number) => `pi_fake${index + 1}`;
const secretOf = (index: number) => `${intentId(index)}_secret_fake`;
