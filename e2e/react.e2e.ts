// The React example in Chromium: a React app rendering the checkout's store with
// useSyncExternalStore, over a Checkout Elements SDK it created itself (`sdk`).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdRequests, launch, openPage, pendingLook, screenshot, serverSession, startServer, type ExampleServer } from './harness.js';

let browser: Browser;
let server: ExampleServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launch(), startServer()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const SUMMARY = { total: '#total', items: '#line-items', loading: '#loading' };

describe('react.html (useSyncExternalStore over the store, `sdk` from the app)', () => {
  it('renders the total, and a change moves it with "Updating…" shown while it is pending', async () => {
    const { page, consoleErrors, violations } = await openPage(browser, `${server.url}/react.html`);
    const total = page.locator('#total');
    await total.filter({ hasText: '$20.00' }).waitFor();
    expect(await page.locator('#line-items li').allTextContents()).toEqual(['T-shirt× 1$20.00']);
    await screenshot(page, 'react-ready');

    const release = await holdRequests(page, '**/update-checkout');
    await page.getByLabel('Gift wrap (+$5.00)').check();
    await expect.poll(() => pendingLook(page, SUMMARY)).toEqual({ dimmed: [true, true], updating: true });
    expect(await page.locator('#pay').isDisabled()).toBe(true);
    await page.waitForTimeout(200); // the dimming's transition, for the screenshot
    await screenshot(page, 'react-pending');
    release();
    await total.filter({ hasText: '$25.00' }).waitFor();
    await expect.poll(() => pendingLook(page, SUMMARY)).toEqual({ dimmed: [false, false], updating: false });
    expect(await page.locator('#line-items li .name').allTextContents()).toEqual(['T-shirt', 'Gift wrap']);
    expect((await serverSession(page, server.url)).amountTotal).toBe(2500);
    expect(consoleErrors).toEqual([]);
    expect(await violations()).toEqual([]);
    await page.context().close();
  });

  it('sends a burst of clicks as at most two requests, and ends on the last choice', async () => {
    const { page, updates, consoleErrors } = await openPage(browser, `${server.url}/react.html`);
    await page.locator('#total').filter({ hasText: '$20.00' }).waitFor();
    // The first request is held while the shopper goes on clicking: the rest merge into one.
    const release = await holdRequests(page, '**/update-checkout');
    const giftWrap = page.getByLabel('Gift wrap (+$5.00)');
    for (let i = 0; i < 5; i++) await giftWrap.click();
    await page.getByLabel('Shipping speed').selectOption('express');
    await page.getByLabel('Tip').selectOption('10');
    expect(await giftWrap.isChecked()).toBe(true);
    release();
    await page.locator('#total').filter({ hasText: '$42.00' }).waitFor();
    await page.locator('#loading').waitFor({ state: 'detached' });
    expect(updates.length).toBeLessThanOrEqual(2);
    expect(JSON.parse(updates.at(-1)?.postData() ?? '{}').selection).toEqual({ gift_wrap: true, shipping: 'express', tip: '10' });
    expect((await serverSession(page, server.url)).amountTotal).toBe(4200);
    expect(consoleErrors).toEqual([]);
    await screenshot(page, 'react-after-burst');
    await page.context().close();
  });

  it("shows the server's refusal and puts the control back, from the snapshot alone", async () => {
    const { page } = await openPage(browser, `${server.url}/react.html`);
    await page.locator('#total').filter({ hasText: '$20.00' }).waitFor();
    await page.route('**/update-checkout', (route) => route.fulfill({ status: 422, contentType: 'application/json', body: JSON.stringify({ error: 'Gift wrap is sold out.' }) }));
    const giftWrap = page.getByLabel('Gift wrap (+$5.00)');
    await giftWrap.click(); // not check(): that would fail on the box React puts back
    await page.getByRole('alert').filter({ hasText: 'Gift wrap is sold out.' }).waitFor();
    expect(await giftWrap.isChecked()).toBe(false);
    expect(await page.locator('#total').textContent()).toBe('$20.00');
    await screenshot(page, 'react-refused');
    await page.context().close();
  });

  it('pays with the Pay button and says so', async () => {
    const { page, consoleErrors } = await openPage(browser, `${server.url}/react.html`);
    await page.locator('#total').filter({ hasText: '$20.00' }).waitFor();
    await page.locator('#pay:enabled').click();
    await page.locator('#paid').waitFor();
    expect((await serverSession(page, server.url)).status).toBe('complete');
    expect(await page.getByLabel('Gift wrap (+$5.00)').isDisabled()).toBe(true);
    expect(consoleErrors).toEqual([]);
    await screenshot(page, 'react-paid');
    await page.context().close();
  });
});
