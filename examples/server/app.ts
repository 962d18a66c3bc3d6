/**
 * The example server: an Express 5 app with the routes a checkout page built on
 * `checkout-updates` calls, for Checkout Sessions and for PaymentIntents, and for Payrails and
 * Toast. With `STRIPE_SECRET_KEY` it talks to Stripe; without, to a local emulator of the Stripe
 * endpoints it uses, started here on an ephemeral port. The same `stripe` npm client is used in
 * both modes. Payrails and Toast are emulated in emulator mode too (providers.ts).
 *
 * `npm run dev` mounts `app` into Vite's dev server; `npm run serve` runs it alone (main.ts).
 */
import express, { type Express, type Request } from 'express';
import Stripe from 'stripe';
import { TOGGLES, isAddOnName, latestSelection } from './catalog.js';
import { CONFIRMABLE } from './emulator-intents.js';
import { ACTIONS } from './emulator-browser.js';
import { ActionRefused, startEmulator, type StripeEmulator } from './emulator.js';
import { CHANGEABLE, applySelection, createPaymentIntent, ended, retrievePaymentIntent } from './intents.js';
import type { PayrailsEmulator } from './payrails-emulator.js';
import { createExecution, lookup, payrailsSelection, pricePayrails } from './payrails.js';
import { oncePromotionCodes } from './promotions.js';
import { connectProviders, type Providers } from './providers.js';
import { createPromotionsSession, createSession, planLineItems, retrieveOpenSession, retrieveSession, retryOnConflict, selectionOf } from './sessions.js';
import type { ToastEmulator } from './toast-emulator.js';
import { createIntent, openIntent, priceToast, toastLineItems, toastSelection, updateIntent, type ToastIntent } from './toast.js';
import { createResume, unlessRefused, type AppliedSelection, type Resume } from './resume.js';
import { firstAnswer, remember } from './toggle-keys.js';
import {
  CLIENT_SECRET,
  HttpError,
  UNKNOWN_PAYMENT,
  UNKNOWN_SESSION,
  bodyWith,
  errorHandler,
  idempotencyKey,
  jsonBody,
  paymentIntentId,
  paymentIntentSecret,
  providerId,
  requiredIdempotencyKey,
  sessionId,
} from './validate.js';

export interface ExampleServerOptions {
  /** Where `STRIPE_SECRET_KEY`, `EMULATOR_LATENCY_MS`, `PUBLIC_URL` and the providers' variables (providers.ts) are read. @default process.env */
  env?: Record<string, string | undefined>;
  /** Where the start-up line and server errors go. @default console.log */
  log?: (line: string) => void;
  /** The clock of the emulated Toast API's 24-hour rule, and of the Toast start route's check of it, in milliseconds. @default Date.now */
  now?: () => number;
}

export interface ExampleServer {
  /** Mount it (`app.use(server.app)`, Vite's `middlewares.use`) or `listen` on it. */
  app: Express;
  mode: 'emulator' | 'stripe';
  stripe: Stripe;
  /** The emulator in emulator mode, else `null`. */
  emulator: StripeEmulator | null;
  /** The emulated Payrails backend, else `null` (Stripe mode, or `PAYRAILS_API_URL`). */
  payrails: PayrailsEmulator | null;
  /** The emulated Toast API, else `null` (Stripe mode, or `TOAST_API_URL`). */
  toast: ToastEmulator | null;
  close(): Promise<void>;
}

