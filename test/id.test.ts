import { describe, expect, it, vi } from 'vitest';
import { newIdempotencyKey } from '../src/id.js';

describe('newIdempotencyKey', () => {
  it('is a UUID where crypto.randomUUID exists, a new one every time', () => {
    const keys = Array.from({ length: 1000 }, () => newIdempotencyKey());
    expect(keys.every((key) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(key))).toBe(true);
    expect(new Set(keys).size).toBe(1000);
  });

  it('needs no secure context: without crypto.randomUUID it is 128 bits from getRandomValues, as four numbers', () => {
    vi.stubGlobal('crypto', { getRandomValues: <T extends ArrayBufferView>(array: T) => (new Uint32Array(array.buffer).set([1, 2, 3, 4294967295]), array) });
    expect(newIdempotencyKey()).toBe('1-2-3-4294967295');
  });
});
