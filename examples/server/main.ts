/**
 * `npm run serve`: the example server on its own, serving the built example pages
 * (`dist-examples/pages/`, with `/stripe-stand-in.js`) and the library's build (`dist/`, e.g.
 * `/checkout-updates.iife.js`).
 * `npm run serve` builds all three first; this file is built to `dist-examples/server/main.js`,
 * two folders below the repository like its source, so the paths below hold for both.
 *
 * PORT (default 3000), HOST (default 127.0.0.1), and the variables app.ts reads.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { NO_STAND_IN, standInServed } from '../stand-in/mode.js';
import { createExampleServer } from './app.js';

const root = new URL('../../', import.meta.url);
const pages = fileURLToPath(new URL('dist-examples/pages/', root));
const library = fileURLToPath(new URL('dist/', root));
for (const folder of [pages, library]) {
  if (!existsSync(folder)) console.warn(`${folder} does not exist: run \`npm run build && npm run build:examples\` first.`);
}

const server = await createExampleServer();
const app = express();
app.disable('x-powered-by');
app.use(server.app);
// The pages' Stripe stand-in (built next to them) only offline; else an empty script, so the real Stripe.js loads.
if (!standInServed(process.env)) {
  app.get('/stripe-stand-in.js', (_req, res) => {
    res.type('text/javascript').set('Cache-Control', 'no-cache').send(NO_STAND_IN);
  });
}
app.use(express.static(pages), express.static(library));
app.use((_req, res) => {
  res.status(404).json({ error: 'Not found.' });
});

const host = process.env['HOST'] ?? '127.0.0.1';
const port = Number(process.env['PORT'] ?? 3000);
const http = app.listen(port, host, (error?: Error) => {
  if (error) {
    console.error(`Could not listen on ${host}:${port}: ${error.message}`);
    process.exitCode = 1;
    return stop();
  }
  console.log(`checkout-updates examples: http://${host.includes(':') ? `[${host}]` : host}:${port}/`);
});

function stop() {
  http.close();
  http.closeAllConnections();
  void server.close();
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
