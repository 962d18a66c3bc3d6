import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// `vite build` makes the ESM files a merchant's bundler consumes (Stripe's loader left
// external, unminified); `vite build --mode iife` makes the one script-tag file with
// everything bundled and minified. `vite` alone serves the example pages.
const esm: UserConfig['build'] = {
  outDir: here('dist'),
  emptyOutDir: true,
  minify: false,
  sourcemap: true,
  lib: {
    entry: { 'checkout-updates': here('src/index.ts'), testing: here('src/testing/index.ts') },
    formats: ['es'],
  },
  rolldownOptions: { external: [/^@stripe\/stripe-js/] },
};

const iife: UserConfig['build'] = {
  outDir: here('dist'),
  emptyOutDir: false,
  minify: true,
  sourcemap: true,
  lib: {
    entry: here('src/global.ts'),
    formats: ['iife'],
    name: 'CheckoutUpdates',
    fileName: () => 'checkout-updates.iife.js',
  },
};

export default defineConfig(({ mode }) => ({
  root: here('examples'),
  publicDir: false,
  build: mode === 'iife' ? iife : esm,
}));
