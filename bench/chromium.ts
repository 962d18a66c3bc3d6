// Runs a benchmark in Chromium, where the library really runs. Its entry is bundled for the
// browser and served from an https origin that only this page sees, so the page is a secure
// context, as a checkout page is (crypto.randomUUID, for one, exists only there).
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Page } from 'playwright-core';
import { rolldown } from 'rolldown';
import { chromiumPath, launch } from '../e2e/chromium.js';

const ORIGIN = 'https://bench.test';

async function bundle(entry: string): Promise<string> {
  const build = await rolldown({ input: entry, platform: 'browser', logLevel: 'warn' });
  const [chunk] = (await build.generate({ format: 'iife' })).output;
  await build.close();
  return chunk.code;
}

/**
 * What `run` gives on a page whose script tags load `scripts` (built files, as they are),
 * then `entry`, bundled; `undefined` when this machine has no Chromium.
 */
export async function inChromium<T>({ scripts = [], entry }: { scripts?: string[]; entry: string }, run: (page: Page) => Promise<T>): Promise<T | undefined> {
  if (!existsSync(chromiumPath())) return undefined;
  const files = new Map(scripts.map((path) => [`/${basename(path)}`, readFileSync(path, 'utf8')]));
  files.set('/bench.js', await bundle(entry));
  const tags = [...files.keys()].map((src) => `<script src="${src}"></script>`).join('');
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.route(`${ORIGIN}/**`, (route) => {
      const script = files.get(new URL(route.request().url()).pathname);
      return script === undefined
        ? route.fulfill({ contentType: 'text/html', body: `<!doctype html><title>bench</title>${tags}` })
        : route.fulfill({ contentType: 'text/javascript', body: script });
    });
    await page.goto(`${ORIGIN}/`);
    return await run(page);
  } finally {
    await browser.close();
  }
}

/**
 * A reader of the page's main-thread CPU time in milliseconds, from the DevTools protocol
 * (Performance.getMetrics, ThreadTime). Not the page's clock: that is clamped to 100 µs, and
 * it runs on while the machine gives the core to another process, which on a shared 2-core
 * machine doubled some rounds.
 */
export async function mainThreadTime(page: Page): Promise<() => Promise<number>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const seconds = metrics.find((metric) => metric.name === 'ThreadTime')?.value;
    if (seconds === undefined) throw new Error('bench: this Chromium reports no ThreadTime in Performance.getMetrics');
    return seconds * 1000;
  };
}
