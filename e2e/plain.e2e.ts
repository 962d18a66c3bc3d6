// The script-tag page (examples/plain.html) in Chromium: no page script of its own, the real
// Stripe.js loader answered with the stand-in, the built library and the built server.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openPage, openTab, pendingLook, screenshot, serverSession, settled, startServer, type ExampleServer } from './harness.js';

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
const summary = { total, items: '[data-checkout-line-items]', loading: '[data-checkout-loading]' };

async function ready(url: string) {
  const watched = await openPage(browser, `${url}/plain.html`);
  await watched.page.locator(total).filter({ hasText: '$20.00' }).waitFor();
  await settled(watched.page);
  return watched;
}

describe('plain.html (script tag and attributes only)', () => {
  it('works with no page script: an add-on moves the total to what the server computed, with no console error', async () => {
    const { page, consoleErrors, updates } = await ready(fast.url);
    const scripts = await page.locator('script').evaluateAll((tags) => tags.map((s) => s.getAttribute('src') ?? 'inline'));
    expect(scripts.filter((src) => !src.startsWith('https://js.stripe.com'))).toEqual(['/stripe-stand-in.js', '/checkout-updates.iife.js', '/checkout-updates.tabs.iife.js']);
    await page.getByLabel('Gift wrap (+$5.00)').check();
    await page.locator(total).filter({ hasText: '$25.00' }).waitFor();
    await settled(page);
    expect(await page.locator('[data-checkout-line-items] li').allTextContents()).toEqual([
      expect.stringContaining('T-shirt'),
      expect.stringContaining('Gift wrap'),
    ]);
    expect((await serverSession(page, fast.url)).amountTotal).toBe(2500);
    expect(updates).toHaveLength(1);
    expect(consoleErrors).toEqual([]);
    await screenshot(page, 'plain-after-update');
    await page.context().close();
  });

  it('reloaded, shows the choices the session holds, at the same total, and sends no update', async () => {
    const { page, updates, consoleErrors } = await ready(fast.url);
    await page.getByLabel('Gift wrap (+$5.00)').check();
    await page.locator('[data-addon="insurance"]').click();
    await page.locator('[data-addon="shipping"]').selectOption('express');
    await page.getByLabel('10 %').check();
    await page.locator(total).filter({ hasText: '$45.00' }).waitFor();
    await settled(page);
    const before = { secret: (await serverSession(page, fast.url)).id, total: await page.locator(total).textContent(), sent: updates.length };

    await page.reload();
    await page.locator(total).filter({ hasText: '$45.00' }).waitFor();
    await settled(page);
    const shown = await page.evaluate(() => ({
      gift_wrap: document.querySelector<HTMLInputElement>('[data-addon="gift_wrap"]')!.checked,
      insurance: document.querySelector('[data-addon="insurance"]')!.getAttribute('aria-pressed'),
      shipping: document.querySelector<HTMLSelectElement>('[data-addon="shipping"]')!.value,
      tip: document.querySelector<HTMLInputElement>('[data-addon="tip"]:checked')!.value,
      quantity: document.querySelector<HTMLInputElement>('[data-addon="quantity"]')!.value,
    }));
    expect(shown).toEqual({ gift_wrap: true, insurance: 'true', shipping: 'express', tip: '10', quantity: '1' });
    expect((await serverSession(page, fast.url)).id).toBe(before.secret);
    expect([await page.locator(total).textContent(), updates.length]).toEqual([before.total, before.sent]);
    expect(consoleErrors).toEqual([]);
    await screenshot(page, 'plain-after-reload');
    await page.context().close();
  });

  it("two tabs on one session: the second shows the first's add-on with no update of its own, and its next change keeps it", async () => {
    const first = await ready(fast.url);
    const second = await openTab(first.page, `${fast.url}/plain.html`);
    await second.page.locator(total).filter({ hasText: '$20.00' }).waitFor();
    await settled(second.page);
    await first.page.getByLabel('Gift wrap (+$5.00)').check();
    await second.page.locator(total).filter({ hasText: '$25.00' }).waitFor();
    await settled(second.page);
    expect([await second.page.getByLabel('Gift wrap (+$5.00)').isChecked(), second.updates.length]).toEqual([true, 0]);
    await second.page.locator('[data-addon="insurance"]').click();
    await first.page.locator(total).filter({ hasText: '$28.00' }).waitFor();
    await settled(first.page);
    expect(second.updates.map((request) => request.postDataJSON().selection)).toEqual([expect.objectContaining({ gift_wrap: true, insurance: true })]);
    expect([(await serverSession(first.page, fast.url)).amountTotal, first.updates.length]).toEqual([2800, 1]);
    expect(await first.page.locator('[data-addon="insurance"]').getAttribute('aria-pressed')).toBe('true');
    expect([first.consoleErrors, second.consoleErrors]).toEqual([[], []]);
    await first.page.context().close();
  });

  it('reads each successful reply to its end: no update shows as failed or cancelled in the network panel', async () => {
    const { page, updates, failedRequests } = await ready(fast.url);
    await page.getByLabel('Gift wrap (+$5.00)').check();
    await page.locator(total).filter({ hasText: '$25.00' }).waitFor();
    await page.getByLabel('Gift wrap (+$5.00)').uncheck();
    await page.locator(total).filter({ hasText: '$20.00' }).waitFor();
    await settled(page);
    expect(updates).toHaveLength(2);
    // The server answers a small JSON body ({id, amount_total}); each is read to its end.
    const bodies = await Promise.all(updates.map(async (request) => (await request.response())!.json() as Promise<{ amount_total: number }>));
    expect(bodies.map((body) => body.amount_total)).toEqual([2500, 2000]);
    expect(failedRequests).toEqual([]);
    await page.context().close();
  });

  it('turns 20 rapid clicks within one round trip into at most 2 updates, never 2 at once, ending on the server total', async () => {
    const watched = await ready(slow.url);
    const { page, updates } = watched;
    // 20 clicks 10 ms apart across three add-ons: well within one round trip (the emulator
    // answers each of the server's Stripe calls after 300 ms).
    const took = await page.evaluate(async () => {
      const started = performance.now();
      const gift = document.querySelector<HTMLInputElement>('[data-addon="gift_wrap"]')!;
      const insurance = document.querySelector<HTMLButtonElement>('[data-addon="insurance"]')!;
      const shipping = document.querySelector<HTMLSelectElement>('[data-addon="shipping"]')!;
      for (let i = 0; i < 20; i++) {
        if (i % 3 === 0) gift.click();
        if (i % 3 === 1) insurance.click();
        if (i % 3 === 2) {
          shipping.value = i % 2 ? 'express' : 'standard';
          shipping.dispatchEvent(new Event('change', { bubbles: true }));
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return performance.now() - started;
    });
    await settled(page);
    const server = await serverSession(page, slow.url);
    // gift clicked 7 times (on), insurance 7 times (on), shipping last set at i = 17 (express).
    expect(server.amountTotal).toBe(2000 + 500 + 300 + 1500);
    expect(await page.locator(total).textContent()).toBe('$43.00');
    console.log(`20 clicks in ${Math.round(took)} ms; ${updates.length} update request(s)`);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.length).toBeLessThanOrEqual(2);
    expect(watched.maxInFlight).toBe(1);
    await page.context().close();
  });

  it('shows the loading state and disables pay while the server is slow, then clears both', async () => {
    const { page } = await ready(slow.url);
    await page.getByLabel('Gift wrap (+$5.00)').check();
    await expect.poll(() => page.locator('[data-checkout]').getAttribute('aria-busy')).toBe('true');
    expect(await page.locator('[data-checkout-loading]').isVisible()).toBe(true);
    expect(await page.locator('[data-checkout-pay]').isDisabled()).toBe(true);
    await page.locator(total).filter({ hasText: '$25.00' }).waitFor();
    await settled(page);
    expect(await page.locator('[data-checkout-loading]').isVisible()).toBe(false);
    expect(await page.locator('[data-checkout-pay]').isEnabled()).toBe(true);
    await page.context().close();
  });

  it('dims the total and the line items while the slow server prices a change, with "Updating…" beside the total', async () => {
    const { page } = await ready(slow.url);
    await expect.poll(() => pendingLook(page, summary)).toEqual({ dimmed: [false, false], updating: false });
    await page.getByLabel('Gift wrap (+$5.00)').check();
    await expect.poll(() => pendingLook(page, summary)).toEqual({ dimmed: [true, true], updating: true });
    await page.waitForTimeout(200); // the dimming's transition, for the screenshot
    await screenshot(page, 'plain-pending');
    await page.locator(total).filter({ hasText: '$25.00' }).waitFor();
    await settled(page);
    await expect.poll(() => pendingLook(page, summary)).toEqual({ dimmed: [false, false], updating: false });
    await page.context().close();
  });

  it('a rejected update shows the message and reverts the control; the next click recovers', async () => {
    const { page } = await ready(fast.url);
    await page.route('**/update-checkout', (route) => route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: 'Gift wrap is out of stock.' }) }), { times: 1 });
    const gift = page.getByLabel('Gift wrap (+$5.00)');
    await gift.click(); // not check(): the box is unchecked again when the update is refused
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toBe('Gift wrap is out of stock.');
    // Said next to the box it is about, not in the summary.
    expect(await alert.getAttribute('data-checkout-error-for')).toBe('gift_wrap');
    expect(await page.locator('[data-checkout-error]').isVisible()).toBe(false);
    await screenshot(page, 'plain-refused');
    expect(await gift.isChecked()).toBe(false);
    await gift.check();
    await page.locator(total).filter({ hasText: '$25.00' }).waitFor();
    expect(await alert.isVisible()).toBe(false);
    await page.context().close();
  });

  it('a dropped connection is retried, then reported; the page recovers', async () => {
    const { page } = await ready(fast.url);
    let aborted = 0;
    await page.route('**/update-checkout', (route) => (aborted++, route.abort('connectionreset')));
    await page.getByLabel('Gift wrap (+$5.00)').check();
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 20_000 }).toBe('Could not reach the server. Check your connection and try again.');
    expect(aborted).toBe(3); // the first try and two retries
    expect(await page.getByLabel('Gift wrap (+$5.00)').isChecked()).toBe(false);
    await page.unroute('**/update-checkout');
    await page.getByLabel('Gift wrap (+$5.00)').check();
    await page.locator(total).filter({ hasText: '$25.00' }).waitFor();
    await page.context().close();
  });

  it('an expired session shows its message', async () => {
    const { page } = await ready(fast.url);
    const { id } = await serverSession(page, fast.url);
    await fetch(`${fast.url}/__emulator/expire/${id}`, { method: 'POST' });
    await page.getByLabel('Gift wrap (+$5.00)').check();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('This checkout session has expired: reload the page to start again.');
    expect(await page.getByLabel('Gift wrap (+$5.00)').isChecked()).toBe(false);
    expect(await page.locator('[data-checkout-pay]').isDisabled()).toBe(true);
    await page.context().close();
  });

  it('paying right after a change confirms once, only after the update has landed', async () => {
    const { page } = await ready(slow.url);
    const order = await page.evaluate(() => {
      const seen: string[] = [];
      document.addEventListener('checkout:update', () => seen.push('update'));
      document.addEventListener('checkout:change', (e) => {
        if ((e as CustomEvent).detail.session.status.type === 'complete') seen.push('paid');
      });
      Object.assign(window, { order: seen });
      // The change and two submits in one task, as a fast double click on a stale Pay button would.
      document.querySelector<HTMLInputElement>('[data-addon="gift_wrap"]')!.click();
      const form = document.querySelector<HTMLFormElement>('[data-checkout]')!;
      form.requestSubmit();
      form.requestSubmit();
      return seen.length;
    });
    expect(order).toBe(0);
    const seen = () => page.evaluate(() => {
      const w = window as unknown as { StripeStandIn: { calls: { confirm: number } }; order: string[] };
      return { order: [...w.order], confirms: w.StripeStandIn.calls.confirm };
    });
    await expect.poll(async () => (await seen()).order, { timeout: 15_000 }).toEqual(['update', 'paid']);
    await page.waitForTimeout(300);
    expect(await seen()).toEqual({ order: ['update', 'paid'], confirms: 1 });
    expect(await page.locator(total).textContent()).toBe('$25.00');
    // Paid on the server's side too: the session the server holds is complete, at that total.
    expect(await serverSession(page, slow.url)).toMatchObject({ status: 'complete', amountTotal: 2500 });
    // The page says it is paid, and nothing can be changed any more.
    expect(await page.locator('[data-checkout]').getAttribute('data-checkout-state')).toBe('complete');
    expect([await page.locator('.paid').isVisible(), await page.locator('[data-checkout-pay]').isVisible()]).toEqual([true, false]);
    expect(await page.locator('[data-addon]').evaluateAll((controls) => controls.every((c) => (c as HTMLInputElement).disabled))).toBe(true);
    await screenshot(page, 'plain-paid');
    await page.context().close();
  });

  it('runs under its strict Content-Security-Policy with zero violations', async () => {
    const { page, violations } = await ready(fast.url);
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("script-src 'self' https://js.stripe.com");
    expect(csp).not.toContain('unsafe');
    expect(csp).not.toContain('nonce'); // the dev server's nonce stays out of the built pages
    await page.getByLabel('Gift wrap (+$5.00)').check();
    await page.locator(total).filter({ hasText: '$25.00' }).waitFor();
    expect(await violations()).toEqual([]);
    await page.context().close();
  });

  it('works with the keyboard alone, and announces an error through role=alert', async () => {
    const { page } = await ready(fast.url);
    await page.getByLabel('Gift wrap (+$5.00)').focus();
    await page.keyboard.press('Space');
    await page.locator(total).filter({ hasText: '$25.00' }).waitFor();
    await page.route('**/update-checkout', (route) => route.fulfill({ status: 422, contentType: 'application/json', body: '{"error":"Insurance is not available."}' }), { times: 1 });
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-addon'))).toBe('insurance');
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toBe('Insurance is not available.');
    expect(await page.getByRole('button', { name: 'Shipping insurance (+$3.00)' }).getAttribute('aria-pressed')).toBe('false');
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator(total).textContent()).toBe('$28.00');
    await page.context().close();
  });
});
