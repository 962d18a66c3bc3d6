// `npm run dev` in Chromium: the example pages work under Vite's dev server as they do built,
// and Vite's own tooling lives within their strict Content-Security-Policy.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../test/helpers/dev-server.js';
import { launch, openPage, screenshot } from './harness.js';

let browser: Browser;
let dev: DevServer;

beforeAll(async () => {
  [dev, browser] = await Promise.all([startDevServer(), launch()]);
});

afterAll(async () => {
  await browser?.close();
  await dev?.close();
});

describe('npm run dev', () => {
  it("updates plain.html's total, and Vite's error overlay keeps its styles, with no console error and no CSP violation", async () => {
    const { page, updates, consoleErrors, violations } = await openPage(browser, `${dev.origin}/plain.html`);
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

  it('updates payment-intents.html from its own script tag, built on request from src/, with no console error', async () => {
    const { page, updates, consoleErrors, violations } = await openPage(browser, `${dev.origin}/payment-intents.html`);
    const total = page.locator('[data-checkout-amount="total"]');
    await total.filter({ hasText: '$20.00' }).waitFor();
    await page.getByLabel('Shipping speed').selectOption('express');
    await total.filter({ hasText: '$35.00' }).waitFor();
    expect(updates.map((request) => new URL(request.url()).pathname)).toEqual(['/update-payment-intent']);
    expect([consoleErrors, await violations()]).toEqual([[], []]);
    await page.context().close();
  });
});
