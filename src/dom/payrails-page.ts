// A Payrails checkout from a root's attributes: `data-session-url` (POST) answers
// `{"init": <the payload for Payrails.init>, "amount": {"value", "currency"}}`; the page's
// Payrails web SDK (`window.Payrails`) starts the session, and its card button pays.
import { payrails, type PayrailsAdapter, type PayrailsAmount, type PayrailsClient } from '../adapters/payrails.js';
import type { PayrailsButtonEvents } from '../adapters/providers.js';
import { postForJson, required } from './own-page.js';

interface PayrailsSdk {
  init(payload: unknown, options?: { events?: PayrailsButtonEvents & { onSessionRecovered?: () => void } }): PayrailsClient;
}

export function payrailsFromPage(root: HTMLElement, post = postForJson): PayrailsAdapter {
  const url = required(root, 'session-url', 'the URL that starts a Payrails session');
  const started = post(url).then((reply) => {
    const sdk = (window as { Payrails?: PayrailsSdk }).Payrails;
    if (typeof sdk?.init !== 'function') throw new Error("Payrails' web SDK (window.Payrails) is not on the page: load it before this script");
    // A recovered session forgets what update() set: the adapter sets it again.
    const client = sdk.init(reply['init'], { events: { onSessionRecovered: () => adapter.sessionRecovered() } });
    return { client, amount: reply['amount'] as PayrailsAmount | undefined };
  });
  const adapter = payrails({ client: started.then((s) => s.client), amount: started.then((s) => s.amount) });
  return adapter;
}
