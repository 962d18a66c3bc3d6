/**
 * One request of a browser stand-in to the example server's emulated provider routes
 * (`/__payrails/...`, `/__toast/...`), answered as `{status, body}` for the fake to read. A
 * relative URL: the page's own origin. An answer without the emulator's JSON `{error}` (the
 * route is missing: the server is not in emulator mode, or is another server) gets an `error`
 * that says so, which the stand-in then shows.
 */
import type { FakeAnswer } from '../../src/testing/index.js';

export async function emulated(path: string, init: { method?: 'GET' | 'POST'; body?: unknown } = {}): Promise<FakeAnswer> {
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers: { Accept: 'application/json', ...(init.body !== undefined && { 'Content-Type': 'application/json' }) },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
    cache: 'no-store',
  });
  const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
  if (body !== null && (response.ok || typeof body.error === 'string')) return { status: response.status, body };
  const route = path.split('?')[0];
  return { status: response.status, body: { error: `The example server did not answer ${route} (HTTP ${response.status}); is it in emulator mode?` } };
}
