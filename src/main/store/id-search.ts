import { EVENT_ID_PREFIX } from '../../shared/reviewsense/catalogue';

/**
 * Search text that names an event id, or the start of one: `evt_01JQ…`, or the ULID alone as it
 * appears in a log line (`01JQ4…`). Such text is looked up in the event id index, not the full-text
 * index, where a short prefix expands to every id token (hundreds of ms at a million rows).
 */
const WITH_PREFIX = /^evt_(0[0-9a-hjkmnp-tv-z]*)$/i;
// Alone, a ULID's start must not pass for a number or a date: four characters or more, one a letter.
const BARE_ULID = /^(0(?=[0-9a-hjkmnp-tv-z]*[a-hjkmnp-tv-z])[0-9a-hjkmnp-tv-z]{3,25})$/i;
const PREFIX_ONLY = /^evt_$/i;

/** The event id ranges `text` names, as [from, to) pairs; null when it is not id-like. */
export function eventIdRanges(text: string): [string, string][] | null {
  const word = text.trim();
  if (PREFIX_ONLY.test(word)) return [range(EVENT_ID_PREFIX)];
  const ulid = WITH_PREFIX.exec(word)?.[1] ?? BARE_ULID.exec(word)?.[1];
  if (ulid === undefined) return null;
  // ULIDs are upper case (Crockford base32), but a sender may not be: as typed, upper and lower.
  const prefixes = new Set([ulid, ulid.toUpperCase(), ulid.toLowerCase()].map((part) => EVENT_ID_PREFIX + part));
  return [...prefixes].map(range);
}

/** Every string that starts with `prefix`, as a half-open range in SQLite's binary order. */
function range(prefix: string): [string, string] {
  const last = prefix.charCodeAt(prefix.length - 1);
  return [prefix, prefix.slice(0, -1) + String.fromCharCode(last + 1)];
}
