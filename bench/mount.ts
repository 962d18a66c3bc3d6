// mount() on happy-dom pages of 10, 100 and 1,000 `[data-addon]` controls, then 1,000
// mount/destroy cycles: what a page pays to start, and whether destroy() gives everything back
// (listeners, heap, the page's markup).
import { Window } from 'happy-dom';
import * as happyDomSymbols from 'happy-dom/lib/PropertySymbol.js';
import { mount } from '../src/dom/mount.js';
import { asStripe, createFakeStripe } from '../src/testing/index.js';
import type { Checkout } from '../src/types.js';
import { fmt, type Section, type Table } from './report.js';
import { heapUsed, median, nextTask, p95 } from './stats.js';

const BETAS = ['custom_checkout_server_updates_1'];
const SIZES = [
  { controls: 10, repeats: 300 },
  { controls: 100, repeats: 200 },
  { controls: 1000, repeats: 30 },
];
const CYCLES = { page: 100, warmup: 500, count: 1000, trackEvery: 10 };
/**
 * Growth per cycle beyond which it is not noise. Leak-free runs here read from -250 to +150 B
 * per cycle over 1,000 cycles: V8 compiles hot functions and flushes the bytecode of cold ones,
 * and that code lives on the heap too (a heap-snapshot diff over 3,000 cycles found only code
 * objects growing). A mount left alive (destroy() skipped) costs about 50 KB per cycle.
 */
const NOISE_BYTES_PER_CYCLE = 1024;

type Kind = 'checkbox' | 'number' | 'select' | 'radio' | 'button';
const KINDS: Kind[] = ['checkbox', 'number', 'select', 'radio', 'button'];

/** Markup of one add-on control of each kind in turn; a radio group counts its two inputs. */
function control(kind: Kind, name: string, left: number): { html: string; count: number } {
  switch (kind) {
    case 'checkbox': return { html: `<label><input type="checkbox" data-addon="${name}"> ${name}</label>`, count: 1 };
    case 'number': return { html: `<input type="number" data-addon="${name}" min="0" max="3" step="1" value="0">`, count: 1 };
    case 'select': return { html: `<select data-addon="${name}"><option value="standard">Standard</option><option value="express">Express</option></select>`, count: 1 };
    case 'button': return { html: `<button type="button" data-addon="${name}">${name}</button>`, count: 1 };
    case 'radio': {
      const values = left >= 2 ? ['0', '10'] : ['0'];
      const html = values.map((v, i) => `<label><input type="radio" name="${name}" data-addon="${name}" value="${v}"${i === 0 ? ' checked' : ''}> ${v}</label>`).join('');
      return { html, count: values.length };
    }
  }
}

/** The plain-HTML page of the README with `count` controls. */
function page(count: number): string {
  const parts: string[] = [];
  for (let i = 0, made = 0; made < count; i++) {
    const next = control(KINDS[i % KINDS.length] as Kind, `addon_${i}`, count - made);
    parts.push(next.html);
    made += next.count;
  }
  return `<form data-checkout data-client-secret="cs_test_fake_1_secret_bench" data-endpoint="/update-checkout" data-return-url="https://shop.test/thanks">
    ${parts.join('\n')}
    <ul data-checkout-line-items></ul>
    Total: <strong data-checkout-amount="total"></strong>
    <div data-payment-element></div>
    <p data-checkout-error role="alert" hidden></p>
    <span data-checkout-loading hidden>Updating…</span>
    <button type="submit" data-checkout-pay>Pay</button>
  </form>`;
}

type ListenerMaps = Record<'bubbling' | 'capturing', Map<string, unknown[]>>;

/**
 * Every DOM listener on the window, the document and its elements, read from happy-dom's
 * own listener maps. (Wrapping EventTarget.prototype.addEventListener would miss some: a
 * happy-dom form binds the method to itself the first time it is read.)
 */
function countListeners(window: Window): number {
  const targets: object[] = [window, window.document, ...Array.from(window.document.querySelectorAll('*'))];
  let count = 0;
  for (const target of targets) {
    const maps = (target as Record<symbol, ListenerMaps | undefined>)[happyDomSymbols.listeners];
    for (const lists of [maps?.bubbling, maps?.capturing]) for (const list of lists?.values() ?? []) count += list.length;
  }
  return count;
}

