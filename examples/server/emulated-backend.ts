/**
 * What the emulated Payrails and Toast backends share (payrails-emulator.ts, toast-emulator.ts).
 *
 * Each is one Express router, served twice: on its own ephemeral port on 127.0.0.1, which the
 * merchant's code calls as it would call the provider (an app cannot know its own origin, and
 * Vite's dev server may be on any), and under `/__payrails` / `/__toast` on the example app, so
 * that the browser stand-ins of the SDKs reach it from the page's own origin. One router, so
 * one state: what the merchant's lookup records, the page's payment sees.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type RequestHandler, type Router } from 'express';
import { HttpError, errorHandler, jsonBody } from './validate.js';

/** One request as an emulated backend received it: tests count and compare them. */
export interface RecordedCall {
  method: string;
  /** The path within the backend, whichever way it came: `/merchant/executions/.../lookup`. */
  path: string;
  /** The parsed JSON body, or `null` without one. */
  body: unknown;
}

export interface BackendOptions {
  /** Milliseconds before each answer, read at each request (`EMULATOR_LATENCY_MS`). */
  latencyMs: () => number;
  requests: RecordedCall[];
  /** Where a 5xx is logged. */
  log: (line: string) => void;
}

/**
 * A router with the backend's routes (`define`) between what every answer needs: the
 * latency, the JSON body (when there is one), the record of the request; then a JSON 404 for
 * any other path and `{error}` for every refusal (an `HttpError`'s status and message).
 */
export function backendRouter(options: BackendOptions, define: (routes: Router) => void): Router {
  const routes = express.Router();
  routes.use(async (_req, _res, next) => {
    if (options.latencyMs() > 0) await sleep(options.latencyMs());
    next();
  });
  routes.use(jsonWhenBody);
  routes.use((req, _res, next) => {
    options.requests.push({ method: req.method, path: req.path, body: req.body ?? null });
    next();
  });
  define(routes);
  routes.use(() => {
    throw new HttpError(404, 'Not found.');
  });
  routes.use(errorHandler(options.log));
  return routes;
}

/** A POST without a body (the browser's confirm) is fine; one with a body must be JSON. */
const jsonWhenBody: RequestHandler = (req, res, next) => {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!hasBody) return next();
  jsonBody(req, res, next);
};

export interface ServedBackend {
  /** `http://127.0.0.1:<port>`: the base URL the merchant's code calls. */
  url: string;
  close(): Promise<void>;
}

/** Serves `router` alone on an ephemeral port of 127.0.0.1. */
export async function serveBackend(router: Router): Promise<ServedBackend> {
  const app = express();
  app.disable('x-powered-by');
  app.use(router);
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A request body's object, or a 400 saying which keys it may have. */
export function objectWith(value: unknown, allowed: readonly string[], what = 'The body'): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new HttpError(400, `${what} must be a JSON object.`);
  const unknown = Object.keys(value).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw new HttpError(400, `${what} has an unknown field \`${unknown}\`; it takes ${allowed.join(', ')}.`);
  return value as Record<string, unknown>;
}
