import { describe, expect, it } from 'vitest';
import { CheckoutUpdateError, isCheckoutUpdateError, toCheckoutError } from '../src/index.js';
import { setup } from './helpers/checkout.js';
import { useMerchantServer } from './helpers/merchant.js';

useMerchantServer();

/** What another copy of the library (the script tag beside an app bundle) throws: its own class, same name and code. */
function fromAnotherCopy(): Error {
  class CheckoutUpdateError extends Error {
    override readonly name = 'CheckoutUpdateError';
    readonly code = 'http';
  }
  return new CheckoutUpdateError('Bad Request');
}

describe('isCheckoutUpdateError', () => {
  it('knows its own errors and those of another copy of the library, where instanceof fails', () => {
    const foreign = fromAnotherCopy();
    expect(foreign instanceof CheckoutUpdateError).toBe(false);
    expect([isCheckoutUpdateError(new CheckoutUpdateError('http', 'No.')), isCheckoutUpdateError(foreign)]).toEqual([true, true]);
  });

  it.each([
    ['an Error of another name that has a code', Object.assign(new TypeError('x'), { code: 'http' })],
    ['an Error named CheckoutUpdateError without a string code', Object.assign(new Error('x'), { name: 'CheckoutUpdateError', code: 409 })],
    ['a plain object shaped like one', { name: 'CheckoutUpdateError', code: 'http', message: 'x' }],
    ['null', null],
  ])('refuses %s', (_, value) => {
    expect(isCheckoutUpdateError(value)).toBe(false);
  });
});

describe('toCheckoutError', () => {
  it("keeps a CheckoutUpdateError as it is, also another copy's, so its code is not lost", () => {
    const own = new CheckoutUpdateError('timeout', 'Too slow.');
    const foreign = fromAnotherCopy();
    expect(toCheckoutError('server_update_failed', own)).toBe(own);
    expect(toCheckoutError('server_update_failed', foreign)).toBe(foreign);
  });

  it.each([
    ['an Error', new Error('Socket closed.'), 'Socket closed.'],
    ["Stripe's error value", { type: 'error', error: { message: 'x' }, message: 'Card declined.' }, 'Card declined.'],
    ['a string', 'Refused.', 'Refused.'],
    ['an Error without a message', new Error(''), 'Unknown error'],
    ['a value with no message at all', 42, 'Unknown error'],
    ['undefined', undefined, 'Unknown error'],
  ])('wraps %s with the given code, its message and the value as cause', (_, value, message) => {
    const error = toCheckoutError('server_update_failed', value);
    expect([error instanceof CheckoutUpdateError, error.code, error.message, error.cause]).toEqual([true, 'server_update_failed', message, value]);
  });
});

describe('messages of refused input', () => {
  // The value is shown as JSON in backticks; past 60 characters it is cut to 57 and an ellipsis.
  it.each([
    [56, `got \`["${'x'.repeat(56)}"]\` (object)`],
    [57, `got \`["${'x'.repeat(55)}...\` (object)`],
  ])('show a list holding %i characters whole up to 60 characters of JSON, and cut it past that', (length, shown) => {
    const { checkout } = setup();
    expect(() => checkout.set('tip', ['x'.repeat(length)] as never)).toThrowError(
      `Expected the value of "tip" to be a boolean, a finite number, a string or null, ${shown}`,
    );
    checkout.destroy();
  });

  it('name the add-on names that are refused', () => {
    const { checkout } = setup();
    expect(() => checkout.set('constructor', true)).toThrowError(
      'Expected an add-on name to be a string other than __proto__, constructor or prototype, got `"constructor"` (string)',
    );
    checkout.destroy();
  });
});
