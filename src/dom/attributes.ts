import type { AdapterFactory } from '../checkout.js';
import { CheckoutUpdateError } from '../errors.js';
import type { Checkout, CheckoutAdapter, CheckoutOptions, CheckoutSessionsStripeOptions, CheckoutSummary, QueueOptions, Selection } from '../types.js';
import type { Messages } from './messages.js';
import type { Restorer } from './restore.js';

/**
 * A part of the page layer a page adds to `mount` (`features`): it binds its controls under
 * `root` (listening through `restore`, so `destroy()` undoes it), and returns what shows each
 * summary. `paint()` shows the current summary again (after a refusal); `options` are those
 * given to `mount`. Features are wired before mount's own listeners, so a feature's `checkout.on`
 * listener runs before mount's. Throwing refuses the mount with an `invalid_option` carrying the message.
 */
// `any`: a feature works on any adapter's checkout.
export type PageFeature = (root: HTMLElement, checkout: Checkout<any, any>, restore: Restorer, paint: () => void, options: MountOptions) => (summary: CheckoutSummary | null) => void;

/** Options for `mount`: any `createCheckout` option (these win over attributes), where to return after paying, and more adapters. */
// `any`: a page's adapter may have any session type.
// No `sdk`: the page layer creates its SDK from the root's attributes; an app holding one uses createCheckout.
export type MountOptions = Partial<QueueOptions & CheckoutSessionsStripeOptions> & {
  /** The adapter to run on: the root's Stripe attributes are then not read. */
  adapter?: CheckoutAdapter<any, any>;
  /**
   * Where Stripe sends the customer after paying. Default: `data-return-url`, else, for
   * Checkout Sessions, the `return_url` your server set on the session (Stripe requires one of them).
   * With `adapter`, give it to the adapter instead.
   */
  returnUrl?: string;
  /**
   * Adapters that `data-adapter` may name, beside those of this build (`checkout-sessions`).
   * Each gets the Stripe options the root's attributes give.
   * @example { 'payment-intents': stripePaymentIntents }
   */
  adapters?: Record<string, AdapterFactory>;
  /**
   * Parts of the page layer beyond add-ons and outputs.
   * @example [actionControls] // promotion codes, shipping options, quantities, optional items
   */
  features?: readonly PageFeature[];
  /**
   * With `shopperMessages` among `features`: the texts the page shows the shopper, by key, each
   * winning over the root's `data-message-<key>` attribute. An error code's key replaces that
   * error's message (for `http`, only the library's generic text); `updating`, `paying` and
   * `paid` fill `[data-checkout-status]`; `failed_to_start` replaces "This checkout is not
   * working. Please reload the page." An unknown key is refused as `invalid_option`.
   * @default English: each error's own message; 'Updating…', 'Paying…', 'Paid.'
   * @example { network: 'Keine Verbindung zum Server.', updating: 'Wird aktualisiert…', paid: 'Bezahlt.' }
   */
  messages?: Partial<Messages>;
};

export interface PageOptions {
  checkout: CheckoutOptions;
  /** Builds the adapter from `checkout`'s Stripe options, unless `adapter` was given. */
  factory: AdapterFactory;
  /** `data-client-secret-url`'s reply: it may carry the session's `selection`. */
  reply: Promise<SessionReply> | undefined;
}

/** What the URL that starts a session answers; `selection` is what the session reflects (a shopper who comes back). */
export interface SessionReply {
  selection?: Selection;
}

function invalid(attribute: string, problem: string): CheckoutUpdateError {
  return new CheckoutUpdateError('invalid_option', `${attribute}: ${problem}`);
}

/**
 * Reads the `data-*` attributes of a checkout root into `createCheckout` options, and the
 * adapter `data-adapter` names among `factories`. Options passed to `mount` win. Throws
 * `invalid_option` naming the attribute that is wrong.
 */
export function readPageOptions(root: HTMLElement, given: MountOptions, factories: Record<string, AdapterFactory>): PageOptions {
  const attr = (name: string) => root.getAttribute(`data-${name}`)?.trim() || undefined;
  const options: Record<string, unknown> = { root };
  let reply: Promise<SessionReply> | undefined;
  const { returnUrl, adapters, features, ...rest } = given;
  const name = attr('adapter') ?? 'checkout-sessions';
  // A prototype-free table: data-adapter="constructor" names no adapter.
  const factory = ({ __proto__: null as never, ...factories, ...adapters } as Record<string, AdapterFactory>)[name] as AdapterFactory;

  if (!given.adapter) {
    if (!factory) throw invalid('data-adapter', `"${name}" is not in this script`);
    const key = attr('publishable-key');
    if (given.stripe === undefined && given.publishableKey === undefined) {
      if (!key?.startsWith('pk_')) throw invalid('data-publishable-key', `expected your publishable key (pk_test_… or pk_live_…), got "${(key ?? '').slice(0, 20)}"`);
      options.publishableKey = key;
    }
    const secret = attr('client-secret');
    const secretUrl = attr('client-secret-url');
    // One POST gives the client secret and the selection the session reflects (`reply`, read
    // once as the page starts); a renewal POSTs again.
    const fromUrl = () => (reply = startSession(secretUrl as string)).then((r) => r.clientSecret);
    if (given.clientSecret === undefined) {
      if (secret && secretUrl) throw invalid('data-client-secret', 'give it or data-client-secret-url, not both');
      if (!secret && !secretUrl) throw invalid('data-client-secret', 'missing; give it, or data-client-secret-url');
      options.clientSecret = secret ?? fromUrl();
    }
    const betas = attr('betas');
    if (betas) options.stripeOptions = { betas: betas.split(/[\s,]+/) };
    if (secretUrl && root.hasAttribute('data-renew-expired')) options.onSessionExpired = fromUrl;
    // Absolute, as Stripe wants it: a page writes data-return-url="/thanks".
    const back = returnUrl ?? attr('return-url');
    if (back) options.returnUrl = new URL(back, root.baseURI).href;
  }
  if (given.endpoint === undefined) {
    const endpoint = attr('endpoint');
    if (!endpoint) throw invalid('data-endpoint', 'missing; give the URL of your update endpoint');
    options.endpoint = endpoint;
  }
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
  return { checkout: { ...options, ...rest } as CheckoutOptions, factory, reply };
}

/** `data-client-secret-url`: POST, answers `{"clientSecret": "..."}`, and may add the session's `selection`. */
async function startSession(url: string): Promise<SessionReply & { clientSecret: string }> {
  const response = await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  const reply = (await response.json()) as { clientSecret?: unknown } | null;
  if (typeof reply?.clientSecret !== 'string') throw new Error(`${url} answered no clientSecret`);
  return reply as SessionReply & { clientSecret: string };
}
