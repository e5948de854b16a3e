import type { NewAttempt } from '../../src/main/store/attempts-repository';
import type { NewDelivery } from '../../src/main/store/deliveries-repository';

/** A stored-delivery input as the receiver would build it, for store tests. */
export function newDelivery(overrides: Partial<NewDelivery> = {}): NewDelivery {
  const eventId = overrides.eventId === undefined ? 'evt_test' : overrides.eventId;
  const body = Buffer.from(JSON.stringify({ id: eventId, type: 'review.analysed', data: { sentiment: 'positive' } }));
  return {
    receivedAt: 1_777_000_000_000,
    method: 'POST',
    path: '/hooks/reviewsense',
    headers: [['Content-Type', 'application/json']],
    body,
    bodySize: body.length,
    contentType: 'application/json',
    remoteAddress: '127.0.0.1',
    eventId,
    eventType: 'review.analysed',
    searchText: body.toString(),
    signatureStatus: 'valid',
    signatureSecret: { label: 'current', fingerprint: 'abcd1234' },
    signatureDiagnosis: null,
    signatureReceived: null,
    responseStatus: 200,
    rejection: null,
    parseError: null,
    ...overrides,
  };
}

/** A replay of `deliveryId` that the app answered 200 (null: a request sent on its own), for store tests. */
export function newAttempt(deliveryId: number | null, overrides: Partial<NewAttempt> = {}): NewAttempt {
  return {
    deliveryId,
    kind: deliveryId === null ? 'send' : 'replay',
    target: 'http://127.0.0.1:3000/hooks',
    method: 'POST',
    requestHeaders: [],
    requestBody: Buffer.from('{}'),
    startedAt: 1_777_000_000_000,
    durationMs: 3,
    status: 200,
    responseHeaders: [],
    responseBody: null,
    responseTruncated: false,
    error: null,
    delivered: true,
    verdict: 'delivered',
    queued: false,
    expect: null,
    ok: null,
    signature: null,
    signedWith: null,
    edited: false,
    ...overrides,
  };
}
