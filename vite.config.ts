import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify as minifyWithTerser } from 'terser';
import { defineConfig, loadEnv, type Connect, type Plugin, type UserConfig } from 'vite';
import type * as ExampleServerModule from './examples/server/app.js';
import { isServerPath } from './examples/server/paths.js';
import { LIBRARY_SOURCE, buildLibraryScript, buildPayrailsStandIn, buildStandIn, buildToastStandIn } from './examples/stand-in/build.js';
import { NO_STAND_IN, standInServed } from './examples/stand-in/mode.js';
import { STRIPE_SOURCES } from './examples/stripe-csp.js';
import { BROWSERS } from './targets.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// `vite build` makes the ESM files a merchant's bundler consumes (Stripe's loader left
// external, unminified); `vite build --mode iife` makes the script-tag file of Checkout
// Sessions with everything bundled and minified, `--mode iife-payment-intents` that of
// Payment Intents, `--mode iife-actions` the page controls of Stripe's actions, which a page
// loads after the first, `--mode iife-messages` the shopper's language and `--mode iife-tabs`
// two tabs on one session, which a page loads after any of them. `vite` alone serves the example pages, with the example
// server's routes mounted (see exampleServer below). `--mode examples` and `--mode server`
// build the pages and the server for `npm run serve`, into dist-examples/.
//
// The pages load two classic scripts at fixed URLs, so the same HTML works under `vite` and
// under `npm run serve`: `/stripe-stand-in.js` (Stripe.js's offline stand-in, see
// examples/stand-in/) and `/checkout-updates.iife.js` (the script-tag build; `serve` takes it
// from dist/). Their tags carry `vite-ignore`, so Vite neither bundles nor warns about them.
type Build = NonNullable<UserConfig['build']>;

const esm: Build = {
  target: BROWSERS,
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

/** A script-tag file: `src/global.ts` (Checkout Sessions) or `src/global-payment-intents.ts`, each carrying its own system only. */
const iife = (entry: string, fileName: string): Build => ({
  target: BROWSERS,
  outDir: here('dist'),
  emptyOutDir: false,
  minify: true,
  // The map ships beside the file, but every shopper would download the comment that points
  // at it, and a page that copies only the .js would make DevTools ask for a missing map.
  sourcemap: 'hidden',
  lib: {
    entry: here(entry),
    formats: ['iife'],
    name: 'CheckoutUpdates',
    fileName: () => fileName,
  },
  rolldownOptions: { output: { generatedCode: { symbols: false } }, plugins: [terserAfter()] },
});

/**
 * Terser over Rolldown's minified output (its map carried through): about 100 bytes less
 * gzip on a script tag, which every shopper downloads. Terser alone, from the source, gains
 * less than Rolldown's minifier does. `unsafe_arrows` and `unsafe_methods` (about 25 bytes
 * more) turn functions into arrows and methods, which cannot be called with `new`: nothing
 * in these files, Stripe's loader included, constructs a function or reads its `prototype`
 * (classes stay classes), and every browser of targets.ts runs ES2020.
 */
function terserAfter(): Plugin {
  return {
    name: 'checkout-updates:terser-after',
    async generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const out = await minifyWithTerser(chunk.code, { ecma: 2020, compress: { passes: 2, unsafe_arrows: true, unsafe_methods: true }, sourceMap: chunk.map ? { content: chunk.map as never, asObject: true } : false });
        chunk.code = out.code as string;
        if (!chunk.map || !out.map) continue;
        Object.assign(chunk.map, out.map);
        // The map file is already an asset of the bundle here: it must describe the new code.
        const file = bundle[`${chunk.fileName}.map`];
        if (file?.type === 'asset') file.source = JSON.stringify(out.map);
      }
    },
  };
}

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

