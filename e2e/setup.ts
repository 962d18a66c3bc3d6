import { execFileSync } from 'node:child_process';

/**
 * Builds the library and the example pages once for the whole suite. The pages are built
 * with STRIPE_STAND_IN=route: they load the real Stripe.js loader, which asks
 * https://js.stripe.com for Stripe.js, and the suite answers that request with the stand-in.
 */
export default function setup(): void {
  const run = (script: string) => execFileSync('npm', ['run', '--silent', script], { stdio: 'inherit', env: { ...process.env, STRIPE_STAND_IN: 'route' } });
  run('build');
  run('build:examples');
}
