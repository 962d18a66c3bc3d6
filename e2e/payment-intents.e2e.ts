// The Payment Intents page (examples/payment-intents.html) in Chromium: its own script tag,
// attributes only, the real Stripe.js loader answered with the stand-in, the built server and
// its emulator's PaymentIntents.
import type { Browser, Page } from 'playwright-core';
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

/** The PaymentIntent as the emulator holds it: what the server set, what Stripe would charge. */
async function serverIntent(page: Page, baseUrl: string): Promise<{ id: string; status: string; amount: number }> {
  const secret = await page.evaluate(() => (window as unknown as { StripeStandIn: { paymentIntent: { client_secret: string } } }).StripeStandIn.paymentIntent.client_secret);
  const response = await fetch(`${baseUrl}/__emulator/payment_intent?client_secret=${encodeURIComponent(secret)}`);
  return response.json() as Promise<{ id: string; status: string; amount: number }>;
}

async function ready(url: string) {
  const watched = await openPage(browser, `${url}/payment-intents.html`);
  await watched.page.locator(total).filter({ hasText: '$20.00' }).waitFor();
  await settled(watched.page);
  return watched;
}

describe('payment-intents.html (a PaymentIntent, script tag and attributes only)', () => {
  it('an add-on moves the total to the amount the server set on the intent, with no console error or CSP violation', async () => {
    const { page, consoleErrors, updates, violations, failedRequests } = await ready(fast.url);
    const scripts = await page.locator('script').evaluateAll((tags) => tags.map((s) => s.getAttribute('src') ?? 'inline'));
    expect(scripts.filter((src) => !src.startsWith('https://js.stripe.com'))).toEqual(['/stripe-stand-in.js', '/checkout-updates.payment-intents.iife.js']);
    expect(await page.locator('[data-fake-payment-element]').count()).toBe(1);
    await page.getByLabel('Gift wrap (+$5.00)').check();
    await page.locator(total).filter({ hasText: '$25.00' }).waitFor();
    await settled(page);
    expect(await serverIntent(page, fast.url)).toMatchObject({ status: 'requires_payment_method', amount: 2500 });
    expect(updates.map((request) => JSON.parse(request.postData() ?? '{}'))).toEqual([
      { payment_intent_id: expect.stringMatching(/^pi_/), selection: expect.objectContaining({ gift_wrap: true }), changes: { gift_wrap: true } },
    ]);
    const calls = await page.evaluate(() => (window as unknown as { StripeStandIn: { calls: { fetchUpdates: number; retrievePaymentIntent: number } } }).StripeStandIn.calls);
    expect([calls.fetchUpdates, calls.retrievePaymentIntent]).toEqual([1, 2]);
    expect([consoleErrors, failedRequests, await violations()]).toEqual([[], [], []]);
    await screenshot(page, 'payment-intents-after-update');
    await page.context().close();
  });

  it('turns 20 rapid clicks within one round trip into at most 2 updates, never 2 at once, ending on the intent amount', async () => {
    const watched = await ready(slow.url);
    const { page, updates } = watched;
    await page.evaluate(async () => {
      const gift = document.querySelector<HTMLInputElement>('[data-addon="gift_wrap"]')!;
      const insurance = document.querySelector<HTMLButtonElement>('[data-addon="insurance"]')!;
      for (let i = 0; i < 20; i++) {
        (i % 2 ? insurance : gift).click();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    });
    await settled(page);
    // gift clicked 10 times (off), insurance 10 times (off): back to the T-shirt alone.
    expect((await serverIntent(page, slow.url)).amount).toBe(2000);
    expect(await page.locator(total).textContent()).toBe('$20.00');
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.length).toBeLessThanOrEqual(2);
    expect(watched.maxInFlight).toBe(1);
    const overlapping = await page.evaluate(() => (window as unknown as { StripeStandIn: { calls: { fetchUpdatesOverlapping: number } } }).StripeStandIn.calls.fetchUpdatesOverlapping);
    expect(overlapping).toBe(0);
    await page.context().close();
  });

  it('a refused update shows the message and reverts the control; the intent keeps its amount', async () => {
    const { page } = await ready(fast.url);
    await page.route('**/update-payment-intent', (route) => route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: 'Gift wrap is out of stock.' }) }), { times: 1 });
    const gift = page.getByLabel('Gift wrap (+$5.00)');
    await gift.click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Gift wrap is out of stock.');
    expect(await gift.isChecked()).toBe(false);
    expect([await page.locator(total).textContent(), (await serverIntent(page, fast.url)).amount]).toEqual(['$20.00', 2000]);
    await screenshot(page, 'payment-intents-refused');
    await page.context().close();
  });

  it('paying after a change confirms once, and the intent Stripe holds is paid at the total the page showed', async () => {
    const { page } = await ready(fast.url);
    await page.getByLabel('Shipping speed').selectOption('express');
    await page.locator(total).filter({ hasText: '$35.00' }).waitFor();
    await settled(page);
    await page.getByRole('button', { name: 'Pay' }).click();
    await expect.poll(() => page.locator('[data-checkout]').getAttribute('data-checkout-state')).toBe('complete');
    expect(await serverIntent(page, fast.url)).toMatchObject({ status: 'succeeded', amount: 3500 });
    const confirm = await page.evaluate(() => {
      const fake = (window as unknown as { StripeStandIn: { calls: { confirmPayment: number }; confirmPaymentArgs: Array<{ confirmParams: unknown }> } }).StripeStandIn;
      return { calls: fake.calls.confirmPayment, params: fake.confirmPaymentArgs.map((args) => args.confirmParams) };
    });
    expect(confirm).toEqual({ calls: 1, params: [{ return_url: `${fast.url}/return.html` }] });
    expect(await page.locator('.paid').isVisible()).toBe(true);
    await screenshot(page, 'payment-intents-paid');
    await page.context().close();
  });
});
