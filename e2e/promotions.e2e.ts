// The page of Stripe's own actions (examples/promotions.html) in Chromium: two script tags and
// no page script; a promotion code, the shipping rate and the quantity go through Stripe.js (the
// stand-in, performing them on the emulator), gift wrap through the example server, one at a time.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openPage, screenshot, serverSession, settled, startServer, type ExampleServer } from './harness.js';

let browser: Browser;
let server: ExampleServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launch(), startServer({ EMULATOR_LATENCY_MS: '50' })]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const total = '[data-checkout-amount="total"]';

async function ready() {
  const watched = await openPage(browser, `${server.url}/promotions.html`);
  await watched.page.locator(total).filter({ hasText: '$20.00' }).waitFor();
  await settled(watched.page);
  return watched;
}

describe('promotions.html (Stripe actions, script tags and attributes only)', () => {
  it('applies a valid code and refuses an invalid one with Stripe words, keeping what was typed', async () => {
    const { page, consoleErrors, actions, updates } = await ready();
    const scripts = await page.locator('script').evaluateAll((tags) => tags.map((s) => s.getAttribute('src') ?? 'inline'));
    expect(scripts.filter((src) => !src.startsWith('https://js.stripe.com'))).toEqual(['/stripe-stand-in.js', '/checkout-updates.iife.js', '/checkout-updates.actions.iife.js']);
    const code = page.getByPlaceholder('e.g. SAVE10');
    await code.fill('EXPIRED');
    await code.press('Enter');
    await page.locator('[data-checkout-error]').filter({ hasText: 'This code is invalid.' }).waitFor();
    await settled(page);
    // Enter applied the code and did not submit the form: nothing was paid.
    expect([await code.inputValue(), await page.locator(total).textContent(), await page.locator('[data-checkout]').getAttribute('data-checkout-state')]).toEqual(['EXPIRED', '$20.00', 'ready']);
    await screenshot(page, 'promotions-refused-code');
    await code.fill('save10');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator(total).filter({ hasText: '$18.00' }).waitFor();
    await settled(page);
    expect([await page.locator('[data-checkout-applied-code]').textContent(), await code.inputValue(), await page.locator('[data-checkout-error]').isVisible()]).toEqual(['SAVE10', '', false]);
    const session = await serverSession(page, server.url);
    expect([session.amountDiscount, session.amountTotal]).toEqual([200, 1800]);
    // The only console line: Chromium's own note of the refusal's HTTP status (the stand-in's request).
    expect([actions.length, updates.length, consoleErrors]).toEqual([2, 0, ['Failed to load resource: the server responded with a status of 400 (Bad Request)']]);
    await screenshot(page, 'promotions-applied-code');
    await page.context().close();
  });

  it('switches the shipping rate, raises the quantity, then adds gift wrap: the quantity stays and every total is the emulator one', async () => {
    const watched = await ready();
    const { page, consoleErrors, actions, updates } = watched;
    await page.getByLabel(/Express shipping/).check();
    await page.locator(total).filter({ hasText: '$35.00' }).waitFor();
    const quantity = page.locator('[data-checkout-line-items] input').first();
    await quantity.fill('3');
    await quantity.press('Tab'); // change fires on commit
    await page.locator(total).filter({ hasText: '$75.00' }).waitFor();
    await page.getByLabel('Gift wrap (+$5.00)').check();
    await page.locator(total).filter({ hasText: '$80.00' }).waitFor();
    await settled(page);
    const session = await serverSession(page, server.url);
    expect([session.lineItems.map((item) => [item.name, item.quantity]), session.amountShipping, session.amountTotal]).toEqual([
      [['T-shirt', 3], ['Gift wrap', 1]],
      1500,
      8000,
    ]);
    expect([await quantity.inputValue(), await page.getByLabel(/Express shipping/).isChecked()]).toEqual(['3', true]);
    // One Stripe call at a time: the server update waited for the actions before it.
    expect([actions.length, updates.length, watched.maxInFlight, consoleErrors]).toEqual([2, 1, 1, []]);
    await screenshot(page, 'promotions-after-actions');
    await page.context().close();
  });
});
