/**
 * The classic (non-module) scripts the example pages load, bundled in memory with rolldown:
 * the Stripe, Payrails and Toast stand-ins, and in dev the library's script-tag file. An
 * end-to-end suite can answer https://js.stripe.com/** with `await buildStandIn()`.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** `src/`, whose changes make the library's script stale. */
export const LIBRARY_SOURCE = here('../../src');

/** Bundles `entry` into one unminified IIFE; with `name`, its exports become that global. */
export async function buildClassicScript(entry: string, name?: string): Promise<string> {
  const { output } = await build({
    input: entry,
    write: false,
    platform: 'browser',
    logLevel: 'warn',
    // The sources import `./x.js` for `./x.ts`, as TypeScript's ESM output wants.
    resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
    output: { format: 'iife', minify: false, ...(name === undefined ? {} : { name }) },
  });
  return output[0].code;
}

/** `/stripe-stand-in.js`: see stripe.ts. */
export const buildStandIn = (): Promise<string> => buildClassicScript(here('stripe.ts'));

/** `/payrails-stand-in.js`: see payrails.ts. */
export const buildPayrailsStandIn = (): Promise<string> => buildClassicScript(here('payrails.ts'));

/** `/toast-stand-in.js`: see toast.ts. */
export const buildToastStandIn = (): Promise<string> => buildClassicScript(here('toast.ts'));

/**
 * A script-tag file for `npm run dev`: `src/global.ts` (`/checkout-updates.iife.js`) or
 * `src/global-payment-intents.ts`, `src/global-actions.ts` or another `src/global-*.ts`, as `vite build --mode iife(-...)` builds them but unminified.
 */
export const buildLibraryScript = (entry: 'global.ts' | 'global-payment-intents.ts' | 'global-actions.ts' | 'global-messages.ts' | 'global-tabs.ts' | 'global-payrails.ts' | 'global-toast.ts'): Promise<string> =>
  buildClassicScript(here(`../../src/${entry}`), 'CheckoutUpdates');
