/**
 * How the merchant's code calls a payment provider's own API (Payrails, Toast): JSON over
 * `fetch` to a base URL, from the server only. In emulator mode the base URL is an emulated
 * backend on this machine (providers.ts); with `PAYRAILS_API_URL` / `TOAST_API_URL` it is the
 * provider's.
 *
 * Statuses are the caller's to read: each provider refuses in its own way (a 404 for an expired
 * Toast intent, a 409 for a paid Payrails execution). What no caller can read, a provider that
 * did not answer, or answered no JSON, is a `ProviderError`, which the server answers with a 502
 * (validate.ts): the library retries a 5xx, which is right for a provider that did not answer.
 */

export interface ProviderApi {
  /** For logs: `'Payrails'`, `'Toast'`. */
  name: string;
  /** Without a trailing slash. @example 'http://127.0.0.1:53124' */
  baseUrl: string;
  /** Sent with every request (authentication, the Toast location). */
  headers: Readonly<Record<string, string>>;
}

/** The provider failed in a way no route can turn into words for the customer. `message` is for the log. */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
}

export interface ProviderAnswer {
  status: number;
  /** The parsed JSON; the text when it is not JSON (a proxy's error page), so that its status still counts; `null` for an empty body. */
  body: unknown;
}

/** Long enough for a slow provider, short enough that the library's own timeout is what the customer meets. */
const TIMEOUT_MS = 10_000;

export async function callProvider(api: ProviderApi, method: 'GET' | 'POST', path: string, body?: unknown): Promise<ProviderAnswer> {
  const what = `${api.name} ${method} ${path}`;
  try {
    const res = await fetch(`${api.baseUrl}${path}`, {
      method,
      headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...api.headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return { status: res.status, body: parsed(await res.text()) };
  } catch (error) {
    throw new ProviderError(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parsed(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 300);
  }
}

/** The answer's body when it is a 2xx JSON object; anything else is a `ProviderError`. */
export function answeredObject(api: ProviderApi, path: string, answer: ProviderAnswer): Record<string, unknown> {
  const { status, body } = answer;
  if (status < 200 || status > 299 || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ProviderError(`${api.name} ${path} answered ${status}: ${JSON.stringify(body)?.slice(0, 300)}`);
  }
  return body as Record<string, unknown>;
}

/**
 * The API `<PREFIX>_API_URL` and `<PREFIX>_API_TOKEN` name (the token sent as a bearer token),
 * or `null` when the URL is not set. A URL that is not http(s) stops the server at start.
 */
export function apiFromEnv(env: Record<string, string | undefined>, prefix: string, name: string): ProviderApi | null {
  const text = env[`${prefix}_API_URL`]?.trim();
  if (!text) return null;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new Error(`${prefix}_API_URL must be an http(s) URL, got \`${text}\`.`);
  }
  const token = env[`${prefix}_API_TOKEN`]?.trim();
  return { name, baseUrl: url.href.replace(/\/+$/, ''), headers: token ? { Authorization: `Bearer ${token}` } : {} };
}
