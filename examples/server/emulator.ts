/**
 * A local stand-in for the few Stripe endpoints the example server uses, so that it runs with
 * no keys and no network. The real `stripe` npm client talks to it over HTTP (`host`, `port`,
 * `protocol: 'http'`), so the server's code is the same in both modes.
 *
 *   POST /v1/checkout/sessions                  create (mode=payment, ui_mode=elements)
 *   GET  /v1/checkout/sessions/:id              retrieve (expand[]=line_items)
 *   POST /v1/checkout/sessions/:id              update line_items (retransmitted whole) and metadata
 *   GET  /v1/checkout/sessions/:id/line_items   list line items (limit, starting_after, ending_before)
 *   POST /v1/checkout/sessions/:id/expire       expire an open session
 *   POST /v1/coupons                            create (percent_off, or amount_off and currency; duration=once)
 *   POST /v1/promotion_codes                    create (promotion[coupon], code, active)
 *   GET  /v1/promotion_codes                    list (code, active, limit)
 *   POST /v1/payment_intents                    create (amount, currency, automatic_payment_methods, metadata, description)
 *   GET  /v1/payment_intents/:id                retrieve
 *   POST /v1/payment_intents/:id                update amount, metadata and description
 *
 * This file is the HTTP side (keys, form encoding, idempotency, latency); the rules of the
 * sessions are in emulator-sessions.ts, those of the PaymentIntents in emulator-intents.ts. Errors have Stripe's shape and status, so the client
 * throws its typed errors (`StripeInvalidRequestError`, ...).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, StateError, parseForm, token, type Params } from './emulator-params.js';
import { PaymentIntents, type BrowserPaymentIntent, type IntentStatus, type PaymentIntentState } from './emulator-intents.js';
import { ActionRefused, browserSession, performAction, type BrowserSession } from './emulator-browser.js';
import { Discounts } from './emulator-discounts.js';
import { CheckoutSessions, type SessionStatus } from './emulator-sessions.js';

export { ActionRefused };
export type { BrowserPaymentIntent, BrowserSession, IntentStatus, PaymentIntentState, SessionStatus };

export interface EmulatorOptions {
  /** Milliseconds before each answer, to try slow networks. @default 0 */
  latencyMs?: number;
  /** The clock, in milliseconds. @default Date.now */
  now?: () => number;
}

/** One request as the emulator received it, its parameters decoded. */
export interface RecordedRequest {
  method: string;
  path: string;
  params: Params;
}

export interface StripeEmulator {
  readonly port: number;
  /** Every request received, in order: tests count and compare them. */
  readonly requests: RecordedRequest[];
  /** Milliseconds before each answer; may be changed while running. */
  latencyMs: number;
  /** The session as the browser SDK sees it, or `null` when no session has this client secret. */
  browserSession(clientSecret: string): BrowserSession | null;
  /**
   * Performs one of Stripe.js's Checkout actions on the session with this client secret, as
   * Stripe's own endpoints would for the Elements SDK (not part of Stripe's public API), and
   * gives the session afterwards; `null` when no session has this client secret. A refused
   * action throws `ActionRefused` (`message`, `code`, `status`) and changes nothing.
   */
  browserAction(clientSecret: string, method: string, args: readonly unknown[]): BrowserSession | null;
  /** The session's status, or `null` when there is no such session. */
  status(sessionId: string): SessionStatus | null;
  /** Marks an open session paid, as a successful `confirm` would. */
  complete(sessionId: string): void;
  /** An active price, for `line_items[][price]`. */
  createPrice(data: { unitAmount: number; currency: string; productName: string }): string;
  /** The PaymentIntent as the emulator holds it (its metadata a copy), or `null` when there is no such intent. */
  paymentIntent(id: string): PaymentIntentState | null;
  /**
   * The PaymentIntent as Stripe.js's `retrievePaymentIntent(clientSecret)` gives it with a
   * publishable key (no metadata), or `null` when no intent has this client secret.
   */
  browserPaymentIntent(clientSecret: string): BrowserPaymentIntent | null;
  /**
   * Marks it `succeeded`, as a successful payment with a test card would. Throws unless it is
   * `requires_payment_method`, `requires_confirmation`, `requires_action` or `processing`.
   */
  succeedPaymentIntent(id: string): void;
  /** Marks it `processing`, as confirming with a bank debit would. Throws unless it could be confirmed. */
  processPaymentIntent(id: string): void;
  /** Marks it `canceled`, as Stripe's cancel endpoint would. Throws once it has succeeded or been canceled. */
  cancelPaymentIntent(id: string): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: unknown;
  replayed?: boolean;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<StripeEmulator> {
  const now = options.now ?? Date.now;
  const discounts = new Discounts(() => Math.floor(now() / 1000));
  const sessions = new CheckoutSessions(discounts, now);
  const intents = new PaymentIntents(options.now);
  const requests: RecordedRequest[] = [];
  /** Idempotency-Key -> the request it was first used with, and the answer it got. */
  const answered = new Map<string, { fingerprint: string; answer: Answer }>();

  async function handle(req: IncomingMessage): Promise<Answer> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://emulator');
    const text = method === 'POST' ? await readBody(req) : url.search.slice(1);
    const params = parseForm(text);
    requests.push({ method, path: url.pathname, params });
    if (!/^Bearer (sk|rk)_test_\w+$/.test(req.headers.authorization ?? '')) {
      throw new ApiError(401, 'Invalid API Key provided. The emulator takes test keys (sk_test_...) only.');
    }
    if (method === 'POST' && text !== '' && !req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
      throw new ApiError(400, 'Send parameters form-encoded (application/x-www-form-urlencoded).');
    }
    // The same key with the same request gets the first answer again; with another request, an error.
    const key = method === 'POST' ? req.headers['idempotency-key'] : undefined;
    const fingerprint = `${method} ${url.pathname} ${text}`;
    const earlier = typeof key === 'string' ? answered.get(key) : undefined;
    if (earlier && earlier.fingerprint !== fingerprint) {
      throw new ApiError(400, 'Keys for idempotent requests can only be used with the same parameters they were first used with.', undefined, undefined, 'idempotency_error');
    }
    if (earlier) return { ...earlier.answer, replayed: true };
    const { answer, kept } = run(() => route(method, url.pathname, params));
    if (typeof key === 'string' && kept) answered.set(key, { fingerprint, answer });
    return answer;
  }

