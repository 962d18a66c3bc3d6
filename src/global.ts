// The script-tag entry: the same API as the ESM build, on `window.CheckoutUpdates`.
// Named exports only: an IIFE build would turn a default export into `CheckoutUpdates.default`.
export * from './index.js';
