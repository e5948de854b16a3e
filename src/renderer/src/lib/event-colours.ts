import { EVENT_TYPES } from '../../../shared/reviewsense/event-types';

/** A stable hue per event type, so a type reads the same colour everywhere. */
const HUES: Record<string, number> = Object.fromEntries(EVENT_TYPES.map((type, index) => [type, Math.round((index * 360) / EVENT_TYPES.length + 200) % 360]));

export function eventHue(type: string | null): number | null {
  return type === null ? null : (HUES[type] ?? null);
}
