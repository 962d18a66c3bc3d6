/**
 * Which Payrails and Toast the example server talks to. In emulator mode (no
 * `STRIPE_SECRET_KEY`) each is an emulated backend started here on its own port
 * (payrails-emulator.ts, toast-emulator.ts), unless its URL is set:
 *
 * - `PAYRAILS_API_URL` (and `PAYRAILS_API_TOKEN`, sent as a bearer token): Payrails' API root
 *   with its version, as the lookup is sent to `<url>/merchant/executions/{id}/lookup`.
 * - `TOAST_API_URL` (and `TOAST_API_TOKEN`, the hosted checkout payment credentials' bearer
 *   token), with `TOAST_MERCHANT_ID` (the location's GUID, sent as
 *   `Toast-Restaurant-External-ID` and given to the page) and `TOAST_IFRAME_TOKEN` (the iframe
 *   credentials' token, which the page gives `Toast.initialize` as `oauthToken`).
 *
 * Those real-provider paths are not tested here: no account of either is within reach. In
 * Stripe mode without them, a provider is not set up and its routes answer 503.
 */
import { apiFromEnv, type ProviderApi } from './provider-api.js';
import { startPayrailsEmulator, type PayrailsEmulator } from './payrails-emulator.js';
import { startToastEmulator, type ToastEmulator } from './toast-emulator.js';

export interface PayrailsSetup {
  api: ProviderApi;
  /** The emulated backend, or `null` with `PAYRAILS_API_URL`. */
  emulator: PayrailsEmulator | null;
}

export interface ToastSetup {
  api: ProviderApi;
  /** The emulated API, or `null` with `TOAST_API_URL`. */
  emulator: ToastEmulator | null;
  /** What the page gives `Toast.initialize` beside the session secret. */
  merchantId: string;
  oauthToken: string;
}

export interface Providers {
  payrails: PayrailsSetup | null;
  toast: ToastSetup | null;
  close(): Promise<void>;
}

export interface ProvidersOptions {
  /** Whether the server is in emulator mode: only then are missing providers emulated. */
  emulated: boolean;
  latencyMs: number;
  /** The emulated Toast API's clock. */
  now?: () => number;
  log: (line: string) => void;
}

export async function connectProviders(env: Record<string, string | undefined>, options: ProvidersOptions): Promise<Providers> {
  const toastApi = apiFromEnv(env, 'TOAST', 'Toast');
  const realToast = toastApi && realToastSetup(env, toastApi);
  const payrailsApi = apiFromEnv(env, 'PAYRAILS', 'Payrails');
  const payrails = payrailsApi ? { api: payrailsApi, emulator: null } : options.emulated ? await emulatedPayrails(options) : null;
  const toast = realToast ?? (options.emulated ? await emulatedToast(options) : null);
  return {
    payrails,
    toast,
    close: async () => {
      await Promise.all([payrails?.emulator?.close(), toast?.emulator?.close()]);
    },
  };
}

async function emulatedPayrails(options: ProvidersOptions): Promise<PayrailsSetup> {
  const emulator = await startPayrailsEmulator({ latencyMs: options.latencyMs, log: options.log });
  return { api: { name: 'Payrails', baseUrl: emulator.url, headers: {} }, emulator };
}

async function emulatedToast(options: ProvidersOptions): Promise<ToastSetup> {
  const emulator = await startToastEmulator({ latencyMs: options.latencyMs, log: options.log, ...(options.now ? { now: options.now } : {}) });
  const api = { name: 'Toast', baseUrl: emulator.url, headers: {} };
  // The emulated API checks no credentials; the page's stand-in takes these as the real SDK would.
  return { api, emulator, merchantId: 'emulated-merchant', oauthToken: 'emulated-iframe-token' };
}

function realToastSetup(env: Record<string, string | undefined>, api: ProviderApi): ToastSetup {
  const merchantId = env['TOAST_MERCHANT_ID']?.trim();
  const oauthToken = env['TOAST_IFRAME_TOKEN']?.trim();
  if (!merchantId || !oauthToken) throw new Error('TOAST_API_URL needs TOAST_MERCHANT_ID and TOAST_IFRAME_TOKEN too.');
  return { api: { ...api, headers: { ...api.headers, 'Toast-Restaurant-External-ID': merchantId } }, emulator: null, merchantId, oauthToken };
}
