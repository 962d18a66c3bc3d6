// The script tag of the shopper's language (`data-message-<key>` attributes, and
// `[data-checkout-status]`): loaded after any of the library's script tags, it adds itself to
// every checkout that script mounts. A separate file, so an English page does not carry it.
import { shopperMessages } from './dom/messages.js';
import type { PageFeature } from './dom/mount.js';

const global = (window as { CheckoutUpdates?: { features?: PageFeature[] } }).CheckoutUpdates;
// Loaded first, it would do nothing: say so.
if (!global?.features) throw new Error("checkout-updates.messages.iife.js: load the library's script tag before it");
global.features.push(shopperMessages);
