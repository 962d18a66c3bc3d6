import type { CheckoutEvents, CheckoutEventType, CheckoutListener } from './types.js';

type AnyListener = (detail: unknown) => void;

/** The listeners of `subscribe`, kept beside the events' under a name no event has. */
const STORE = ' store';

/**
 * A typed emitter whose every event is also a bubbling `checkout:<type>` CustomEvent on
 * `root`, so a plain page can listen with `addEventListener` and an app with `on`.
 */
export function createEmitter<S>(getRoot: () => EventTarget | null | undefined) {
  // Each list is replaced, never changed in place: `emit` walks the list it started with,
  // so a listener that unsubscribes (or subscribes) does not skip its neighbours.
  let listeners: { [type: string]: readonly AnyListener[] | undefined } = {};

  function on<K extends CheckoutEventType>(type: K, fn: CheckoutListener<K, S>): () => void {
    listeners[type] = [...(listeners[type] ?? []), fn as unknown as AnyListener];
    return () => off(type, fn);
  }

  function off<K extends CheckoutEventType>(type: K, fn: CheckoutListener<K, S>): void {
    listeners[type] = listeners[type]?.filter((l) => l !== (fn as unknown as AnyListener));
  }

  function emit<K extends CheckoutEventType>(type: K, detail: CheckoutEvents<S>[K]): void {
    call(type, detail);
    dispatchDom(getRoot(), type, detail);
    call(STORE);
  }

  function call(type: string, detail?: unknown): void {
    for (const fn of listeners[type] ?? []) {
      try {
        fn(detail);
      } catch (error) {
        // A throwing listener must not break the queue or the other listeners; surface it the
        // way the browser surfaces an error in an event handler, without stopping the caller.
        if (typeof reportError === 'function') reportError(error);
        else console.error(error);
      }
    }
  }

  return {
    on,
    off,
    emit,
    /** `checkout.subscribe`: called after every event, and by `changed()` after what has none (a change queued). */
    subscribe: (fn: () => void) => on(STORE as CheckoutEventType, fn),
    changed: () => call(STORE),
    clear: () => void (listeners = {}),
  };
}

export type Emitter = ReturnType<typeof createEmitter>;

/** The DOM side of an event: a bubbling `checkout:<type>` CustomEvent on `root`. */
export function dispatchDom(root: EventTarget | null | undefined, type: string, detail: unknown): void {
  root?.dispatchEvent(new CustomEvent(`checkout:${type}`, { detail, bubbles: true }));
}
