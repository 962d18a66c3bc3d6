/**
 * Whether `/stripe-stand-in.js` is the stand-in or an empty script. Read by vite.config.ts
 * (`npm run dev`, `--mode examples`) and by server/main.ts (`npm run serve`); no imports, so
 * both load it cheaply.
 */

/**
 * The stand-in is served unless `STRIPE_SECRET_KEY` is set (the example server talks to
 * Stripe, so the real Stripe.js must load) or `STRIPE_STAND_IN=route` (an end-to-end suite
 * answers https://js.stripe.com/** with the stand-in itself, see build.ts).
 */
export function standInServed(env: Record<string, string | undefined>): boolean {
  return !env['STRIPE_SECRET_KEY']?.trim() && env['STRIPE_STAND_IN'] !== 'route';
}

/** What `/stripe-stand-in.js` answers when the stand-in is off: `loadStripe` then loads Stripe.js from js.stripe.com. */
export const NO_STAND_IN = '// No Stripe stand-in here: STRIPE_SECRET_KEY or STRIPE_STAND_IN=route is set, so Stripe.js loads from js.stripe.com.\n';
