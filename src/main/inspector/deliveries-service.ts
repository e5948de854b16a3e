import type { DeliveryView } from '../../shared/api';
import type { DeliveryFilter, DeliverySummary } from '../../shared/delivery';
import type { SigningSecret } from '../profile/signature';
import type { Store } from '../store/store';
import { deliveryView } from './delivery-view';

/** The captured deliveries as the feed and the detail pane read them, and their deletion. */
export function createDeliveriesService(options: {
  store: Pick<Store, 'deliveries' | 'attempts'>;
  secrets: () => readonly SigningSecret[];
  /** Deliveries were deleted: the counts changed. */
  onDeleted: (all: boolean) => void;
}) {
  const { store } = options;
  return {
    calls: {
      listDeliveries: (filter?: DeliveryFilter): DeliverySummary[] => store.deliveries.list(filter),
      getDelivery: (id: number): DeliveryView | null => deliveryView(store, options.secrets(), id),
      deleteDelivery(id: number): boolean {
        const removed = store.deliveries.remove(id);
        if (removed) options.onDeleted(false);
        return removed;
      },
      clearDeliveries(): number {
        const removed = store.deliveries.clear();
        options.onDeleted(true);
        return removed;
      },
    },
  };
}

export type DeliveriesService = ReturnType<typeof createDeliveriesService>;
