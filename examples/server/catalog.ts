/**
 * What the shop sells and what every add-on costs. The server prices a checkout from this
 * module alone: the browser sends add-on names and values, never names or amounts of money.
 */

export const CURRENCY = 'usd';

/** The item every checkout starts with; the selection's `quantity` says how many. */
export const BASE_ITEM = { key: 'tshirt', name: 'T-shirt', unitAmount: 2000 } as const;

/** The T-shirts' quantity bounds. */
export const QUANTITY = { min: 1, max: 10 } as const;

export const TIP_PERCENTS = ['0', '10', '15', '20'] as const;

/** What the server accepts, every name set (a name the request left out has its initial value). */
export interface CheckedSelection {
  quantity: number;
  gift_wrap: boolean;
  insurance: boolean;
  warranty_years: number;
  shipping: 'standard' | 'express';
  tip: (typeof TIP_PERCENTS)[number];
}

export type AddOnName = keyof CheckedSelection;

/** One line an add-on puts on the session. */
export interface AddOnLine {
  addOn: AddOnName;
  /** The add-on's value as text, kept in the line item's metadata so the state can be read back. */
  value: string;
  name: string;
  unitAmount: number;
  quantity: number;
}

interface Spec<V> {
  /** Words for the customer when the value is not one we accept. */
  invalid: string;
  initial: V;
  /** The value, or `undefined` when it is not allowed (wrong type, out of bounds, unknown option). */
  parse(value: unknown): V | undefined;
  /** Reads the value back from its text in a line item's metadata. */
  fromText(text: string): V | undefined;
  /** The line the value costs, or `null` for none; `base` is the T-shirts' subtotal in cents. */
  line(value: V, base: number): { name: string; unitAmount: number; quantity: number } | null;
}

const integer = (min: number, max: number) => (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max ? value : undefined;

const oneOf = <T extends string>(options: readonly T[]) => (value: unknown): T | undefined =>
  options.find((option) => option === value);

const boolean = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);

const toggle = (name: string, unitAmount: number, invalid: string): Spec<boolean> => ({
  invalid,
  initial: false,
  parse: boolean,
  fromText: (text) => (text === 'true' ? true : undefined),
  line: (on) => (on ? { name, unitAmount, quantity: 1 } : null),
});

/**
 * Every name a selection may hold, what it accepts and what it costs (USD, in cents).
 * The order here is the order of the add-on lines on the session.
 */
export const CATALOG: { readonly [K in AddOnName]: Spec<CheckedSelection[K]> } = {
  quantity: {
    invalid: `Choose between ${QUANTITY.min} and ${QUANTITY.max} T-shirts.`,
    initial: 1,
    parse: integer(QUANTITY.min, QUANTITY.max),
    fromText: (text) => integer(QUANTITY.min, QUANTITY.max)(Number(text)),
    line: () => null, // sets the T-shirt line's quantity instead
  },
  gift_wrap: toggle('Gift wrap', 500, 'Gift wrap is either on or off.'),
  insurance: toggle('Shipping insurance', 300, 'Shipping insurance is either on or off.'),
  warranty_years: {
    invalid: 'Choose a warranty of 0 to 3 years.',
    initial: 0,
    parse: integer(0, 3),
    fromText: (text) => integer(0, 3)(Number(text)),
    line: (years) => (years > 0 ? { name: 'Extended warranty (per year)', unitAmount: 1000, quantity: years } : null),
  },
  shipping: {
    invalid: 'Choose standard or express shipping.',
    initial: 'standard',
    parse: oneOf(['standard', 'express'] as const),
    fromText: (text) => oneOf(['standard', 'express'] as const)(text),
    line: (speed) => (speed === 'express' ? { name: 'Express shipping', unitAmount: 1500, quantity: 1 } : null),
  },
  tip: {
    invalid: 'Choose a tip of 0, 10, 15 or 20 percent.',
    initial: '0',
    parse: oneOf(TIP_PERCENTS),
    fromText: (text) => oneOf(TIP_PERCENTS)(text),
    line: (percent, base) =>
      percent === '0' ? null : { name: `Tip (${percent}%)`, unitAmount: Math.round((base * Number(percent)) / 100), quantity: 1 },
  },
};

export const ADD_ON_NAMES = Object.keys(CATALOG) as AddOnName[];

