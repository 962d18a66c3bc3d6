// Payrails: the merchant's server calls the execution's lookup action with the new amount,
// which authorises it; only then does the browser tell the SDK the same amount with
// `update()`. Payrails refuses a payment whose amount differs from the authorised one with a
// 401, so the two must never diverge (seed 003, "Update Checkout Amount").
import { CheckoutUpdateError, errorResult, fail, toCheckoutError } from '../errors.js';
import type { CheckoutAdapter, CheckoutSummary, SummaryLineItem } from '../types.js';
import { createMoney } from './money.js';
import type { PayrailsAmount, PayrailsClient } from './providers.js';
import { badReply, isCurrency, isRefusal, lineItemsOf, readReply } from './reply.js';

export type { PayrailsAmount, PayrailsClient } from './providers.js';

/** What the checkout holds of a Payrails session: the amount the SDK pays, as the last reply gave it. */
export interface PayrailsSession {
  executionId: string;
  /** The amount `update()` last took (or the starting amount); `null` before either. */
  amount: PayrailsAmount | null;
  /** From your server's reply, when it carries them in the summary's shape. */
  lineItems: readonly SummaryLineItem[];
  /** `complete` once Payrails' button reported the payment authorised, or your server answered 409 (paid). */
  status: 'open' | 'complete';
}

export interface PayrailsOptions {
  /** The client `Payrails.init(...)` gave (or a promise of it). */
  client: PayrailsClient | Promise<PayrailsClient>;
  /**
   * The amount the session started with (the init payload's), shown before the first update.
   * @example { value: '45.99', currency: 'EUR' }
   */
  amount?: PayrailsAmount | Promise<PayrailsAmount | undefined> | undefined;
  /** The locale amounts are formatted in. @default the browser's */
  locale?: string;
}

export interface PayrailsAdapter extends CheckoutAdapter<PayrailsSession, void> {
  /**
   * Tell the adapter that Payrails recovered the session (a redirect flow): Payrails then
   * forgets what `update()` set, so the adapter sets the confirmed amount again. Wire it into
   * the SDK's recovery hook.
   */
  sessionRecovered(): void;
  /** The Payrails client, once started. */
  readonly client: PayrailsClient | null;
}

const SHAPE = '{"value": "52.89", "currency": "EUR"}, the value a positive decimal';
const EXPECTED = `{"amount": ${SHAPE}}`;
/** How long updates wait for Payrails' button to report the end of a payment it was allowed to make. */
const PAYMENT_WAIT_MS = 120_000;
/** A positive decimal string, as Payrails takes it: "52.89", never "-1", "1e3" or "". */
const DECIMAL = /^\d+(\.\d+)?$/;

/**
 * Payrails' web SDK. Your server answers each update with the amount it authorised through
 * the lookup action; the adapter then calls `client.update()` with exactly those strings.
 * `confirm()` pays nothing (Payrails' own button does): it says whether the page may go ahead.
 * @example createCheckout({ adapter: payrails({ client: Payrails.init(initPayload) }), endpoint: '/update-payrails-amount' })
 */
