import { stripeCheckoutSessions } from '../adapters/checkout-sessions.js';
import { checkoutWith, type AdapterFactory } from '../checkout.js';
import { fail, toCheckoutError, type CheckoutUpdateError } from '../errors.js';
import { isLater } from '../options.js';
import { dispatchDom } from '../events.js';
import type { Checkout, CheckoutSummary } from '../types.js';
import { readPageOptions, type MountOptions, type PageFeature, type SessionReply } from './attributes.js';
import { bindControls } from './controls.js';
import { createFeedback } from './feedback.js';
import { checkOutputs, createOutputs } from './outputs.js';
import { createRestorer } from './restore.js';

export type { MountOptions, PageFeature };

/**
 * The words for the shopper. An error only the page's developer can fix (a wrong attribute,
 * a failed start-up, the missing beta flag) gets one short sentence; the console gets it whole.
 */
function forShopper(error: CheckoutUpdateError, broken: boolean): string {
  if (!broken) return error.message;
  console.error(error);
  return 'This checkout is not working. Please reload the page.';
}

/**
 * Turns a `[data-checkout]` element into a working checkout: its `data-*` attributes are
 * the options, its `[data-addon]` controls the selection, and its outputs show the session.
 * Returns the `Checkout`; its `destroy()` leaves the page as it was before.
 * Throws `invalid_option` (also dispatched as `checkout:error` on `root`) naming the attribute.
 */
export function mount(root: HTMLElement, options: MountOptions = {}): Checkout {
  return mountWith({ 'checkout-sessions': stripeCheckoutSessions }, root, options);
}

/**
 * `mount` with the adapters a build carries (a script tag carries its own system's only).
 * `started`: the reply of the page's own start request (Payrails, Toast), which may carry the
 * session's `selection`, as `data-client-secret-url`'s may.
 */
// `any`: each adapter has its own session type.
export function mountWith(factories: Record<string, AdapterFactory>, root: HTMLElement, options: MountOptions = {}, started?: () => Promise<SessionReply> | undefined): Checkout<any, any> {
  if (!root || typeof root.getAttribute !== 'function') fail('the root given to `mount`', 'an element', root);
  const restore = createRestorer();
  try {
    return wire(root, options, factories, restore, started);
  } catch (e) {
    restore.restore();
    const error = toCheckoutError('invalid_option', e);
    dispatchDom(root, 'error', { error, reverted: {} });
    // Nothing is mounted, so nothing will restore this: the page says it is broken for good.
    const text = forShopper(error, true);
    for (const el of root.querySelectorAll<HTMLElement>('[data-checkout-error]')) {
      el.textContent = text;
      el.hidden = false;
    }
    throw error;
  }
}

function wire(root: HTMLElement, options: MountOptions, factories: Record<string, AdapterFactory>, restore: ReturnType<typeof createRestorer>, started?: () => Promise<SessionReply> | undefined): Checkout<any, any> {
  const page = readPageOptions(root, options, factories);
  checkOutputs(root);
  // Controls only call back on the customer's input, after `current` exists.
  const controls = bindControls(root, restore, (name, value) => void current.set(name, value));
  const shown = controls.read();
  const given = options.initial;
  // A promised selection (a session the shopper comes back to) replaces what the controls show;
  // so does the one the page's start reply carries, if the controls can show it (shown once ready).
  const initial = isLater(given) ? given : (page.reply ?? started?.())?.then((reply) => ({ ...shown, ...given, ...controls.check(reply.selection) }));
  const current = checkoutWith(page.factory, { ...page.checkout, initial: initial ?? { ...shown, ...given } }, shown);
  const feedback = createFeedback(root, current, restore);
  const render = createOutputs(root, restore);
  const shows = (options.features ?? []).map((feature) => feature(root, current, restore, () => paint(current.summary), options));
  const paint = (summary: CheckoutSummary | null) => {
    render(summary);
    for (const show of shows) show(summary);
  };
  let payment: { destroy(): void } | null | undefined;

  current.on('loading', ({ loading }) => feedback.busy(loading));
  current.on('change', ({ summary }) => (paint(summary), feedback.refresh()));
  current.on('update', () => feedback.error(null));
  current.on('expired', feedback.refresh);
  current.on('error', ({ error, reverted }) => {
    // Only a selection refused as the checkout starts comes before `ready`: the developer's to
    // mend, while the page works on from its controls.
    if (current.state === 'loading') return console.error(error);
    const broken = current.state === 'error' || error.code === 'beta_required';
    // Only your server's refusal of one add-on is about that add-on: shown next to it.
    const names = Object.keys(reverted);
    // After paying, a change that waited for the payment is refused: the paid state says enough.
    // Stryker disable next-line ArrayDeclaration: add-on names have no spaces, so no [data-checkout-error-for] of an add-on matches the mutant's name
    if (current.state !== 'complete') feedback.error(forShopper(error, broken), error.code === 'http' && names.length === 1 ? names : []);
    controls.write(reverted);
  });
  current.on('ready', () => {
    // A renewed session is a new SDK instance: its Payment Element replaces the old one.
    payment?.destroy();
    // What the session reflects, and what the shopper chose while it loaded.
    controls.write(current.selection);
    const target = root.querySelector<HTMLElement>('[data-payment-element]');
    // A provider whose own button pays (Payrails) asks `pay` first, as the Pay button does.
    payment = target && current.adapter.mountPaymentElement?.(target, pay);
  });
  restore.later(() => payment?.destroy());

  // A double submit confirms once: confirm() gives a second call the first call's promise.
  async function pay(event?: Event) {
    event?.preventDefault();
    feedback.confirming(true);
    feedback.error(null);
    // The adapter knows where to return (data-return-url).
    const result = await current.confirm();
    feedback.confirming(false);
    if (result.type === 'error') feedback.error(result.error.message);
    return result;
  }
  restore.listen(root, 'submit', (event) => void pay(event));
  restore.listen(root, 'click', (event) => {
    const button = (event.target as Element).closest?.('[data-checkout-pay]') as HTMLButtonElement | null;
    // A submit button of a form is handled by the form's submit event.
    if (button && !(button.type === 'submit' && button.form)) void pay(event);
  });

  feedback.busy(true);
  feedback.error(null);
  const destroyCheckout = current.destroy;
  current.destroy = () => {
    destroyCheckout();
    restore.restore();
  };
  return current;
}
