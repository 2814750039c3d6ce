import { describe, expect, it } from 'vitest';
import { formatTime } from './time';

describe('formatTime', () => {
  it('shows UTC times in the store zone (UTC+8), across midnight', () => {
    expect(formatTime('2026-11-29T00:21:38.123Z')).toBe('2026-11-29 08:21:38');
    expect(formatTime('2026-11-29T17:05:00Z')).toBe('2026-11-30 01:05:00');
  });
  it('gives an empty string for missing or bad input', () => {
    expect(formatTime(null)).toBe('');
    expect(formatTime('not a date')).toBe('');
  });
});