export async function createExampleServer(options: ExampleServerOptions = {}): Promise<ExampleServer> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));
  const { stripe, emulator } = await connect(env, log);
  const providers = await connectProviders(env, {
    emulated: emulator !== null,
    latencyMs: emulator?.latencyMs ?? 0,
    log,
    ...(options.now ? { now: options.now } : {}),
  }).catch(async (error: unknown) => {
    await emulator?.close();
    throw error;
  });
  const app = express();
  app.disable('x-powered-by');

  // Resume on reload (resume.ts): the shopper's open session again, with what was last applied to it.
  const resume = createResume();
  app.post('/checkout-session', (req, res) =>
    resume.start(req, res, {
      cookie: 'checkout_session',
      reopen: (id) =>
        unlessRefused(async () => {
          const session = await retrieveSession(stripe, sessionId(id));
          const open = session.status === 'open' && session.expires_at * 1000 > Date.now();
          return open ? { clientSecret: session.client_secret } : null;
        }),
      create: async () => {
        const session = await createSession(stripe, returnUrl(req, env['PUBLIC_URL']));
        return { id: session.id, reply: { clientSecret: session.client_secret } };
      },
    }),
  );

  // The promotions page: codes, shipping rates, an adjustable T-shirt quantity. The codes are
  // made at start in emulator mode, and on first need with a real key (not at start: the app
  // must start with no network, and a failure is retried at the next request).
  const promotionCodes = oncePromotionCodes(stripe);
  if (emulator) await promotionCodes();
  app.post('/promotions-session', async (req, res) => {
    await promotionCodes();
    const session = await createPromotionsSession(stripe, returnUrl(req, env['PUBLIC_URL']));
    res.json({ clientSecret: session.client_secret });
  });

  // The return page (return.html) asks how the session it came back from ended. Only what
  // that page shows: never the client secret or the line items.
  app.get('/checkout-session-status', async (req, res) => {
    const { status, payment_status, amount_total, currency } = await retrieveSession(stripe, sessionId(req.query['session_id']));
    res.set('Cache-Control', 'no-store').json({ status, payment_status, amount_total, currency });
  });

  // The library's default body, in `latest` mode: the whole desired selection.
  app.post('/update-checkout', jsonBody, async (req, res) => {
    idempotencyKey(req.get('Idempotency-Key'));
    const body = bodyWith(req.body, ['checkout_session_id', 'selection', 'changes']);
    const id = sessionId(body.checkout_session_id);
    const selection = latestSelection(body.selection, body.changes);

    res.json(await retryOnConflict(async () => {
      const open = await retrieveOpenSession(stripe, id);
      const { session } = open;
      const plan = planLineItems(open, selection);
      if (!plan.changed) return { id: session.id, amount_total: session.amount_total };
      const updated = await stripe.checkout.sessions.update(id, { line_items: plan.lineItems });
      return { id: updated.id, amount_total: updated.amount_total };
    }));
    resume.applied(id, body.selection as AppliedSelection); // latest mode: the page's whole selection, checked above
  });

  // The seed's delta style, for `mode: 'serial'`: one add-on switched on or off per request.
  app.post('/update-custom-amount', jsonBody, async (req, res) => {
    const key = idempotencyKey(req.get('Idempotency-Key'));
    const body = bodyWith(req.body, ['checkout_session_id', 'product_id']);
    const id = sessionId(body.checkout_session_id);
    const name = body.product_id;
    if (typeof name !== 'string' || !isAddOnName(name)) throw new HttpError(400, 'That option is not available.');
    if (!TOGGLES.includes(name)) throw new HttpError(400, 'That option cannot be switched on or off.');

    // The toggle is read from the session each time: after a conflict, from the other tab's write.
    res.json(await retryOnConflict(async () => {
      const open = await retrieveOpenSession(stripe, id);
      const { session, lineItems } = open;
      // A retry of a toggle already applied, even one before another tab's, gets its first answer
      // and must not toggle back.
      const first = key === undefined ? undefined : firstAnswer(session.metadata, key);
      if (first !== undefined) return { id: session.id, amount_total: first };
      const current = selectionOf(lineItems);
      const plan = planLineItems(open, { ...current, [name]: !current[name] });
      const updated = await stripe.checkout.sessions.update(id, {
        line_items: plan.lineItems,
        ...(key !== undefined ? { metadata: remember(session.metadata, key, plan.amountTotal) } : {}),
      });
      return { id: updated.id, amount_total: updated.amount_total };
    }));
  });

  app.post('/payment-intent', (req, res) =>
    resume.start(req, res, {
      cookie: 'payment_intent',
      reopen: (id) =>
        unlessRefused(async () => {
          const intent = await retrievePaymentIntent(stripe, paymentIntentId(id));
          return CHANGEABLE.includes(intent.status) ? { clientSecret: intent.client_secret } : null;
        }),
      create: async () => {
        const intent = await createPaymentIntent(stripe);
        return { id: intent.id, reply: { clientSecret: intent.client_secret } };
      },
    }),
  );

  // The return page after `confirmPayment`, to which Stripe adds `?payment_intent=pi_...`.
  // Only what that page shows: never the client secret or the metadata.
  app.get('/payment-intent-status', async (req, res) => {
    const { status, amount, currency } = await retrievePaymentIntent(stripe, paymentIntentId(req.query['payment_intent']));
    res.set('Cache-Control', 'no-store').json({ status, amount, currency });
  });

  // The library's default body for Payment Intents, in `latest` mode: the whole desired selection.
  // The Idempotency-Key is required: it goes on to Stripe with the write.
  app.post('/update-payment-intent', jsonBody, async (req, res) => {
    const key = requiredIdempotencyKey(req.get('Idempotency-Key'));
    const body = bodyWith(req.body, ['payment_intent_id', 'selection', 'changes']);
    const id = paymentIntentId(body.payment_intent_id);
    const selection = latestSelection(body.selection, body.changes);

    const intent = await applySelection(stripe, id, selection, key);
    resume.applied(id, body.selection as AppliedSelection); // latest mode: the page's whole selection, checked above
    res.json({ id: intent.id, amount: intent.amount, currency: intent.currency });
  });

  paymentSystemRoutes(app, providers, resume, options.now ?? Date.now);

  if (emulator) app.use('/__emulator', emulatorRoutes(stripe, emulator));
  // The emulated backends answer their own errors, as the providers would.
  if (providers.payrails?.emulator) app.use('/__payrails', providers.payrails.emulator.router);
  if (providers.toast?.emulator) app.use('/__toast', providers.toast.emulator.router);
  app.use(errorHandler(log));

  return {
    app,
    mode: emulator ? 'emulator' : 'stripe',
    stripe,
    emulator,
    payrails: providers.payrails?.emulator ?? null,
    toast: providers.toast?.emulator ?? null,
    close: async () => {
      await Promise.all([emulator?.close(), providers.close()]);
    },
  };
}

