/**
 * The paths the example server answers. A host server passes only these to it: vite.config.ts
 * does, so that Vite's own requests never go through Express. No imports here, so the Vite
 * config can read it without loading the server.
 */
export const SERVER_PATHS = [
  '/checkout-session',
  '/checkout-session-status',
  '/promotions-session',
  '/update-checkout',
  '/update-custom-amount',
  '/payment-intent',
  '/payment-intent-status',
  '/update-payment-intent',
  '/payrails-session',
  '/update-payrails-amount',
  '/toast-payment-intent',
  '/update-toast-payment-intent',
  '/__emulator/',
  '/__payrails/',
  '/__toast/',
] as const;

/** Whether the server answers `url` (a path with an optional query). */
export function isServerPath(url: string): boolean {
  const path = url.split('?')[0]!;
  return SERVER_PATHS.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p));
}
