import { integrationError } from './control.js';

/** The Elements a Checkout Elements SDK can create. */
export type FakeElementKind =
  | 'payment'
  | 'billingAddress'
  | 'shippingAddress'
  | 'expressCheckout'
  | 'currencySelector'
  | 'taxId'
  | 'contactDetails'
  | 'terms'
  | 'linkSignup';

type Handler = (event: unknown) => unknown;

/** What the fake Elements do: mount a labelled placeholder `<div>` and emit `ready` after mounting. */
export interface FakeElement {
  mount(target: string | HTMLElement): void;
  unmount(): void;
  destroy(): void;
  blur(): void;
  clear(): void;
  focus(): void;
  collapse(): FakeElement;
  update(options?: unknown): FakeElement;
  on(type: string, handler: Handler): FakeElement;
  once(type: string, handler: Handler): FakeElement;
  off(type: string, handler?: Handler): FakeElement;
}

/** One SDK instance's (or Elements group's) Elements. */
export interface FakeElements {
  /** At most one of each kind, as Stripe.js allows. */
  create(kind: FakeElementKind): FakeElement;
  get(kind: FakeElementKind): FakeElement | null;
  /** Whether the one of this kind is mounted now: Stripe.js's `confirmPayment` needs a mounted Payment Element. */
  isMounted(kind: FakeElementKind): boolean;
}

export function createElements(): FakeElements {
  const live = new Map<FakeElementKind, FakeElement>();
  const mounted = new Set<FakeElementKind>();
  return {
    create(kind) {
      if (live.has(kind)) throw integrationError(`Can only create one ${kind} Element. Call destroy() on the existing one first.`);
      const element = createElement(kind, {
        mounted: (on) => void (on ? mounted.add(kind) : mounted.delete(kind)),
        destroyed: () => live.delete(kind),
      });
      live.set(kind, element);
      return element;
    },
    get: (kind) => live.get(kind) ?? null,
    isMounted: (kind) => mounted.has(kind),
  };
}

interface Hooks {
  mounted(on: boolean): void;
  destroyed(): void;
}

function createElement(kind: FakeElementKind, hooks: Hooks): FakeElement {
  const words = kind.replace(/[A-Z]/g, (letter) => ` ${letter}`).split(' ');
  const attribute = `data-fake-${words.join('-').toLowerCase()}-element`;
  const label = `${words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join(' ')} Element (test mode)`;
  const events = listeners();
  let node: HTMLElement | undefined;
  let destroyed = false;

  const element: FakeElement = {
    mount(target) {
      if (destroyed) throw integrationError('This Element has been destroyed; create a new one.');
      if (node) throw integrationError('This Element is already mounted; call unmount() before mounting it again.');
      const host = typeof target === 'string' ? findHost(target) : target;
      const mounted = host.ownerDocument.createElement('div');
      mounted.setAttribute(attribute, '');
      mounted.textContent = label;
      host.appendChild(mounted);
      node = mounted;
      hooks.mounted(true);
      // Stripe.js emits `ready` once the Element's iframe has loaded, never during mount().
      void Promise.resolve().then(() => {
        if (node === mounted) events.emit('ready', { elementType: kind });
      });
    },
    unmount() {
      if (!node) return;
      node.remove();
      node = undefined;
      hooks.mounted(false);
    },
    destroy() {
      element.unmount();
      destroyed = true;
      events.clear();
      hooks.destroyed();
    },
    blur() {},
    clear() {},
    focus() {},
    collapse: () => element,
    update: () => element,
    on: (type, handler) => (events.add(type, handler, false), element),
    once: (type, handler) => (events.add(type, handler, true), element),
    off: (type, handler) => (events.remove(type, handler), element),
  };
  return element;
}

function listeners() {
  const list: Array<{ type: string; handler: Handler; once: boolean }> = [];
  const drop = (entry: (typeof list)[number]) => list.splice(list.indexOf(entry), 1);
  return {
    add: (type: string, handler: Handler, once: boolean) => void list.push({ type, handler, once }),
    remove(type: string, handler?: Handler) {
      list.filter((entry) => entry.type === type && (!handler || entry.handler === handler)).forEach(drop);
    },
    emit(type: string, event: unknown) {
      for (const entry of list.filter((candidate) => candidate.type === type)) {
        if (entry.once) drop(entry);
        entry.handler(event);
      }
    },
    clear: () => void list.splice(0),
  };
}

function findHost(selector: string): HTMLElement {
  const host = typeof document === 'undefined' ? null : document.querySelector<HTMLElement>(selector);
  if (!host) throw integrationError(`The selector you specified (${selector}) applies to no DOM elements that are currently on the page.`);
  return host;
}
