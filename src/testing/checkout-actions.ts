// What Stripe's own actions change on a Checkout Session, held on Stripe's side: the applied
// promotion code, the chosen shipping rate, the quantities the customer set, the optional items
// added. The merchant's server never states these; a `runServerUpdate` re-read keeps them, as
// Stripe keeps them when the server retransmits `line_items` keeping each item by `id`.
// Stripe.js's action results (`@stripe/stripe-js` checkout.d.ts): `{type: 'success', session}`,
// or `{type: 'error', error: {message, code}}` with `code: 'invalidCode'` for a refused promotion
// code and `code: null` otherwise. Stripe documents no wording: the messages below are ours.
import type { FakeShippingOption, NormalizedOptions } from './options.js';
import type { ItemModel } from './session.js';

/** The session's state that only the actions change. */
export interface ActionState {
  code?: string;
  shippingOptionId?: string;
  /** Line item id to the quantity the customer set. */
  quantities: Record<string, number>;
  /** The Price ids of the optional items added, in the order they were added. */
  optional: string[];
}

/** Stripe's error value of an action. */
export interface ActionError {
  message: string;
  code: 'invalidCode' | null;
}

/** A new session's: the first shipping rate chosen, as Checkout chooses it, nothing else. */
export function initialActionState(options: NormalizedOptions): ActionState {
  const first = options.shippingOptions[0];
  return { ...(first && { shippingOptionId: first.id }), quantities: {}, optional: [] };
}

/** The line items of a session: the server's, with the customer's quantities, then the optional items added. */
export function withActions(options: NormalizedOptions, items: readonly ItemModel[], state: ActionState): ItemModel[] {
  const kept = items.map((item) => (item.id in state.quantities ? { ...item, quantity: state.quantities[item.id]! } : item));
  const added = state.optional.map((priceId) => {
    const item = options.optionalItems.find((candidate) => candidate.priceId === priceId)!;
    return { id: optionalItemId(priceId), priceId, name: item.name, unitAmount: item.unitAmount, quantity: item.quantity };
  });
  return [...kept, ...added];
}

export const optionalItemId = (priceId: string) => `li_fake_${priceId}`;

/** The chosen shipping rate, if the session has rates. */
export function shippingOf(options: NormalizedOptions, state: ActionState): FakeShippingOption | undefined {
  return options.shippingOptions.find((option) => option.id === state.shippingOptionId);
}

/**
 * Performs one action on `state`, as Stripe's server would. Returns Stripe's error value
 * and leaves `state` as it was when the action is refused.
 */
export function perform(options: NormalizedOptions, state: ActionState, items: readonly ItemModel[], method: string, arg: unknown): ActionError | undefined {
  switch (method) {
    case 'applyPromotionCode': {
      const code = String(arg).trim().toUpperCase();
      if (!options.promotionCodes[code]?.active) return { message: 'This code is invalid.', code: 'invalidCode' };
      state.code = code; // one code at a time: a new one replaces the one applied
      return undefined;
    }
    case 'removePromotionCode':
      delete state.code;
      return undefined;
    case 'updateShippingOption':
      if (!options.shippingOptions.some((option) => option.id === arg)) return refused(`No such shipping option: ${String(arg)}`);
      state.shippingOptionId = arg as string;
      return undefined;
    case 'updateLineItemQuantity':
      return setQuantity(state, items, arg as { lineItem: string; quantity: number });
    case 'addOptionalLineItem':
      if (!options.optionalItems.some((item) => item.priceId === arg)) return refused(`No such optional item: ${String(arg)}`);
      if (!state.optional.includes(arg as string)) state.optional.push(arg as string);
      return undefined;
    case 'removeOptionalLineItem':
      if (!state.optional.includes(arg as string)) return refused(`The optional item ${String(arg)} is not on this session`);
      state.optional = state.optional.filter((priceId) => priceId !== arg);
      return undefined;
    default:
      return refused(`Unknown action ${method}`);
  }
}

// Only an item with `adjustable_quantity`, and only within its bounds.
function setQuantity(state: ActionState, items: readonly ItemModel[], arg: { lineItem: string; quantity: number }): ActionError | undefined {
  const item = items.find((candidate) => candidate.id === arg?.lineItem);
  if (!item) return refused(`No such line item: ${String(arg?.lineItem)}`);
  const range = item.adjustableQuantity;
  if (!range) return refused(`The quantity of ${item.name} cannot be changed`);
  if (!Number.isSafeInteger(arg.quantity) || arg.quantity < range.minimum || arg.quantity > range.maximum) {
    return refused(`The quantity of ${item.name} must be between ${range.minimum} and ${range.maximum}`);
  }
  state.quantities[item.id] = arg.quantity;
  return undefined;
}

const refused = (message: string): ActionError => ({ message, code: null });
