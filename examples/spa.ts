/**
 * The SPA example: the ESM API driven by the page's own code. It builds its controls, calls
 * `set` and `toggle`, renders the session with `textContent`, and logs every event. "Expire
 * this session" (emulator only) ends the session on the server: the page sees `expired`,
 * `onSessionExpired` fetches a new client secret, and the customer's choices are re-applied.
 */
import {
  createCheckout,
  type CheckoutEvents,
  type Selection,
  type SelectionValue,
  type StripeCheckoutElementsSdk,
  type StripeCheckoutSession,
} from 'checkout-updates';

/** What the page offers. The labels repeat the server's prices for the customer; the server decides them. */
type Control =
  | { name: string; kind: 'toggle'; label: string }
  | { name: string; kind: 'number'; label: string; min: number; max: number }
  | { name: string; kind: 'choice'; label: string; options: ReadonlyArray<readonly [value: string, label: string]> };

const CONTROLS: readonly Control[] = [
  { name: 'quantity', kind: 'number', label: 'T-shirts ($20.00 each)', min: 1, max: 10 },
  { name: 'gift_wrap', kind: 'toggle', label: 'Gift wrap (+$5.00)' },
  { name: 'insurance', kind: 'toggle', label: 'Shipping insurance (+$3.00)' },
  { name: 'warranty_years', kind: 'number', label: 'Extended warranty, in years ($10.00 a year)', min: 0, max: 3 },
  { name: 'shipping', kind: 'choice', label: 'Shipping speed', options: [['standard', 'Standard (free)'], ['express', 'Express (+$15.00)']] },
  { name: 'tip', kind: 'choice', label: 'Tip', options: [['0', 'No tip'], ['10', '10 %'], ['15', '15 %'], ['20', '20 %']] },
];

/** What a new session reflects: the server's initial selection. */
const INITIAL: Selection = { quantity: 1, gift_wrap: false, insurance: false, warranty_years: 0, shipping: 'standard', tip: '0' };
const LOG_LIMIT = 200;

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`spa.html has no #${id}`);
  return found as T;
}

const page = {
  root: byId('checkout'),
  options: byId('options'),
  lineItems: byId<HTMLUListElement>('line-items'),
  subtotal: byId('subtotal'),
  total: byId('total'),
  payment: byId('payment-element'),
  error: byId('error'),
  pay: byId<HTMLButtonElement>('pay'),
  loading: byId('loading'),
  expire: byId<HTMLButtonElement>('expire'),
  paid: byId('paid'),
  log: byId<HTMLOListElement>('log'),
};

let lastClientSecret = '';

/** A new Checkout Session from the example server: at start, and again when one expires. */
async function newClientSecret(): Promise<string> {
  const response = await fetch('/checkout-session', { method: 'POST', headers: { Accept: 'application/json' } });
  const body = (await response.json().catch(() => ({}))) as { clientSecret?: unknown; error?: unknown };
  if (!response.ok || typeof body.clientSecret !== 'string') {
    throw new Error(typeof body.error === 'string' ? body.error : `/checkout-session answered HTTP ${response.status}`);
  }
  lastClientSecret = body.clientSecret;
  return body.clientSecret;
}

const checkout = createCheckout({
  publishableKey: page.root.dataset['publishableKey'] ?? '',
  stripeOptions: { betas: ['custom_checkout_server_updates_1'] },
  clientSecret: newClientSecret,
  endpoint: '/update-checkout',
  initial: INITIAL,
  root: page.root,
  onSessionExpired: newClientSecret,
});

// ---- Controls: built here, each calling `set` or `toggle`. ----

/** Builds one control into the options; returns what shows a value in it again (after a revert). */
function buildControl(control: Control): (value: SelectionValue | undefined) => void {
  const row = document.createElement('div');
  row.className = 'field';
  const label = document.createElement('label');
  label.htmlFor = `control-${control.name}`;
  label.textContent = control.label;
  page.options.append(row);

  if (control.kind === 'toggle') {
    row.classList.add('check');
    const box = Object.assign(document.createElement('input'), { type: 'checkbox', id: label.htmlFor });
    box.addEventListener('change', () => void checkout.toggle(control.name));
    row.append(box, label);
    return (value) => void (box.checked = value === true);
  }
  if (control.kind === 'number') {
    const input = Object.assign(document.createElement('input'), { type: 'number', id: label.htmlFor, min: String(control.min), max: String(control.max), step: '1' });
    input.value = String(INITIAL[control.name]);
    input.addEventListener('change', () => {
      const value = input.valueAsNumber;
      const valid = Number.isInteger(value) && value >= control.min && value <= control.max;
      input.toggleAttribute('aria-invalid', !valid);
      if (valid) void checkout.set(control.name, value);
    });
    row.append(label, input);
    return (value) => {
      input.value = String(value);
      input.removeAttribute('aria-invalid');
    };
  }
  const select = Object.assign(document.createElement('select'), { id: label.htmlFor });
  select.append(...control.options.map(([value, text]) => Object.assign(document.createElement('option'), { value, textContent: text })));
  select.value = String(INITIAL[control.name]);
  select.addEventListener('change', () => void checkout.set(control.name, select.value));
  row.append(label, select);
  return (value) => void (select.value = String(value));
}

const showValue = new Map(CONTROLS.map((control) => [control.name, buildControl(control)] as const));

// ---- Rendering the session, with textContent only. ----

