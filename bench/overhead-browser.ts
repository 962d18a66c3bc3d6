// The overhead benchmark's page script. The page loads dist/checkout-updates.iife.js first, as
// a merchant's page would, and this script calls the library through window.CheckoutUpdates:
// the built, minified file that shoppers run. The fake Stripe and the time budget's calls come
// bundled from src/, since the script tag does not ship them. overhead.ts times each round
// from outside the page (see mainThreadTime in chromium.ts).
import type * as Library from '../src/index.js';
import { budgetOps, repeat, updateOps, type Ops, type Side } from './overhead-measure.js';

declare const CheckoutUpdates: typeof Library;

export type Subject = 'updates' | 'budget';
let ops: Ops | undefined;

const page = {
  async benchUse(subject: Subject): Promise<void> {
    ops = subject === 'updates' ? await updateOps(CheckoutUpdates.createCheckout, 0) : budgetOps();
  },
  benchRepeat(side: Side, count: number): Promise<void> {
    if (!ops) throw new Error('bench: benchUse() first');
    return repeat(ops[side], count);
  },
};
export type BenchPage = typeof page;

Object.assign(globalThis, page);
