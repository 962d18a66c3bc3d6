// A Toast checkout from a root's attributes: `data-session-url` (POST) answers the payment
// intent your server created, `{"paymentIntentId", "sessionSecret", "merchantId",
// "oauthToken", "amount", "currency"}`; `data-renew-expired` asks it again for a new intent
// when one expires. The page's Pay button confirms, then pays through Toast's SDK.
import { toast, type ToastAdapter, type ToastIntent } from '../adapters/toast.js';
import type { ToastSdk } from '../adapters/providers.js';
import { postForJson, required } from './own-page.js';

export function toastFromPage(root: HTMLElement, post = postForJson): ToastAdapter {
  const url = required(root, 'session-url', 'the URL that creates a Toast payment intent');
  const intent = (start = postForJson) => start(url) as Promise<unknown> as Promise<ToastIntent>;
  return toast({
    toast: (window as { Toast?: ToastSdk }).Toast as ToastSdk,
    // The first reply may carry the selection of a payment intent the shopper comes back to.
    paymentIntentId: intent(post),
    pay: true,
    ...(root.hasAttribute('data-renew-expired') && { onSessionExpired: () => intent() }),
  });
}
