/**
 * "1,000,000": a whole count with thousands separators. Not Intl: the first NumberFormat in a page
 * loads its locale data, ~70–100 ms before the first row could show at a million stored.
 */
export function formatCount(count: number): string {
  if (!Number.isSafeInteger(count)) return String(count);
  const digits = String(Math.abs(count)).replace(/\B(?=(\d{3})+$)/g, ',');
  return count < 0 ? `-${digits}` : digits;
}

/** "1 delivery", "2 deliveries", "1,000 deliveries": a count with its noun, singular for exactly one. */
export function plural(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}
