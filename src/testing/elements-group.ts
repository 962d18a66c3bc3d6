import type { StripeElements } from '@stripe/stripe-js';
import { injectedRejection } from './control.js';
import { type FakeElements, createElements } from './elements.js';
import { checkClientSecret } from './intent.js';
import { IntentView } from './intents.js';
import type { FakeServer } from './server.js';

type FetchUpdatesResult = Awaited<ReturnType<StripeElements['fetchUpdates']>>;

/** What `confirmPayment` needs from a group: its intent and its Elements. */
export interface Group {
  readonly view: IntentView;
  readonly elements: FakeElements;
}

// The groups this fake made, so `confirmPayment` can tell one from any other object.
const groups = new WeakMap<object, Group>();

/** The group behind an `elements` value made by a fake, else `undefined`. */
export function groupOf(value: unknown): Group | undefined {
  return typeof value === 'object' && value !== null ? groups.get(value) : undefined;
}

/**
 * `stripe.elements({clientSecret})` for a PaymentIntent: a group that reads its intent at
 * once, as Stripe.js fetches it to render the Payment Element, and again at `fetchUpdates()`.
 * Only the Payment Element can be created in it.
 */
export function createElementsGroup(server: FakeServer, options: unknown): StripeElements {
  server.calls.elements += 1;
  const view = new IntentView(readClientSecret(options));
  server.intents.attach(view);
  firstRead(server, view);
  const elements = createElements();
  const updateEnd: Array<() => void> = [];
  const group = {
    create(type: unknown) {
      if (type !== 'payment') throw new Error(`elements.create(${JSON.stringify(type)}) is not implemented by createFakeStripe; only 'payment' is.`);
      server.calls.createPaymentElement += 1;
      return elements.create('payment');
    },
    getElement: (type: unknown) => (type === 'payment' ? elements.get('payment') : null),
    // Resolves once applied, and emits `update-end` too (the dahlia 2026-03-25 changelog: update() returns a Promise).
    update: async () => {
      await Promise.resolve();
      for (const handler of [...updateEnd]) handler();
    },
    on(type: unknown, handler: () => void) {
      if (type === 'update-end') updateEnd.push(handler);
    },
    // The fake Payment Element is always complete, so there is nothing to refuse.
    submit: () => Promise.resolve({}),
    fetchUpdates: () => fetchUpdates(server, view),
  };
  groups.set(group, { view, elements });
  return group as unknown as StripeElements;
}

// Loudly refuses what the fake does not model, rather than pretend: deferred intents, SetupIntents, no intent at all.
function readClientSecret(options: unknown): string {
  const { clientSecret, mode } = (typeof options === 'object' && options !== null ? options : {}) as { clientSecret?: unknown; mode?: unknown };
  if (mode !== undefined || clientSecret === undefined) {
    throw new Error("stripe.elements() without a PaymentIntent's clientSecret (a `mode`, or no intent) is not implemented by createFakeStripe.");
  }
  if (typeof clientSecret === 'string' && clientSecret.startsWith('seti_')) {
    throw new Error('stripe.elements() with a SetupIntent is not implemented by createFakeStripe.');
  }
  // Thrown at once, as Stripe.js throws its IntegrationError from elements().
  return checkClientSecret('elements()', clientSecret);
}

// A local intent is known at once; a remote one when its server answers. A failed first read
// leaves the group without an intent until a `fetchUpdates` gets one.
function firstRead(server: FakeServer, view: IntentView): void {
  const take = view.begin();
  if (!server.options.remotePaymentIntent) {
    const answer = server.intents.local(view.clientSecret);
    if (answer.paymentIntent) take(answer.paymentIntent);
    return;
  }
  void server.intents.retrieve(view.clientSecret).then((answer) => answer.paymentIntent && take(answer.paymentIntent));
}

/**
 * Stripe: "Fetches updates from the associated PaymentIntent or SetupIntent on an existing
 * instance of Elements, and reflects these updates in the Payment Element." Its documents say
 * nothing of calls made while one is running, so the fake lets them overlap (the newest read
 * wins) and counts them: `fetchUpdatesOverlapping`, `maxFetchUpdatesInFlight`.
 */
async function fetchUpdates(server: FakeServer, view: IntentView): Promise<FetchUpdatesResult> {
  const { calls } = server;
  calls.fetchUpdates += 1;
  if (calls.fetchUpdatesInFlight > 0) calls.fetchUpdatesOverlapping += 1;
  calls.fetchUpdatesInFlight += 1;
  calls.maxFetchUpdatesInFlight = Math.max(calls.maxFetchUpdatesInFlight, calls.fetchUpdatesInFlight);
  try {
    const failure = server.takeFailure('fetchUpdates');
    const take = view.begin();
    await server.delay('fetchUpdates');
    if (failure === 'reject') throw injectedRejection('fetchUpdates');
    if (failure === 'error') return { error: { message: 'The PaymentIntent could not be fetched (injected failure).' } };
    const answer = await server.intents.retrieve(view.clientSecret);
    if (answer.error) return { error: { message: answer.error.message ?? 'The PaymentIntent could not be fetched.' } };
    take(answer.paymentIntent);
    return {};
  } finally {
    calls.fetchUpdatesInFlight -= 1;
  }
}
