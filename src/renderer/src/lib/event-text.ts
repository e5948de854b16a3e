import { isEventType, type EventType } from '../../../shared/reviewsense/event-types';

/**
 * The body's `type` when it is one ReviewSense sends; null otherwise (or when it is not JSON).
 * Only a value is wanted, no places, so JSON.parse reads it without the editor's parser.
 */
export function eventTypeOf(body: string): EventType | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  const type = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as { type?: unknown }).type : null;
  return isEventType(type) ? type : null;
}
