// The script tag of two tabs on one session (`shareTabs`, with the controls showing what
// another tab chose): loaded after any of the library's script tags, it adds itself to every
// checkout that script mounts. A separate file, so a page that does not want it does not carry it.
import { sharedTabs } from './dom/tabs.js';
import type { PageFeature } from './dom/mount.js';

const global = (window as { CheckoutUpdates?: { features?: PageFeature[] } }).CheckoutUpdates;
// Loaded first, it would do nothing: say so.
if (!global?.features) throw new Error("checkout-updates.tabs.iife.js: load the library's script tag before it");
global.features.push(sharedTabs);
