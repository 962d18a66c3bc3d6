import { CheckoutUpdateError } from '../errors.js';
import type { CheckoutSummary, SummaryLineItem } from '../types.js';
import type { Restorer } from './restore.js';

type LineItem = SummaryLineItem;

/** The `data-checkout-amount` names: the amounts of a `CheckoutSummary`. */
const AMOUNTS = ['total', 'subtotal', 'taxExclusive', 'taxInclusive', 'shippingRate', 'discount', 'appliedBalance'] as const;
type AmountName = (typeof AMOUNTS)[number];

/** The fields a line item `<template>` can fill with `data-line-item="..."`. */
// Prototype-free, so data-line-item="constructor" fills nothing, as any unknown name does.
const FIELDS: Record<string, (item: LineItem) => string | null | undefined> = {
  __proto__: null as never,
  name: (item) => item.name,
  quantity: (item) => String(item.quantity),
  total: (item) => item.total.amount,
  subtotal: (item) => item.subtotal?.amount,
  unitAmount: (item) => item.unitAmount?.amount,
  description: (item) => item.description,
};

/** Throws `invalid_option` for an output the page asks for that does not exist. */
export function checkOutputs(root: HTMLElement): void {
  for (const el of root.querySelectorAll('[data-checkout-amount]')) {
    const name = el.getAttribute('data-checkout-amount')!; // the selector matched it
    if (!(AMOUNTS as readonly string[]).includes(name)) {
      throw new CheckoutUpdateError('invalid_option', `data-checkout-amount: expected one of ${AMOUNTS.join(', ')}, got "${name}"`);
    }
  }
}

/** Rows of a list from its `<template>` (or `fallback` rows), replacing the last ones; `destroy()` removes them. */
export function createRows(restore: Restorer) {
  const rendered = new Map<Element, ChildNode[]>();
  restore.later(() => {
    for (const nodes of rendered.values()) for (const node of nodes) node.remove();
    rendered.clear();
  });
  return function rows<T>(list: Element, items: readonly T[], fill: (copy: DocumentFragment, item: T) => void, fallback?: (item: T) => string): void {
    for (const node of rendered.get(list) ?? []) node.remove();
    const template = list.querySelector<HTMLTemplateElement>(':scope > template');
    const nodes: ChildNode[] = [];
    for (const item of items) {
      if (template) {
        const copy = template.content.cloneNode(true) as DocumentFragment;
        fill(copy, item);
        nodes.push(...copy.childNodes);
      } else {
        const row = list.ownerDocument.createElement(list.tagName === 'UL' || list.tagName === 'OL' ? 'li' : 'div');
        row.textContent = fallback!(item);
        nodes.push(row);
      }
    }
    list.append(...nodes);
    rendered.set(list, nodes);
  };
}

// An input field (the quantity) gets its value from the page controls of Stripe's actions.
function fillItem(copy: DocumentFragment, item: LineItem): void {
  for (const field of copy.querySelectorAll('[data-line-item]')) {
    field.textContent = FIELDS[field.getAttribute('data-line-item')!]?.(item) ?? '';
  }
}

/**
 * Writes amounts and line items from the summary. Text only (`textContent`): a product
 * name is data, never markup.
 */
export function createOutputs(root: HTMLElement, restore: Restorer) {
  const rows = createRows(restore);

  /** `null` (no amount known yet) leaves the page's own text. */
  return function render(summary: CheckoutSummary | null): void {
    if (!summary) return;
    for (const el of root.querySelectorAll('[data-checkout-amount]')) {
      restore.text(el, summary[el.getAttribute('data-checkout-amount') as AmountName]?.amount ?? '');
    }
    for (const list of root.querySelectorAll('[data-checkout-line-items]')) {
      rows(list, summary.lineItems, fillItem, (item) => `${item.name}${item.quantity > 1 ? ` × ${item.quantity}` : ''}: ${item.total.amount}`);
    }
  };
}
