import type { ExportedDelivery } from '../../shared/exchange';
import type { StoredDeliveryDetail } from '../store/delivery-rows';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function asText(body: Buffer): string | null {
  try {
    return utf8.decode(body);
  } catch {
    return null;
  }
}

/** A stored delivery as exports carry it: every column, the body as base64 and, when UTF-8, as text. */
export function toExported(delivery: StoredDeliveryDetail): ExportedDelivery {
  const body = delivery.body;
  return {
    id: delivery.id,
    receivedAt: delivery.receivedAt,
    method: delivery.method,
    path: delivery.path,
    headers: delivery.headers,
    receiverOrigin: delivery.receiverOrigin,
    rawHeaders: delivery.rawHeaders,
    bodyBase64: body ? body.toString('base64') : null,
    bodyText: body ? asText(body) : null,
    bodySize: delivery.bodySize,
    contentType: delivery.contentType,
    remoteAddress: delivery.remoteAddress,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    signatureStatus: delivery.signatureStatus,
    signatureSecret: delivery.signatureSecret,
    signatureDiagnosis: delivery.signatureDiagnosis,
    signatureReceived: delivery.signatureReceived,
    duplicateOf: delivery.duplicateOf,
    deliveryNumber: delivery.deliveryNumber,
    unverifiedClaim: delivery.unverifiedClaim,
    responseStatus: delivery.responseStatus,
    answerLost: delivery.answerLost,
    rejection: delivery.rejection,
    parseError: delivery.parseError,
    imported: delivery.imported,
  };
}
