import type { DeliveryView } from '../../../shared/api';

/**
 * The delivery links to an original that is no longer stored (deleted, or pruned by retention).
 * The link itself is permanent: the events table remembers the original's id and the count.
 */
export function originalDeleted(view: DeliveryView): boolean {
  const { duplicateOf } = view.delivery;
  return duplicateOf !== null && !view.related.some((delivery) => delivery.id === duplicateOf);
}
