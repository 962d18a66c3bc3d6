import type { StripeCheckoutLineItem, StripeCheckoutSession, StripeCheckoutStatus } from '@stripe/stripe-js';
import type { Selection, SelectionValue } from '../types.js';
import { valueOf } from '../selection.js';
import { divisorOf, money } from './money.js';
import type { FakeCatalogEntry, NormalizedOptions } from './options.js';

/** One line item as the merchant's server priced it. */
export interface ItemModel {
  id: string;
  priceId: string;
  name: string;
  unitAmount: number;
  quantity: number;
}

/** Everything a session object is built from: equal models give equal sessions. */
export interface SessionModel {
  id: string;
  currency: string;
  items: readonly ItemModel[];
  status: StripeCheckoutStatus;
  canConfirm: boolean;
}

/** The reads that count as showing the total (see `confirm` in actions.ts). */
export type AmountRead = 'amount' | 'minorUnitsAmount' | 'currency' | 'minorUnitsAmountDivisor';

/** The line items the merchant's server puts on the session for a selection: base items, then catalog order. */
export function priceSelection(options: Pick<NormalizedOptions, 'baseItems' | 'catalog'>, selection: Selection): ItemModel[] {
  const base = options.baseItems.map((item, index) => ({
    id: `li_fake_base_${index + 1}`,
    priceId: `price_fake_base_${index + 1}`,
    ...item,
  }));
  const addOns = Object.entries(options.catalog).flatMap(([key, entry]) => addOn(key, entry, valueOf(selection, key)) ?? []);
  return [...base, ...addOns];
}

function addOn(key: string, entry: FakeCatalogEntry, value: SelectionValue | undefined): ItemModel | undefined {
  const item = { id: `li_fake_${key}`, priceId: `price_fake_${key}`, name: entry.name };
  if (value === true && entry.unitAmount !== undefined) return { ...item, unitAmount: entry.unitAmount, quantity: 1 };
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 && entry.unitAmount !== undefined) {
    return { ...item, unitAmount: entry.unitAmount, quantity: value };
  }
  const optionPrice = typeof value === 'string' && entry.options && Object.hasOwn(entry.options, value) ? entry.options[value] : undefined;
  if (typeof value === 'string' && optionPrice !== undefined) {
    return { ...item, priceId: `price_fake_${key}_${value}`, name: `${entry.name}: ${value}`, unitAmount: optionPrice, quantity: 1 };
  }
  return undefined;
}

/**
 * A full session object, every field filled as Stripe.js fills it for a one-time payment
 * without tax, discounts or shipping rates. `onRead` hears reads of the total, because the
 * real `confirm` refuses to run before the page has read (and so could show) the amount.
 */
export function buildSession(model: SessionModel, onRead: (what: AmountRead) => void): StripeCheckoutSession {
  const amount = (minor: number) => money(minor, model.currency);
  const lineItems = model.items.map((item) => lineItem(item, model.currency));
  const subtotal = lineItems.reduce((sum, item) => sum + item.total.minorUnitsAmount, 0);
  const total = watch(amount(subtotal), ['amount', 'minorUnitsAmount'], onRead);
  const session: StripeCheckoutSession = {
    billingAddress: null,
    businessName: null,
    nameCollection: null,
    canConfirm: model.canConfirm,
    currency: model.currency,
    currencyOptions: null,
    discountAmounts: [],
    email: null,
    id: model.id,
    lastPaymentError: null,
    lineItems,
    livemode: false,
    minorUnitsAmountDivisor: divisorOf(model.currency),
    phoneNumber: null,
    recurring: null,
    savedPaymentMethods: null,
    shipping: null,
    shippingAddress: null,
    shippingOptions: [],
    status: { ...model.status },
    surcharge: null,
    tax: { status: 'ready' },
    taxAmounts: [],
    taxIdInfo: null,
    total: {
      appliedBalance: amount(0),
      balanceAppliedToNextInvoice: false,
      discount: amount(0),
      shippingRate: amount(0),
      subtotal: amount(subtotal),
      surcharge: amount(0),
      taxExclusive: amount(0),
      taxInclusive: amount(0),
      total,
    },
    optionalItems: null,
  };
  return watch(session, ['currency', 'minorUnitsAmountDivisor'], onRead);
}

function lineItem(item: ItemModel, currency: string): StripeCheckoutLineItem {
  const amount = (minor: number) => money(minor, currency);
  const subtotal = item.unitAmount * item.quantity;
  return {
    id: item.id,
    name: item.name,
    discount: amount(0),
    subtotal: amount(subtotal),
    total: amount(subtotal),
    taxExclusive: amount(0),
    taxInclusive: amount(0),
    unitAmount: amount(item.unitAmount),
    unitAmountDecimal: null,
    description: null,
    quantity: item.quantity,
    unitLabel: null,
    discountAmounts: [],
    taxAmounts: [],
    recurring: null,
    adjustableQuantity: null,
    images: [],
    priceId: item.priceId,
    isRemovable: false,
    pricing: null,
    transformQuantity: null,
  };
}

// Enumerable accessors keep the object plain to the eye (spread, toEqual, JSON and
// structuredClone all see the values) while telling `onRead` that the value was read.
function watch<T extends object, K extends keyof T & AmountRead>(target: T, keys: readonly K[], onRead: (what: AmountRead) => void): T {
  for (const key of keys) {
    let value = target[key];
    Object.defineProperty(target, key, {
      enumerable: true,
      configurable: true,
      get: () => {
        onRead(key);
        return value;
      },
      set: (next: T[K]) => {
        value = next;
      },
    });
  }
  return target;
}
