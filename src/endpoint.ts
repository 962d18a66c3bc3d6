// One request to the merchant's server: body, headers, timeout, retry, error reading.
import { backoffDelay, parseRetryAfter, sleep } from './backoff.js';
import { CheckoutUpdateError, describe, destroyedError, fail, isCheckoutUpdateError, messageOf } from './errors.js';
import type { EndpointFunction, EndpointOptions, ServerUpdate } from './types.js';

const invalid = (message: string, cause?: unknown) => new CheckoutUpdateError('invalid_option', message, { cause });
const isUrl = (value: unknown): value is string | URL => (typeof value === 'string' && value.trim() !== '') || value instanceof URL;
// Duck-typed: a Response from another realm (an iframe, a test DOM) fails `instanceof`.
const isResponse = (value: Partial<Response> | null): value is Response => typeof value?.status === 'number' && typeof value.headers?.get === 'function';

/**
 * Validates the `endpoint` option and turns every accepted form into one function.
 * @throws CheckoutUpdateError `invalid_option`, saying what was expected and what came.
 */
export function normalizeEndpoint(value: unknown, idField: string): EndpointFunction {
  if (typeof value === 'function') return value as EndpointFunction;
  if (isUrl(value)) return requester(readOptions({ url: value }), idField);
  if (value && typeof value === 'object' && !Array.isArray(value)) return requester(readOptions(value), idField);
  return fail('`endpoint`', 'a URL, EndpointOptions or a function', value);
}

/** EndpointOptions with the defaults filled in. */
type RequestSpec = EndpointOptions & Required<Pick<EndpointOptions, 'method' | 'credentials'>>;

/** Copies the options, so a later change to the merchant's object cannot change requests. */
function readOptions(options: Partial<Record<keyof EndpointOptions, unknown>>): RequestSpec {
  const { url, method = 'POST', headers, credentials = 'same-origin', body } = options;
  if (!isUrl(url)) fail('`endpoint.url`', 'a string or URL', url);
  // Upper-cased because fetch leaves a lowercase `patch` as is, which servers refuse.
  const verb = String(method).toUpperCase() as EndpointOptions['method'];
  if (!['POST', 'PUT', 'PATCH'].includes(verb as string)) fail('`endpoint.method`', 'POST, PUT or PATCH', method);
  if (headers !== undefined && (headers === null || !['object', 'function'].includes(typeof headers))) {
    fail('`endpoint.headers`', 'an object, an array, Headers or a function', headers);
  }
  if (!['omit', 'same-origin', 'include'].includes(credentials as string)) fail('`endpoint.credentials`', 'omit, same-origin or include', credentials);
  if (body !== undefined && typeof body !== 'function') fail('`endpoint.body`', 'a function', body);
  return { url, method: verb, headers, credentials, body } as RequestSpec;
}

/** The request for a URL or EndpointOptions; built anew for every attempt. `idField` names the session id in the default body. */
function requester(spec: RequestSpec, idField: string): EndpointFunction {
  return (update, signal) => {
    const headers = build('headers', () => {
      const result = new Headers(typeof spec.headers === 'function' ? spec.headers() : spec.headers);
      if (!result.has('content-type')) result.set('content-type', 'application/json');
      // Ours wins: a fixed key from the merchant's headers would collide across updates.
      result.set('idempotency-key', update.idempotencyKey);
      return result;
    });
    const { sessionId, selection, changes } = update;
    const body = build('body', () => JSON.stringify(spec.body ? spec.body(update) : { [idField]: sessionId, selection, changes }));
    // Looked up per call, not at import, so a page's or a test's fetch is the one used.
    return fetch(spec.url, { method: spec.method, credentials: spec.credentials, headers, body, signal });
  };
}

/** A throwing `headers` or `body` function is a bug in the options: retrying cannot help. */
function build<T>(name: string, make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw invalid(`Could not build the request: \`endpoint.${name}\` failed: ${messageOf(error) ?? describe(error)}`, error);
  }
}

export interface SendOptions {
  /** The budget of the whole update, every attempt and wait included. */
  timeoutMs: number;
  /** Extra attempts after the first, for network errors, timeouts, 408, 429 and 5xx. */
  retries: number;
}

/** Why one attempt failed; `wait` is set when another attempt may help (from `Retry-After`, or 0 for the backoff). */
interface Failure {
  error: CheckoutUpdateError;
  wait?: number | undefined;
}

