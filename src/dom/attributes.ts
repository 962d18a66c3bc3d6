import { CheckoutUpdateError } from '../errors.js';
import type { CheckoutOptions } from '../types.js';

/** Options for `mount`: any `createCheckout` option (these win over attributes), and where to return after paying. */
export interface MountOptions extends Partial<CheckoutOptions> {
  /**
   * Where Stripe sends the customer after paying. Default: `data-return-url`, else the
   * `return_url` your server set on the Checkout Session (Stripe requires one of them).
   */
  returnUrl?: string;
}

export interface PageOptions {
  checkout: CheckoutOptions;
  returnUrl: string | undefined;
}

function invalid(attribute: string, problem: string): CheckoutUpdateError {
  return new CheckoutUpdateError('invalid_option', `${attribute}: ${problem}`);
}

/**
 * Reads the `data-*` attributes of a checkout root into `createCheckout` options. Options
 * passed to `mount` win. Throws `invalid_option` naming the attribute that is wrong.
 */
export function readPageOptions(root: HTMLElement, given: MountOptions): PageOptions {
  const attr = (name: string) => root.getAttribute(`data-${name}`)?.trim() || undefined;
  const options: Record<string, unknown> = { root };

  const key = attr('publishable-key');
  if (given.stripe === undefined && given.publishableKey === undefined) {
    if (!key?.startsWith('pk_')) throw invalid('data-publishable-key', `expected your publishable key (pk_test_… or pk_live_…), got "${(key ?? '').slice(0, 20)}"`);
    options.publishableKey = key;
  }
  const secret = attr('client-secret');
  const secretUrl = attr('client-secret-url');
  if (given.clientSecret === undefined) {
    if (secret && secretUrl) throw invalid('data-client-secret', 'give it or data-client-secret-url, not both');
    if (!secret && !secretUrl) throw invalid('data-client-secret', 'missing; give it, or data-client-secret-url');
    options.clientSecret = secret ?? fetchClientSecret(secretUrl as string);
  }
  if (given.endpoint === undefined) {
    const endpoint = attr('endpoint');
    if (!endpoint) throw invalid('data-endpoint', 'missing; give the URL of your update endpoint');
    options.endpoint = endpoint;
  }
  const betas = attr('betas');
  if (betas) options.stripeOptions = { betas: betas.split(/[\s,]+/) };
  const mode = attr('mode');
  if (mode !== undefined) {
    if (mode !== 'latest' && mode !== 'serial') throw invalid('data-mode', `expected "latest" or "serial", got "${mode}"`);
    options.mode = mode;
  }
  const debounce = attr('debounce-ms');
  if (debounce !== undefined) {
    if (!/^\d{1,5}$/.test(debounce)) throw invalid('data-debounce-ms', `expected a whole number of milliseconds, got "${debounce}"`);
    options.debounceMs = Number(debounce);
  }
  if (secretUrl && root.hasAttribute('data-renew-expired')) options.onSessionExpired = fetchClientSecret(secretUrl);

  const { returnUrl, ...rest } = given;
  return {
    checkout: { ...options, ...rest } as CheckoutOptions,
    returnUrl: returnUrl ?? attr('return-url'),
  };
}

/** `data-client-secret-url`: POST, answers `{"clientSecret": "..."}`. */
function fetchClientSecret(url: string): () => Promise<string> {
  return async () => {
    const response = await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
    const { clientSecret } = (await response.json()) as { clientSecret?: unknown };
    if (typeof clientSecret !== 'string') throw new Error(`${url} answered no clientSecret`);
    return clientSecret;
  };
}
