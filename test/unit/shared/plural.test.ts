import { describe, expect, it } from 'vitest';
import { formatCount, plural } from '../../../src/shared/plural';

describe('plural', () => {
  it('is singular for exactly one, plural otherwise, with the count grouped', () => {
    expect(plural(1, 'delivery', 'deliveries')).toBe('1 delivery');
    expect(plural(0, 'delivery', 'deliveries')).toBe('0 deliveries');
    expect(plural(2, 'try', 'tries')).toBe('2 tries');
    expect(plural(100_000, 'delivery', 'deliveries')).toBe('100,000 deliveries');
  });
});

describe('formatCount', () => {
  it('groups thousands as en-US does, for every size and sign', () => {
    for (const n of [0, 7, 999, 1_000, 12_345, 999_999, 1_000_000, 123_456_789, Number.MAX_SAFE_INTEGER, -1, -1_234_567]) {
      expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
    }
  });
});