/**
 * Sends one logical update: attempts, retries and the time budget. Resolves on a 2xx reply:
 * with its body's text when `read` (Payrails and Toast take the amount from it, within the
 * budget), else with nothing (the body is read and dropped: Stripe is asked afterwards).
 * @throws CheckoutUpdateError `network`, `timeout`, `http` or `destroyed` (when `signal` aborts).
 */
export async function sendUpdate(endpoint: EndpointFunction, update: Omit<ServerUpdate, 'attempt'>, options: SendOptions, signal?: AbortSignal, read?: boolean): Promise<string | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  const attempts = 1 + Math.floor(options.retries); // checked by normalizeOptions: 0 to 10
  let failure: Failure | string | undefined;
  for (let attempt = 1; ; attempt++) {
    throwIfDestroyed(signal);
    // Each attempt gets its fair share of what is left, so a hung one is cut and retried.
    const share = (deadline - Date.now()) / (attempts - attempt + 1);
    // A late timer (a throttled background tab) can eat the budget: send nothing more.
    if (share <= 0 && failure) throw (failure as Failure).error;
    failure = await tryOnce(endpoint, { ...update, attempt }, share, options, signal, read);
    if (typeof failure !== 'object') return failure;
    throwIfDestroyed(signal);
    const wait = failure.wait === 0 ? backoffDelay(attempt) : failure.wait;
    // No retry left, none worth making, or a wait that cannot end within the budget.
    if (attempt >= attempts || wait === undefined || wait >= deadline - Date.now()) throw failure.error;
    await sleep(wait, signal);
  }
}

/** One attempt, cut after `ms`. Resolves the body's text (`read`) or `undefined` on success, and a Failure otherwise. */
async function tryOnce(endpoint: EndpointFunction, update: ServerUpdate, ms: number, options: SendOptions, signal?: AbortSignal, read?: boolean): Promise<Failure | string | undefined> {
  const controller = new AbortController();
  const abort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', abort);
  // Capped: setTimeout fires at once for delays beyond 2^31 - 1 ms (and for negative ones, as it should).
  const timer = setTimeout(() => controller.abort(), Math.min(ms, 2 ** 31 - 1));
  try {
    // Raced with the signal too: a merchant's function may ignore it.
    const response = await untilAborted(Promise.resolve(endpoint(update, controller.signal)), controller.signal);
    if (!isResponse(response)) throw invalid(`Expected the \`endpoint\` function to resolve to a Response, got ${describe(response)}`);
    if (response.status > 299 || response.status < 200) return await httpFailure(response, controller.signal);
    if (read) return await untilAborted(response.text(), controller.signal);
    // Otherwise read to its end and dropped, not awaited: the session is re-read from Stripe. A
    // cancelled body would show every update as "(canceled)" in the network panel.
    response.arrayBuffer?.().catch(() => {});
    return undefined;
  } catch (error) {
    // An abort by `signal` reads as a timeout here; sendUpdate then throws `destroyed` instead.
    if (controller.signal.aborted) return { error: new CheckoutUpdateError('timeout', `The update took longer than ${options.timeoutMs} ms.`), wait: 0 };
    // Ours (a bad option, a non-Response): retrying would only repeat it.
    if (isCheckoutUpdateError(error)) return { error };
    return { error: new CheckoutUpdateError('network', 'Could not reach the server. Check your connection and try again.', { cause: error }), wait: 0 };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
  }
}

/** A non-2xx reply. Its message, which the page shows, is the JSON body's `error` (a string, or `{message}`), read once. */
async function httpFailure(response: Response, signal: AbortSignal): Promise<Failure> {
  const { status } = response;
  let message: string | undefined;
  try {
    const data = JSON.parse(await untilAborted(response.text(), signal)) as { error?: unknown } | null;
    message = messageOf(data?.error)?.trim();
  } catch {
    // HTML from a proxy, invalid JSON, no body, a stalled body: the generic message below.
  }
  if (message && message.length > 300) message = `${message.slice(0, 299)}…`;
  const retry = status === 408 || status === 429 || status >= 500;
  const retryAfter = status === 429 || status === 503 ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
  return {
    error: new CheckoutUpdateError('http', message || `The server could not apply this change (HTTP ${status}).`, { status, response }),
    wait: retry ? retryAfter ?? 0 : undefined,
  };
}

/** The caller's abort ends everything at once; a CheckoutUpdateError as its reason is kept. */
function throwIfDestroyed(signal?: AbortSignal): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  throw isCheckoutUpdateError(reason) ? reason : destroyedError(reason);
}

/** Settles like `promise`, or rejects as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort);
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
