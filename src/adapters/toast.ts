// Toast's hosted checkout: the merchant's server updates the payment intent
// (`POST /v1/payment-intents/{id}` with `amount` and, whenever the amount changes,
// `amountDetails.tip`), then `Toast.fetchUpdates()` re-renders the iframe with what the
// intent now holds. An intent is valid for 24 hours from its `creationDate` (an update after
// that is a 404), and one that is PROCESSING or REQUIRES_CAPTURE cannot be updated (seed 002,
// "Updating a payment intent").
import { CheckoutUpdateError, errorResult, fail, messageOf, toCheckoutError } from '../errors.js';
import type { CheckoutAdapter, CheckoutSummary, SummaryLineItem } from '../types.js';
import { createMoney } from './money.js';
import type { ToastSdk } from './providers.js';
import { badReply, isCurrency, isRefusal, lineItemsOf, readReply } from './reply.js';

export type { ToastInitializeOptions, ToastSdk } from './providers.js';

/** A payment intent to pay on: its id and, where known, its amount (minor units), currency and session secret. */
export interface ToastIntent {
  paymentIntentId: string;
  /** @example 2000 for $20.00 */
  amount?: number | undefined;
  /** @example 'USD' */
  currency?: string | undefined;
  /** For `Toast.initialize`, which the page layer calls to show the iframe: the intent's secret, and your merchant id and iframe OAuth token. */
  sessionSecret?: string | undefined;
  merchantId?: string | undefined;
  oauthToken?: string | undefined;
}

/** What the checkout holds of a Toast payment intent: the amount as your server's last reply gave it. */
export interface ToastSession {
  paymentIntentId: string;
  /** Minor units; `null` before the first update unless the starting amount was given. */
  amount: number | null;
  currency: string | null;
  lineItems: readonly SummaryLineItem[];
  /** `expired`: over 24 hours old; `complete`: processing or paid. */
  status: 'open' | 'complete' | 'expired';
}

export interface ToastOptions {
  /** The page's `window.Toast`, from Toast's `loader.js`. */
  toast: ToastSdk;
  /** The payment intent your server created (or a promise of it, with its amount). */
  paymentIntentId: string | Promise<ToastIntent>;
  /** The intent's starting amount in minor units, shown before the first update. */
  amount?: number;
  /** @example 'USD' */
  currency?: string;
  /** Gives a new payment intent when this one expired; the customer's selection is re-applied to it. */
  onSessionExpired?: () => ToastIntent | Promise<ToastIntent>;
  /**
   * After `confirm()`'s go-ahead, pay through `Toast.createPaymentMethod` and
   * `Toast.confirmPayment` (the page layer does). Without it, `confirm()` only says whether
   * your code may go ahead and call them.
   * @default false
   */
  pay?: boolean;
  /** The locale amounts are formatted in. @default the browser's */
  locale?: string;
}

export interface ToastAdapter extends CheckoutAdapter<ToastSession, void> {
  /** The intent the checkout is on now (a renewal replaces it). */
  readonly intent: ToastIntent | null;
}

const EXPECTED = '{"amount": 2000, "currency": "USD"}, the amount a positive whole number of minor units';

/**
 * Toast's hosted checkout. Your server updates the payment intent and answers its new
 * `{amount, currency}`; the adapter then calls `toast.fetchUpdates()` once. Your server's 404
 * (the intent is over 24 hours old) or 409 (it is processing or paid) ends the session.
 * @example createCheckout({ adapter: toast({ toast: window.Toast, paymentIntentId }), endpoint: '/update-toast-payment-intent' })
 */
