// The shopper's language: the texts the page layer shows, from the root's `data-message-<key>`
// attributes and mount's `messages` option. A page feature of its own (the script tag:
// `checkout-updates.messages.iife.js`), so an English page does not carry it. English defaults
// only; no translations.
import type { CheckoutUpdateError } from '../errors.js';
import type { PageFeature } from './attributes.js';

/** One key per error code the page shows, and the texts of `[data-checkout-status]` and of a checkout that cannot start. */
const KEYS = ['network', 'timeout', 'http', 'session_expired', 'confirm_blocked', 'offline', 'server_update_failed', 'action_failed', 'updating', 'paying', 'paid', 'failed_to_start'] as const;

export type MessageKey = (typeof KEYS)[number];
/** The shopper's texts by key; `mount`'s `messages` option takes any of them. */
export type Messages = Record<MessageKey, string>;

/** What `[data-checkout-status]` says when the page gives no words of its own. */
const STATES = { updating: 'Updating…', paying: 'Paying…', paid: 'Paid.' };
/** The sentence mount shows for an error only the page's developer can fix (dom/mount.ts). */
const BROKEN = 'This checkout is not working. Please reload the page.';

/**
 * Whether an `http` error carries the library's own words, not your server's: the generic text
 * of a refused request (endpoint.ts) or of a 2xx reply that is not JSON (adapters/reply.ts).
 * Told by the text itself: a flag on the error would cost every page bytes, and these two
 * sentences are the library's, so matching them is exact.
 */
const generic = (error: CheckoutUpdateError) =>
  error.message === `The server could not apply this change (HTTP ${error.status}).` || error.message.startsWith("The server's reply must be JSON ");

/**
 * The root's `data-message-*` attributes (read by name: `dataset` would camelCase
 * `session_expired`), then `given`, which wins. An unknown key is refused (mount makes it
 * `invalid_option`) naming it: a typo would otherwise show English without a word.
 */
function readMessages(root: HTMLElement, given: Partial<Messages> = {}): Partial<Messages> {
  // Prototype-free: data-message-__proto__ is refused as any other unknown key.
  // Stryker disable next-line ObjectLiteral: keys are checked against KEYS before they are written, and read only by KEYS or error codes, none an Object.prototype name
  const texts: Record<string, string> = { __proto__: null as never };
  const take = (where: string, key: string, text: unknown) => {
    const known = (KEYS as readonly string[]).includes(key);
    // A plain Error: mount refuses with `invalid_option` and this message, and this file carries no error class.
    if (!known || typeof text !== 'string') throw new Error(`${where}${key}: expected ${known ? 'a string' : `one of ${KEYS.join(', ')}`}`);
    texts[key] = text;
  };
  for (const { name, value } of root.attributes) if (name.startsWith('data-message-')) take('data-message-', name.slice(13), value);
  for (const [key, text] of Object.entries(given)) take('`messages`.', key, text);
  return texts;
}

/**
 * The shopper's texts, for `mount`'s `features` (the script tag:
 * `checkout-updates.messages.iife.js`): each `data-message-<key>` attribute of the root, or
 * `messages` key given to `mount` (which wins), replaces the text the page shows.
 *
 * - An error code's key replaces that error's `message` before the page shows it: its `error`
 *   listener runs before mount's (features are wired first), and `confirm()` is wrapped for
 *   the refusals the Pay button shows without an event. So your own listeners read what the
 *   shopper reads; `code` is unchanged. For `http`, only the library's generic text is replaced:
 *   what your server wrote is shown as written. A payment Stripe refused keeps Stripe's words.
 * - `failed_to_start` replaces mount's sentence for an error only the developer can fix (the
 *   console still gets the error, in English), once mount has written it. A wrong attribute
 *   that refuses the mount itself is told in English: no feature runs then.
 * - `[data-checkout-status]` (given `role="status"` if it has no role) says `updating` while a
 *   change is pending, `paying`, then `paid`, following the root's `aria-busy` and
 *   `data-checkout-state`; nothing otherwise.
 */
export const shopperMessages: PageFeature = (root, checkout, restore, _paint, options) => {
  const texts = readMessages(root, options.messages);
  const reword = (value: object) => {
    const error = value as CheckoutUpdateError;
    // Told by name, as isCheckoutUpdateError falls back to: Stripe's refusal of a payment is a
    // plain object. An error that stopped the start-up is the developer's: the console keeps its words.
    if (error.name !== 'CheckoutUpdateError' || checkout.state === 'error') return;
    // An empty text would leave the shopper with nothing: the error's own then.
    const text = texts[error.code as MessageKey];
    if (text && (error.code !== 'http' || generic(error))) error.message = text;
  };
  restore.later(checkout.on('error', ({ error }) => reword(error)));
  const { confirm } = checkout;
  checkout.confirm = async (...args) => {
    const result = await confirm(...args);
    if (result.type === 'error') reword(result.error);
    return result;
  };
  restore.later(() => void (checkout.confirm = confirm));

  // `checkout:error` reaches the root after every `on` listener, mount's included.
  restore.listen(root, 'checkout:error', () => {
    for (const el of root.querySelectorAll('[data-checkout-error]')) if (texts.failed_to_start && el.textContent === BROKEN) restore.text(el, texts.failed_to_start);
  });

  const statuses = root.querySelectorAll('[data-checkout-status]');
  for (const el of statuses) if (!el.hasAttribute('role')) restore.attr(el, 'role', 'status');
  const say = () => {
    const state = root.getAttribute('data-checkout-state');
    const said = { ...STATES, ...texts };
    const text = state === 'paying' ? said.paying : state === 'complete' ? said.paid : checkout.pending ? said.updating : '';
    // The same text is not written again: a live region would say it again.
    for (const el of statuses) if (el.textContent !== text) restore.text(el, text);
  };
  // What mount shows, once it has shown it (in a microtask): nothing while the checkout starts.
  const observer = new MutationObserver(say);
  // Stryker disable next-line StringLiteral: feedback.refresh() sets both attributes together, and each set is a mutation record even when unchanged: either name alone wakes say()
  observer.observe(root, { attributeFilter: ['aria-busy', 'data-checkout-state'] });
  say();
  // Stryker disable next-line ArrowFunction: once destroy() has restored, restore.text writes nothing, so a say() the observer still calls changes nothing
  restore.later(() => observer.disconnect());
  return () => {};
};
