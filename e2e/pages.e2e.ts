// The other example pages in Chromium: the SPA (ESM API, event log, session renewal), the
// delta endpoint in serial mode, and the index.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdRequests, launch, openPage, pendingLook, screenshot, serverSession, settled, startServer, type ExampleServer, type Summary } from './harness.js';

let browser: Browser;
let server: ExampleServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launch(), startServer()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A pending update, held until the page has been looked at: the total and line items dim, "Updating…" shows beside the total, and both clear after. */
async function expectPendingShown(page: Page, summary: Summary, endpoint: string, change: () => Promise<void>, name: string): Promise<void> {
  await expect.poll(() => pendingLook(page, summary)).toEqual({ dimmed: [false, false], updating: false });
  const release = await holdRequests(page, endpoint);
  await change();
  await expect.poll(() => pendingLook(page, summary)).toEqual({ dimmed: [true, true], updating: true });
  await page.waitForTimeout(200); // the dimming's transition, for the screenshot
  await screenshot(page, name);
  release();
  await expect.poll(() => pendingLook(page, summary)).toEqual({ dimmed: [false, false], updating: false });
}

describe('spa.html (the ESM API)', () => {
  it('updates from its own code, logs the events, and recovers from an expired session with the selection kept', async () => {
    const { page, consoleErrors, violations } = await openPage(browser, `${server.url}/spa.html`);
    const total = page.locator('#total');
    await total.filter({ hasText: '$20.00' }).waitFor();
    await page.getByLabel('Gift wrap (+$5.00)').check();
    await page.getByLabel('Shipping speed').selectOption('express');
    await total.filter({ hasText: '$40.00' }).waitFor();
    const firstId = (await serverSession(page, server.url)).id;
    expect(await page.locator('#log li').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/ ready session /), expect.stringMatching(/ update changes \{"gift_wrap":true\}/)]));
    await screenshot(page, 'spa-after-update');

    await page.getByRole('button', { name: 'Simulate: expire this session' }).click();
    await expect.poll(async () => (await serverSession(page, server.url)).id, { timeout: 15_000 }).not.toBe(firstId);
    await total.filter({ hasText: '$40.00' }).waitFor();
    const renewed = await serverSession(page, server.url);
    expect(renewed.amountTotal).toBe(4000);
    expect(renewed.lineItems.map((item) => item.name)).toEqual(['T-shirt', 'Gift wrap', 'Express shipping']);
    expect(await page.getByLabel('Gift wrap (+$5.00)').isChecked()).toBe(true);
    const log = await page.locator('#log li').allTextContents();
    expect(log.filter((line) => / expired$| session cs_test_\S+ expired/.test(line))).toHaveLength(1);
    expect(consoleErrors).toEqual([]);
    expect(await violations()).toEqual([]);
    await page.context().close();
  });
});

describe('spa.html: what the shopper sees', () => {
  it('dims the total and the line items while an update is pending, with "Updating…" beside the total', async () => {
    const { page } = await openPage(browser, `${server.url}/spa.html`);
    await page.locator('#total').filter({ hasText: '$20.00' }).waitFor();
    const summary = { total: '#total', items: '#line-items', loading: '#loading' };
    await expectPendingShown(page, summary, '**/update-checkout', () => page.getByLabel('Gift wrap (+$5.00)').check(), 'spa-pending');
    await page.locator('#total').filter({ hasText: '$25.00' }).waitFor();
    await page.context().close();
  });

  it('wraps its event log on a narrow screen: no line runs out sideways, nor does the page', async () => {
    const { page } = await openPage(browser, `${server.url}/spa.html`, { viewport: { width: 360, height: 780 } });
    await page.locator('#total').filter({ hasText: '$20.00' }).waitFor();
    // Five changes in one task: merged into one update, logged as one long line of JSON.
    await page.evaluate(() => {
      const change = (name: string, value: string | boolean) => {
        const control = document.getElementById(`control-${name}`) as HTMLInputElement;
        if (typeof value === 'boolean') control.checked = value;
        else control.value = value;
        control.dispatchEvent(new Event('change', { bubbles: true }));
      };
      change('gift_wrap', true);
      change('insurance', true);
      change('warranty_years', '2');
      change('shipping', 'express');
      change('tip', '15');
    });
    await page.locator('#log li', { hasText: '"tip":"15"' }).waitFor();
    await settled(page);
    const fits = await page.evaluate(() => {
      const log = document.getElementById('log')!;
      return { log: log.scrollWidth <= log.clientWidth, page: document.documentElement.scrollWidth <= document.documentElement.clientWidth };
    });
    expect(fits).toEqual({ log: true, page: true });
    await screenshot(page, 'spa-narrow');
    await page.context().close();
  });

  it('hides "Simulate: expire this session" once the checkout is paid', async () => {
    const { page, consoleErrors } = await openPage(browser, `${server.url}/spa.html`);
    const expire = page.getByRole('button', { name: 'Simulate: expire this session' });
    await expire.waitFor();
    await page.locator('#pay:enabled').click();
    await page.locator('#paid').waitFor();
    await expect.poll(() => expire.isVisible()).toBe(false);
    expect((await serverSession(page, server.url)).status).toBe('complete');
    expect(consoleErrors).toEqual([]);
    await screenshot(page, 'spa-paid');
    await page.context().close();
  });
});

