import { z } from 'zod';

/**
 * What a catalogue field holds, as the composer's check says it: "a number from 0 to 1",
 * "one of "spam", …", "a string or null". Read off the zod schema, so the words follow it.
 */
export function describeSchema(schema: z.ZodType): string {
  if (schema instanceof z.ZodNullable) return `${describeSchema(schema.unwrap() as z.ZodType)} or null`;
  // A field whose rule no kind can say (a time's pattern) carries its own words.
  if (schema.description) return schema.description;
  if (schema instanceof z.ZodEnum) return `one of ${schema.options.map((value) => JSON.stringify(value)).join(', ')}`;
  if (schema instanceof z.ZodNumber) return describeNumber(schema);
  if (schema instanceof z.ZodArray) return schema.element instanceof z.ZodString ? 'a list of strings' : 'a list';
  if (schema instanceof z.ZodObject) return 'an object';
  if (schema instanceof z.ZodString) return 'a string';
  if (schema instanceof z.ZodBoolean) return 'a boolean';
  throw new Error(`describeSchema: no words for a zod ${schema.def.type}; add them here`);
}

function describeNumber(schema: z.ZodNumber): string {
  const min = schema.minValue ?? -Infinity;
  const max = schema.maxValue ?? Infinity;
  const range = Number.isFinite(min) && Number.isFinite(max) ? ` from ${min} to ${max}` : Number.isFinite(min) ? ` of ${min} or more` : '';
  return `a${schema.isInt ? ' whole' : ''} number${range}`;
}