  /** Method, path pattern (its group the id), endpoint: the table above. */
  const endpoints: [string, RegExp, (params: Params, id: string) => unknown][] = [
    ['POST', /^\/v1\/checkout\/sessions$/, (params) => sessions.create(params)],
    ['GET', /^\/v1\/checkout\/sessions\/([^/]+)$/, (params, id) => sessions.retrieve(id, params)],
    ['POST', /^\/v1\/checkout\/sessions\/([^/]+)$/, (params, id) => sessions.update(id, params)],
    ['GET', /^\/v1\/checkout\/sessions\/([^/]+)\/line_items$/, (params, id) => sessions.listLineItems(id, params)],
    ['POST', /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/, (params, id) => sessions.expire(id, params)],
    ['POST', /^\/v1\/coupons$/, (params) => discounts.createCoupon(params)],
    ['POST', /^\/v1\/promotion_codes$/, (params) => discounts.createPromotionCode(params)],
    ['GET', /^\/v1\/promotion_codes$/, (params) => discounts.listPromotionCodes(params)],
    ['POST', /^\/v1\/payment_intents$/, (params) => intents.create(params)],
    ['GET', /^\/v1\/payment_intents\/([^/]+)$/, (params, id) => intents.retrieve(id, params)],
    ['POST', /^\/v1\/payment_intents\/([^/]+)$/, (params, id) => intents.update(id, params)],
  ];

  function route(method: string, path: string, params: Params): unknown {
    for (const [verb, pattern, endpoint] of endpoints) {
      const match = verb === method ? pattern.exec(path) : null;
      if (match) return endpoint(params, match[1] ?? '');
    }
    throw new ApiError(404, `Unrecognized request URL (${method}: ${path}).`);
  }

  const server = createServer((req, res) => {
    void (async () => {
      if (emulator.latencyMs > 0) await sleep(emulator.latencyMs);
      let answer: Answer;
      try {
        answer = await handle(req);
      } catch (error) {
        answer = errorAnswer(error);
      }
      res.writeHead(answer.status, {
        'Content-Type': 'application/json',
        'Request-Id': `req_${token(14)}`,
        ...(answer.replayed ? { 'Idempotent-Replayed': 'true' } : {}),
      });
      res.end(JSON.stringify(answer.body));
    })();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const emulator: StripeEmulator = {
    port: (server.address() as AddressInfo).port,
    requests,
    latencyMs: options.latencyMs ?? 0,
    browserSession: (clientSecret) => {
      const session = sessions.bySecret(clientSecret);
      return session && browserSession(session);
    },
    browserAction: (clientSecret, method, args) => {
      const session = sessions.bySecret(clientSecret);
      if (!session) return null;
      performAction(session, discounts, method, args);
      return browserSession(session);
    },
    status: (id) => sessions.status(id),
    complete: (id) => sessions.complete(id),
    createPrice: (data) => sessions.createPrice(data),
    paymentIntent: (id) => intents.state(id),
    browserPaymentIntent: (clientSecret) => intents.browser(clientSecret),
    succeedPaymentIntent: (id) => intents.succeed(id),
    processPaymentIntent: (id) => intents.process(id),
    cancelPaymentIntent: (id) => intents.cancel(id),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
  return emulator;
}

/**
 * Runs an endpoint, and says whether Stripe would keep its answer for the request's
 * Idempotency-Key. Stripe saves the status and body of the first request with a key once the
 * endpoint has begun executing, whether it succeeds or fails, 500s included; it saves nothing
 * when the parameters fail validation, or when the request conflicts with a concurrent one, and
 * such a request may be sent again with the same key (docs.stripe.com/api/idempotent_requests).
 * A 400 is replayed for a request that began executing, "most 400s that sent invalid
 * parameters" are not (docs.stripe.com/error-low-level, "Content errors").
 *
 * So, here: a success, a `StateError` (valid parameters refused by the state of the object:
 * an update to a session that has ended, to the amount of a payment that has succeeded) and
 * an unexpected failure (500) are kept. Every other `ApiError` is a parameter that failed
 * validation and is not kept: a missing, unknown or malformed parameter, an amount below the
 * currency's minimum, an id no object has, the id in the URL included (Stripe names it as a
 * parameter: `param: 'intent'`), and a URL no endpoint answers. The key, the form encoding and
 * an idempotency mismatch are refused before any endpoint, in `handle`. Requests cannot
 * conflict: each endpoint runs whole before the next request is looked at.
 */
function run(endpoint: () => unknown): { answer: Answer; kept: boolean } {
  try {
    return { answer: { status: 200, body: endpoint() }, kept: true };
  } catch (error) {
    return { answer: errorAnswer(error), kept: error instanceof StateError || !(error instanceof ApiError) };
  }
}

function errorAnswer(error: unknown): Answer {
  return error instanceof ApiError
    ? { status: error.status, body: error.toJSON() }
    : { status: 500, body: { error: { type: 'api_error', message: `The emulator failed: ${String(error)}` } } };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 1_000_000) throw new ApiError(413, 'The request body is too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
