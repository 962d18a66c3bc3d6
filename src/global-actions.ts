// The script tag of the page controls for Stripe's own actions (promotion codes, shipping
// options, quantities, optional items): loaded after `checkout-updates.iife.js`, it adds them
// to every checkout that script mounts. A separate file, so pages without them do not carry them.
import { actionControls } from './dom/actions.js';
import type { PageFeature } from './dom/mount.js';

const global = (window as { CheckoutUpdates?: { features?: PageFeature[] } }).CheckoutUpdates;
// Loaded first, it would do nothing: say so.
if (!global?.features) throw new Error('checkout-updates.actions.iife.js: load checkout-updates.iife.js before it');
global.features.push(actionControls);
