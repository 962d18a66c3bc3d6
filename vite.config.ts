import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Connect, type Plugin, type UserConfig } from 'vite';
import type * as ExampleServerModule from './examples/server/app.js';
import { isServerPath } from './examples/server/paths.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// `vite build` makes the ESM files a merchant's bundler consumes (Stripe's loader left
// external, unminified); `vite build --mode iife` makes the one script-tag file with
// everything bundled and minified. `vite` alone serves the example pages, with the example
// server's routes mounted (see exampleServer below). `--mode examples` and `--mode server`
// build the pages and the server for `npm run serve`, into dist-examples/.
type Build = NonNullable<UserConfig['build']>;

const esm: Build = {
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

const iife: Build = {
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

/** Every example page (`examples/**\/*.html`), the server's folder left out. */
function examplePages(): Record<string, string> {
  const files = readdirSync(here('examples'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.html') && !file.startsWith('server/'));
  return Object.fromEntries(files.map((file) => [file.slice(0, -'.html'.length), here(`examples/${file}`)]));
}

const examples = (): Build => ({
  outDir: here('dist-examples/pages'),
  emptyOutDir: true,
  sourcemap: true,
  rolldownOptions: { input: examplePages() },
});

// Node 20 cannot run TypeScript, so the server is built to one ESM file; its packages
// (express, stripe, qs) stay imports resolved from node_modules.
const server: Build = {
  outDir: here('dist-examples/server'),
  emptyOutDir: true,
  ssr: here('examples/server/main.ts'),
  target: 'node20',
  minify: false,
  sourcemap: true,
};

/**
 * The example server inside `vite` (dev): its routes answer before Vite's own middlewares,
 * and everything else goes on to Vite. The server's code is loaded through Vite
 * (`ssrLoadModule`), so the library's builds never load Express or Stripe, and it starts
 * once the dev server listens (an emulator on an ephemeral port, unless STRIPE_SECRET_KEY).
 */
function exampleServer(): Plugin {
  return {
    name: 'checkout-updates:example-server',
    apply: 'serve',
    configureServer(vite) {
      let started: Promise<ExampleServerModule.ExampleServer> | undefined;
      const start = () =>
        (started ??= vite.ssrLoadModule('/server/app.ts').then((module) =>
          (module as typeof ExampleServerModule).createExampleServer({ log: (line) => vite.config.logger.info(line) })));

      vite.httpServer?.once('listening', () => {
        start().catch((error: unknown) => vite.config.logger.error(`example server did not start: ${String(error)}`));
      });
      vite.httpServer?.once('close', () => {
        void started?.then((app) => app.close(), () => undefined);
      });
      vite.middlewares.use((req, res, next) => {
        if (!isServerPath(req.url ?? '/')) return next();
        start().then((server) => (server.app as unknown as Connect.NextHandleFunction)(req, res, next), next);
      });
    },
  };
}

export default defineConfig(({ mode }) => ({
  root: here('examples'),
  publicDir: false,
  plugins: [exampleServer()],
  build: mode === 'iife' ? iife : mode === 'examples' ? examples() : mode === 'server' ? server : esm,
}));
