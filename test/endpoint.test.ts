import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { normalizeEndpoint, sendUpdate } from '../src/endpoint.js';
import { CheckoutUpdateError } from '../src/errors.js';
import type { EndpointFunction, ServerUpdate } from '../src/types.js';

const URL_ = 'https://shop.test/update-checkout';
const update: Omit<ServerUpdate, 'attempt'> = {
  sessionId: 'cs_test_1',
  selection: { gift_wrap: true, shipping: 'express', tip: 300 },
  changes: { gift_wrap: true },
  idempotencyKey: 'key-1',
};

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

let seen: Seen[] = [];
const server = setupServer();

/** Records every request to URL_ (any method) and answers with `reply`. */
function answer(reply: () => Response = () => HttpResponse.json({ ok: true })): void {
  server.use(
    http.all(URL_, async ({ request }) => {
      seen.push({
        method: request.method,
        url: request.url,
        headers: Object.fromEntries(request.headers),
        body: await request.text(),
      });
      return reply();
    }),
  );
}

const send = (endpoint: unknown, retries = 0) =>
  sendUpdate(normalizeEndpoint(endpoint, 'checkout_session_id'), update, { timeoutMs: 15000, retries });

/** The rejection of `promise`, failing the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<CheckoutUpdateError> {
  const error = await promise.then(
    () => expect.unreachable('expected a rejection'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CheckoutUpdateError);
  return error as CheckoutUpdateError;
}

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  seen = [];
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('normalizeEndpoint', () => {
  it('accepts a string, a URL, EndpointOptions and a function', async () => {
    answer();
    await send(URL_);
    await send(new URL(URL_));
    await send({ url: URL_ });
    await send({ url: new URL(URL_), method: 'PUT' });
    expect(seen.map((s) => [s.method, s.url])).toEqual([
      ['POST', URL_],
      ['POST', URL_],
      ['POST', URL_],
      ['PUT', URL_],
    ]);
    const fn: EndpointFunction = (_u, signal) => fetch(URL_, { method: 'POST', signal });
    expect(normalizeEndpoint(fn, 'checkout_session_id')).toBe(fn);
  });

  it.each<[string, unknown, string]>([
    ['a number', 42, 'Expected `endpoint` to be a URL, EndpointOptions or a function, got `42` (number)'],
    ['an empty string', '', 'Expected `endpoint` to be a URL, EndpointOptions or a function, got `""` (string)'],
    ['a whitespace-only string', '   ', 'Expected `endpoint` to be a URL, EndpointOptions or a function, got `"   "` (string)'],
    ['null', null, 'Expected `endpoint` to be a URL, EndpointOptions or a function, got `null` (object)'],
    ['undefined', undefined, 'Expected `endpoint` to be a URL, EndpointOptions or a function, got `undefined` (undefined)'],
    ['an array', ['/x'], 'Expected `endpoint` to be a URL, EndpointOptions or a function, got `["/x"]` (object)'],
    ['options without url', {}, 'Expected `endpoint.url` to be a string or URL, got `undefined` (undefined)'],
    ['a numeric url', { url: 5 }, 'Expected `endpoint.url` to be a string or URL, got `5` (number)'],
    ['a whitespace-only url', { url: ' ' }, 'Expected `endpoint.url` to be a string or URL, got `" "` (string)'],
    ['GET', { url: URL_, method: 'GET' }, 'Expected `endpoint.method` to be POST, PUT or PATCH, got `"GET"` (string)'],
    ['a numeric method', { url: URL_, method: 1 }, 'Expected `endpoint.method` to be POST, PUT or PATCH, got `1` (number)'],
    [
      'string headers',
      { url: URL_, headers: 'X-A: 1' },
      'Expected `endpoint.headers` to be an object, an array, Headers or a function, got `"X-A: 1"` (string)',
    ],
    [
      'null headers',
      { url: URL_, headers: null },
      'Expected `endpoint.headers` to be an object, an array, Headers or a function, got `null` (object)',
    ],
    [
      'bad credentials',
      { url: URL_, credentials: 'always' },
      'Expected `endpoint.credentials` to be omit, same-origin or include, got `"always"` (string)',
    ],
    ['an object body', { url: URL_, body: { a: 1 } }, 'Expected `endpoint.body` to be a function, got `{"a":1}` (object)'],
  ])('rejects %s', (_name, value, message) => {
    let thrown: unknown;
    try {
      normalizeEndpoint(value, 'checkout_session_id');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CheckoutUpdateError);
    expect(thrown).toMatchObject({ code: 'invalid_option', message });
  });
});

describe('the default request', () => {
  it('POSTs the JSON body with Content-Type and Idempotency-Key', async () => {
    answer();
    await send(URL_);
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(URL_);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['idempotency-key']).toBe('key-1');
    expect(request?.body).toBe(
      '{"checkout_session_id":"cs_test_1","selection":{"gift_wrap":true,"shipping":"express","tip":300},"changes":{"gift_wrap":true}}',
    );
  });

  it('uses the global fetch of the moment, with same-origin credentials unless given', async () => {
    const calls: Array<[unknown, RequestInit | undefined]> = [];
    vi.stubGlobal('fetch', (input: unknown, init?: RequestInit) => {
      calls.push([input, init]);
      return Promise.resolve(new Response(null, { status: 204 }));
    });
    await send(URL_);
    await send({ url: URL_, credentials: 'include' });
    expect(calls.map(([input, init]) => [input, init?.credentials, init?.method])).toEqual([
      [URL_, 'same-origin', 'POST'],
      [URL_, 'include', 'POST'],
    ]);
    expect(calls[0]?.[1]?.signal).toBeInstanceOf(AbortSignal);
  });

  it("sends `credentials: 'omit'` to fetch as given", async () => {
    const calls: Array<RequestInit | undefined> = [];
    vi.stubGlobal('fetch', (_input: unknown, init?: RequestInit) => {
      calls.push(init);
      return Promise.resolve(new Response(null, { status: 204 }));
    });
    await send({ url: URL_, credentials: 'omit' });
    expect(calls.map((init) => [init?.credentials, init?.method])).toEqual([['omit', 'POST']]);
  });

  it('takes a custom method (any case) and a headers object; the Idempotency-Key stays ours', async () => {
    answer();
    await send({ url: URL_, method: 'PUT', headers: { 'X-CSRF-Token': 'abc', 'Idempotency-Key': 'fixed' } });
    await send({ url: URL_, method: 'patch', headers: [['X-Shop', 'one']] });
    expect(seen.map((s) => [s.method, s.headers['x-csrf-token'], s.headers['x-shop'], s.headers['idempotency-key']])).toEqual([
      ['PUT', 'abc', undefined, 'key-1'],
      ['PATCH', undefined, 'one', 'key-1'],
    ]);
    expect(seen.map((s) => s.headers['content-type'])).toEqual(['application/json', 'application/json']);
  });

  it("keeps the merchant's own Content-Type, in any case and from a headers function", async () => {
    answer();
    await send({ url: URL_, headers: { 'Content-Type': 'application/vnd.shop+json' } });
    await send({ url: URL_, headers: () => new Headers([['content-type', 'text/plain;charset=UTF-8']]) });
    expect(seen.map((s) => [s.headers['content-type'], s.headers['idempotency-key']])).toEqual([
      ['application/vnd.shop+json', 'key-1'],
      ['text/plain;charset=UTF-8', 'key-1'],
    ]);
  });

  it('calls a headers function before every attempt', async () => {
    let n = 0;
    const headers = vi.fn(() => ({ 'X-CSRF-Token': `token-${++n}` }));
    let replies = 0;
    // Retry-After: 0 is no wait of its own: the retry comes after the backoff (under 300 ms).
    answer(() => (++replies === 1 ? HttpResponse.json({}, { status: 503, headers: { 'Retry-After': '0' } }) : HttpResponse.json({})));
    await send({ url: URL_, headers }, 2);
    expect(headers).toHaveBeenCalledTimes(2);
    expect(seen.map((s) => [s.headers['x-csrf-token'], s.headers['idempotency-key']])).toEqual([
      ['token-1', 'key-1'],
      ['token-2', 'key-1'],
    ]);
  });

  it('builds the body with `body(update)`, which sees the attempt', async () => {
    answer();
    const body = vi.fn((u: ServerUpdate) => ({ checkout_session_id: u.sessionId, product_id: Object.keys(u.changes)[0] }));
    await send({ url: URL_, body });
    expect(body).toHaveBeenCalledTimes(1);
    expect(body).toHaveBeenCalledWith({ ...update, attempt: 1 });
    expect(seen.map((s) => s.body)).toEqual(['{"checkout_session_id":"cs_test_1","product_id":"gift_wrap"}']);
  });

  it('reports a throwing body builder as invalid_option, without a request or retry', async () => {
    answer();
    const thrown = new Error('no product');
    const body = vi.fn(() => {
      throw thrown;
    });
    const error = await rejection(send({ url: URL_, body }, 2));
    expect(error).toMatchObject({
      code: 'invalid_option',
      message: 'Could not build the request: `endpoint.body` failed: no product',
    });
    expect(error.cause).toBe(thrown); // the merchant's stack trace stays reachable
    expect(body).toHaveBeenCalledTimes(1);
    expect(seen).toHaveLength(0);
  });
});

describe('the function form', () => {
  it('is called with the update and a live AbortSignal it can give to fetch', async () => {
    answer();
    const calls: Array<[ServerUpdate, AbortSignal]> = [];
    const fn: EndpointFunction = (u, signal) => {
      calls.push([u, signal]);
      return fetch(URL_, { method: 'POST', body: JSON.stringify({ id: u.sessionId }), signal });
    };
    await sendUpdate(normalizeEndpoint(fn, 'checkout_session_id'), update, { timeoutMs: 15000, retries: 2 });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.[0]).toEqual({ ...update, attempt: 1 });
    expect(calls[0]?.[1]).toBeInstanceOf(AbortSignal);
    expect(calls[0]?.[1].aborted).toBe(false);
    expect(seen.map((s) => s.body)).toEqual(['{"id":"cs_test_1"}']);
  });

  it('refuses a function that does not resolve to a Response, without retrying', async () => {
    const fn = vi.fn(() => Promise.resolve({ ok: true }));
    const error = await rejection(sendUpdate(fn as unknown as EndpointFunction, update, { timeoutMs: 15000, retries: 2 }));
    expect(error).toMatchObject({
      code: 'invalid_option',
      message: 'Expected the `endpoint` function to resolve to a Response, got `{"ok":true}` (object)',
    });
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it.each<[string, unknown, string]>([
    ['a status without headers', { status: 200 }, '`{"status":200}` (object)'],
    ['null', null, '`null` (object)'],
  ])('refuses %s as a reply, without retrying', async (_name, reply, shown) => {
    const fn = vi.fn(() => Promise.resolve(reply));
    const error = await rejection(sendUpdate(fn as unknown as EndpointFunction, update, { timeoutMs: 15000, retries: 2 }));
    expect(error).toMatchObject({
      code: 'invalid_option',
      message: `Expected the \`endpoint\` function to resolve to a Response, got ${shown}`,
    });
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('a 2xx reply', () => {
  it.each<[string, () => Response]>([
    ['an empty 200', () => new HttpResponse(null, { status: 200 })],
    ['a 200 with malformed JSON', () => new HttpResponse('{"session": ', { status: 200, headers: { 'Content-Type': 'application/json' } })],
    ['a 204', () => new HttpResponse(null, { status: 204 })],
    ['a 299', () => new HttpResponse(null, { status: 299 })],
  ])('resolves on %s, once', async (_name, reply) => {
    answer(reply);
    await expect(send(URL_, 2)).resolves.toBeUndefined();
    expect(seen).toHaveLength(1);
  });

  it('reads the body to its end instead of cancelling it, without waiting for it', async () => {
    const read: string[] = [];
    let finish = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"id":'));
        // The rest comes later: the update must not wait for it.
        finish = () => {
          controller.enqueue(new TextEncoder().encode('"cs_test_1"}'));
          controller.close();
        };
      },
      pull: () => void read.push('pull'),
      cancel: () => void read.push('cancel'),
    });
    const response = new Response(body, { status: 200 });
    await expect(send(async () => response)).resolves.toBeUndefined();
    expect(response.bodyUsed).toBe(true);
    finish();
    await new Promise((resolve) => setTimeout(resolve, 0));
    // Pulled for more (how often is the stream's business), never cancelled.
    expect(new Set(read)).toEqual(new Set(['pull']));
  });

  it('resolves with the body as text when the adapter reads it (Payrails, Toast), waiting for its end', async () => {
    let finish = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"amount":'));
        finish = () => {
          controller.enqueue(new TextEncoder().encode('2500}'));
          controller.close();
        };
      },
    });
    const fn: EndpointFunction = async () => new Response(body, { status: 200 });
    const sent = sendUpdate(fn, update, { timeoutMs: 15000, retries: 0 }, undefined, true);
    const order: string[] = [];
    void sent.then(() => order.push('resolved'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    order.push('rest of the body');
    finish();
    await expect(sent).resolves.toBe('{"amount":2500}');
    expect(order).toEqual(['rest of the body', 'resolved']);
  });

  it('cuts a reply whose body stalls, when the adapter reads it, as a timeout within the budget', async () => {
    vi.useFakeTimers();
    try {
      const stalled = () => new Response(new ReadableStream({ start() {} }), { status: 200 });
      const fn = vi.fn(async () => stalled());
      const sent = rejection(sendUpdate(fn, update, { timeoutMs: 1000, retries: 0 }, undefined, true));
      await vi.advanceTimersByTimeAsync(1000);
      expect(await sent).toMatchObject({ code: 'timeout', message: 'The update took longer than 1000 ms.' });
      expect(fn).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('accepts a Response-like reply without a body reader', async () => {
    const reply = { status: 204, headers: new Headers() } as unknown as Response;
    await expect(send(async () => reply)).resolves.toBeUndefined();
  });
});

describe('a reply outside 2xx', () => {
  it('fails a 300 as http, once', async () => {
    answer(() => new HttpResponse(null, { status: 300 }));
    const error = await rejection(send(URL_, 2));
    expect(error).toMatchObject({ code: 'http', status: 300, message: 'The server could not apply this change (HTTP 300).' });
    expect(seen).toHaveLength(1);
  });

  it('fails an opaque status-0 reply (a no-cors fetch) as http, once', async () => {
    // What a browser gives a merchant function that fetched with `mode: 'no-cors'`: status 0, no headers, an empty body.
    const opaque = { type: 'opaque', status: 0, ok: false, headers: new Headers(), text: () => Promise.resolve('') };
    const fn = vi.fn(() => Promise.resolve(opaque as unknown as Response));
    const error = await rejection(sendUpdate(fn, update, { timeoutMs: 15000, retries: 2 }));
    expect(error).toMatchObject({ code: 'http', status: 0, message: 'The server could not apply this change (HTTP 0).' });
    expect(error.response).toBe(opaque);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('error messages', () => {
  it('takes a string `error` from the JSON body', async () => {
    answer(() => HttpResponse.json({ error: 'Out of stock' }, { status: 400 }));
    const error = await rejection(send(URL_, 2));
    expect(error).toMatchObject({ code: 'http', status: 400, message: 'Out of stock' });
    expect(error.response).toBeInstanceOf(Response);
    expect(error.response?.bodyUsed).toBe(true);
    expect(seen).toHaveLength(1);
  });

  it('takes `error.message` from an error object', async () => {
    answer(() => HttpResponse.json({ error: { message: 'Nope', type: 'invalid_request_error' } }, { status: 422 }));
    const error = await rejection(send(URL_));
    expect(error).toMatchObject({ code: 'http', status: 422, message: 'Nope' });
  });

  it('never shows an HTML body', async () => {
    answer(() => HttpResponse.html('<html><body><h1>502 Bad Gateway</h1></body></html>', { status: 502 }));
    const error = await rejection(send(URL_));
    expect(error).toMatchObject({ code: 'http', status: 502, message: 'The server could not apply this change (HTTP 502).' });
    expect(error.message).not.toContain('<');
  });

  it.each<[string, () => Response]>([
    ['no body', () => new HttpResponse(null, { status: 409 })],
    ['invalid JSON', () => new HttpResponse('{"error": "Out of', { status: 409 })],
    ['a number as error', () => HttpResponse.json({ error: 42 }, { status: 409 })],
    ['an empty error', () => HttpResponse.json({ error: '   ' }, { status: 409 })],
    ['a top-level message only', () => HttpResponse.json({ message: 'Elsewhere' }, { status: 409 })],
    ['a JSON string', () => HttpResponse.json('Out of stock', { status: 409 })],
  ])('uses the generic text for %s', async (_name, reply) => {
    answer(reply);
    const error = await rejection(send(URL_));
    expect(error).toMatchObject({ code: 'http', status: 409, message: 'The server could not apply this change (HTTP 409).' });
  });

  it.each([
    [5000, `${'x'.repeat(299)}…`],
    [301, `${'x'.repeat(299)}…`],
    [300, 'x'.repeat(300)],
  ])("caps the server's message at 300 characters (%i sent)", async (length, shown) => {
    answer(() => HttpResponse.json({ error: 'x'.repeat(length) }, { status: 400 }));
    const error = await rejection(send(URL_));
    expect(error.message).toBe(shown);
  });
});