export function payrails(options: PayrailsOptions): PayrailsAdapter {
  if (!options?.client || !['object', 'function'].includes(typeof options.client)) fail('`client`', 'the client Payrails.init() gave, or a promise of it', options?.client);
  const money = createMoney(options.locale);
  let client: PayrailsClient | null = null;
  let session: PayrailsSession;
  let notify: (session: PayrailsSession) => void;
  // The SDK and the lookup may disagree after a failure between the two: paying would then
  // be refused with a 401, so `confirm()` refuses first, until an update sets both again.
  let inStep = true;
  // The amount `update()` was last given, set again after a session recovery.
  let applied: PayrailsAmount | null = null;
  // While Payrails' button pays after a go-ahead, the next update waits: its lookup would
  // authorise an amount the payment in flight does not send. `paid()` ends the wait.
  let paying: Promise<void> | null = null;
  let paid = () => {};
  // The go-ahead asked for is the button's: its payment follows at once.
  let clicked = false;

  /** A go-ahead for the button: updates wait until it reports the payment's end (at most two minutes). */
  function hold(): void {
    paying = new Promise((resolve) => {
      const timer = setTimeout(() => paid(), PAYMENT_WAIT_MS);
      paid = () => {
        clearTimeout(timer);
        paying = null;
        resolve();
      };
    });
  }

  /** `client.update()`, whose throw ("No active Payrails session", ...) is an error too. */
  function apply(amount: PayrailsAmount): CheckoutUpdateError | null {
    try {
      (client as PayrailsClient).update({ value: amount.value, currency: amount.currency });
    } catch (cause) {
      inStep = false;
      return toCheckoutError('server_update_failed', cause);
    }
    applied = amount;
    return null;
  }

  const self: PayrailsAdapter = {
    idField: 'execution_id',
    refreshes: false,
    get client() {
      return client;
    },
    async start(onSession) {
      notify = onSession;
      const [given, amount] = await Promise.all([options.client, options.amount]);
      if (typeof given?.query !== 'function' || typeof given.update !== 'function') {
        throw new CheckoutUpdateError('init_failed', 'Payrails could not start: `client` is not a Payrails client (query and update are missing)');
      }
      if (amount !== undefined && !isAmount(amount)) throw new CheckoutUpdateError('init_failed', `Payrails could not start: \`amount\` must be ${SHAPE}`);
      const executionId = given.query('executionId');
      if (!(typeof executionId === 'string' && executionId)) throw new CheckoutUpdateError('init_failed', "Payrails could not start: client.query('executionId') gave no execution id");
      client = given;
      session = { executionId, amount: amount ?? null, lineItems: [], status: 'open' };
      return session;
    },
    id: (s) => s.executionId,
    summarize: (s) => summarize(s, money),
    async update(serverCall) {
      await paying;
      if (session.status === 'complete') return errorResult(new CheckoutUpdateError('session_expired', 'This checkout is already complete.'));
      // Payrails has nothing to pull: the amount is the one the last update set.
      if (!serverCall) return { type: 'success', session };
      let amount: PayrailsAmount;
      let lineItems: readonly SummaryLineItem[];
      try {
        ({ amount, lineItems } = readAmount(await serverCall(true)));
      } catch (error) {
        const e = toCheckoutError('server_update_failed', error);
        // Your server's 409: the execution was paid and takes no more changes.
        if (e.status === 409) {
          notify((session = { ...session, status: 'complete' }));
          return errorResult(new CheckoutUpdateError('session_expired', e.message, { cause: e, status: 409 }));
        }
        // After anything but a refusal, the lookup may have run with an amount the SDK does not have.
        if (!isRefusal(e)) inStep = false;
        return errorResult(e);
      }
      const refused = apply(amount);
      if (refused) return errorResult(refused);
      // The lookup and the SDK hold the same amount again.
      inStep = true;
      session = { ...session, amount, lineItems };
      return { type: 'success', session };
    },
    async confirm() {
      if (!inStep) return errorResult(new CheckoutUpdateError('confirm_blocked', 'Your last change did not go through: choose again, then pay.'));
      // Held before the checkout lets its queue go: a change made at this moment waits for the payment.
      if (clicked) hold();
      return { type: 'success', session };
    },
    destroy: () => paid(),
    // Sets what the SDK held again; whether that is what the lookup authorised is as before.
    sessionRecovered() {
      if (applied && client) apply(applied);
    },
    // Payrails' card button: its click asks the checkout first; a `false` stops the payment.
    mountPaymentElement(target, go) {
      const button = client?.createCardPaymentButton?.({
        translations: { label: 'Pay' },
        events: {
          onButtonClicked: async () => {
            clicked = true;
            try {
              return !!go && (await go()).type === 'success';
            } finally {
              clicked = false;
            }
          },
          onAuthorizeSuccess: () => {
            notify((session = { ...session, status: 'complete' }));
            paid();
          },
          onAuthorizeFailed: () => paid(),
        },
      });
      button?.mount(target);
      return {
        destroy() {
          paid();
          button?.unmount?.();
        },
      };
    },
  };
  return self;
}

/** The reply's `{amount: {value, currency}}` and its line items; an `http` error for anything else. */
function readAmount(text: string | undefined): { amount: PayrailsAmount; lineItems: readonly SummaryLineItem[] } {
  const reply = readReply(text, EXPECTED);
  const amount = reply['amount'];
  if (!isAmount(amount)) throw badReply(EXPECTED);
  // A copy of the two strings only: exactly what the lookup authorised goes to `update()`.
  return { amount: { value: amount.value, currency: amount.currency }, lineItems: lineItemsOf(reply['lineItems']) };
}

function isAmount(value: unknown): value is PayrailsAmount {
  const { value: decimal, currency } = (value ?? {}) as Partial<PayrailsAmount>;
  return typeof decimal === 'string' && DECIMAL.test(decimal) && Number(decimal) > 0 && isCurrency(currency);
}

function summarize(session: PayrailsSession, money: ReturnType<typeof createMoney>): CheckoutSummary | null {
  const { amount, lineItems, status } = session;
  if (!amount) return null;
  return { currency: amount.currency.toLowerCase(), total: money.major(amount.value, amount.currency), lineItems, status };
}
