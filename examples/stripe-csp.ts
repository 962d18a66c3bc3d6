/**
 * The Content-Security-Policy sources Stripe.js needs on a checkout page (Stripe's
 * integration security guide, "Content Security Policy"): its script and its iframes (the
 * Payment Element, 3-D Secure through hooks.stripe.com), its API, and its images. The example
 * pages add them only when the real Stripe.js loads (vite.config.ts); the README's CSP lines
 * for merchants are checked against this list (test/examples.test.ts).
 */
export const STRIPE_SOURCES: Readonly<Record<string, readonly string[]>> = {
  'script-src': ['https://js.stripe.com', 'https://*.js.stripe.com'],
  'frame-src': ['https://js.stripe.com', 'https://*.js.stripe.com', 'https://hooks.stripe.com'],
  'connect-src': ['https://api.stripe.com'],
  'img-src': ['https://*.stripe.com'],
};