/** happy-dom's CustomEvent for the library's `checkout:*` events: happy-dom refuses Node's own. */
function useWindowGlobals(window: Window): () => void {
  const before = globalThis.CustomEvent;
  globalThis.CustomEvent = window.CustomEvent as unknown as typeof CustomEvent;
  return () => void (globalThis.CustomEvent = before);
}

interface MountTimes {
  mount: number;
  ready: number;
  destroy: number;
}

/** One mount, ready, destroy; `keep` sees the checkout, to watch whether it is collected afterwards. */
async function mountOnce(root: HTMLElement, keep?: (checkout: Checkout) => void, whileReady?: () => void): Promise<MountTimes> {
  const fake = createFakeStripe({ betas: BETAS });
  const start = performance.now();
  const checkout = mount(root, { stripe: asStripe(fake) });
  const mounted = performance.now();
  await checkout.ready;
  const ready = performance.now();
  whileReady?.();
  checkout.destroy();
  keep?.(checkout);
  return { mount: mounted - start, ready: ready - start, destroy: performance.now() - ready };
}

function setPage(window: Window, count: number): HTMLElement {
  window.document.body.innerHTML = page(count); // a benchmark fixture: the page a merchant writes
  const root = window.document.querySelector('[data-checkout]');
  if (!root) throw new Error('bench: the page has no [data-checkout] root');
  return root as unknown as HTMLElement;
}

async function perSize(window: Window, progress: (line: string) => void): Promise<Table> {
  const rows = [];
  for (const { controls, repeats } of SIZES) {
    progress(`mount: ${controls} controls`);
    const root = setPage(window, controls);
    for (let i = 0; i < 10; i++) await mountOnce(root).then(nextTask);
    const runs: MountTimes[] = [];
    for (let i = 0; i < repeats; i++) {
      runs.push(await mountOnce(root));
      await nextTask();
    }
    const of = (f: (r: MountTimes) => number) => runs.map(f);
    rows.push([
      controls,
      fmt.ms(median(of((r) => r.mount)), 3),
      fmt.ms(p95(of((r) => r.mount)), 3),
      fmt.ms(median(of((r) => r.ready)), 3),
      fmt.ms(median(of((r) => r.destroy)), 3),
      repeats,
    ]);
  }
  return { head: ['controls', 'mount() (median)', 'mount() (p95)', 'mount() → ready (median)', 'destroy() (median)', 'runs'], rows };
}

/**
 * Drops happy-dom's query-selector caches. Each `querySelectorAll` adds an entry to the
 * document and to every element it examined, emptied only when that node itself changes:
 * memory a test DOM holds and a browser does not, which would read as the library's growth.
 */
function dropQueryCaches(window: Window): void {
  const clear = happyDomSymbols.clearCache;
  const document = window.document as unknown as Record<symbol, () => void> & Window['document'];
  for (const node of Array.from(document.querySelectorAll('*'))) (node as unknown as Record<symbol, () => void>)[clear]?.();
  document[clear]?.();
}

/** The heap after gc, and how much of it happy-dom's caches held. */
async function readHeap(window: Window): Promise<{ used: number; caches: number }> {
  const before = await heapUsed();
  dropQueryCaches(window);
  const used = await heapUsed();
  return { used, caches: before - used };
}