/**
 * Payrails' and Toast's routes, each the library's default request in `latest` mode. The
 * Idempotency-Key is required, as on `/update-payment-intent`, though not sent on: a lookup and a
 * Toast update each set a whole amount, so a repeat is harmless, and neither seed names an
 * idempotency header.
 */
function paymentSystemRoutes(app: Express, providers: Providers, resume: Resume, now: () => number): void {
  // Seed 003: the page's execution, then each tip's amount authorised by the lookup action before
  // the answer, which the page then gives the SDK's update().
  app.post('/payrails-session', async (_req, res) => {
    res.json(await createExecution(setUp(providers.payrails, 'Payrails').api));
  });

  app.post('/update-payrails-amount', jsonBody, async (req, res) => {
    const { api } = setUp(providers.payrails, 'Payrails');
    requiredIdempotencyKey(req.get('Idempotency-Key'));
    const body = bodyWith(req.body, ['execution_id', 'selection', 'changes']);
    const id = providerId(body.execution_id);
    const { amount, lineItems } = pricePayrails(payrailsSelection(body.selection, body.changes));
    await lookup(api, id, amount);
    res.json({ amount, lineItems });
  });

  // Seed 002: the page's payment intent, then each selection's amount and tip sent to Toast.
  // A shopper who comes back (a cookie) gets their intent again while it can change, with the
  // selection last applied to it (resume.ts).
  app.post('/toast-payment-intent', (req, res) => {
    const toast = setUp(providers.toast, 'Toast');
    const { merchantId, oauthToken } = toast;
    const reply = (intent: ToastIntent) => ({ paymentIntentId: intent.id, sessionSecret: intent.sessionSecret, merchantId, oauthToken, amount: intent.amount, currency: intent.currency });
    return resume.start(req, res, {
      cookie: 'toast_payment_intent',
      reopen: (id) => unlessRefused(async () => {
        const intent = await openIntent(toast.api, providerId(id), now);
        return intent && reply(intent);
      }),
      create: async () => {
        const intent = await createIntent(toast.api);
        return { id: intent.id, reply: reply(intent) };
      },
    });
  });

  app.post('/update-toast-payment-intent', jsonBody, async (req, res) => {
    const { api } = setUp(providers.toast, 'Toast');
    requiredIdempotencyKey(req.get('Idempotency-Key'));
    const body = bodyWith(req.body, ['payment_intent_id', 'selection', 'changes']);
    const id = providerId(body.payment_intent_id);
    const selection = toastSelection(body.selection, body.changes);
    const intent = await updateIntent(api, id, priceToast(selection));
    resume.applied(id, body.selection as AppliedSelection); // latest mode: the page's whole selection, checked above
    res.json({ amount: intent.amount, currency: intent.currency, lineItems: toastLineItems(selection) });
  });
}

