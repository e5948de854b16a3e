/**
 * The feed grid's aria-rowcount: its header row and every delivery it would show when scrolled to
 * the end, not only the rows loaded so far. Unfiltered, that is the stored total; filtered with
 * older pages still to fetch, nobody knows yet, and ARIA says -1 for that.
 */
export function feedRowCount(loaded: number, hasMore: boolean, storedTotal: number | null): number {
  if (!hasMore) return loaded + 1;
  return storedTotal === null ? -1 : Math.max(storedTotal, loaded) + 1;
}

/** A row's aria-rowindex: the header row is 1, the newest delivery 2. */
export function feedRowIndex(index: number): number {
  return index + 2;
}

/** The id the grid's aria-activedescendant names. */
export function feedRowId(deliveryId: number): string {
  return `feed-row-${deliveryId}`;
}
