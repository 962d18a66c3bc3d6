import { defineConfig } from 'vitest/config';

// The browser suite: Debian's Chromium driven by playwright-core, against the built example
// pages and server (see e2e/setup.ts). Files run one after another: they share the machine's
// two cores with a browser and a server.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['e2e/setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
