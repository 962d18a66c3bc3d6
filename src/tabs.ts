// Two tabs on one session stay in step: each tab's `latest` request carries its whole
// selection, so without news of the other tab's changes, its next one would undo them. A file
// of its own, opt-in (the script tag: `checkout-updates.tabs.iife.js`), so a page that does
// not open twice carries none of it.
import { checkSelection } from './options.js';
import { diff, isEmpty, overlay } from './selection.js';
import type { Checkout, Selection } from './types.js';

/** The channel every checkout of this library in this browser shares; messages name their session. */
const CHANNEL = 'checkout-updates';

/**
 * Keeps `checkout` in step with the other checkouts of this browser on the same session (two
 * tabs of one checkout). After each successful update it posts `{sessionId, selection}` on the
 * BroadcastChannel `checkout-updates`; a message from another tab for this session becomes this
 * checkout's confirmed and desired selection, with no request to your server (the session is
 * re-read once, through `refresh(applied)`).
 *
 * - A change of this tab's that waits or is in flight still goes out, merged onto the other
 *   tab's selection, as an update of its own (which the other tab then hears).
 * - A provider with nothing to re-read (`adapter.refreshes === false`: Payrails) learns the
 *   other tab's selection as an update of its own, so its SDK gets the amount.
 * - A message for another session, or one that is not `{sessionId, selection}` with a valid
 *   selection, is ignored. Taking news sends nothing, so nothing is posted back.
 *
 * `taken` is called with what changed in `selection` each time news was taken (mount's
 * controls show it). Does nothing where the browser has no BroadcastChannel. Returns the
 * function that stops it.
 * @example const stop = shareTabs(checkout); // later: stop()
 */
// `any`: any adapter's checkout.
export function shareTabs(checkout: Checkout<any, any>, taken?: (changes: Selection) => void): () => void {
  if (typeof BroadcastChannel !== 'function') return () => {};
  const channel = new BroadcastChannel(CHANNEL);
  const off = checkout.on('update', ({ selection, session }) => {
    channel.postMessage({ sessionId: checkout.adapter.id(session), selection });
  });
  channel.onmessage = ({ data }: MessageEvent) => {
    const theirs = read(checkout, data);
    // What the other tab changed since this one last heard from your server.
    if (!theirs || isEmpty(diff(theirs, checkout.confirmed))) return;
    const before = checkout.selection;
    if (checkout.pending || checkout.adapter.refreshes === false) {
      // This tab's own changes (waiting or in flight) written over the other tab's selection;
      // `set` sends what that adds, after whatever is in flight.
      const mine = diff(before, checkout.confirmed);
      const changes = diff(overlay(theirs, [mine]), before);
      if (!isEmpty(changes)) void checkout.set(changes);
    } else void checkout.refresh(theirs);
    const changed = diff(checkout.selection, before);
    if (!isEmpty(changed)) taken?.(changed);
  };
  return () => {
    off();
    channel.close();
  };
}

/** The selection of a message for this checkout's session, or `null`: anything else is ignored, never thrown. */
function read(checkout: Checkout<any, any>, data: unknown): Selection | null {
  try {
    const { sessionId, selection } = data as { sessionId: unknown; selection: unknown };
    if (checkout.state !== 'ready' || sessionId !== checkout.adapter.id(checkout.session)) return null;
    return checkSelection('', selection);
  } catch {
    return null;
  }
}
