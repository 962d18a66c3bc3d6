import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Window } from 'happy-dom';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The package as a merchant gets it: `npm pack` on a copy of the repository as a clone has
// it (no dist/: the prepare build must make it), the tarball checked by publint and attw,
// then installed with @stripe/stripe-js into a new Vite app that is type-checked, built and
// run. npm installs from its cache (the project's own `npm ci` filled it), so nothing new is
// downloaded. The copy keeps this test's build away from the dist/ the other tests read.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);
const STRIPE_JS_VERSION = (JSON.parse(readFileSync(join(ROOT, 'node_modules/@stripe/stripe-js/package.json'), 'utf8')) as { version: string }).version;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** The files a clone of the repository has: tracked ones, and new ones not ignored. */
async function cloneLike(into: string): Promise<void> {
  const listed = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT);
  for (const file of listed.stdout.split('\0').filter((name) => name && existsSync(join(ROOT, name)))) {
    mkdirSync(dirname(join(into, file)), { recursive: true });
    cpSync(join(ROOT, file), join(into, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(into, 'node_modules'), 'dir');
}

/** Every file below `dir`, relative to it. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

let work: string;
let repo: string;
let tarball: string;
let packed: string[];
let app: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'checkout-updates-pack-'));
  repo = join(work, 'repo');
  await cloneLike(repo);
  expect(existsSync(join(repo, 'dist'))).toBe(false);
  const pack = await run('npm', ['pack', '--json', '--pack-destination', work], repo);
  expect(pack.code, pack.stderr).toBe(0);
  const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(work, info!.filename);
  packed = info!.files.map((file) => file.path).sort();

  app = join(work, 'app');
  mkdirSync(join(app, 'src'), { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({
    name: 'merchant-app',
    private: true,
    type: 'module',
    dependencies: { 'checkout-updates': `file:${tarball}`, '@stripe/stripe-js': STRIPE_JS_VERSION },
  }));
  const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], app);
  expect(install.code, install.stderr).toBe(0);
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm pack on a clean clone', () => {
  it('builds dist/ first and ships the built files, their types and LICENSE, nothing of the tests', () => {
    expect(packed.filter((path) => !path.startsWith('dist/'))).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json']);
    for (const file of ['checkout-updates.js', 'checkout-updates.iife.js', 'testing.js', 'index.d.ts', 'testing/index.d.ts']) {
      expect(packed).toContain(`dist/${file}`);
    }
    // Only built JavaScript, its maps and declarations: no sources, tests, bench or examples.
    expect(packed.filter((path) => path.startsWith('dist/') && !/\.(js|js\.map|d\.ts)$/.test(path))).toEqual([]);
    expect(packed.filter((path) => /(^|\/)(test|e2e|bench|examples|src)\//.test(path) || /\.test\./.test(path))).toEqual([]);
  });

  it('passes publint --strict with no message at all, suggestions included', async () => {
    const { messages, pkg } = await publint({ pack: { tarball: new Uint8Array(readFileSync(tarball)).buffer }, level: 'suggestion', strict: true });
    expect(messages.map((message) => formatMessage(message, pkg, { color: false }))).toEqual([]);
  });

  it('passes @arethetypeswrong/cli for every resolution an ES module package offers', async () => {
    // esm-only: node10 and node16 `require` are not offered (see the README on CommonJS).
    const attw = await run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped'], work);
    expect(attw.code, attw.stdout + attw.stderr).toBe(0);
    expect(attw.stdout).toContain('"checkout-updates/testing"');
  });
});

describe('an install from git', () => {
  it('builds while installing and holds the same files as the tarball', async () => {
    // The copy as a git repository; its node_modules link (a symlink, which the .gitignore's
    // `node_modules/` does not match) stays out, so npm installs the build tools afresh.
    const git = (...args: string[]) => run('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], repo);
    expect((await git('init', '-q')).code).toBe(0);
    expect((await git('add', '-A', '--', '.', ':!node_modules')).code).toBe(0);
    expect((await git('commit', '-qm', 'snapshot')).code).toBe(0);
    const commit = (await git('rev-parse', 'HEAD')).stdout.trim();
    const shop = join(work, 'git-app');
    mkdirSync(shop);
    writeFileSync(join(shop, 'package.json'), JSON.stringify({ name: 'git-app', private: true, type: 'module' }));
    const install = await run('npm', ['install', `git+file://${repo}#${commit}`, `@stripe/stripe-js@${STRIPE_JS_VERSION}`, '--prefer-offline', '--no-audit', '--no-fund'], shop);
    expect(install.code, install.stderr).toBe(0);
    expect(filesBelow(join(shop, 'node_modules/checkout-updates'))).toEqual(packed);
  }, 240_000);
});

describe('the tarball installed into a new app', () => {
  it('shares the app’s one copy of @stripe/stripe-js (a peer dependency)', async () => {
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/checkout-updates/package.json'), 'utf8')) as Record<string, unknown>;
    expect([manifest['dependencies'], manifest['peerDependencies']]).toEqual([undefined, { '@stripe/stripe-js': '^10.0.0' }]);
    expect(existsSync(join(app, 'node_modules/checkout-updates/node_modules'))).toBe(false);
    const list = await run('npm', ['ls', '@stripe/stripe-js', '--all', '--parseable'], app);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.trim().split('\n')).toEqual([join(app, 'node_modules/@stripe/stripe-js')]);
  });

  it('type-checks a TypeScript entry against the shipped types, with skipLibCheck off', async () => {
    writeFileSync(join(app, 'src/check.ts'), `
      import { createCheckout, isCheckoutUpdateError, type Checkout, type CheckoutUpdateErrorCode } from 'checkout-updates';
      import { asStripe, createFakeStripe } from 'checkout-updates/testing';
      const fake = createFakeStripe({ betas: ['custom_checkout_server_updates_1'] });
      const checkout: Checkout = createCheckout({ stripe: asStripe(fake), clientSecret: 'cs_test_1', endpoint: '/update-checkout' });
      const code: CheckoutUpdateErrorCode = 'http';
      export const used = [checkout.state, code, isCheckoutUpdateError(null)];
      // @ts-expect-error: an add-on value is a boolean, number, string or null
      void checkout.set('gift_wrap', {});
    `);
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2020', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM', 'DOM.Iterable'], strict: true, exactOptionalPropertyTypes: true, skipLibCheck: false, noEmit: true, types: [] },
      include: ['src/check.ts'],
    }));
    const tsc = await run(bin('tsc'), ['-p', 'tsconfig.json'], app);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
  }, 60_000); // a whole tsc run over the shipped types, on a machine busy with the other test files

  it('loads in plain Node: import, and require where Node can load ES modules', async () => {
    const script = `
      const api = await import('checkout-updates');
      const testing = await import('checkout-updates/testing');
      const required = (await import('node:module')).createRequire(import.meta.url)('checkout-updates');
      console.log(JSON.stringify([Object.keys(api).sort(), Object.keys(testing).sort(), required.createCheckout === api.createCheckout]));
    `;
    const node = await run(process.execPath, ['--input-type=module', '-e', script], app);
    expect(node.stderr).toBe('');
    expect(JSON.parse(node.stdout)).toEqual([['CheckoutUpdateError', 'actionControls', 'createCheckout', 'isCheckoutUpdateError', 'mount', 'payrails', 'shareTabs', 'sharedTabs', 'shopperMessages', 'stripeCheckoutSessions', 'stripePaymentIntents', 'toCheckoutError', 'toast'], ['asStripe', 'createFakePayrails', 'createFakeStripe', 'createFakeToast'], true]);
  });

  it('bundles with Vite into a page that holds the library, tree-shaken, and runs against createFakeStripe', async () => {
    writeFileSync(join(app, 'index.html'), '<!doctype html><script type="module" src="/src/main.js"></script><input type="checkbox" id="gift"><output id="total"></output>');
    // What a merchant writes: the session from its server, updates to its endpoint.
    writeFileSync(join(app, 'src/main.js'), `
      import { createCheckout } from 'checkout-updates';
      const checkout = createCheckout({
        publishableKey: 'pk_test_merchant',
        stripeOptions: { betas: ['custom_checkout_server_updates_1'] },
        clientSecret: () => fetch('/checkout-session', { method: 'POST' }).then((r) => r.json()).then((j) => j.clientSecret),
        endpoint: '/update-checkout',
      });
      checkout.on('change', ({ session }) => { document.querySelector('#total').textContent = session.total.total.amount; });
      document.querySelector('#gift').addEventListener('change', (event) => checkout.set('gift_wrap', event.target.checked));
    `);
    const output = await build({ root: app, configFile: false, logLevel: 'silent', build: { write: false } });
    const chunks = (Array.isArray(output) ? output : [output]).flatMap((result) => ('output' in result ? result.output : []));
    const entry = chunks.find((chunk) => chunk.type === 'chunk' && chunk.isEntry);
    expect(entry?.type).toBe('chunk');
    const code = entry!.type === 'chunk' ? entry!.code : '';
    expect(code).toContain('custom_checkout_server_updates_1'); // the library's beta check
    expect(code).toContain('https://js.stripe.com'); // Stripe's loader, from the app's own copy
    expect(code).not.toMatch(/from\s*["']checkout-updates/);
    expect(code).not.toContain('data-checkout-line-items'); // mount() was not imported: shaken out

    const { createFakeStripe } = (await import(join(app, 'node_modules/checkout-updates/dist/testing.js'))) as typeof import('../src/testing/index.js');
    const fake = createFakeStripe({ betas: ['custom_checkout_server_updates_1'], catalog: { gift_wrap: { name: 'Gift wrap', unitAmount: 500 } } });
    const requests: string[] = [];
    const window = new Window({ url: 'https://shop.test/checkout', settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true } });
    try {
      Object.assign(window, {
        Stripe: fake.Stripe,
        fetch: async (url: string, init: { body?: string }) => {
          requests.push(`${url} ${init.body ?? ''}`);
          if (url === '/checkout-session') return Response.json({ clientSecret: 'cs_test_fake_1_secret' });
          fake.accept((JSON.parse(init.body!) as { selection: Record<string, boolean> }).selection);
          return Response.json({ id: 'cs_test_fake_1', amount_total: 2500 });
        },
      });
      const document = window.document as unknown as Document;
      document.body.innerHTML = '<input type="checkbox" id="gift"><output id="total"></output>';
      window.eval(code);
      const total = document.querySelector('#total')!;
      await expect.poll(() => total.textContent).toBe('$20.00');
      const box = document.querySelector<HTMLInputElement>('#gift')!;
      box.checked = true;
      box.dispatchEvent(new window.Event('change') as unknown as Event);
      await expect.poll(() => total.textContent).toBe('$25.00');
      expect(requests).toEqual([
        '/checkout-session ',
        `/update-checkout ${JSON.stringify({ checkout_session_id: 'cs_test_fake_1', selection: { gift_wrap: true }, changes: { gift_wrap: true } })}`,
      ]);
      expect(fake.calls.runServerUpdate).toBe(1);
    } finally {
      await window.happyDOM.close();
    }
  }, 60_000);
});
