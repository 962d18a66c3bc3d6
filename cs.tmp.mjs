import { build } from 'rolldown';
import { gzipSync } from 'node:zlib';
const code = `export { createCheckout, mount, stripeCheckoutSessions, CheckoutUpdateError, isCheckoutUpdateError, toCheckoutError } from ${JSON.stringify(process.cwd() + '/dist/checkout-updates.js')};`;
const out = await build({ input: 'entry', external: [/^@stripe\//], write: false, output: { format: 'esm', minify: true }, logLevel: 'silent',
  plugins: [{ name: 'e', resolveId: (id) => (id === 'entry' ? id : null), load: (id) => (id === 'entry' ? code : null) }] });
console.log('esm', gzipSync(out.output[0].code).length);
