/** "1 delivery", "2 deliveries", "1,000 deliveries": a count with its noun, singular for exactly one. */
export function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}