export function toast(options: ToastOptions): ToastAdapter {
  const sdk = options?.toast;
  if (typeof sdk?.fetchUpdates !== 'function') fail('`toast`', "Toast's SDK (window.Toast, from loader.js)", sdk);
  const renewal = options.onSessionExpired;
  if (renewal !== undefined && typeof renewal !== 'function') fail('`onSessionExpired`', 'a function', renewal);
  const money = createMoney(options.locale);
  let intent: ToastIntent | null = null;
  let session: ToastSession;
  let notify: (session: ToastSession) => void;
  // Paying must charge what the page showed. `unknown`: your server may have changed the
  // intent without saying to what (a reply we could not use, a timeout, a 5xx): only its next
  // good reply tells. `stale`: the iframe has not fetched what the intent holds since it changed.
  // Stryker disable next-line BooleanLiteral: begin() sets it to false before any update or confirm can read it
  let unknown = false;
  // Stryker disable next-line BooleanLiteral: begin() sets it to false before any update or confirm can read it
  let stale = false;

  function begin(next: ToastIntent): ToastSession {
    if (!(typeof next?.paymentIntentId === 'string' && next.paymentIntentId)) {
      throw new CheckoutUpdateError('init_failed', 'Toast could not start: no payment intent id');
    }
    intent = next;
    unknown = stale = false;
    const known = Number.isSafeInteger(next.amount) && isCurrency(next.currency);
    return (session = { paymentIntentId: next.paymentIntentId, amount: known ? (next.amount as number) : null, currency: known ? (next.currency as string) : null, lineItems: [], status: 'open' });
  }

  /** The iframe in step with the intent; `accepted`: your server changed it, so the change stays. */
  async function fetchUpdates(accepted: boolean) {
    try {
      await sdk.fetchUpdates();
    } catch (cause) {
      stale = true;
      return { type: 'error' as const, error: toCheckoutError('server_update_failed', cause), accepted };
    }
    stale = false;
    return { type: 'success' as const, session };
  }

  async function pay(): Promise<ToastSession> {
    const step = (name: 'createPaymentMethod' | 'confirmPayment') =>
      new Promise((resolve, reject) => (sdk[name] as NonNullable<ToastSdk[typeof name]>)(resolve, (event) => reject(new CheckoutUpdateError('server_update_failed', messageOf(event) ?? 'Toast could not take the payment.', { cause: event }))));
    await step('createPaymentMethod');
    await step('confirmPayment');
    notify((session = { ...session, status: 'complete' }));
    return session;
  }

  return {
    idField: 'payment_intent_id',
    get intent() {
      return intent;
    },
    async start(onSession) {
      notify = onSession;
      const given = options.paymentIntentId;
      return begin(typeof given === 'string' ? { paymentIntentId: given, amount: options.amount, currency: options.currency } : await given);
    },
    id: (s) => s.paymentIntentId,
    summarize: (s) => summarize(s, money),
    async update(serverCall) {
      // Stryker disable next-line BooleanLiteral: a refresh sends no change, so its selection is the confirmed one and `accepted` would keep what is already kept
      if (!serverCall) return fetchUpdates(false);
      let reply: { amount: number; currency: string; lineItems: readonly SummaryLineItem[] };
      try {
        reply = readAmount(await serverCall(true));
      } catch (error) {
        const e = toCheckoutError('server_update_failed', error);
        // Stryker disable next-line ConditionalExpression: only `http` errors carry a status (the endpoint sets none on the others), and ENDED[undefined] is undefined
        const ended = e.code === 'http' ? ENDED[e.status as number] : undefined;
        // Toast's 404 (over 24 hours old) or 409 (processing or paid), passed on by your
        // server: the intent can take no more changes. The checkout says so and may renew.
        if (ended) notify((session = { ...session, status: ended }));
        else if (!isRefusal(e)) unknown = true;
        return errorResult(ended ? new CheckoutUpdateError('session_expired', e.message, { cause: e, status: e.status as number }) : e);
      }
      // Your server changed the intent: the summary shows it even if the iframe cannot follow.
      unknown = false;
      notify((session = { ...session, ...reply }));
      return fetchUpdates(true);
    },
    async confirm() {
      if (unknown || stale) return errorResult(new CheckoutUpdateError('confirm_blocked', 'The payment form could not be brought up to date: choose again, then pay.'));
      if (!options.pay) return { type: 'success', session };
      try {
        return { type: 'success', session: await pay() };
      } catch (error) {
        return errorResult(toCheckoutError('server_update_failed', error));
      }
    },
    ...(renewal && { renew: async () => begin(await renewal()) }),
    // The hosted checkout iframe, on the current intent's session secret.
    mountPaymentElement(target) {
      const named = !target.id;
      if (named) target.id = 'toast-checkout';
      const { sessionSecret, merchantId = '', oauthToken = '' } = intent ?? {};
      // Stryker disable next-line ArrowFunction: Toast ignores what the success callback returns
      if (sessionSecret) sdk.initialize(() => {}, (event) => console.error('Toast could not show the payment form', event), { merchantId, oauthToken, sessionSecret, domElementId: target.id });
      return {
        destroy() {
          target.replaceChildren();
          if (named) target.removeAttribute('id');
        },
      };
    },
  };
}

/** The session status each of your server's refusals means. */
const ENDED: Record<number, ToastSession['status']> = { 404: 'expired', 409: 'complete' };

function readAmount(text: string | undefined) {
  const reply = readReply(text, EXPECTED);
  const { amount, currency } = reply;
  if (!(Number.isSafeInteger(amount) && (amount as number) > 0 && isCurrency(currency))) throw badReply(EXPECTED);
  return { amount: amount as number, currency, lineItems: lineItemsOf(reply['lineItems']) };
}

function summarize(session: ToastSession, money: ReturnType<typeof createMoney>): CheckoutSummary | null {
  const { amount, currency, lineItems, status } = session;
  if (amount === null || currency === null) return null;
  return { currency: currency.toLowerCase(), total: money.minor(amount, currency), lineItems, status };
}
