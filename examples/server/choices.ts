/**
 * Reading a page's selection against a small table of choices: the Payrails and Toast pages'
 * (payrails.ts, toast.ts). The rules are those of the T-shirt catalog (catalog.ts
 * `latestSelection`), so that every page of the example server answers alike: a name left out,
 * or sent as `null`, takes its initial value; an unknown name, or a value of another type or
 * outside the choices, is a `SelectionError` (a 400 with the words below).
 */
import { SelectionError } from './catalog.js';

export interface Choice<V> {
  initial: V;
  /** The value, or `undefined` when it is not one we accept. */
  parse(value: unknown): V | undefined;
  /** Words for the customer when it is not. */
  invalid: string;
}

export type Choices<T> = { readonly [K in keyof T]: Choice<T[K]> };

/** One of `options`, compared as it came: `'15'` is a tip, `15` is not. */
export const oneOf = <T extends string>(options: readonly T[]) => (value: unknown): T | undefined =>
  options.find((option) => option === value);

/** `true` or `false`, never `'true'` or `1`. */
export const onOff = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);

/**
 * The selection a `latest` request wants, every name set. `changes`, when sent, must be a
 * selection these choices accept too, though only `selection` is priced.
 */
export function readChoices<T extends object>(choices: Choices<T>, selection: unknown, changes: unknown): T {
  if (selection === undefined) throw new SelectionError('The options you chose could not be read.');
  const initial = Object.fromEntries(Object.entries<Choice<unknown>>(choices).map(([name, choice]) => [name, choice.initial]));
  const read = { ...initial, ...checkChoices(choices, selection) } as T;
  if (changes !== undefined) checkChoices(choices, changes);
  return read;
}

/** Only the names it was given, each checked. */
function checkChoices<T extends object>(choices: Choices<T>, input: unknown): Partial<T> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new SelectionError('The options you chose could not be read.');
  }
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(input)) {
    if (!Object.hasOwn(choices, name)) throw new SelectionError('One of the options you chose is not available.');
    const choice = (choices as Record<string, Choice<unknown>>)[name]!;
    const value = raw === null ? choice.initial : choice.parse(raw);
    if (value === undefined) throw new SelectionError(choice.invalid);
    out[name] = value;
  }
  return out as Partial<T>;
}
