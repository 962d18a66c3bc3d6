// Hostile and random bodies to the example server's update endpoints: each gets a 4xx with a
// JSON error for a customer, and none of them reaches Stripe (the emulator sees no request).
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
});
