// Two tabs on one session, on the page: `shareTabs` for a mounted checkout, and its controls
// showing what another tab chose. A page feature of its own (the script tag:
// `checkout-updates.tabs.iife.js`).
import { has, valueOf } from '../selection.js';
import { shareTabs } from '../tabs.js';
import type { PageFeature } from './attributes.js';
import { show, type Control } from './controls.js';

/**
 * Two tabs of one checkout in step, for `mount`'s `features` (the script tag:
 * `checkout-updates.tabs.iife.js`): what another tab of this browser applied to the same
 * session becomes this checkout's selection (see `shareTabs`), and the `[data-addon]` controls
 * of the add-ons it changed show it. `destroy()` closes the channel.
 */
export const sharedTabs: PageFeature = (root, checkout, restore) => {
  restore.later(shareTabs(checkout, (changes) => {
    const now = checkout.selection;
    for (const el of root.querySelectorAll<Control>('[data-addon]')) {
      const name = el.getAttribute('data-addon')!;
      if (has(changes, name)) show(el, valueOf(now, name), restore);
    }
  }));
  return () => {};
};
