// Hostile and random bodies to the example server's update endpoints: each gets a 4xx with a
// JSON error for a customer, and none of them reaches Stripe (the emulator sees no request), or
// Payrails or Toast (their emulated backends see none).
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExampleServer, type ExampleServer } from '../examples/server/app.js';
import { hostileObject, hostileString, hostileValue, random } from './helpers/random.js';

const SEED = Number(process.env.FUZZ_SEED ?? 11);
const RUNS = 300;
let server: ExampleServer;
let http: Server;
let base: string;
const logs: string[] = [];

beforeAll(async () => {
  server = await createExampleServer({ env: {}, log: (line) => logs.push(line) });
  http = server.app.listen(0, '127.0.0.1');
  await once(http, 'listening');
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  await server.close();
});

/** A body that is wrong in one random way: hostile session id, selection, changes, extra keys, or not JSON at all. */
function hostileBody(rng: ReturnType<typeof random>, sessionId: string): { body: string; type: string } {
  const roll = rng.next();
  if (roll < 0.05) return { body: hostileString(rng), type: 'application/json' };
  if (roll < 0.1) return { body: JSON.stringify({ checkout_session_id: sessionId }), type: rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) };
  const body: Record<string, unknown> = { checkout_session_id: rng.next() < 0.3 ? hostileValue(rng) : sessionId, selection: {}, changes: {} };
  if (roll < 0.6) body.selection = rng.next() < 0.3 ? hostileValue(rng) : { [rng.pick(['gift_wrap', 'tip', 'warranty_years', 'shipping', 'quantity', '__proto__', 'constructor'])]: hostileValue(rng) };
  else if (roll < 0.8) Object.assign(body, hostileObject(rng));
  else body.product_id = hostileValue(rng);
  return { body: JSON.stringify(body), type: 'application/json' };
}

/** The same for the Payrails and Toast routes, with their id key and their choices' names. */
function hostileProviderBody(rng: ReturnType<typeof random>, idKey: string, id: string): { body: string; type: string } {
  const roll = rng.next();
  if (roll < 0.05) return { body: hostileString(rng), type: 'application/json' };
  if (roll < 0.1) return { body: JSON.stringify({ [idKey]: id }), type: rng.pick(['text/plain', 'application/x-www-form-urlencoded']) };
  const body: Record<string, unknown> = { [idKey]: rng.next() < 0.3 ? hostileValue(rng) : id, selection: {}, changes: {} };
  if (roll < 0.7) body.selection = rng.next() < 0.3 ? hostileValue(rng) : { [rng.pick(['tip', 'cookie', 'drink', '__proto__', 'constructor'])]: hostileValue(rng) };
  else Object.assign(body, hostileObject(rng));
  return { body: JSON.stringify(body), type: 'application/json' };
}

describe('fuzzing the example server', () => {
  it(`answers every hostile request with a 4xx JSON error and never reaches Stripe (${RUNS} requests, seed ${SEED})`, async () => {
    const rng = random(SEED);
    const created = await fetch(`${base}/checkout-session`, { method: 'POST' }).then((r) => r.json() as Promise<{ clientSecret: string }>);
    const sessionId = created.clientSecret.split('_secret_')[0]!;
    const statuses: Record<number, number> = {};
    let reachedStripe = 0;
    for (let i = 0; i < RUNS; i++) {
      const { body, type } = hostileBody(rng, sessionId);
      const path = rng.pick(['/update-checkout', '/update-custom-amount']);
      const before = server.emulator!.requests.length;
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': type, 'Idempotency-Key': `fuzz-${i}` }, body });
      const answer = (await res.json()) as { error?: unknown };
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status === 200) {
        // A body that happens to be valid (e.g. an empty selection) is fine: it must then be a real update.
        reachedStripe++;
        continue;
      }
      expect([400, 413, 415], `${path} ${body.slice(0, 80)} → ${res.status}`).toContain(res.status);
      expect(typeof answer.error).toBe('string');
      expect(String(answer.error)).not.toMatch(/<|stack|Error:/);
      expect(server.emulator!.requests.length - before, `${path} ${body.slice(0, 80)} reached Stripe`).toBe(0);
    }
    console.log(`server fuzz: statuses ${JSON.stringify(statuses)}, ${reachedStripe} valid by chance`);
    expect(logs.filter((line) => line.startsWith('example server: 5'))).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBe(undefined);
  });

  it(`answers every hostile request to the Payrails and Toast routes with a 4xx JSON error, and never reaches their backends (${RUNS} requests, seed ${SEED})`, async () => {
    const rng = random(SEED + 1);
    const execution = await fetch(`${base}/payrails-session`, { method: 'POST' }).then((r) => r.json() as Promise<{ init: { executionId: string } }>);
    const intent = await fetch(`${base}/toast-payment-intent`, { method: 'POST' }).then((r) => r.json() as Promise<{ paymentIntentId: string }>);
    const routes = [
      { path: '/update-payrails-amount', idKey: 'execution_id', id: execution.init.executionId, backend: server.payrails! },
      { path: '/update-toast-payment-intent', idKey: 'payment_intent_id', id: intent.paymentIntentId, backend: server.toast! },
    ];
    const statuses: Record<number, number> = {};
    let valid = 0;
    for (let i = 0; i < RUNS; i++) {
      const { path, idKey, id, backend } = rng.pick(routes);
      const { body, type } = hostileProviderBody(rng, idKey, id);
      const before = backend.requests.length;
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': type, 'Idempotency-Key': `fuzz-${i}` }, body });
      const answer = (await res.json()) as { error?: unknown };
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status === 200) {
        valid++;
        continue;
      }
      expect([400, 413, 415], `${path} ${body.slice(0, 80)} → ${res.status}`).toContain(res.status);
      expect(typeof answer.error).toBe('string');
      expect(String(answer.error)).not.toMatch(/<|stack|Error:/);
      expect(backend.requests.length - before, `${path} ${body.slice(0, 80)} reached the provider`).toBe(0);
    }
    console.log(`provider routes fuzz: statuses ${JSON.stringify(statuses)}, ${valid} valid by chance`);
    expect(logs.filter((line) => line.startsWith('example server: 5'))).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBe(undefined);
  });
});