describe('delta.html (the seed-style delta endpoint, serial mode)', () => {
  it('sends one request per toggle, in order, and shows the server total and its rows in a table', async () => {
    const { page, updates, consoleErrors } = await openPage(browser, `${server.url}/delta.html`);
    const total = page.locator('[data-checkout-amount="total"]');
    await total.filter({ hasText: '$20.00' }).waitFor();
    await page.getByLabel('Gift wrap (+$5.00)').click();
    await page.getByRole('button', { name: 'Shipping insurance (+$3.00)' }).click();
    await page.getByLabel('Gift wrap (+$5.00)').click();
    await total.filter({ hasText: '$23.00' }).waitFor();
    await expect.poll(() => updates.length).toBe(3);
    expect(updates.map((request) => JSON.parse(request.postData() ?? '{}').product_id)).toEqual(['gift_wrap', 'insurance', 'gift_wrap']);
    expect((await serverSession(page, server.url)).amountTotal).toBe(2300);
    // The rows come from a <template> inside <tbody>, which only a real parser keeps there.
    const rows = page.locator('tbody[data-checkout-line-items] > tr');
    await expect.poll(() => rows.evaluateAll((trs) => trs.map((tr) => Array.from((tr as HTMLTableRowElement).cells, (td) => td.textContent)))).toEqual([
      ['T-shirt', '1', '$20.00'],
      ['Shipping insurance', '1', '$3.00'],
    ]);
    expect(consoleErrors).toEqual([]);
    await screenshot(page, 'delta-after-update');
    await page.context().close();
  });

  it('dims the total and the table rows while a request is pending, with "Updating…" beside the total', async () => {
    const { page } = await openPage(browser, `${server.url}/delta.html`);
    const total = page.locator('[data-checkout-amount="total"]');
    await total.filter({ hasText: '$20.00' }).waitFor();
    const summary = { total: '[data-checkout-amount="total"]', items: '[data-checkout-line-items]', loading: '[data-checkout-loading]' };
    await expectPendingShown(page, summary, '**/update-custom-amount', () => page.getByLabel('Gift wrap (+$5.00)').click(), 'delta-pending');
    await total.filter({ hasText: '$25.00' }).waitFor();
    await page.context().close();
  });
});

