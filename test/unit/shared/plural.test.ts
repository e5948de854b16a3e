import { describe, expect, it } from 'vitest';
import { plural } from '../../../src/shared/plural';

describe('plural', () => {
  it('is singular for exactly one, plural otherwise, with the count grouped', () => {
    expect(plural(1, 'delivery', 'deliveries')).toBe('1 delivery');
    expect(plural(0, 'delivery', 'deliveries')).toBe('0 deliveries');
    expect(plural(2, 'try', 'tries')).toBe('2 tries');
    expect(plural(100_000, 'delivery', 'deliveries')).toBe('100,000 deliveries');
  });
});
