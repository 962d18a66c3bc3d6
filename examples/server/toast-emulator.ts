/**
 * An emulated Toast API for emulator mode, from seed 002 ("Updating a payment intent"); its
 * rules are in toast-emulator-intents.ts. Toast's payment intents API:
 *
 *   POST /v1/payment-intents                   create {amount, currency, captureMethod?, externalReferenceId?, email?, customerId?}
 *   GET  /v1/payment-intents/:id               the PaymentIntentResponse
 *   POST /v1/payment-intents/:id               update {amount?, amountDetails?: {tip}, email?, customerId?}
 *
 * and, not Toast's API, what the page's stand-in of the hosted checkout SDK needs (the real
 * iframe talks to Toast with the session secret), and a control for tests:
 *
 *   GET  /session?secret=...                   the intent of that sessionSecret (Toast.fetchUpdates)
 *   POST /session/confirm?secret=...           pays it (Toast.confirmPayment)
 *   POST /test/payment-intents/:id/age         {hours}: moves creationDate back
 *
 * The secret goes in the query, URL-encoded: Toast's secrets hold `^`, `?` and `&`.
 */
import type { Request, Router } from 'express';
import { backendRouter, objectWith, serveBackend, type RecordedCall } from './emulated-backend.js';
import { ToastIntents, type ToastPaymentIntent, type ToastStatus } from './toast-emulator-intents.js';
import { HttpError } from './validate.js';

export type { ToastPaymentIntent, ToastStatus };

export interface ToastEmulator {
  /** The base URL the merchant's code calls. */
  readonly url: string;
  /** The same routes, for the example app to mount under `/__toast`. */
  readonly router: Router;
  /** Every request received, by either way in, in order; not those whose body was not JSON (a 400 or 415 before any route). */
  readonly requests: RecordedCall[];
  /** Milliseconds before each answer; may be changed while running. */
  latencyMs: number;
  /** The intent as `GET /v1/payment-intents/:id` answers it, or `null` when there is none. */
  intent(id: string): ToastPaymentIntent | null;
  /** Puts it in any status, as a payment in progress would (PROCESSING has no other way in here). Throws for an unknown id. */
  setStatus(id: string, status: ToastStatus): void;
  close(): Promise<void>;
}

export interface ToastEmulatorOptions {
  latencyMs?: number;
  /** The clock of the 24-hour rule, in milliseconds. @default Date.now */
  now?: () => number;
  log?: (line: string) => void;
}

const HOUR_MS = 60 * 60 * 1000;

export async function startToastEmulator(options: ToastEmulatorOptions = {}): Promise<ToastEmulator> {
  const intents = new ToastIntents(options.now ?? Date.now);
  const requests: RecordedCall[] = [];
  const router = backendRouter(
    { latencyMs: () => emulator.latencyMs, requests, log: options.log ?? (() => {}) },
    (routes) => defineRoutes(routes, intents),
  );
  const served = await serveBackend(router);
  const emulator: ToastEmulator = {
    url: served.url,
    router,
    requests,
    latencyMs: options.latencyMs ?? 0,
    intent: (id) => {
      try {
        return intents.read(id);
      } catch {
        return null;
      }
    },
    setStatus: (id, status) => intents.setStatus(id, status),
    close: () => served.close(),
  };
  return emulator;
}

function defineRoutes(routes: Router, intents: ToastIntents): void {
  routes.post('/v1/payment-intents', (req, res) => {
    res.json(intents.create(req.body));
  });
  routes.get('/v1/payment-intents/:id', (req, res) => {
    res.set('Cache-Control', 'no-store').json(intents.read(req.params['id'] ?? ''));
  });
  routes.post('/v1/payment-intents/:id', (req, res) => {
    res.json(intents.update(req.params['id'] ?? '', req.body));
  });

  routes.get('/session', (req, res) => {
    res.set('Cache-Control', 'no-store').json(bySecret(req));
  });
  routes.post('/session/confirm', (req, res) => {
    res.set('Cache-Control', 'no-store').json(intents.confirm(bySecret(req).id));
  });

  routes.post('/test/payment-intents/:id/age', (req, res) => {
    const { hours } = objectWith(req.body, ['hours']);
    if (typeof hours !== 'number' || !Number.isFinite(hours) || hours < 0 || hours > 24 * 366) {
      throw new HttpError(400, 'hours must be a number from 0 to 8784.');
    }
    res.json(intents.age(req.params['id'] ?? '', Math.round(hours * HOUR_MS)));
  });

  function bySecret(req: Request): ToastPaymentIntent {
    const secret = req.query['secret'];
    if (typeof secret !== 'string' || secret === '') throw new HttpError(400, 'Give the intent\'s sessionSecret as `secret`, URL-encoded.');
    const intent = intents.bySecret(secret);
    if (!intent) throw new HttpError(404, 'No payment intent has this sessionSecret.');
    return intent;
  }
}
