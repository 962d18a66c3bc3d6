// `npm run dev` in Chromium: the example pages work under Vite's dev server as they do built,
// and Vite's own tooling lives within their strict Content-Security-Policy.
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launch, openPage, screenshot } from './harness.js';

let browser: Browser;
let server: ViteDevServer;
let origin = '';

beforeAll(async () => {
  // Offline whatever the developer's shell holds, as `npm install && npm run dev` on a fresh machine.
  for (const name of ['STRIPE_SECRET_KEY', 'STRIPE_STAND_IN', 'EMULATOR_LATENCY_MS', 'VITE_STRIPE_PUBLISHABLE_KEY']) vi.stubEnv(name, '');
  server = await createServer({
    configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
    server: { port: 0, host: '127.0.0.1' },
    logLevel: 'error',
  });
  await server.listen();
  origin = `http://127.0.0.1:${(server.httpServer?.address() as AddressInfo).port}`;
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  vi.unstubAllEnvs();
});

describe('npm run dev', () => {
  it("updates plain.html's total, and Vite's error overlay keeps its styles, with no console error and no CSP violation", async () => {
    const { page, updates, consoleErrors, violations } = await openPage(browser, `${origin}/plain.html`);
    const total = page.locator('[data-checkout-amount="total"]');
    await total.filter({ hasText: '$20.00' }).waitFor();
    await page.getByLabel('Gift wrap (+$5.00)').check();
    await total.filter({ hasText: '$25.00' }).waitFor();
    expect(updates).toHaveLength(1);

    // What Vite does on a compile error. Its `<style>` carries the dev server's nonce, which
    // the page's policy allows under `vite` only; without it the overlay is unstyled text.
    const position = await page.evaluate(() => {
      const Overlay = customElements.get('vite-error-overlay') as new (error: { message: string; stack: string }) => HTMLElement;
      const overlay = new Overlay({ message: 'An example compile error', stack: '' });
      document.body.append(overlay);
      return getComputedStyle(overlay.shadowRoot?.querySelector('.backdrop') as Element).position;
    });
    expect(position).toBe('fixed');
    await screenshot(page, 'dev-error-overlay');
    expect(await violations()).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });
});
