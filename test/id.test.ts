import { describe, expect, it, vi } from 'vitest';
import { newIdempotencyKey } from '../src/id.js';

describe('newIdempotencyKey', () => {
  it('gives 128 random bits as four numbers, a new key every time', () => {
    const keys = Array.from({ length: 1000 }, () => newIdempotencyKey());
    expect(keys.every((key) => /^\d{1,10}(-\d{1,10}){3}$/.test(key))).toBe(true);
    expect(new Set(keys).size).toBe(1000);
  });

  it('needs no secure context: it works where crypto.randomUUID does not exist', () => {
    vi.stubGlobal('crypto', { getRandomValues: <T extends ArrayBufferView>(array: T) => (new Uint32Array(array.buffer).set([1, 2, 3, 4]), array) });
    expect(newIdempotencyKey()).toBe('1-2-3-4');
  });
});
