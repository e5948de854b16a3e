import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { describeSchema } from '../../../src/renderer/src/lib/schema-words';
import { envelopeSchema, EVENT_DATA, EVENT_TYPES } from '../../../src/shared/reviewsense/catalogue';

describe('describeSchema', () => {
  it('has words for every field of the envelope and of every event', () => {
    const fields = [...Object.values(envelopeSchema.shape), ...EVENT_TYPES.flatMap((type) => Object.values(EVENT_DATA[type].shape))];
    for (const field of fields) expect(describeSchema(field)).toMatch(/^(a|an|one of) /);
  });

  it('says what the catalogue holds as a person would', () => {
    const words = (type: keyof typeof EVENT_DATA, key: string) => describeSchema((EVENT_DATA[type].shape as Record<string, z.ZodType>)[key]!);
    expect(words('review.analysed', 'score')).toBe('a number from 0 to 100');
    expect(words('review.analysed', 'topics')).toBe('a list of strings');
    expect(words('review.analysed', 'response_draft')).toBe('a string or null');
    expect(words('review.analysed', 'sentiment')).toBe('one of "positive", "neutral", "negative", "mixed"');
    expect(words('review.flagged', 'confidence')).toBe('a number from 0 to 1');
    expect(words('review.responded', 'auto_posted')).toBe('a boolean');
    expect(words('review.responded', 'posted_at')).toBe('an ISO 8601 time such as "2026-04-24T14:30:00Z"');
    expect(words('quota.warning', 'usage')).toBe('a whole number of 0 or more');
    expect(describeSchema(envelopeSchema.shape.data)).toBe('an object');
  });

  it('follows the schema: a bound, a nullable or a kind it changes changes the words', () => {
    expect(describeSchema(z.number())).toBe('a number');
    expect(describeSchema(z.int().min(1).max(5))).toBe('a whole number from 1 to 5');
    expect(describeSchema(z.boolean().nullable())).toBe('a boolean or null');
    expect(describeSchema(z.array(z.number()))).toBe('a list');
    expect(() => describeSchema(z.date())).toThrow(/no words for a zod date/);
  });
});
