// One request to the merchant's server: body, headers, timeout, retry, error reading.
import { backoffDelay, parseRetryAfter, sleep } from './backoff.js';
import { CheckoutUpdateError, describe, isCheckoutUpdateError, messageOf } from './errors.js';
import type { EndpointFunction, EndpointOptions, ServerUpdate } from './types.js';

const METHODS = ['POST', 'PUT', 'PATCH'] as const;
const CREDENTIALS: readonly RequestCredentials[] = ['omit', 'same-origin', 'include'];
const MAX_MESSAGE_LENGTH = 300;
const MAX_DELAY = 2 ** 31 - 1;
const NETWORK_MESSAGE = 'Could not reach the server. Check your connection and try again.';
const DESTROYED_MESSAGE = 'The checkout was destroyed before the update finished.';

interface RequestSpec {
  url: string | URL;
  method: (typeof METHODS)[number];
  headers: EndpointOptions['headers'];
  credentials: RequestCredentials;
  body: EndpointOptions['body'];
}

/**
 * Validates the `endpoint` option and turns every accepted form into one function.
 * @throws CheckoutUpdateError `invalid_option`, saying what was expected and what came.
 */
export function normalizeEndpoint(value: unknown): EndpointFunction {
  if (typeof value === 'function') return value as EndpointFunction;
  if (isUrl(value)) return requester(readOptions({ url: value }));
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return requester(readOptions(value));
  }
  throw invalid('endpoint', 'a URL, EndpointOptions or a function', value);
}

function isUrl(value: unknown): value is string | URL {
  return (typeof value === 'string' && value.trim() !== '') || value instanceof URL;
}

function invalid(name: string, expected: string, value: unknown): CheckoutUpdateError {
  const message = `Expected \`${name}\` to be ${expected}, got ${describe(value)}`;
  return new CheckoutUpdateError('invalid_option', message);
}

/** Copies the options, so a later change to the merchant's object cannot change requests. */
function readOptions(options: Partial<Record<keyof EndpointOptions, unknown>>): RequestSpec {
  const { url, method = 'POST', headers, credentials = 'same-origin', body } = options;
  if (!isUrl(url)) throw invalid('endpoint.url', 'a string or URL', url);
  // Upper-cased because fetch leaves a lowercase `patch` as is, which servers refuse.
  const verb = typeof method === 'string' ? method.toUpperCase() : method;
  if (!METHODS.includes(verb as RequestSpec['method'])) {
    throw invalid('endpoint.method', 'POST, PUT or PATCH', method);
  }
  if (headers !== undefined && (headers === null || !['object', 'function'].includes(typeof headers))) {
    throw invalid('endpoint.headers', 'an object, an array, Headers or a function', headers);
  }
  if (!CREDENTIALS.includes(credentials as RequestCredentials)) {
    throw invalid('endpoint.credentials', 'omit, same-origin or include', credentials);
  }
  if (body !== undefined && typeof body !== 'function') throw invalid('endpoint.body', 'a function', body);
  return {
    url,
    method: verb as RequestSpec['method'],
    headers: headers as EndpointOptions['headers'],
    credentials: credentials as RequestCredentials,
    body: body as EndpointOptions['body'],
  };
}

/** The request for a URL or EndpointOptions; built anew for every attempt. */
function requester(spec: RequestSpec): EndpointFunction {
  return (update, signal) => {
    const headers = build('headers', () => {
      const result = new Headers(typeof spec.headers === 'function' ? spec.headers() : spec.headers);
      if (!result.has('content-type')) result.set('content-type', 'application/json');
      // Ours wins: a fixed key from the merchant's headers would collide across updates.
      result.set('idempotency-key', update.idempotencyKey);
      return result;
    });
    const body = build('body', () => {
      const { sessionId, selection, changes } = update;
      const data = spec.body ? spec.body(update) : { checkout_session_id: sessionId, selection, changes };
      return JSON.stringify(data);
    });
    // Looked up per call, not at import, so a page's or a test's fetch is the one used.
    const { url, method, credentials } = spec;
    return globalThis.fetch(url, { method, credentials, headers, body: body ?? null, signal });
  };
}

/** A throwing `headers` or `body` function is a bug in the options: retrying cannot help. */
function build<T>(name: 'headers' | 'body', make: () => T): T {
  try {
    return make();
  } catch (error) {
    const reason = messageOf(error instanceof Error ? error.message : error) ?? describe(error);
    const message = `Could not build the request: \`endpoint.${name}\` failed: ${reason}`;
    throw new CheckoutUpdateError('invalid_option', message, { cause: error });
  }
}

export interface SendOptions {
  /** The budget of the whole update, every attempt and wait included. */
  timeoutMs: number;
  /** Extra attempts after the first, for network errors, timeouts, 408, 429 and 5xx. */
  retries: number;
}

/** Why one attempt failed, and whether another one may help. */
interface Failure {
  error: CheckoutUpdateError;
  retry: boolean;
  /** From `Retry-After`; replaces the backoff. */
  retryAfter: number | undefined;
}

/**
 * Sends one logical update: attempts, retries and the time budget. Resolves on a 2xx reply
 * (its body is not read: the session is re-read from Stripe afterwards).
 * @throws CheckoutUpdateError `network`, `timeout`, `http` or `destroyed` (when `signal` aborts).
 */
