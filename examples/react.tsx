/**
 * The React example: one checkout made outside React, rendered from its store with
 * `useSyncExternalStore(checkout.subscribe, checkout.getSnapshot)`. The controls show the
 * snapshot's `selection`, so a change the server refused springs back by itself.
 *
 * The app creates the Checkout Elements SDK and passes it as `sdk`. With react-stripe-js
 * (7.0.1) it could not hand over its provider's instance: `CheckoutElementsProvider` keeps
 * the SDK in a context it does not export, and `useCheckoutElements()` gives a flattened value
 * without `on` and `loadActions`. An app that needs react-stripe-js's elements too can give
 * them the SDK this page makes only through that package's internals, which this page avoids.
 */
import { loadStripe } from '@stripe/stripe-js/pure';
import { StrictMode, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { createCheckout, type Checkout, type SelectionValue } from 'checkout-updates';

const BETAS = ['custom_checkout_server_updates_1'];
/** What a new session reflects: the server's initial selection. */
const INITIAL = { gift_wrap: false, shipping: 'standard', tip: '0' };
const SHIPPING = [['standard', 'Standard (free)'], ['express', 'Express (+$15.00)']] as const;
const TIPS = [['0', 'No tip'], ['10', '10 %'], ['15', '15 %'], ['20', '20 %']] as const;

/** A new Checkout Session from the example server. */
async function newClientSecret(): Promise<string> {
  const response = await fetch('/checkout-session', { method: 'POST', headers: { Accept: 'application/json' } });
  const body = (await response.json().catch(() => ({}))) as { clientSecret?: unknown; error?: unknown };
  if (!response.ok || typeof body.clientSecret !== 'string') {
    throw new Error(typeof body.error === 'string' ? body.error : `/checkout-session answered HTTP ${response.status}`);
  }
  return body.clientSecret;
}

function Select({ name, label, options, value, onChange }: {
  name: string;
  label: string;
  options: ReadonlyArray<readonly [string, string]>;
  value: SelectionValue | undefined;
  onChange: (value: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={`control-${name}`}>{label}</label>
      <select id={`control-${name}`} value={String(value)} onChange={(e) => onChange(e.target.value)}>
        {options.map(([option, text]) => <option key={option} value={option}>{text}</option>)}
      </select>
    </div>
  );
}

/** Stripe's Payment Element, mounted from the shared SDK once the checkout is ready. */
function PaymentElement({ checkout, ready }: { checkout: Checkout; ready: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ready || !host.current || !checkout.sdk) return;
    const element = checkout.sdk.createPaymentElement();
    element.mount(host.current);
    return () => element.destroy();
  }, [checkout, ready]);
  return <div ref={host} className="payment" />;
}

function App({ checkout }: { checkout: Checkout }): ReactNode {
  const { state, summary, selection, pending } = useSyncExternalStore(checkout.subscribe, checkout.getSnapshot);
  const [error, setError] = useState<string | null>(null);
  const [paying, setPaying] = useState(false);
  // The last `error` event's message, cleared by the next update that succeeds.
  useEffect(() => checkout.on('error', ({ error }) => setError(error.message)), [checkout]);
  useEffect(() => checkout.on('update', () => setError(null)), [checkout]);

  const paid = state === 'complete';
  const locked = paid || state === 'expired';
  async function pay() {
    setPaying(true);
    setError(null);
    // No returnUrl: Stripe sends the customer to the session's own return page.
    const result = await checkout.confirm();
    setPaying(false);
    if (result.type === 'error') setError(result.error.message);
  }

  return (
    // aria-busy="true" while an update is pending: styles.css dims the amounts by it.
    <section className="checkout" aria-labelledby="checkout-heading" aria-busy={pending ? 'true' : undefined}>
      <div className="details">
        <section aria-labelledby="order-heading">
          <h2 id="order-heading">Your order</h2>
          <fieldset disabled={locked}>
            <legend>Options</legend>
            <div className="field check">
              <input id="control-gift_wrap" type="checkbox" checked={selection['gift_wrap'] === true} onChange={(e) => void checkout.set('gift_wrap', e.target.checked)} />
              <label htmlFor="control-gift_wrap">Gift wrap (+$5.00)</label>
            </div>
            <Select name="shipping" label="Shipping speed" options={SHIPPING} value={selection['shipping']} onChange={(value) => void checkout.set('shipping', value)} />
            <Select name="tip" label="Tip" options={TIPS} value={selection['tip']} onChange={(value) => void checkout.set('tip', value)} />
          </fieldset>
        </section>
        <section aria-labelledby="payment-heading">
          <h2 id="payment-heading">Payment</h2>
          <PaymentElement checkout={checkout} ready={state === 'ready' || paid} />
        </section>
      </div>

      <section className="summary" aria-labelledby="summary-heading">
        <h2 id="summary-heading">Summary</h2>
        <ul id="line-items" className="items" aria-label="Line items">
          {summary?.lineItems.map((item, index) => (
            <li key={item.id ?? index} className="line-item">
              <span className="name">{item.name}</span>
              <span className="quantity">× {item.quantity}</span>
              <span className="price">{item.total.amount}</span>
            </li>
          ))}
        </ul>
        <dl className="totals" aria-live="polite">
          <dt>Subtotal</dt>
          <dd id="subtotal" className="amount">{summary?.subtotal?.amount}</dd>
          <dt className="total">Total</dt>
          <dd className="total">
            {pending && <span id="loading" className="loading">Updating…</span>} <span id="total" className="amount">{summary?.total.amount}</span>
          </dd>
        </dl>
        {state === 'loading' && <p className="hint">Loading the checkout…</p>}
        {error !== null && <p id="error" className="error" role="alert">{error}</p>}
        {paid && <p id="paid" className="notice" role="status">Paid (test mode). Nothing was charged; reload the page for a new checkout.</p>}
        <button id="pay" className="pay" type="button" onClick={() => void pay()} disabled={paying || pending || state !== 'ready' || summary?.canConfirm === false}>
          {paying ? 'Paying…' : 'Pay'}
        </button>
      </section>
    </section>
  );
}

async function start(host: HTMLElement): Promise<void> {
  const stripe = await loadStripe(host.dataset['publishableKey'] ?? '', { betas: BETAS });
  if (!stripe) throw new Error('Stripe.js did not load.');
  // The app's own SDK instance: the checkout loads its actions and never creates another.
  const sdk = stripe.initCheckoutElementsSdk({ clientSecret: newClientSecret() });
  const checkout = createCheckout({ sdk, endpoint: '/update-checkout', initial: INITIAL });
  createRoot(host).render(<StrictMode><App checkout={checkout} /></StrictMode>);
}

const host = document.getElementById('app');
if (!host) throw new Error('react.html has no #app');
start(host).catch((error: unknown) => {
  host.replaceChildren(Object.assign(document.createElement('p'), { className: 'error', role: 'alert', textContent: String(error) }));
});
