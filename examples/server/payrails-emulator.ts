/**
 * An emulated Payrails backend for emulator mode, from seed 003 ("Update Checkout Amount"):
 * executions in memory, the lookup action that authorises an amount, and the payment the SDK
 * sends, refused with a 401 when its amount is not the one lookup authorised ("If the amount
 * authorized by your backend (via lookup) and the amount sent by the SDK (via update()) do not
 * match, Payrails will reject the payment with a 401 HTTP error").
 *
 *   POST /merchant/client/init              {amount}  create an execution; answers the stand-in's init payload
 *   POST /merchant/executions/:id/lookup    {amount}  authorise that amount (seed 003's lookup action)
 *   POST /executions/:id/authorize          {amount}  the SDK stand-in's payment, with the SDK's current amount
 *   GET  /executions/:id                              {executionId, amount, authorised, status}, for tests
 *
 * Seed 003 writes the lookup path `/v1/merchant/executions/{executionId}/lookup`; the routes here
 * leave the version to the base URL (providers.ts). It is silent on how an execution is made (a
 * real one comes from Payrails' client init, whose answer is opaque to the page): we chose
 * `POST /merchant/client/init` with the amount, answering `{executionId, amount}`, the init
 * payload of the SDK stand-in. It is silent on error bodies: we answer `{error}`.
 */
import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import { backendRouter, objectWith, serveBackend, type RecordedCall } from './emulated-backend.js';
import { HttpError } from './validate.js';

/** An amount as Payrails takes it: a decimal string in major units and a currency code. */
export interface PayrailsAmount {
  value: string;
  currency: string;
}

export interface PayrailsExecution {
  executionId: string;
  /** The amount it was created with: what the init payload carries, and what a recovered session pays. */
  amount: PayrailsAmount;
  /** The amount a payment must carry: the last lookup's, else the amount it was created with. */
  authorised: PayrailsAmount;
  /** `'authorized'` once a payment went through; seed 003 is silent on statuses, these two are ours. */
  status: 'created' | 'authorized';
}

export interface PayrailsEmulator {
  /** The base URL the merchant's code calls. */
  readonly url: string;
  /** The same routes, for the example app to mount under `/__payrails`. */
  readonly router: Router;
  /** Every request received, by either way in, in order; not those whose body was not JSON (a 400 or 415 before any route). */
  readonly requests: RecordedCall[];
  /** Milliseconds before each answer; may be changed while running. */
  latencyMs: number;
  /** A copy of the execution, or `null` when there is none with this id. */
  execution(id: string): PayrailsExecution | null;
  close(): Promise<void>;
}

export interface PayrailsEmulatorOptions {
  latencyMs?: number;
  log?: (line: string) => void;
}

export async function startPayrailsEmulator(options: PayrailsEmulatorOptions = {}): Promise<PayrailsEmulator> {
  const executions = new Map<string, PayrailsExecution>();
  const requests: RecordedCall[] = [];
  const router = backendRouter(
    { latencyMs: () => emulator.latencyMs, requests, log: options.log ?? (() => {}) },
    (routes) => defineRoutes(routes, executions),
  );
  const served = await serveBackend(router);
  const emulator: PayrailsEmulator = {
    url: served.url,
    router,
    requests,
    latencyMs: options.latencyMs ?? 0,
    execution: (id) => {
      const found = executions.get(id);
      return found ? copy(found) : null;
    },
    close: () => served.close(),
  };
  return emulator;
}

function defineRoutes(routes: Router, executions: Map<string, PayrailsExecution>): void {
  const existing = (id: string | undefined) => {
    const found = id === undefined ? undefined : executions.get(id);
    if (!found) throw new HttpError(404, `No execution ${String(id)}.`);
    return found;
  };

  routes.post('/merchant/client/init', (req, res) => {
    const amount = amountOf(req.body);
    const execution: PayrailsExecution = { executionId: randomUUID(), amount, authorised: amount, status: 'created' };
    executions.set(execution.executionId, execution);
    res.json({ executionId: execution.executionId, amount });
  });

  routes.post('/merchant/executions/:id/lookup', (req, res) => {
    const amount = amountOf(req.body);
    const execution = existing(req.params['id']);
    if (execution.status !== 'created') throw new HttpError(409, 'This execution has already been paid.');
    execution.authorised = amount;
    res.json({ executionId: execution.executionId, amount });
  });

  routes.post('/executions/:id/authorize', (req, res) => {
    const amount = amountOf(req.body);
    const execution = existing(req.params['id']);
    if (execution.status !== 'created') throw new HttpError(409, 'This execution has already been paid.');
    // Seed 003: "Ensure both use exactly the same value and currency strings": '52.9' is not '52.90'.
    const { authorised } = execution;
    if (amount.value !== authorised.value || amount.currency !== authorised.currency) {
      throw new HttpError(401, 'The amount does not match the amount authorised by lookup.');
    }
    execution.status = 'authorized';
    res.json({ executionId: execution.executionId, status: execution.status, amount });
  });

  routes.get('/executions/:id', (req, res) => {
    res.set('Cache-Control', 'no-store').json(copy(existing(req.params['id'])));
  });
}

/**
 * `{amount: {value, currency}}`, checked as the SDK's `update()` checks it: seed 003's
 * "AmountUpdate.value must be a valid positive number" (not empty, zero, negative or
 * non-numeric), and a currency of three letters (seed 003 is silent on it; our choice). Digits
 * with an optional fraction: seed 003 is silent on `'1e3'`, `'.5'` or `'+5'`; we refuse them.
 */
function amountOf(body: unknown): PayrailsAmount {
  const { amount } = objectWith(body, ['amount']);
  const { value, currency } = objectWith(amount, ['value', 'currency'], '`amount`');
  if (typeof value !== 'string' || !/^\d{1,15}(\.\d{1,15})?$/.test(value) || !/[1-9]/.test(value)) {
    throw new HttpError(400, 'amount.value must be a valid positive number');
  }
  if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency)) throw new HttpError(400, 'amount.currency must be an ISO 4217 code');
  return { value, currency };
}

const copy = (execution: PayrailsExecution): PayrailsExecution => ({
  ...execution,
  amount: { ...execution.amount },
  authorised: { ...execution.authorised },
});
