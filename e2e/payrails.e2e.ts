// The Payrails page (examples/payrails.html) in Chromium: its own script tag, attributes only,
// the Payrails stand-in (window.Payrails) over the built server's emulated Payrails backend,
// which authorises each amount through the lookup action and refuses a payment of any other
// amount with a 401 (seed 003).
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openPage, screenshot, settled, startServer, type ExampleServer } from './harness.js';

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
const cardButton = '[data-payrails-card-payment-button]';

interface Execution {
  executionId: string;
  authorised: { value: string; currency: string };
  status: 'created' | 'authorized';
}

/** The execution an update request named, as the emulated Payrails backend holds it: what a payment must send. */
async function execution(update: Request, baseUrl: string): Promise<Execution> {
  const { execution_id: id } = JSON.parse(update.postData() ?? '{}') as { execution_id: string };
  return (await fetch(`${baseUrl}/__payrails/executions/${encodeURIComponent(id)}`)).json() as Promise<Execution>;
}

async function ready(url: string) {
  const watched = await openPage(browser, `${url}/payrails.html`);
  const payments: Request[] = [];
  watched.page.on('request', (request) => /\/__payrails\/executions\/[^/]+\/authorize$/.test(request.url()) && payments.push(request));
  await watched.page.locator(total).filter({ hasText: '€45.99' }).waitFor();
  await settled(watched.page);
  return Object.assign(watched, { payments });
}

/** What the stand-in SDK saw, in order: each update() and each payment. */
const sdkLog = (page: Page) => page.evaluate(() => [...(window as unknown as { PayrailsStandIn: { log: string[] } }).PayrailsStandIn.log]);

describe('payrails.html (Payrails, script tag and attributes only)', () => {
  it("a tip moves the total and the amount on Payrails' button to the amount the lookup authorised; paying it succeeds", async () => {
    const { page, updates, payments, consoleErrors, failedRequests, violations } = await ready(fast.url);
    const scripts = await page.locator('script').evaluateAll((tags) => tags.map((s) => s.getAttribute('src') ?? 'inline'));
    expect(scripts).toEqual(['/payrails-stand-in.js', '/checkout-updates.payrails.iife.js']);
    await page.getByLabel('15 %').check();
    await page.locator(total).filter({ hasText: '€52.89' }).waitFor();
    await settled(page);
    await page.locator(cardButton).getByText('52.89 EUR').waitFor();
    expect(updates.map((request) => JSON.parse(request.postData() ?? '{}'))).toEqual([
      { execution_id: expect.any(String), selection: { tip: '15' }, changes: { tip: '15' } },
    ]);
    expect(await execution(updates[0]!, fast.url)).toMatchObject({ authorised: { value: '52.89', currency: 'EUR' }, status: 'created' });
    expect(await sdkLog(page)).toEqual(['update 52.89 EUR']);
    expect(await page.locator('[data-checkout-line-items] li').allTextContents()).toEqual(['Order €45.99', 'Tip (15%) €6.90']);
    await screenshot(page, 'payrails-after-update');

    await page.locator(cardButton).getByRole('button', { name: 'Pay' }).click();
    await expect.poll(() => page.locator('[data-checkout]').getAttribute('data-checkout-state')).toBe('complete');
    expect([payments.length, (await execution(updates[0]!, fast.url)).status, await sdkLog(page)]).toEqual([1, 'authorized', ['update 52.89 EUR', 'pay 52.89 EUR: 200']]);
    expect(await page.locator('.paid').isVisible()).toBe(true);
    expect([consoleErrors, failedRequests, await violations()]).toEqual([[], [], []]);
    await screenshot(page, 'payrails-paid');
    await page.context().close();
  });

  it('turns 20 rapid tip clicks within one round trip into at most 2 updates, never 2 at once, ending with the SDK and the lookup agreeing', async () => {
    const watched = await ready(slow.url);
    const { page, updates } = watched;
    await page.evaluate(async () => {
      const tips = [...document.querySelectorAll<HTMLInputElement>('[data-addon="tip"]')];
      for (let i = 0; i < 20; i++) {
        tips[(i % 3) + 1]!.click();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    });
    await settled(page);
    // The last click was the 15 % tip (i = 19: 19 % 3 + 1 = 2).
    expect(await page.locator(total).textContent()).toBe('€52.89');
    expect([updates.length >= 1 && updates.length <= 2, watched.maxInFlight]).toEqual([true, 1]);
    expect((await execution(updates[0]!, slow.url)).authorised).toEqual({ value: '52.89', currency: 'EUR' });
    expect((await sdkLog(page)).at(-1)).toBe('update 52.89 EUR');
    await page.context().close();
  });

  it("Payrails' 401 cannot be reached through the library: after a reply it could not use, the button's payment is stopped before anything is sent", async () => {
    const { page, updates, payments } = await ready(fast.url);
    // The server authorises 52.89 with the lookup, then answers something the library cannot use.
    await page.route('**/update-payrails-amount', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: JSON.stringify({ amount: 52.89 }) });
    }, { times: 1 });
    // click, not check: the refusal can revert the radio before check() looks at it again.
    await page.getByLabel('15 %').click();
    await expect.poll(() => page.locator('[data-checkout-error]').textContent()).toContain('The server\'s reply must be JSON');
    expect([await page.getByLabel('No tip').isChecked(), (await execution(updates[0]!, fast.url)).authorised.value, await sdkLog(page)]).toEqual([true, '52.89', []]);
    await page.locator(cardButton).getByRole('button', { name: 'Pay' }).click();
    await expect.poll(() => page.locator('[data-checkout-error]').textContent()).toBe('Your last change did not go through: choose again, then pay.');
    expect([payments.length, (await execution(updates[0]!, fast.url)).status, await sdkLog(page)]).toEqual([0, 'created', ['pay: stopped by onButtonClicked']]);
    await screenshot(page, 'payrails-blocked');
    // The next choice sets both again, and the payment goes through.
    await page.getByLabel('10 %').check();
    await page.locator(total).filter({ hasText: '€50.59' }).waitFor();
    await settled(page);
    await page.locator(cardButton).getByRole('button', { name: 'Pay' }).click();
    await expect.poll(() => page.locator('[data-checkout]').getAttribute('data-checkout-state')).toBe('complete');
    expect([payments.length, (await execution(updates[0]!, fast.url)).status]).toEqual([1, 'authorized']);
    await page.context().close();
  });
});
