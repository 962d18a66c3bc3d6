/**
 * Remembers what `mount` changed on the page, so `destroy()` can put it back: attributes
 * as they were (or absent), text as it was, nodes it added removed, listeners removed.
 * Once restored it changes nothing more: a payment that settles after `destroy()` (3-D
 * Secure, an SPA leaving the page) must not write into a page that is no longer ours.
 */
export function createRestorer() {
  const undo: Array<() => void> = [];
  const attributes = new Map<Element, Set<string>>();
  const texts = new Set<Element>();
  let restored = false;

  return {
    /** Sets (or with `null`, removes) an attribute, remembering its first value. */
    attr(el: Element, name: string, value: string | null): void {
      if (restored) return;
      const seen = attributes.get(el) ?? attributes.set(el, new Set()).get(el)!;
      // Stryker disable next-line ConditionalExpression: undo runs last change first, so the first value recorded is the one left either way
      if (!seen.has(name)) {
        seen.add(name);
        const before = el.getAttribute(name);
        undo.push(() => (before === null ? el.removeAttribute(name) : el.setAttribute(name, before)));
      }
      if (value === null) el.removeAttribute(name);
      else el.setAttribute(name, value);
    },
    /** Sets text content, remembering the first. */
    text(el: Element, value: string): void {
      if (restored) return;
      // Stryker disable next-line ConditionalExpression: undo runs last change first, so the first text recorded is the one left either way
      if (!texts.has(el)) {
        texts.add(el);
        const before = el.textContent!; // null only on a document or a doctype, never on an element
        undo.push(() => void (el.textContent = before));
      }
      el.textContent = value;
    },
    listen(target: EventTarget, type: string, fn: (event: Event) => void): void {
      target.addEventListener(type, fn);
      undo.push(() => target.removeEventListener(type, fn));
    },
    /** Anything else to undo, such as unmounting the Payment Element. */
    later(fn: () => void): void {
      undo.push(fn);
    },
    restore(): void {
      restored = true;
      // Last change first, so an attribute set twice ends at its very first value.
      // Stryker disable next-line MethodExpression: one undo per attribute and per text (the seen/texts guards), so no two undos touch the same thing and their order leaves the same page
      for (const fn of undo.splice(0).reverse()) fn();
      attributes.clear();
      texts.clear();
    },
  };
}

export type Restorer = ReturnType<typeof createRestorer>;
