import { describe, expect, it } from 'vitest';
import { uuidv7, UUID_V7_RE } from './index';

describe('uuidv7', () => {
  it('has version 7, the RFC variant, and the timestamp in the first 48 bits', () => {
    const t = Date.UTC(2026, 10, 29, 1, 2, 3, 456);
    const id = uuidv7(t);
    expect(id).toMatch(UUID_V7_RE);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(t);
  });
  it('is unique and sorts by time', () => {
    const ids = Array.from({ length: 5000 }, () => uuidv7());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
