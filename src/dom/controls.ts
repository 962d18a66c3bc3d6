import { CheckoutUpdateError, fail } from '../errors.js';
import { FORBIDDEN } from '../options.js';
import { has, valueOf } from '../selection.js';
import type { Selection, SelectionValue } from '../types.js';
import type { Restorer } from './restore.js';

export type Control = HTMLInputElement | HTMLSelectElement | HTMLButtonElement;

const isInput = (el: Element, type?: string): el is HTMLInputElement =>
  // Stryker disable next-line ConditionalExpression: among [data-addon] controls only an <input> has type checkbox, radio, number or range, and every call names a type
  el.tagName === 'INPUT' && (type === undefined || (el as HTMLInputElement).type === type);
const isButton = (el: Element): el is HTMLButtonElement => el.tagName === 'BUTTON';
const isNumber = (el: Element): el is HTMLInputElement => isInput(el, 'number') || isInput(el, 'range');

/**
 * The `[data-addon]` controls: their value is the selection. One delegated listener per
 * event type, so controls added after `mount` work too. `undefined` means "no valid value".
 */
export function bindControls(root: HTMLElement, restore: Restorer, onChange: (name: string, value: SelectionValue) => void) {
  const all = () => root.querySelectorAll<Control>('[data-addon]');
  // Only elements [data-addon] matched are named: the attribute is there.
  const nameOf = (el: Element) => el.getAttribute('data-addon')!;

  for (const el of all()) {
    const name = nameOf(el);
    // Checked here so that a bad name fails at mount, naming the attribute, not on a click.
    if (!/^[\w.:-]{1,100}$/.test(name) || FORBIDDEN.includes(name)) {
      throw new CheckoutUpdateError('invalid_option', `data-addon: expected a name of letters, digits, _ . : or - (not __proto__, constructor or prototype), got "${name.slice(0, 60)}"`);
    }
    if (isButton(el)) restore.attr(el, 'aria-pressed', String(pressed(el)));
  }

  restore.listen(root, 'change', (event) => {
    const el = (event.target as Element).closest?.('[data-addon]') as Control | null;
    if (!el || isButton(el) || (isInput(el, 'radio') && !el.checked)) return;
    const value = read(el);
    restore.attr(el, 'aria-invalid', value === undefined ? 'true' : null);
    if (value !== undefined) onChange(nameOf(el), value);
  });
  restore.listen(root, 'click', (event) => {
    const el = (event.target as Element).closest?.('button[data-addon]') as HTMLButtonElement | null;
    if (!el || el.disabled) return;
    event.preventDefault(); // a button in a form would otherwise submit it
    const next = !pressed(el);
    restore.attr(el, 'aria-pressed', String(next));
    onChange(nameOf(el), next);
  });

  /** The selection as the page renders it (a server-rendered page may pre-select add-ons). */
  function readAll(): Selection {
    const out: Record<string, SelectionValue> = {};
    for (const el of all()) {
      if (isInput(el, 'radio')) {
        if (el.checked || !has(out, nameOf(el))) out[nameOf(el)] = el.checked ? el.value : null;
        continue;
      }
      const value = read(el);
      if (value !== undefined) out[nameOf(el)] = value;
    }
    return out;
  }

  /** Shows `values` (the confirmed ones, after a revert; the resumed ones) in their controls. */
  function write(values: Selection): void {
    for (const el of all()) {
      const name = nameOf(el);
      if (has(values, name)) show(el, valueOf(values, name), restore);
    }
  }

  return {
    read: readAll,
    write,
    /**
     * `selection` (your server's, for a session the shopper comes back to), if the controls can
     * show it: shown and read back, then put back as they were (they show it once the checkout is
     * ready). An add-on no control has, or a value its control cannot take, throws `invalid_option`.
     */
    check(selection: Selection | null | undefined): Selection {
      selection ??= {}; // a reply without one, or with `"selection": null`, names nothing
      const before = readAll();
      write(selection);
      const shown = readAll();
      write(before);
      for (const name in selection) if (shown[name] !== selection[name]) fail(`the value of "${name}"`, 'one its [data-addon] control can show', selection[name]);
      return selection;
    },
  };
}

function pressed(el: Element): boolean {
  return el.getAttribute('aria-pressed') === 'true';
}

function read(el: Control): SelectionValue | undefined {
  if (isButton(el)) return pressed(el);
  if (isInput(el, 'checkbox')) return el.checked;
  // A number, when the browser's own constraint validation accepts it (`min`, `max`, and
  // `step`, which is 1 unless the input says otherwise), else `undefined`: an entry the
  // browser marks invalid is not sent.
  if (isNumber(el)) return el.value !== '' && el.validity.valid ? el.valueAsNumber : undefined;
  return el.value;
}

export function show(el: Control, value: SelectionValue, restore: Restorer): void {
  if (isButton(el)) restore.attr(el, 'aria-pressed', String(value === true));
  else if (isInput(el, 'checkbox')) el.checked = value === true;
  else if (isInput(el, 'radio')) el.checked = value !== null && el.value === String(value);
  else el.value = value === null || value === false ? (isNumber(el) ? el.min : '') : String(value);
  // Stryker disable next-line ConditionalExpression: nothing sets aria-invalid on a toggle button (a click is always valid), so there is none to clear
  if (!isButton(el)) restore.attr(el, 'aria-invalid', null);
}