function render(session: StripeCheckoutSession): void {
  page.total.textContent = session.total.total.amount;
  page.subtotal.textContent = session.total.subtotal.amount;
  page.lineItems.replaceChildren(...session.lineItems.map((item) => {
    const row = document.createElement('li');
    row.className = 'line-item';
    const cell = (className: string, text: string) => Object.assign(document.createElement('span'), { className, textContent: text });
    row.append(cell('name', item.name), cell('quantity', `× ${item.quantity}`), cell('price', item.total.amount));
    return row;
  }));
}

let paying = false;
function refreshPay(): void {
  page.pay.disabled = paying || checkout.pending || checkout.state !== 'ready' || !checkout.session?.canConfirm;
  page.pay.textContent = paying ? 'Paying…' : 'Pay';
}

function showError(message: string | null): void {
  page.error.textContent = message ?? '';
  page.error.hidden = message === null;
}

let paymentElement: ReturnType<StripeCheckoutElementsSdk['createPaymentElement']> | null = null;

checkout.on('ready', () => {
  // A renewed session is a new SDK instance: its Payment Element replaces the old one.
  paymentElement?.destroy();
  paymentElement = checkout.sdk?.createPaymentElement() ?? null;
  paymentElement?.mount(page.payment);
  showError(null);
  void offerExpiry();
});
checkout.on('change', ({ session }) => {
  render(session);
  refreshPay();
});
checkout.on('loading', ({ loading }) => {
  page.loading.hidden = !loading;
  // "true", as the library's page layer sets it (styles.css dims the amounts by it); not toggleAttribute's "".
  if (loading) page.root.setAttribute('aria-busy', 'true');
  else page.root.removeAttribute('aria-busy');
  refreshPay();
});
checkout.on('update', () => showError(null));
checkout.on('error', ({ error, reverted }) => {
  showError(error.message);
  for (const [name, value] of Object.entries(reverted)) showValue.get(name)?.(value);
});

// The DOM events bubble from `root`: any script on the page can listen, as this one does.
page.root.addEventListener('checkout:change', () => {
  const paid = checkout.state === 'complete';
  page.paid.hidden = !paid;
  if (!paid) return;
  // Nothing can change a paid session: no control may look as if it could, and it cannot expire.
  page.expire.hidden = true;
  for (const control of page.options.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>('input, select, button')) control.disabled = true;
});

page.pay.addEventListener('click', async () => {
  paying = true;
  refreshPay();
  showError(null);
  // No returnUrl: Stripe sends the customer to the session's own return page, not back here.
  const result = await checkout.confirm();
  paying = false;
  refreshPay();
  if (result.type === 'error') showError(result.error.message);
});

// ---- The event log. ----

const short = (id: string) => `${id.slice(0, 8)}…${id.slice(-6)}`;
const total = (session: StripeCheckoutSession) => session.total.total.amount;

const SUMMARY: { [K in keyof CheckoutEvents]: (detail: CheckoutEvents[K]) => string } = {
  loading: ({ loading, reason }) => `${loading ? 'started' : 'ended'} (${reason})`,
  ready: ({ session }) => `session ${short(session.id)}, total ${total(session)}`,
  change: ({ session }) => `status ${session.status.type}, ${session.lineItems.length} line items, total ${total(session)}`,
  update: ({ changes, session }) => `changes ${JSON.stringify(changes)}, total ${total(session)}`,
  error: ({ error, reverted }) => `${error.code}: ${error.message}${Object.keys(reverted).length ? `; reverted ${JSON.stringify(reverted)}` : ''}`,
  expired: ({ session }) => `session ${short(session.id)} expired`,
};

function log(type: string, text: string): void {
  const row = document.createElement('li');
  const name = Object.assign(document.createElement('span'), { className: 'type', textContent: type });
  row.append(`${new Date().toISOString().slice(11, 23)} `, name, ` ${text}`);
  page.log.append(row);
  while (page.log.children.length > LOG_LIMIT) page.log.firstElementChild?.remove();
  page.log.scrollTop = page.log.scrollHeight;
}

function logEvent<K extends keyof CheckoutEvents>(type: K): void {
  checkout.on(type, (detail) => log(type, SUMMARY[type](detail)));
}
for (const type of Object.keys(SUMMARY) as Array<keyof CheckoutEvents>) logEvent(type);

// ---- Expiring the session, on the emulator only. ----

/** Shows the button when the example server runs its emulator (it then answers for the session). */
async function offerExpiry(): Promise<void> {
  const response = await fetch(`/__emulator/session?client_secret=${encodeURIComponent(lastClientSecret)}`, { headers: { Accept: 'application/json' } }).catch(() => null);
  const emulated = response?.ok && response.headers.get('content-type')?.startsWith('application/json');
  page.expire.hidden = !emulated || checkout.state === 'complete';
}

page.expire.addEventListener('click', async () => {
  const id = checkout.session?.id;
  if (!id) return;
  page.expire.disabled = true;
  const response = await fetch(`/__emulator/expire/${encodeURIComponent(id)}`, { method: 'POST' });
  if (!response.ok) {
    showError(`The emulator could not expire the session (HTTP ${response.status}).`);
  } else {
    log('page', `expired ${short(id)} on the emulator; refresh() re-reads the session`);
    // The refresh reads the session: `change` (status expired) and `expired`; then, on a
    // renewed session (`onSessionExpired` gives the secret), `ready` fires again and the
    // selection is re-applied as one update.
    await checkout.refresh();
  }
  page.expire.disabled = false;
});
