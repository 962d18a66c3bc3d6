// The page layer of a script tag whose payment system reads attributes of its own (Payrails,
// Toast): its adapter is built from the root inside `mount`'s error handling, so a wrong
// attribute is refused and shown on the page as any other, and the Stripe attributes are not read.
import { CheckoutUpdateError } from '../errors.js';
import type { CheckoutAdapter } from '../types.js';
import { mountWith, type MountOptions } from './mount.js';

/**
 * `mount` for roots of `data-adapter="<system>"`, whose adapter `build` makes from the root's
 * attributes. `build` starts the session with the `post` it is given: that first reply may carry
 * the session's `selection`, which the page layer takes as `initial`, as for Stripe's pages.
 */
// `any`: each system has its own session type.
export function mountOwn(system: string, build: (root: HTMLElement, post: typeof postForJson) => CheckoutAdapter<any, any>, root: HTMLElement, options: MountOptions = {}) {
  let adapter: CheckoutAdapter<any, any> | undefined;
  let first: Promise<Record<string, unknown>> | undefined;
  const post = (url: string) => (first ??= postForJson(url));
  return mountWith(
    {},
    root,
    {
      ...options,
      // Read first inside mountWith, where a throw is reported on the page; built once.
      get adapter() {
        return (adapter ??= options.adapter ?? build(checkedRoot(root, system), post));
      },
    },
    () => first,
  );
}

function checkedRoot(root: HTMLElement, system: string): HTMLElement {
  const named = root.getAttribute('data-adapter')?.trim() || 'checkout-sessions';
  if (named !== system) throw new CheckoutUpdateError('invalid_option', `data-adapter: "${named}" is not in this script (it runs "${system}")`);
  return root;
}

/** `data-<name>`, required: `invalid_option` naming it when missing. */
export function required(root: HTMLElement, name: string, what: string): string {
  const value = root.getAttribute(`data-${name}`)?.trim();
  if (!value) throw new CheckoutUpdateError('invalid_option', `data-${name}: missing; give ${what}`);
  return value;
}

/**
 * POSTs to one of your server's URLs and resolves its JSON object; rejects saying what went
 * wrong. `fetchClientSecret` (attributes.ts) does the same for Stripe's pages; sharing this
 * one with it costs the Checkout Sessions script tag bytes, which a new system may not add.
 */
export async function postForJson(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  const data = (await response.json()) as unknown;
  if (!data || typeof data !== 'object') throw new Error(`${url} answered no JSON object`);
  return data as Record<string, unknown>;
}