describe('every checkout page, before any script has run', () => {
  it.each([
    ['plain.html', '[data-checkout-pay]'],
    ['de.html', '[data-checkout-pay]'],
    ['payment-intents.html', '[data-checkout-pay]'],
    ['promotions.html', '[data-checkout-pay]'],
    ['toast.html', '[data-checkout-pay]'],
    ['spa.html', '#pay'],
    ['delta.html', '[data-checkout-pay]'],
  ])('%s ships its Pay button disabled, so a page whose script failed does not look payable', async (path, pay) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/${path}`);
    expect(await page.locator(pay).isDisabled()).toBe(true);
    await screenshot(page, `${path.replace('.html', '')}-no-script`);
    await context.close();
  });
});

describe('every page on a phone', () => {
  it.each([
    ['plain.html', '$20.00'],
    ['de.html', '$20.00'],
    ['payment-intents.html', '$20.00'],
    ['promotions.html', '$20.00'],
    ['payrails.html', '€45.99'],
    ['toast.html', '$20.00'],
    ['spa.html', '$20.00'],
    ['react.html', '$20.00'],
    ['delta.html', '$20.00'],
    ['', ''],
  ])('/%s fits a 360 px screen with no sideways scrolling', async (path, total) => {
    const { page } = await openPage(browser, `${server.url}/${path}`, { viewport: { width: 360, height: 780 } });
    if (path) await page.locator('.totals dd.total', { hasText: total }).waitFor();
    await settled(page);
    await page.waitForTimeout(200); // the dimming's transition back, for the screenshot
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await screenshot(page, `${path.replace('.html', '') || 'index'}-360`);
    await page.context().close();
  });
});

describe('index.html', () => {
  it("return.html, where Stripe sends the customer, says how the session ended: paid, or not charged", async () => {
    const create = async () => {
      const { clientSecret } = (await (await fetch(`${server.url}/checkout-session`, { method: 'POST' })).json()) as { clientSecret: string };
      return clientSecret.split('_secret_')[0]!;
    };
    const [paid, open] = await Promise.all([create(), create()]);
    expect((await fetch(`${server.url}/__emulator/complete/${paid}`, { method: 'POST' })).status).toBe(200);
    const status = '#order-status';
    const shown = async (id: string) => {
      const { page, consoleErrors } = await openPage(browser, `${server.url}/return.html?session_id=${id}`);
      await page.locator(`${status}:not([data-state="loading"])`).waitFor();
      return { page, consoleErrors, text: await page.locator(status).textContent(), retry: await page.locator('#order-next').isVisible() };
    };
    const good = await shown(paid);
    expect([good.text, good.retry, good.consoleErrors]).toEqual(['Thank you! Your payment of $20.00 was received, and your order is on its way.', false, []]);
    await screenshot(good.page, 'return-paid');
    await good.page.context().close();
    const failed = await shown(open);
    expect([failed.text, failed.retry]).toEqual(['Your payment did not go through, and you have not been charged.', true]);
    await failed.page.context().close();
  });

  it('return.html reads the payment_intent Stripe adds after confirmPayment: paid, or not charged', async () => {
    const create = async () => ((await (await fetch(`${server.url}/payment-intent`, { method: 'POST' })).json()) as { clientSecret: string }).clientSecret;
    const [paid, open] = await Promise.all([create(), create()]);
    expect((await fetch(`${server.url}/__emulator/payment_intent/confirm?client_secret=${encodeURIComponent(paid)}`, { method: 'POST' })).status).toBe(200);
    const shown = async (secret: string) => {
      const id = secret.split('_secret_')[0]!;
      // As Stripe sends the customer back: the intent, its client secret, a redirect status the page does not trust.
      const { page, consoleErrors } = await openPage(browser, `${server.url}/return.html?payment_intent=${id}&payment_intent_client_secret=${secret}&redirect_status=succeeded`);
      await page.locator('#order-status:not([data-state="loading"])').waitFor();
      return { page, consoleErrors, text: await page.locator('#order-status').textContent(), retry: await page.locator('#order-next').isVisible() };
    };
    const good = await shown(paid);
    expect([good.text, good.retry, good.consoleErrors]).toEqual(['Thank you! Your payment of $20.00 was received, and your order is on its way.', false, []]);
    await good.page.context().close();
    const failed = await shown(open);
    expect([failed.text, failed.retry]).toEqual(['Your payment did not go through, and you have not been charged.', true]);
    await failed.page.context().close();
  });

  it('links to every example page', async () => {
    const { page } = await openPage(browser, `${server.url}/`);
    const links = await page.locator('a[href$=".html"]').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));
    expect(new Set(links)).toEqual(new Set(['/plain.html', '/de.html', '/payment-intents.html', '/promotions.html', '/payrails.html', '/toast.html', '/spa.html', '/react.html', '/delta.html']));
    await screenshot(page, 'index');
    await page.context().close();
  });
});
