import type { DeliveryView } from '../../shared/api';
import { sign, verifySignature, type SigningSecret } from '../profile/signature';
import type { Store } from '../store/store';

/** A delivery as its detail pane shows it: with its event's other deliveries and its attempts. */
export function deliveryView(store: Pick<Store, 'deliveries' | 'attempts'>, secrets: readonly SigningSecret[], id: number): DeliveryView | null {
  const stored = store.deliveries.get(id);
  if (!stored) return null;
  // Computed now, never stored: a database holding valid signatures for any body a stranger
  // sent would let its reader forge deliveries.
  const body = stored.bodyBase64 !== null ? Buffer.from(stored.bodyBase64, 'base64') : null;
  const secret = secrets.find((candidate) => !candidate.retired);
  const signatureExpected = secret && body ? sign(secret.value, body) : null;
  // A large body's mismatch was not diagnosed on receipt (it would have delayed the answer).
  const signatureDiagnosis =
    stored.signatureDiagnosis === null && stored.signatureStatus === 'invalid' && body && stored.signatureReceived
      ? verifySignature(body, [stored.signatureReceived], secrets).diagnosis
      : stored.signatureDiagnosis;
  const delivery = { ...stored, signatureExpected, signatureDiagnosis };
  return {
    delivery,
    related: delivery.eventId ? store.deliveries.ofEvent(delivery.eventId) : [],
    attempts: store.attempts.ofDelivery(id),
  };
}
