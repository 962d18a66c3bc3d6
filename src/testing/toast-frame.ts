import { WIDGET_CSS, adoptStyles, escapeHtml } from './stand-in-dom.js';

// The stand-in for Toast's hosted checkout iframe: an <iframe srcdoc> (no network of its own)
// that shows the amount and tip the payment-intent API holds, a card number field, and how the
// payment went. Toast's real iframe is cross-origin; this one is same-origin on purpose, so
// tests (happy-dom runs srcdoc synchronously; Chromium loads it like a page) can read it.
// Once its document is there, later renders change its text in place: the card number the
// customer typed stays, and nothing flickers. Before that, a render rewrites the srcdoc.

/** What the iframe shows. */
export interface FrameFace {
  /** `Amount: $23.00` */
  amount: string;
  /** `Tip: $3.00` */
  tip: string;
  status?: { ok: boolean; text: string } | undefined;
}

export interface FrameView {
  readonly iframe: HTMLIFrameElement;
  /** What it shows now (or will, once loaded). */
  readonly face: FrameFace;
  draw(face: FrameFace): void;
  /** The card number in the field, or `undefined` before the iframe's document is there. */
  cardNumber(): string | undefined;
  remove(): void;
}

const FRAME_CSS = `${WIDGET_CSS}
  body { margin: 0; }
  .box { min-height: 100vh; }
`;

function markup(face: FrameFace): string {
  const status = face.status;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Toast checkout (test mode)</title></head><body>
<main class="box" data-toast-stand-in>
  <p class="brand">Toast checkout <span class="test">test mode</span></p>
  <p class="amount" data-toast-amount>${escapeHtml(face.amount)}</p>
  <p class="detail" data-toast-tip>${escapeHtml(face.tip)}</p>
  <label class="field">Card number
    <input name="cardnumber" autocomplete="cc-number" inputmode="numeric" value="4111 1111 1111 1111" data-toast-card>
  </label>
  <p class="${statusClass(face)}" role="status" data-toast-status>${escapeHtml(status?.text ?? '')}</p>
</main></body></html>`;
}

const statusClass = (face: FrameFace) => `status${face.status ? (face.status.ok ? ' ok' : ' error') : ''}`;

/** Puts the iframe at the end of `host`; `onFirstLoad` runs once its document has loaded. */
export function mountFrame(host: HTMLElement, face: FrameFace, onFirstLoad: () => void): FrameView {
  const iframe = host.ownerDocument.createElement('iframe');
  iframe.title = 'Toast checkout (test mode)';
  iframe.setAttribute('data-toast-checkout-frame', '');
  // CSSOM properties, which a strict style-src allows (a style="" attribute it would refuse).
  for (const [name, value] of Object.entries({ display: 'block', width: '100%', height: '15.5rem', border: '0', 'color-scheme': 'light dark' })) {
    iframe.style.setProperty(name, value);
  }
  let current = face;
  let loaded = false;
  // Tall enough for what it shows: on a narrow screen the amount wraps and the box grows.
  const fit = (doc: Document) => iframe.style.setProperty('height', `${doc.documentElement.scrollHeight}px`);
  const rendered = (): Document | undefined => {
    const doc = iframe.contentDocument;
    return doc?.querySelector('[data-toast-stand-in]') ? doc : undefined;
  };
  iframe.addEventListener('load', () => {
    const doc = rendered();
    if (!doc) return;
    adoptStyles(doc, FRAME_CSS);
    fill(doc, current);
    fit(doc);
    if (!loaded) {
      loaded = true;
      onFirstLoad();
    }
  });
  iframe.srcdoc = markup(face);
  host.append(iframe);
  return {
    iframe,
    get face() {
      return current;
    },
    draw(next) {
      current = next;
      const doc = rendered();
      if (doc) (fill(doc, next), fit(doc));
      else iframe.srcdoc = markup(next);
    },
    cardNumber: () => rendered()?.querySelector<HTMLInputElement>('[data-toast-card]')?.value,
    remove: () => iframe.remove(),
  };
}

function fill(doc: Document, face: FrameFace): void {
  const part = (name: string) => doc.querySelector(`[data-toast-${name}]`) as HTMLElement;
  part('amount').textContent = face.amount;
  part('tip').textContent = face.tip;
  const status = part('status');
  status.textContent = face.status?.text ?? '';
  status.className = statusClass(face);
}
