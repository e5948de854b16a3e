import type { DeliveryView } from '../../shared/api';
import type { SigningSecret } from '../profile/signature';
import type { Store } from '../store/store';
import { signatureShown } from './signature-shown';

/** A delivery as its detail pane shows it: with its event's other deliveries and its attempts. */
export function deliveryView(store: Pick<Store, 'deliveries' | 'attempts'>, secrets: readonly SigningSecret[], id: number): DeliveryView | null {
  const stored = store.deliveries.get(id);
  if (!stored) return null;
  const { body, ...fields } = stored;
  // The transport edge: bytes leave the core as base64.
  const delivery = { ...fields, bodyBase64: body ? body.toString('base64') : null, ...signatureShown(stored, body, secrets) };
  return {
    delivery,
    related: delivery.eventId ? store.deliveries.ofEvent(delivery.eventId) : [],
    attempts: store.attempts.ofDelivery(id),
  };
}
