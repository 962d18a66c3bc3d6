/**
 * The return page: reads `session_id` from the URL, asks the example server how that session
 * ended, and says so. Stripe's guidance for a return page: `complete` is a thank-you (paid, or
 * for a delayed payment method still on its way), `open` means the payment did not go
 * through and the customer may try again. Nothing else in the URL is trusted.
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

function describe(session: SessionStatus): [state: string, message: string, retry: boolean] {
  if (session.status === 'complete' && session.payment_status !== 'unpaid') {
    return ['paid', `Thank you! Your payment of ${money(session.amount_total, session.currency)} was received, and your order is on its way.`, false];
  }
  if (session.status === 'complete') return ['processing', 'Thank you! Your order is placed; we will email you once your payment has arrived.', false];
  if (session.status === 'open') return ['failed', 'Your payment did not go through, and you have not been charged.', true];
  return ['expired', 'This checkout has expired, and you have not been charged.', true];
}

async function load(): Promise<void> {
  const id = new URLSearchParams(location.search).get('session_id');
  if (!id) return show('error', 'There is no order to show here.', true);
  try {
    const response = await fetch(`/checkout-session-status?session_id=${encodeURIComponent(id)}`, { headers: { Accept: 'application/json' } });
    const body = (await response.json()) as SessionStatus & { error?: string };
    if (!response.ok) return show('error', body.error ?? 'Your order could not be found.', true);
    show(...describe(body));
  } catch {
    show('error', 'Your order could not be checked. Please reload the page.', false);
  }
}

void load();