const BUILDS: Record<string, () => Build> = {
  iife: () => iife('src/global.ts', 'checkout-updates.iife.js'),
  'iife-payment-intents': () => iife('src/global-payment-intents.ts', 'checkout-updates.payment-intents.iife.js'),
  'iife-actions': () => iife('src/global-actions.ts', 'checkout-updates.actions.iife.js'),
  'iife-messages': () => iife('src/global-messages.ts', 'checkout-updates.messages.iife.js'),
  'iife-tabs': () => iife('src/global-tabs.ts', 'checkout-updates.tabs.iife.js'),
  'iife-payrails': () => iife('src/global-payrails.ts', 'checkout-updates.payrails.iife.js'),
  'iife-toast': () => iife('src/global-toast.ts', 'checkout-updates.toast.iife.js'),
  examples,
  server: () => server,
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

/**
 * `npm run dev` answers the pages' classic scripts itself, built in memory with rolldown
 * (tens of milliseconds) on first request and again after any change under `src/`, which
 * also reloads the pages: no `npm run build` is needed first. The Payrails and Toast
 * stand-ins are always served: those systems have no real-provider mode here.
 */
function classicScripts(standIn: boolean): Plugin {
  const scripts: Record<string, () => Promise<string>> = {
    '/checkout-updates.iife.js': () => buildLibraryScript('global.ts'),
    '/checkout-updates.payment-intents.iife.js': () => buildLibraryScript('global-payment-intents.ts'),
    '/checkout-updates.actions.iife.js': () => buildLibraryScript('global-actions.ts'),
    '/checkout-updates.messages.iife.js': () => buildLibraryScript('global-messages.ts'),
    '/checkout-updates.tabs.iife.js': () => buildLibraryScript('global-tabs.ts'),
    '/checkout-updates.payrails.iife.js': () => buildLibraryScript('global-payrails.ts'),
    '/checkout-updates.toast.iife.js': () => buildLibraryScript('global-toast.ts'),
    '/stripe-stand-in.js': standIn ? buildStandIn : () => Promise.resolve(NO_STAND_IN),
    '/payrails-stand-in.js': buildPayrailsStandIn,
    '/toast-stand-in.js': buildToastStandIn,
  };
  return {
    name: 'checkout-updates:classic-scripts',
    apply: 'serve',
    configureServer(vite) {
      const built = new Map<string, Promise<string>>();
      vite.watcher.add(LIBRARY_SOURCE);
      vite.watcher.on('all', (_event, file) => {
        if (!file.startsWith(LIBRARY_SOURCE + sep) || built.size === 0) return;
        built.clear();
        vite.ws.send({ type: 'full-reload', path: '*' });
      });
      vite.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0] as string;
        const make = scripts[path];
        if (!make || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
        let code = built.get(path);
        if (!code) {
          code = make();
          built.set(path, code);
          const made = code;
          made.catch(() => built.get(path) === made && built.delete(path)); // a broken build is tried again on the next request
        }
        code.then(
          (text) => {
            res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
            res.setHeader('Cache-Control', 'no-cache');
            res.end(req.method === 'HEAD' ? undefined : text);
          },
          (error: unknown) => {
            vite.config.logger.error(`${path} could not be built: ${String(error)}`);
            res.statusCode = 500;
            res.setHeader('Content-Type', 'text/plain; charset=utf-8');
            res.end(`${path} could not be built; see the terminal.`);
          },
        );
      });
    },
  };
}

/**
 * `--mode examples` writes the stand-ins next to the pages; server/main.ts serves them (the
 * Stripe one, or an empty script when the real Stripe.js must load).
 */
function standInFile(): Plugin {
  return {
    name: 'checkout-updates:stand-in-file',
    apply: 'build',
    async generateBundle() {
      const [stripe, payrails, toast] = await Promise.all([buildStandIn(), buildPayrailsStandIn(), buildToastStandIn()]);
      this.emitFile({ type: 'asset', fileName: 'stripe-stand-in.js', source: stripe });
      this.emitFile({ type: 'asset', fileName: 'payrails-stand-in.js', source: payrails });
      this.emitFile({ type: 'asset', fileName: 'toast-stand-in.js', source: toast });
    },
  };
}

/**
 * Each page's Content-Security-Policy, written once in its `<meta>`, adjusted to where it
 * runs: under `vite`, `ws: wss:` for the HMR socket and the dev server's nonce in
 * `style-src`, so Vite's error overlay (a `<style>` carrying that nonce) keeps its styles;
 * Stripe's origins only when the stand-in is off. Built pages keep the policy as written.
 */
function pageCsp(options: { devNonce: string | undefined; stripe: boolean }): Plugin {
  const dev = options.devNonce !== undefined;
  const adjust = (policy: string) =>
    policy.split(';').map((directive) => directive.trim()).filter(Boolean).map((directive) => {
      const [name = '', ...sources] = directive.split(/\s+/);
      const kept = dev ? sources : sources.filter((source) => source !== 'ws:' && source !== 'wss:');
      const nonce = dev && name === 'style-src' ? [`'nonce-${options.devNonce}'`] : [];
      return [name, ...kept, ...nonce, ...(options.stripe ? STRIPE_SOURCES[name] ?? [] : [])].join(' ');
    }).join('; ');
  return {
    name: 'checkout-updates:page-csp',
    transformIndexHtml: (html) =>
      html.replace(/(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")/i, (_all, start: string, policy: string, end: string) => start + adjust(policy) + end),
  };
}

export default defineConfig(({ command, mode }) => {
  const standIn = standInServed(process.env);
  // Offline, the stand-in takes any test key: the pages need no environment at all.
  const publishableKey = loadEnv(mode, here('examples'), 'VITE_')['VITE_STRIPE_PUBLISHABLE_KEY'] || 'pk_test_offline_emulator';
  // One per dev server start; Vite puts it on the tags it adds and on `<meta property="csp-nonce">`.
  const devNonce = command === 'serve' ? randomBytes(16).toString('base64') : undefined;
  return {
    root: here('examples'),
    publicDir: false,
    ...(devNonce ? { html: { cspNonce: devNonce } } : {}),
    // The SPA example imports the package by its name, from the sources (tsconfig.json's `paths` agrees).
    resolve: { alias: [{ find: /^checkout-updates$/, replacement: here('src/index.ts') }] },
    // `%VITE_STRIPE_PUBLISHABLE_KEY%` in the pages.
    define: { 'import.meta.env.VITE_STRIPE_PUBLISHABLE_KEY': JSON.stringify(publishableKey) },
    plugins: [
      exampleServer(),
      classicScripts(standIn),
      pageCsp({ devNonce, stripe: !standIn }),
      ...(mode === 'examples' ? [standInFile()] : []),
    ],
    build: BUILDS[mode]?.() ?? esm,
  };
});
