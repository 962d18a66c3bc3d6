import type {
  StripeCheckoutLineItem,
  StripeCheckoutOptionalItem,
  StripeCheckoutSession,
  StripeCheckoutShippingOption,
  StripeCheckoutStatus,
} from '@stripe/stripe-js';
import type { Selection, SelectionValue } from '../types.js';
import { valueOf } from '../selection.js';
import { divisorOf, money } from './money.js';
import type { FakeCatalogEntry, FakeOptionalItem, FakeShippingOption, NormalizedOptions } from './options.js';

/** One line item as the merchant's server priced it. */
export interface ItemModel {
  id: string;
  priceId: string;
  name: string;
  unitAmount: number;
  quantity: number;
  adjustableQuantity?: { minimum: number; maximum: number } | undefined;
}

/** The applied promotion code's discount. */
export interface DiscountModel {
  code: string;
  percentOff?: number | undefined;
  amountOff?: number | undefined;
  /** What it takes off, when a remote server computed it. */
  amount?: number | undefined;
}

/** Everything a session object is built from: equal models give equal sessions. */
export interface SessionModel {
  id: string;
  currency: string;
  items: readonly ItemModel[];
  status: StripeCheckoutStatus;
  canConfirm: boolean;
  discount?: DiscountModel | undefined;
  shippingOptions: readonly FakeShippingOption[];
  shippingOptionId?: string | undefined;
  optionalItems: ReadonlyArray<Required<FakeOptionalItem> & { isSelected: boolean }>;
}

/** The reads that count as showing the total (see `confirm` in actions.ts). */
export type AmountRead = 'amount' | 'minorUnitsAmount' | 'currency' | 'minorUnitsAmountDivisor';

/** The line items the merchant's server puts on the session for a selection: base items, then catalog order. */
export function priceSelection(options: Pick<NormalizedOptions, 'baseItems' | 'catalog'>, selection: Selection): ItemModel[] {
  // Spread: a base item's `adjustableQuantity` rides along to its line item.
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
 * without tax: the total is the subtotal, less the promotion code's discount (never below
 * zero; a percentage rounded to the nearest minor unit), plus the chosen shipping rate. `onRead` hears reads of the total, because the
 * real `confirm` refuses to run before the page has read (and so could show) the amount.
 */
export function buildSession(model: SessionModel, onRead: (what: AmountRead) => void): StripeCheckoutSession {
  const amount = (minor: number) => money(minor, model.currency);
  const lineItems = model.items.map((item) => lineItem(item, model.currency));
  const subtotal = lineItems.reduce((sum, item) => sum + item.total.minorUnitsAmount, 0);
  const discount = discountOf(model.discount, subtotal);
  const shippingOptions = model.shippingOptions.map((option) => shippingOption(option, model.currency));
  const shipping = shippingOptions.find((option) => option.id === model.shippingOptionId);
  const total = watch(amount(subtotal - discount + (shipping?.minorUnitsAmount ?? 0)), ['amount', 'minorUnitsAmount'], onRead);
  const discountAmounts = model.discount
    ? [{ ...amount(discount), displayName: model.discount.code, promotionCode: model.discount.code, recurring: null, percentOff: model.discount.percentOff ?? null }]
    : [];
  const session: StripeCheckoutSession = {
    billingAddress: null,
    businessName: null,
    nameCollection: null,
    canConfirm: model.canConfirm,
    currency: model.currency,
    currencyOptions: null,
    discountAmounts,
    email: null,
    id: model.id,
    lastPaymentError: null,
    lineItems,
    livemode: false,
    minorUnitsAmountDivisor: divisorOf(model.currency),
    phoneNumber: null,
    recurring: null,
    savedPaymentMethods: null,
    shipping: shipping ? { shippingOption: shipping, taxAmounts: [] } : null,
    shippingAddress: null,
    shippingOptions,
    status: { ...model.status },
    surcharge: null,
    tax: { status: 'ready' },
    taxAmounts: [],
    taxIdInfo: null,
    total: {
      appliedBalance: amount(0),
      balanceAppliedToNextInvoice: false,
      discount: amount(discount),
      shippingRate: amount(shipping?.minorUnitsAmount ?? 0),
      subtotal: amount(subtotal),
      surcharge: amount(0),
      taxExclusive: amount(0),
      taxInclusive: amount(0),
      total,
    },
    optionalItems: model.optionalItems.length ? model.optionalItems.map((item) => optionalItem(item, model.currency)) : null,
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
    adjustableQuantity: item.adjustableQuantity ? { ...item.adjustableQuantity } : null,
    images: [],
    priceId: item.priceId,
    isRemovable: false,
    pricing: null,
    transformQuantity: null,
  };
}

function discountOf(discount: DiscountModel | undefined, subtotal: number): number {
  if (!discount) return 0;
  if (discount.amount !== undefined) return discount.amount;
  const off = discount.percentOff !== undefined ? Math.round((subtotal * discount.percentOff) / 100) : (discount.amountOff ?? 0);
  return Math.min(off, subtotal);
}

function shippingOption(option: FakeShippingOption, currency: string): StripeCheckoutShippingOption {
  return { ...money(option.amount, currency), id: option.id, currency, displayName: option.displayName, deliveryEstimate: option.deliveryEstimate ?? null };
}

function optionalItem(item: Required<FakeOptionalItem> & { isSelected: boolean }, currency: string): StripeCheckoutOptionalItem {
  return {
    priceId: item.priceId,
    name: item.name,
    description: null,
    unitAmount: money(item.unitAmount, currency),
    unitAmountDecimal: null,
    unitLabel: null,
    quantity: item.quantity,
    adjustableQuantity: null,
    recurring: null,
    images: [],
    isSelected: item.isSelected,
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