export async function sendUpdate(
  endpoint: EndpointFunction,
  update: Omit<ServerUpdate, 'attempt'>,
  options: SendOptions,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const attempts = 1 + (Number.isFinite(options.retries) ? Math.max(0, Math.floor(options.retries)) : 0);
  let last: Failure | undefined;
  for (let attempt = 1; ; attempt += 1) {
    throwIfDestroyed(signal);
    const remaining = deadline - Date.now();
    // A late timer (a throttled background tab) can eat the budget: send nothing more.
    if (remaining <= 0) throw last?.error ?? timeoutError(options);
    const share = remaining / (attempts - attempt + 1);
    last = await tryOnce(endpoint, { ...update, attempt }, share, options, signal);
    if (!last) return;
    throwIfDestroyed(signal);
    const wait = nextWait(last, attempt, attempts, deadline);
    if (wait === undefined) throw last.error;
    await sleep(wait, signal);
  }
}

/** The wait before the next attempt, or `undefined` when there is none worth waiting for. */
function nextWait(failure: Failure, attempt: number, attempts: number, deadline: number): number | undefined {
  if (!failure.retry || attempt >= attempts) return undefined;
  const wait = failure.retryAfter ?? backoffDelay(attempt);
  return wait < deadline - Date.now() ? wait : undefined;
}

/** One attempt, cut after `ms`. Resolves `undefined` on success and a Failure otherwise. */
async function tryOnce(
  endpoint: EndpointFunction,
  update: ServerUpdate,
  ms: number,
  options: SendOptions,
  signal: AbortSignal | undefined,
): Promise<Failure | undefined> {
  const controller = new AbortController();
  const unlink = follow(signal, controller);
  const cut = (): void => controller.abort(new DOMException('The attempt timed out.', 'TimeoutError'));
  // Capped: setTimeout fires at once for delays beyond 2^31 - 1 ms (a huge timeoutMs).
  const timer = setTimeout(cut, Math.min(ms, MAX_DELAY));
  try {
    // Raced with the signal too: a merchant's function may ignore it.
    const response = await untilAborted(callEndpoint(endpoint, update, controller.signal), controller.signal);
    if (response.status < 200 || response.status > 299) return await httpFailure(response, controller.signal);
    discard(response);
    return undefined;
  } catch (error) {
    throwIfDestroyed(signal);
    if (controller.signal.aborted) return { error: timeoutError(options), retry: true, retryAfter: undefined };
    // Ours (a bad option, a non-Response): retrying would only repeat it.
    if (isCheckoutUpdateError(error)) return { error, retry: false, retryAfter: undefined };
    const network = new CheckoutUpdateError('network', NETWORK_MESSAGE, { cause: error });
    return { error: network, retry: true, retryAfter: undefined };
  } finally {
    clearTimeout(timer);
    unlink();
  }
}

/** The body of a success is not needed, but an unread one holds its connection in some runtimes. */
function discard(response: Response): void {
  try {
    response.body?.cancel().catch(() => undefined);
  } catch {
    // A Response-like object from the merchant's function may have no real stream.
  }
}

/** Calls the endpoint; `async` so that a synchronous throw becomes a rejection too. */
async function callEndpoint(
  endpoint: EndpointFunction,
  update: ServerUpdate,
  signal: AbortSignal,
): Promise<Response> {
  const response: unknown = await endpoint(update, signal);
  // Duck-typed: a Response from another realm (an iframe, a test DOM) fails `instanceof`.
  const candidate = response as Partial<Response> | null;
  if (typeof candidate?.status === 'number' && typeof candidate.headers?.get === 'function') {
    return response as Response;
  }
  const message = `Expected the \`endpoint\` function to resolve to a Response, got ${describe(response)}`;
  throw new CheckoutUpdateError('invalid_option', message);
}

async function httpFailure(response: Response, signal: AbortSignal): Promise<Failure> {
  const { status } = response;
  const message = (await readErrorMessage(response, signal)) ?? `The server could not apply this change (HTTP ${status}).`;
  const busy = status === 429 || status === 503;
  return {
    error: new CheckoutUpdateError('http', message, { status, response }),
    retry: status === 408 || status === 429 || status >= 500,
    retryAfter: busy ? parseRetryAfter(response.headers.get('retry-after')) : undefined,
  };
}

/**
 * The JSON body's `error` (a string, or `{message}`), read once. Anything else (HTML from a
 * proxy, invalid JSON, no body, a stalled body) gives `undefined`: the page shows this text.
 */
async function readErrorMessage(response: Response, signal: AbortSignal): Promise<string | undefined> {
  try {
    const data: unknown = JSON.parse(await untilAborted(response.text(), signal));
    const error = typeof data === 'object' && data !== null ? (data as { error?: unknown }).error : undefined;
    const message = messageOf(error)?.trim();
    if (!message) return undefined;
    return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : message;
  } catch {
    return undefined;
  }
}

function timeoutError(options: SendOptions): CheckoutUpdateError {
  return new CheckoutUpdateError('timeout', `The update took longer than ${options.timeoutMs} ms.`);
}

/** The caller's abort ends everything at once; a CheckoutUpdateError as its reason is kept. */
function throwIfDestroyed(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  if (isCheckoutUpdateError(reason)) throw reason;
  throw new CheckoutUpdateError('destroyed', DESTROYED_MESSAGE, { cause: reason });
}

/** Aborts `controller` when `parent` does; returns the function that removes the link. */
function follow(parent: AbortSignal | undefined, controller: AbortController): () => void {
  if (!parent) return () => undefined;
  const onAbort = (): void => controller.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener('abort', onAbort, { once: true });
  return () => parent.removeEventListener('abort', onAbort);
}

/** Settles like `promise`, or rejects with the abort reason as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
