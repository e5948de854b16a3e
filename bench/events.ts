import { sampleEvent } from '../src/main/profile/samples';
import { EVENT_TYPES, type EventType } from '../src/shared/reviewsense/catalogue';
import { sign } from '../src/main/profile/signature';

/** Size of every benchmark body: a realistic `review.analysed` envelope padded to this many bytes. */
export const EVENT_BYTES = 600;

const FILLER =
  'Thank you for your kind words! We are delighted that the parcel arrived quickly and that the quality lived up to ' +
  'your expectations. Our team reads every review, and feedback like yours helps us keep improving shipping times, ' +
  'packaging and the products themselves. We hope to see you again soon, and please reach out if you need anything. ';

let draftLength: number | null = null;

export interface SignedEvent {
  id: string;
  body: string;
  signature: string;
}

/** A unique, correctly signed ReviewSense event of EVENT_BYTES bytes (ASCII, so length = bytes). */
export function signedEvent(secret: string): SignedEvent {
  if (draftLength === null) {
    const probe = JSON.stringify(sampleEvent('review.analysed', { data: { response_draft: '' } }));
    draftLength = Math.max(0, Math.min(FILLER.length, EVENT_BYTES - Buffer.byteLength(probe)));
  }
  const event = sampleEvent('review.analysed', { data: { response_draft: FILLER.slice(0, draftLength) } });
  const body = JSON.stringify(event);
  return { id: event.id, body, signature: sign(secret, body) };
}

export function eventHeaders(event: SignedEvent): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'User-Agent': 'ReviewSense-Webhooks/1.0',
    'X-ReviewSense-Signature': event.signature,
  };
}

/**
 * The mix a long-lived database holds, for the 1,000,000-row figures: every event type in
 * turn, 1 in 100 signed with the wrong secret, 1 in 50 a retry of an earlier event (same id
 * and body, so it is linked as a duplicate). `n` numbers the request (0, 1, 2, …).
 */
export function mixedEvent(secret: string, n: number, previous: SignedEvent | null): SignedEvent {
  if (previous && n % 50 === 49) return previous;
  const type = EVENT_TYPES[n % EVENT_TYPES.length] as EventType;
  const event = type === 'review.analysed' ? JSON.parse(signedEvent(secret).body) : sampleEvent(type);
  const body = JSON.stringify(event);
  return { id: event.id, body, signature: sign(n % 100 === 97 ? `${secret}_wrong` : secret, body) };
}