async function cycles(window: Window, progress: (line: string) => void) {
  progress(`mount: ${CYCLES.count} mount/destroy cycles on the ${CYCLES.page}-control page`);
  const root = setPage(window, CYCLES.page);
  const markup = root.outerHTML;
  for (let i = 0; i < CYCLES.warmup; i++) await mountOnce(root).then(nextTask);
  const listenersBefore = countListeners(window);
  // Proof that the count sees the library's listeners: it must rise while a checkout is mounted.
  let whileMounted = 0;
  await mountOnce(root, () => {}, () => (whileMounted = countListeners(window) - listenersBefore));
  // Every 10th destroyed checkout, held weakly: a leak that keeps a mount alive shows here
  // without doubt, whatever the heap's noise. (Not all: 1,000 WeakRefs would weigh on the heap reading.)
  const watched: Array<WeakRef<Checkout>> = [];
  const heap = [await readHeap(window)];
  const times: number[] = [];
  for (let i = 1; i <= CYCLES.count; i++) {
    const t = await mountOnce(root, i % CYCLES.trackEvery === 0 ? (checkout) => watched.push(new WeakRef(checkout)) : undefined);
    times.push(t.ready + t.destroy);
    // Back to the event loop between cycles, as a page is between two user actions.
    await nextTask();
    if (i === CYCLES.count / 2) heap.push(await readHeap(window));
  }
  heap.push(await readHeap(window));
  const [start, middle, end] = heap.map((h) => h.used) as [number, number, number];
  return {
    perCycle: median(times),
    // After readHeap's collection: a WeakRef whose target survived it is a checkout still reachable.
    retained: watched.filter((ref) => ref.deref() !== undefined).length,
    watched: watched.length,
    heap: [start, middle, end] as const,
    caches: heap[2]?.caches ?? 0,
    listeners: countListeners(window) - listenersBefore,
    whileMounted,
    restored: root.outerHTML === markup,
  };
}

export async function runMount({ progress }: { progress(line: string): void }): Promise<Section> {
  const window = new Window({ url: 'https://shop.test/checkout' });
  const restoreGlobals = useWindowGlobals(window);
  try {
    const sizes = await perSize(window, progress);
    const c = await cycles(window, progress);
    const growth = c.heap[2] - c.heap[0];
    const secondHalf = c.heap[2] - c.heap[1];
    return {
      title: 'mount()',
      about:
        'happy-dom pages with 10, 100 and 1,000 `[data-addon]` controls (checkboxes, number inputs, selects, radio groups, buttons, in turn) ' +
        'and the outputs of the README\'s page; a new fake Stripe for each mount. "mount()" is the synchronous call; "→ ready" adds the ' +
        `fake's start-up and the first render. Then ${CYCLES.count} cycles of mount, ready, destroy on the ${CYCLES.page}-control page, after ` +
        `${CYCLES.warmup} warm-up cycles; the heap is read after \`gc()\` (node --expose-gc), with happy-dom's query caches dropped first.`,
      tables: [
        sizes,
        {
          head: [`${CYCLES.count} cycles (${CYCLES.page} controls)`, ''],
          rows: [
            ['time per cycle, mount → ready → destroy (median)', fmt.ms(c.perCycle, 3)],
            ['heap after warm-up / 500 cycles / 1,000 cycles', c.heap.map(fmt.kb).join(' / ')],
            ['heap growth over 1,000 cycles', `${fmt.kb(growth)} (${(growth / CYCLES.count).toFixed(0)} B per cycle)`],
            ['heap growth over the last 500 cycles', `${fmt.kb(secondHalf)} (${(secondHalf / (CYCLES.count / 2)).toFixed(0)} B per cycle)`],
            ["happy-dom's query caches at the end (dropped before each reading)", fmt.kb(c.caches)],
            [`destroyed checkouts still reachable after gc (every ${CYCLES.trackEvery}th watched)`, `${c.retained} of ${c.watched}`],
            ['DOM listeners while mounted / left after the cycles', `${c.whileMounted} / ${c.listeners}`],
            ['page markup as before mount', c.restored ? 'yes' : 'no'],
          ],
        },
      ],
      targets: [
        { name: `${CYCLES.count} mount/destroy cycles leave no DOM listeners`, measured: `${c.listeners} left`, pass: c.listeners === 0 },
        {
          name:
            `${CYCLES.count} mount/destroy cycles: no heap growth beyond noise (no destroyed checkout still reachable, and ` +
            `< ${NOISE_BYTES_PER_CYCLE} B per cycle, after gc)`,
          measured: `${c.retained} of ${c.watched} reachable; ${(growth / CYCLES.count).toFixed(0)} B per cycle`,
          pass: c.retained === 0 && growth / CYCLES.count < NOISE_BYTES_PER_CYCLE,
        },
      ],
    };
  } finally {
    restoreGlobals();
    await window.happyDOM.close();
  }
}