/** A provider's setup, or a 503 in Stripe mode without its URL (providers.ts). */
function setUp<T>(setup: T | null, name: string): T {
  if (!setup) throw new HttpError(503, `${name} is not set up on this server.`);
  return setup;
}

async function connect(env: Record<string, string | undefined>, log: (line: string) => void) {
  const secretKey = env['STRIPE_SECRET_KEY']?.trim();
  if (secretKey) {
    const stripe = new Stripe(secretKey, { appInfo: { name: 'checkout-updates example server' } });
    log(`checkout-updates example server: Stripe mode, ${secretKey.startsWith('sk_live_') ? 'LIVE' : 'test'} key; no emulator.`);
    if (!env['VITE_STRIPE_PUBLISHABLE_KEY']) log('  The pages also need VITE_STRIPE_PUBLISHABLE_KEY (pk_test_...).');
    return { stripe, emulator: null };
  }
  const emulator = await startEmulator({ latencyMs: latency(env['EMULATOR_LATENCY_MS']) });
  const stripe = new Stripe('sk_test_emulator', { host: '127.0.0.1', port: emulator.port, protocol: 'http', telemetry: false });
  log(`checkout-updates example server: emulator mode (no STRIPE_SECRET_KEY): a local Stripe emulator on http://127.0.0.1:${emulator.port}, ${emulator.latencyMs} ms latency.`);
  return { stripe, emulator };
}

function latency(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return 0;
  const ms = Number(text);
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > 60_000) {
    throw new Error(`EMULATOR_LATENCY_MS must be a whole number of milliseconds from 0 to 60000, got \`${text}\`.`);
  }
  return ms;
}

/** Where Stripe sends the customer after paying: the return page, on `PUBLIC_URL` or else this request's own origin. */
function returnUrl(req: Request, publicUrl: string | undefined): string {
  const host = req.get('host') ?? '';
  if (!publicUrl && !/^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/.test(host)) throw new HttpError(400, 'Unknown host.');
  const origin = new URL(publicUrl ?? `${req.protocol}://${host}`).origin;
  return `${origin}/return.html?session_id={CHECKOUT_SESSION_ID}`;
}

/**
 * Emulator mode only: what a browser stand-in needs, and ways to end a session for demos and
 * tests. Never mounted when the server talks to Stripe.
 */
