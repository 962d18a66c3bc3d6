import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    environment: 'node',
    setupFiles: ['test/helpers/one-browser-per-test.ts'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
