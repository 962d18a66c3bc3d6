// The German page (examples/de.html) in Chromium: every text the library writes comes from the
// root's data-message-* attributes, read by checkout-updates.messages.iife.js; a refusal the
// server words itself is shown as written.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdRequests, launch, openPage, screenshot, settled, startServer, type ExampleServer } from './harness.js';

let browser: Browser;
let fast: ExampleServer;
let slow: ExampleServer;

beforeAll(async () => {
  [browser, fast, slow] = await Promise.all([launch(), startServer(), startServer({ EMULATOR_LATENCY_MS: '300' })]);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([fast?.stop(), slow?.stop()]);
});

const total = '[data-checkout-amount="total"]';
const gift = 'Geschenkverpackung (+5,00 $)';

async function ready(url: string) {
  const watched = await openPage(browser, `${url}/de.html`);
  await watched.page.locator(total).filter({ hasText: '$20.00' }).waitFor();
  await settled(watched.page);
  // Each text [data-checkout-status] shows, in order, as the shopper would hear it.
  await watched.page.evaluate(() => {
    const status = document.querySelector('[data-checkout-status]')!;
    const said: string[] = [];
    Object.assign(window, { said });
    new MutationObserver(() => said.at(-1) !== status.textContent && said.push(status.textContent ?? '')).observe(status, { childList: true, characterData: true, subtree: true });
  });
  return watched;
}

const said = (page: Page) => page.evaluate(() => [...(window as unknown as { said: string[] }).said]);
const status = (page: Page) => page.locator('[data-checkout-status]').textContent();

describe('de.html (the shopper\'s language)', () => {
  it('says "Wird aktualisiert…" while a change is pending, then nothing; paying says "Zahlung läuft…", then the German thank-you', async () => {
    const { page, consoleErrors } = await ready(slow.url);
    expect([await page.locator('html').getAttribute('lang'), await page.locator('[data-checkout-status]').getAttribute('role')]).toEqual(['de', 'status']);
    const scripts = await page.locator('script[src]').evaluateAll((tags) => tags.map((tag) => tag.getAttribute('src') ?? ''));
    expect(scripts.filter((src) => !src.startsWith('https://js.stripe.com'))).toEqual(['/stripe-stand-in.js', '/checkout-updates.iife.js', '/checkout-updates.messages.iife.js']);
    const release = await holdRequests(page, '**/update-checkout');
    await page.getByLabel(gift).check();
    await expect.poll(() => status(page)).toBe('Wird aktualisiert…');
    await screenshot(page, 'de-updating');
    release();
    await page.locator(total).filter({ hasText: '$25.00' }).waitFor();
    await settled(page);
    expect(await status(page)).toBe('');
    await page.getByRole('button', { name: 'Bezahlen' }).click();
    await expect.poll(() => status(page), { timeout: 15_000 }).toBe('Vielen Dank! Ihre Zahlung ist eingegangen.');
    expect(await said(page)).toEqual(['Wird aktualisiert…', '', 'Zahlung läuft…', 'Vielen Dank! Ihre Zahlung ist eingegangen.']);
    expect(await page.locator('[data-checkout]').getAttribute('data-checkout-state')).toBe('complete');
    expect(consoleErrors).toEqual([]);
    await screenshot(page, 'de-paid');
    await page.context().close();
  });

  it("replaces the library's generic HTTP text with the page's, and shows a refusal the server worded as written", async () => {
    const { page } = await ready(fast.url);
    await page.route('**/update-checkout', (route) => route.fulfill({ status: 500, body: '' }));
    await page.getByLabel(gift).click(); // not check(): the refusal unchecks the box again
    // A refusal of the gift wrap alone is said next to its box (the visible alert).
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 20_000 }).toBe('Der Server konnte diese Änderung nicht übernehmen.');
    expect([await alert.getAttribute('data-checkout-error-for'), await page.getByLabel(gift).isChecked()]).toEqual(['gift_wrap', false]);
    await screenshot(page, 'de-refused');
    await page.unroute('**/update-checkout');
    await page.route('**/update-checkout', (route) => route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: 'Gift wrap is out of stock.' }) }), { times: 1 });
    await page.getByLabel(gift).click();
    await expect.poll(() => alert.textContent()).toBe('Gift wrap is out of stock.');
    await page.context().close();
  });

  it('says "Sie sind offline." while the browser is offline, and sends the change once it is back', async () => {
    const { page, consoleErrors } = await ready(fast.url);
    await page.context().setOffline(true);
    await page.getByLabel(gift).check();
    const alert = page.locator('[data-checkout-error]');
    await expect.poll(() => alert.textContent()).toBe('Sie sind offline. Ihre Änderungen werden gesendet, sobald die Verbindung zurück ist.');
    expect([await status(page), await page.getByLabel(gift).isChecked()]).toEqual(['Wird aktualisiert…', true]);
    await screenshot(page, 'de-offline');
    await page.context().setOffline(false);
    await page.locator(total).filter({ hasText: '$25.00' }).waitFor();
    await settled(page);
    expect([await status(page), await alert.isHidden(), consoleErrors]).toEqual(['', true, []]);
    await page.context().close();
  });
});
