// Requests to an Express app over real HTTP, for the tests of the example server's routes.
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';

/** `app` listening on an ephemeral port of 127.0.0.1. */
export async function listen(app: { listen(port: number, host: string): Server }): Promise<{ http: Server; base: string }> {
  const http = app.listen(0, '127.0.0.1');
  await once(http, 'listening');
  return { http, base: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

export async function stop(http: Server): Promise<void> {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
}

let keys = 0;

/** A JSON POST with a new `Idempotency-Key` each time (a string body is sent as it is). */
export function post(origin: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `key-${++keys}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A JSON reply's status and body; the content type must say JSON. */
export async function answer(res: Response): Promise<{ status: number; body: unknown }> {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: res.status, body: (await res.json()) as unknown };
}