function emulatorRoutes(stripe: Stripe, emulator: StripeEmulator) {
  const routes = express.Router();

  // GET /__emulator/session?client_secret=cs_test_..._secret_...
  routes.get('/session', async (req, res) => {
    const secret = req.query['client_secret'];
    if (typeof secret !== 'string' || !CLIENT_SECRET.test(secret)) throw new HttpError(400, UNKNOWN_SESSION);
    if (emulator.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, emulator.latencyMs));
    const session = emulator.browserSession(secret);
    if (!session) throw new HttpError(404, UNKNOWN_SESSION);
    res.set('Cache-Control', 'no-store').json(session);
  });

  // POST /__emulator/session/action?client_secret=...: one of Stripe.js's Checkout actions,
  // `{method, args}`, as Stripe's own endpoints perform it for the Elements SDK. Answers the
  // session afterwards, or a 4xx `{error, code}` with Stripe.js's words and code.
  routes.post('/session/action', jsonBody, async (req, res) => {
    const secret = req.query['client_secret'];
    if (typeof secret !== 'string' || !CLIENT_SECRET.test(secret)) throw new HttpError(400, UNKNOWN_SESSION);
    const { method, args } = bodyWith(req.body, ['method', 'args']);
    if (typeof method !== 'string' || !ACTIONS.includes(method as (typeof ACTIONS)[number]) || !Array.isArray(args) || args.length > 1) {
      throw new HttpError(400, `Expected {method, args} with method one of ${ACTIONS.join(', ')} and args an array of at most one value.`);
    }
    if (emulator.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, emulator.latencyMs));
    try {
      const session = emulator.browserAction(secret, method, args);
      if (!session) throw new HttpError(404, UNKNOWN_SESSION);
      res.set('Cache-Control', 'no-store').json(session);
    } catch (error) {
      if (!(error instanceof ActionRefused)) throw error;
      res.status(error.status).set('Cache-Control', 'no-store').json({ error: error.message, code: error.code });
    }
  });

  // GET /__emulator/payment_intent?client_secret=pi_..._secret_...: for a stand-in's
  // `retrievePaymentIntent`, the intent as Stripe.js gives it with a publishable key.
  routes.get('/payment_intent', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await browserIntent(req.query['client_secret']));
  });

  // POST /__emulator/payment_intent/confirm?client_secret=...: as a successful `confirmPayment`
  // with a test card, from a status in which Stripe lets a payment be confirmed.
  routes.post('/payment_intent/confirm', async (req, res) => {
    const intent = await browserIntent(req.query['client_secret']);
    if (!CONFIRMABLE.includes(intent.status)) throw ended(intent.status);
    emulator.succeedPaymentIntent(intent.id);
    res.set('Cache-Control', 'no-store').json(emulator.browserPaymentIntent(intent.client_secret!));
  });

  /** The intent with this client secret, after the emulator's latency, like a read from Stripe. */
  async function browserIntent(value: unknown) {
    const secret = paymentIntentSecret(value);
    if (emulator.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, emulator.latencyMs));
    const intent = emulator.browserPaymentIntent(secret);
    if (!intent) throw new HttpError(404, UNKNOWN_PAYMENT);
    return intent;
  }

  // POST /__emulator/expire/:id: through the real client, as a merchant would expire it.
  routes.post('/expire/:id', async (req, res) => {
    const id = sessionId(req.params['id']);
    try {
      const session = await stripe.checkout.sessions.expire(id);
      res.json({ id: session.id, status: session.status });
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw error;
      throw error.statusCode === 404 ? new HttpError(404, UNKNOWN_SESSION) : new HttpError(409, 'This checkout is not open.');
    }
  });

  // POST /__emulator/complete/:id: as if the customer had paid.
  routes.post('/complete/:id', (req, res) => {
    const id = sessionId(req.params['id']);
    const status = emulator.status(id);
    if (status === null) throw new HttpError(404, UNKNOWN_SESSION);
    if (status !== 'open') throw new HttpError(409, 'This checkout is not open.');
    emulator.complete(id);
    res.json({ id, status: 'complete' });
  });

  return routes;
}
