// The Toast page (examples/toast.html) in Chromium: its own script tag, attributes only, the
// Toast stand-in (window.Toast) whose iframe shows what the built server's emulated Toast API
// holds, with the 24-hour rule and the tip rule of seed 002.
import type { Browser, Page, Request } from 'playwright-core';
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
const frame = '[data-payment-element] iframe';

interface Intent {
  id: string;
  amount: number;
  amountDetails: { tip: number } | null;
  status: string;
}

/** The intent an update request named, as the emulated Toast API holds it: what would be charged. */
async function intent(update: Request, baseUrl: string): Promise<Intent> {
  const { payment_intent_id: id } = JSON.parse(update.postData() ?? '{}') as { payment_intent_id: string };
  return (await fetch(`${baseUrl}/__toast/v1/payment-intents/${encodeURIComponent(id)}`)).json() as Promise<Intent>;
}

async function ready(url: string) {
  const watched = await openPage(browser, `${url}/toast.html`);
  await watched.page.locator(total).filter({ hasText: '$20.00' }).waitFor();
  await watched.page.frameLocator(frame).getByText('Amount: $20.00').waitFor();
  await settled(watched.page);
  return watched;
}

const fetchUpdatesCalls = (page: Page) => page.evaluate(() => (window as unknown as { ToastStandIn: { fetchUpdatesCalls: number } }).ToastStandIn.fetchUpdatesCalls);