/** The add-ons that are on or off: the only ones the delta endpoint toggles. */
export const TOGGLES: readonly AddOnName[] = ['gift_wrap', 'insurance'];

export const INITIAL_SELECTION: CheckedSelection = {
  quantity: CATALOG.quantity.initial,
  gift_wrap: CATALOG.gift_wrap.initial,
  insurance: CATALOG.insurance.initial,
  warranty_years: CATALOG.warranty_years.initial,
  shipping: CATALOG.shipping.initial,
  tip: CATALOG.tip.initial,
};

export function isAddOnName(name: string): name is AddOnName {
  return Object.hasOwn(CATALOG, name);
}

/** A selection we do not accept; `message` is for the customer. */
export class SelectionError extends Error {
  override readonly name = 'SelectionError';
}

/**
 * Checks the names and values a request sent: unknown names and values not allowed throw a
 * `SelectionError`; `null` means the initial value. Returns only the names it was given.
 */
export function checkSelection(input: unknown): Partial<CheckedSelection> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new SelectionError('The options you chose could not be read.');
  }
  const out: Partial<Record<AddOnName, unknown>> = {};
  for (const [name, raw] of Object.entries(input)) {
    if (!isAddOnName(name)) throw new SelectionError('One of the options you chose is not available.');
    const spec: Spec<unknown> = CATALOG[name];
    const value = raw === null ? spec.initial : spec.parse(raw);
    if (value === undefined) throw new SelectionError(spec.invalid);
    out[name] = value;
  }
  return out as Partial<CheckedSelection>;
}

/**
 * The selection a `latest` request wants: every name set, those it left out at their initial
 * value. `changes`, when sent, must be a selection the catalog accepts too.
 */
export function latestSelection(selection: unknown, changes: unknown): CheckedSelection {
  if (selection === undefined) throw new SelectionError('The options you chose could not be read.');
  const checked: CheckedSelection = { ...INITIAL_SELECTION, ...checkSelection(selection) };
  if (changes !== undefined) checkSelection(changes);
  return checked;
}

/** The add-on lines a selection costs, in catalog order. */
export function priceAddOns(selection: CheckedSelection): AddOnLine[] {
  const base = BASE_ITEM.unitAmount * selection.quantity;
  return ADD_ON_NAMES.flatMap((addOn) => {
    const spec: Spec<unknown> = CATALOG[addOn];
    const line = spec.line(selection[addOn], base);
    return line ? [{ addOn, value: String(selection[addOn]), ...line }] : [];
  });
}

/** What a selection costs in all, in cents: the T-shirts, then every add-on line. */
export function priceSelection(selection: CheckedSelection): number {
  return BASE_ITEM.unitAmount * selection.quantity + priceAddOns(selection).reduce((sum, line) => sum + line.unitAmount * line.quantity, 0);
}

// --- the promotions page (POST /promotions-session) ----------------------------------------------

/** The T-shirts' quantity on the promotions page: the customer sets it, through Stripe's `updateLineItemQuantity`. */
export const ADJUSTABLE_QUANTITY = { enabled: true, minimum: QUANTITY.min, maximum: QUANTITY.max } as const;

/** One promotion code and the one-off coupon it redeems into. */
export interface Promotion {
  code: string;
  coupon: { name: string; percent_off: number } | { name: string; amount_off: number; currency: typeof CURRENCY };
  active: boolean;
}

/** The promotion codes the server makes sure exist: 10 % off, $5.00 off, and one that no longer works. */
export const PROMOTIONS: readonly Promotion[] = [
  { code: 'SAVE10', coupon: { name: '10% off', percent_off: 10 }, active: true },
  { code: 'FIVEOFF', coupon: { name: '$5.00 off', amount_off: 500, currency: CURRENCY }, active: true },
  { code: 'EXPIRED', coupon: { name: '50% off (ended)', percent_off: 50 }, active: false },
];

/** The promotions page's shipping rates; Stripe selects the first when the session starts. */
export const SHIPPING_RATES = [
  {
    display_name: 'Standard shipping',
    amount: 0,
    delivery_estimate: { minimum: { unit: 'business_day', value: 5 }, maximum: { unit: 'business_day', value: 7 } },
  },
  {
    display_name: 'Express shipping',
    amount: 1500,
    delivery_estimate: { minimum: { unit: 'business_day', value: 1 }, maximum: { unit: 'business_day', value: 2 } },
  },
] as const;
