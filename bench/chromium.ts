// Runs a benchmark in Chromium, where the library really runs. Its entry is bundled for the
// browser and served from an https origin that only this page sees, so the page is a secure
// context, as a checkout page is (crypto.randomUUID, for one, exists only there).
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { rolldown } from 'rolldown';
import { chromiumPath, launch } from '../e2e/chromium.js';

const ORIGIN = 'https://bench.test';

/** What `run` gives on a page that has run `entry`; `undefined` when this machine has no Chromium. */
export async function inChromium<T>(entry: string, run: (page: Page) => Promise<T>): Promise<T | undefined> {
  if (!existsSync(chromiumPath())) return undefined;
  const bundle = await rolldown({ input: entry, platform: 'browser', logLevel: 'warn' });
  const [chunk] = (await bundle.generate({ format: 'iife' })).output;
  await bundle.close();
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.route(`${ORIGIN}/**`, (route) =>
      route.request().url() === `${ORIGIN}/bench.js`
        ? route.fulfill({ contentType: 'text/javascript', body: chunk.code })
        : route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench</title><script src="/bench.js"></script>' }),
    );
    await page.goto(`${ORIGIN}/`);
    return await run(page);
  } finally {
    await browser.close();
  }
}
