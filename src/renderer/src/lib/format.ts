export { clockTime, formatBytes, ordinal } from '../../../shared/format';

/** One formatter, made when first needed: toLocaleString with options builds a new one per call. */
let dateTimes: Intl.DateTimeFormat | null = null;

export function dateTime(ms: number): string {
  dateTimes ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  return dateTimes.format(ms);
}
