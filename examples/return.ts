/**
 * The return page: reads `session_id` (a Checkout Session) or `payment_intent` (a
 * PaymentIntent, which Stripe adds to the return_url after `confirmPayment`) from the URL,
 * asks the example server how it ended, and says so. Stripe's guidance for a return page:
 * `complete` (a session) or `succeeded` (an intent) is a thank-you, `processing` (or an unpaid
 * complete session) is a payment still on its way, anything open means the payment did not go
 * through and the customer may try again. Nothing else in the URL (`redirect_status`, the
 * client secret) is trusted: the status is read from the server.
 */
interface SessionStatus {
  status: 'open' | 'complete' | 'expired';
  payment_status: 'paid' | 'unpaid' | 'no_payment_required';
  amount_total: number | null;
  currency: string | null;
}

const text = document.querySelector<HTMLElement>('#order-status')!;
const next = document.querySelector<HTMLAnchorElement>('#order-next')!;

function show(state: string, message: string, retry: boolean): void {
  text.dataset['state'] = state;
  text.textContent = message;
  next.hidden = !retry;
}

/** The amount as the customer saw it, e.g. "$25.00" (amounts are in the currency's minor unit). */
function money(amount: number | null, currency: string | null): string {
  if (amount === null || !currency) return '';
  const format = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

/** A PaymentIntent as GET /payment-intent-status answers it. */
interface IntentStatus {
  status: 'requires_payment_method' | 'requires_confirmation' | 'requires_action' | 'processing' | 'requires_capture' | 'succeeded' | 'canceled';
  amount: number;
  currency: string;
}

type Shown = [state: string, message: string, retry: boolean];

const PAID = (amount: string): Shown => ['paid', `Thank you! Your payment of ${amount} was received, and your order is on its way.`, false];
const PROCESSING: Shown = ['processing', 'Thank you! Your order is placed; we will email you once your payment has arrived.', false];
const FAILED: Shown = ['failed', 'Your payment did not go through, and you have not been charged.', true];
const EXPIRED: Shown = ['expired', 'This checkout has expired, and you have not been charged.', true];

function describeIntent(intent: IntentStatus): Shown {
  if (intent.status === 'succeeded' || intent.status === 'requires_capture') return PAID(money(intent.amount, intent.currency));
  if (intent.status === 'processing') return PROCESSING;
  return intent.status === 'canceled' ? EXPIRED : FAILED;
}

function describe(session: SessionStatus): Shown {
  if (session.status === 'complete' && session.payment_status !== 'unpaid') return PAID(money(session.amount_total, session.currency));
  if (session.status === 'complete') return PROCESSING;
  return session.status === 'open' ? FAILED : EXPIRED;
}

async function load(): Promise<void> {
  const query = new URLSearchParams(location.search);
  const session = query.get('session_id');
  const intent = query.get('payment_intent');
  if (!session && !intent) return show('error', 'There is no order to show here.', true);
  const url = session
    ? `/checkout-session-status?session_id=${encodeURIComponent(session)}`
    : `/payment-intent-status?payment_intent=${encodeURIComponent(intent!)}`;
  try {
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    const body = (await response.json()) as { error?: string };
    if (!response.ok) return show('error', body.error ?? 'Your order could not be found.', true);
    show(...(session ? describe(body as SessionStatus) : describeIntent(body as IntentStatus)));
  } catch {
    show('error', 'Your order could not be checked. Please reload the page.', false);
  }
}

void load();
