export { clockTime, formatBytes, ordinal } from '../../../shared/format';

export function dateTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}
