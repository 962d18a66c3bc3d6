import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Browser, BrowserContextOptions, Page, Request } from 'playwright-core';
import { buildStandIn } from '../examples/stand-in/build.js';

export const SCREENSHOTS = 'test-results/e2e';

export { launch } from './chromium.js';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export interface ExampleServer {
  url: string;
  stop(): Promise<void>;
}

/** The built example server (`npm run serve` without the builds), offline, on 127.0.0.1. */
export async function startServer(env: Record<string, string> = {}): Promise<ExampleServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['dist-examples/server/main.js'], {
    env: { ...process.env, STRIPE_SECRET_KEY: '', STRIPE_STAND_IN: 'route', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the example server exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('examples: http://') && resolve());
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))),
  };
}

let standIn: Promise<string> | undefined;

/** What a page saw: console errors, CSP violations, failed or cancelled requests, and every update request with the most in flight at once. */
export interface Watched {
  page: Page;
  consoleErrors: string[];
  /** `<url> <error>` of each request that failed or was cancelled, as the network panel shows them. */
  failedRequests: string[];
  updates: Request[];
  /** Stripe's own actions, as the stand-in performs them on the emulator. */
  actions: Request[];
  /** The most updates and actions in flight at once. */
  maxInFlight: number;
  violations(): Promise<string[]>;
}

/**
 * A new page whose requests to https://js.stripe.com are answered with the Stripe stand-in,
 * so the real @stripe/stripe-js loader runs as in production, and which records what the
 * tests assert on.
 */
export async function openPage(browser: Browser, url: string, options: BrowserContextOptions = {}): Promise<Watched> {
  const context = await browser.newContext(options);
  return watch(await context.newPage(), url);
}

/** A second tab of `page`'s browser (its cookies, so its session), watched as openPage watches. */
export async function openTab(page: Page, url: string): Promise<Watched> {
  return watch(await page.context().newPage(), url);
}

async function watch(page: Page, url: string): Promise<Watched> {
  standIn ??= buildStandIn();
  const code = await standIn;
  await page.route('https://js.stripe.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: code }));
  // Added by the browser itself, outside the page's CSP: it only listens.
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(window, { cspViolations: seen });
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const watched: Watched = {
    page,
    consoleErrors: [],
    failedRequests: [],
    updates: [],
    actions: [],
    maxInFlight: 0,
    violations: () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
  };
  let inFlight = 0;
  const isUpdate = (request: Request) => /\/update-(checkout|custom-amount|payment-intent|payrails-amount|toast-payment-intent)$/.test(new URL(request.url()).pathname);
  page.on('console', (message) => message.type() === 'error' && watched.consoleErrors.push(message.text()));
  page.on('pageerror', (error) => watched.consoleErrors.push(error.message));
  const isAction = (request: Request) => new URL(request.url()).pathname === '/__emulator/session/action';
  page.on('request', (request) => {
    if (!isUpdate(request) && !isAction(request)) return;
    (isUpdate(request) ? watched.updates : watched.actions).push(request);
    watched.maxInFlight = Math.max(watched.maxInFlight, ++inFlight);
  });
  const done = (request: Request) => (isUpdate(request) || isAction(request)) && inFlight--;
  page.on('requestfinished', done);
  page.on('requestfailed', (request) => {
    done(request);
    watched.failedRequests.push(`${new URL(request.url()).pathname} ${request.failure()?.errorText ?? ''}`);
  });
  await page.goto(url);
  return watched;
}

/** The session as the emulator holds it: what the server computed. */
export interface ServerSession {
  id: string;
  status: 'open' | 'expired' | 'complete';
  amountTotal: number;
  amountDiscount: number;
  amountShipping: number;
  lineItems: Array<{ name: string; quantity: number }>;
}

export async function serverSession(page: Page, baseUrl: string): Promise<ServerSession> {
  const secret = await page.evaluate(() => (window as unknown as { StripeStandIn: { clientSecrets: string[] } }).StripeStandIn.clientSecrets.at(-1)!);
  const response = await fetch(`${baseUrl}/__emulator/session?client_secret=${encodeURIComponent(secret)}`);
  return response.json() as Promise<ServerSession>;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

/** Waits until the checkout root is no longer busy (aria-busy gone). */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('[data-checkout][aria-busy="true"], [aria-busy="true"]'));
}

/** Where a page shows its total, its line items and its "Updating…" (the selectors differ from page to page). */
export interface Summary {
  total: string;
  items: string;
  loading: string;
}

/**
 * What the shopper sees of a pending update where they are looking: whether the total and the
 * line items are dimmed (computed opacity below 1), and whether a visible "Updating…" sits on
 * the total's line.
 */
export function pendingLook(page: Page, summary: Summary): Promise<{ dimmed: [total: boolean, items: boolean]; updating: boolean }> {
  return page.evaluate(({ total, items, loading }) => {
    const dimmed = (selector: string) => Number(getComputedStyle(document.querySelector(selector)!).opacity) < 1;
    const line = document.querySelector(total)!.getBoundingClientRect();
    const updating = Array.from(document.querySelectorAll(loading)).some((el) => {
      const box = el.getBoundingClientRect();
      const middle = (box.top + box.bottom) / 2;
      return el.checkVisibility() && el.textContent?.trim() === 'Updating…' && middle > line.top && middle < line.bottom;
    });
    return { dimmed: [dimmed(total), dimmed(items)] as [boolean, boolean], updating };
  }, summary);
}

/** Holds every request to `url` until the returned function is called: an update stays pending for as long as a test looks at the page. */
export async function holdRequests(page: Page, url: string): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(url, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}
