import type { DeliveryView } from '../../shared/api';
import type { SigningSecret } from '../profile/signature';
import type { Store } from '../store/store';
import { signatureShown } from './signature-shown';

/** A delivery as its detail pane shows it: with its event's other deliveries and its attempts. */
export function deliveryView(store: Pick<Store, 'deliveries' | 'attempts'>, secrets: readonly SigningSecret[], id: number): DeliveryView | null {
  const stored = store.deliveries.get(id);
  if (!stored) return null;
  const body = stored.bodyBase64 !== null ? Buffer.from(stored.bodyBase64, 'base64') : null;
  const delivery = { ...stored, ...signatureShown(stored, body, secrets) };
  return {
    delivery,
    related: delivery.eventId ? store.deliveries.ofEvent(delivery.eventId) : [],
    attempts: store.attempts.ofDelivery(id),
  };
}