describe('toast.html (Toast, script tag and attributes only)', () => {
  it('add-ons and a tip move the total and the iframe to what the intent holds; paying charges that amount', async () => {
    const { page, updates, consoleErrors, failedRequests, violations } = await ready(fast.url);
    const scripts = await page.locator('script').evaluateAll((tags) => tags.map((s) => s.getAttribute('src') ?? 'inline'));
    expect(scripts).toEqual(['/toast-stand-in.js', '/checkout-updates.toast.iife.js']);
    await page.getByLabel('Chocolate chip cookie (+$3.50)').check();
    await page.locator(total).filter({ hasText: '$23.50' }).waitFor();
    await settled(page);
    await page.getByLabel('18 %').check();
    await page.locator(total).filter({ hasText: '$27.73' }).waitFor();
    await settled(page);
    await page.frameLocator(frame).getByText('Amount: $27.73').waitFor();
    expect(await intent(updates[1]!, fast.url)).toMatchObject({ amount: 2773, amountDetails: { tip: 423 }, status: 'REQUIRES_PAYMENT_METHOD' });
    expect([updates.length, await fetchUpdatesCalls(page)]).toEqual([2, 2]);
    expect(await page.locator('[data-checkout-line-items] li').allTextContents()).toEqual(['Breakfast sandwiches $20.00', 'Chocolate chip cookie $3.50', 'Tip (18%) $4.23']);
    await screenshot(page, 'toast-after-update');

    await page.getByRole('button', { name: 'Pay' }).click();
    await expect.poll(() => page.locator('[data-checkout]').getAttribute('data-checkout-state')).toBe('complete');
    expect(await intent(updates[1]!, fast.url)).toMatchObject({ amount: 2773, status: 'REQUIRES_CAPTURE' });
    expect(await page.locator('.paid').isVisible()).toBe(true);
    expect([consoleErrors, failedRequests, await violations()]).toEqual([[], [], []]);
    await screenshot(page, 'toast-paid');
    await page.context().close();
  });

  it('reloaded, gets its intent back: the choices and the amount it holds show, and no update is sent', async () => {
    const { page, updates, consoleErrors } = await ready(fast.url);
    await page.getByLabel('Chocolate chip cookie (+$3.50)').check();
    await page.getByLabel('18 %').check();
    await page.locator(total).filter({ hasText: '$27.73' }).waitFor();
    await settled(page);
    const before = { id: (await intent(updates.at(-1)!, fast.url)).id, sent: updates.length };

    await page.reload();
    await page.locator(total).filter({ hasText: '$27.73' }).waitFor();
    await page.frameLocator(frame).getByText('Amount: $27.73').waitFor();
    await settled(page);
    const shown = await page.evaluate(() => ({
      cookie: document.querySelector<HTMLInputElement>('[data-addon="cookie"]')!.checked,
      drink: document.querySelector<HTMLInputElement>('[data-addon="drink"]')!.checked,
      tip: document.querySelector<HTMLInputElement>('[data-addon="tip"]:checked')!.value,
    }));
    expect(shown).toEqual({ cookie: true, drink: false, tip: '18' });
    expect(updates.length).toBe(before.sent);
    // The next change goes to the same intent, from what it holds.
    await page.getByLabel('Iced tea (+$2.75)').check();
    await page.locator(total).filter({ hasText: '$30.98' }).waitFor(); // 18 % of $26.25 is $4.725
    expect(await intent(updates.at(-1)!, fast.url)).toMatchObject({ id: before.id, amount: 3098 });
    expect(consoleErrors).toEqual([]);
    await screenshot(page, 'toast-after-reload');
    await page.context().close();
  });

  it('covers the iframe while an update is pending: no card details until the amount is final', async () => {
    const { page } = await ready(fast.url);
    const release = await holdRequests(page, '**/update-toast-payment-intent');
    await page.getByLabel('Iced tea (+$2.75)').check();
    await expect.poll(() => page.locator('[data-payment-element]').getAttribute('inert')).toBe('');
    const cover = await page.locator('[data-payment-element]').evaluate((el) => getComputedStyle(el, '::after').content);
    expect(cover).toBe('"Updating the amount…"');
    await screenshot(page, 'toast-pending');
    release();
    await page.locator(total).filter({ hasText: '$22.75' }).waitFor();
    await settled(page);
    expect(await page.locator('[data-payment-element]').getAttribute('inert')).toBeNull();
    await page.context().close();
  });

  it('turns 20 rapid clicks within one round trip into at most 2 updates, never 2 at once, ending on the intent amount', async () => {
    const watched = await ready(slow.url);
    const { page, updates } = watched;
    await page.evaluate(async () => {
      const cookie = document.querySelector<HTMLInputElement>('[data-addon="cookie"]')!;
      const drink = document.querySelector<HTMLInputElement>('[data-addon="drink"]')!;
      for (let i = 0; i < 20; i++) {
        (i % 2 ? drink : cookie).click();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    });
    await settled(page);
    // Each clicked 10 times: back to the sandwiches alone.
    expect([await page.locator(total).textContent(), updates.length >= 1 && updates.length <= 2, watched.maxInFlight]).toEqual(['$20.00', true, 1]);
    expect((await intent(updates[0]!, slow.url)).amount).toBe(2000);
    await page.frameLocator(frame).getByText('Amount: $20.00').waitFor();
    await page.context().close();
  });

  it('an intent over 24 hours old: the change is refused with the expiry message, and the iframe is not fetched again', async () => {
    const { page, updates } = await ready(fast.url);
    await page.getByLabel('Chocolate chip cookie (+$3.50)').check();
    await page.locator(total).filter({ hasText: '$23.50' }).waitFor();
    await settled(page);
    const { id } = await intent(updates[0]!, fast.url);
    const aged = await fetch(`${fast.url}/__toast/test/payment-intents/${encodeURIComponent(id)}/age`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ hours: 25 }) });
    expect(aged.status).toBe(200);
    // click, not check: the refusal can revert the box before check() looks at it again.
    await page.getByLabel('Iced tea (+$2.75)').click();
    await expect.poll(() => page.locator('[data-checkout-error]').textContent()).toBe('This checkout session has expired: reload the page to start again.');
    expect([await page.getByLabel('Iced tea (+$2.75)').isChecked(), await page.locator('[data-checkout]').getAttribute('data-checkout-state')]).toEqual([false, 'expired']);
    expect([await fetchUpdatesCalls(page), (await intent(updates[0]!, fast.url)).amount, await page.getByRole('button', { name: 'Pay' }).isDisabled()]).toEqual([1, 2350, true]);
    await screenshot(page, 'toast-expired');
    await page.context().close();
  });
});
