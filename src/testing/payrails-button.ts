import type { PayrailsAmount } from '../adapters/providers.js';
import { WIDGET_CSS, adoptStyles } from './stand-in-dom.js';

// The card payment button's face: a bordered box with the amount the next payment sends, a card
// number field and the button, in an open shadow root (the page's CSS stays out, tests and
// browsers' accessibility tree still reach in). Its state lives in the fake; this only draws it.

/** What the box shows. */
export interface ButtonFace {
  label: string;
  amount: PayrailsAmount;
  phase: 'ready' | 'paying' | 'paid' | 'refused';
  /** With `refused`: the status and the backend's words. */
  refusal?: { status: number; message: string };
}

export interface ButtonView {
  draw(face: ButtonFace): void;
  remove(): void;
}

/** `52.89 EUR`: the strings the SDK sends, as they are (no rounding by a formatter). */
export const shownAmount = (amount: PayrailsAmount): string => `${amount.value} ${amount.currency}`;

const MARKUP = `
  <div class="box" data-payrails-stand-in>
    <p class="brand">Payrails card payment <span class="test">test mode</span></p>
    <p class="amount" data-payrails-amount></p>
    <label class="field">Card number
      <input name="cardnumber" autocomplete="cc-number" inputmode="numeric" value="4111 1111 1111 1111">
    </label>
    <button type="button" data-payrails-pay></button>
    <p class="status" role="status" data-payrails-status></p>
  </div>`;

/** Puts a button's box into `target` (at its end); `onClick` hears the customer's clicks. */
export function mountButton(target: HTMLElement, face: ButtonFace, onClick: () => void): ButtonView {
  const host = target.ownerDocument.createElement('div');
  host.setAttribute('data-payrails-card-payment-button', '');
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, WIDGET_CSS);
  root.innerHTML = MARKUP;
  const part = (name: string) => root.querySelector(`[data-payrails-${name}]`) as HTMLElement;
  part('pay').addEventListener('click', onClick);
  const view: ButtonView = {
    draw(next) {
      part('amount').textContent = shownAmount(next.amount);
      const button = part('pay') as HTMLButtonElement;
      button.textContent = next.phase === 'paying' ? 'Paying…' : next.phase === 'paid' ? 'Paid' : next.label;
      button.disabled = next.phase === 'paying' || next.phase === 'paid';
      const status = part('status');
      status.textContent = statusText(next);
      status.className = `status${next.phase === 'paid' ? ' ok' : next.phase === 'refused' ? ' error' : ''}`;
    },
    remove: () => host.remove(),
  };
  view.draw(face);
  target.append(host);
  return view;
}

function statusText(face: ButtonFace): string {
  if (face.phase === 'paid') return `Payment authorized: ${shownAmount(face.amount)}.`;
  if (face.phase === 'refused' && face.refusal) return `Payment refused (${face.refusal.status}): ${face.refusal.message}`;
  return '';
}
