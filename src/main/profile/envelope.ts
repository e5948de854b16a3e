import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { ENVELOPE_KEYS, ENVELOPE_KEYS_TEXT, envelopeSchema } from '../../shared/reviewsense/catalogue';
import { headerValues } from '../util/header-pairs';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';

/** What the receiver learns from a body about the ReviewSense envelope inside it. */
export interface EnvelopeReading {
  eventId: string | null;
  eventType: string | null;
  /** The decoded payload text, for full-text search; null when there is none. */
  text: string | null;
  /** Why this is not a ReviewSense envelope; null when it is one. */
  problem: string | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

const DECODERS: Record<string, (body: Buffer, maxOutputLength: number) => Buffer> = {
  gzip: (body, maxOutputLength) => gunzipSync(body, { maxOutputLength }),
  'x-gzip': (body, maxOutputLength) => gunzipSync(body, { maxOutputLength }),
  deflate: (body, maxOutputLength) => inflateSync(body, { maxOutputLength }),
  br: (body, maxOutputLength) => brotliDecompressSync(body, { maxOutputLength }),
};

/**
 * Reads the envelope of a body as received. A `Content-Encoding` is undone for reading only:
 * the stored bytes, and the signature check, stay exactly what arrived.
 */
export function readEnvelope(raw: Buffer, contentEncoding: string | null, maxDecodedBytes: number): EnvelopeReading {
  const none = (problem: string, text: string | null = null): EnvelopeReading => ({ eventId: null, eventType: null, text, problem });
  if (raw.length === 0) return none('The body is empty; ReviewSense always sends a JSON envelope.');

  let body = raw;
  const encoding = contentEncoding?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    const decode = DECODERS[encoding];
    if (!decode) return none(`The body is encoded with "${contentEncoding}", which Hooklens cannot decode; it is stored as received.`);
    try {
      body = decode(raw, maxDecodedBytes);
    } catch (error) {
      return none(`The body says Content-Encoding: ${contentEncoding} but does not decode: ${(error as Error).message}.`);
    }
  }

  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return none('The body is not valid UTF-8; ReviewSense sends UTF-8 JSON.');
  }
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
    return none(`The JSON nests more than ${MAX_JSON_DEPTH} levels deep, so it was not parsed; a ReviewSense envelope nests a few.`);
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return none(`The body is not valid JSON: ${(error as Error).message}.`, text);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return none(`The JSON body is not an object; a ReviewSense envelope is an object with ${ENVELOPE_KEYS_TEXT}.`, text);
  }
  const envelope = parsed as Record<string, unknown>;
  // Each read as the catalogue's envelope types it; an id or type of another kind is none at all.
  const eventId = envelopeSchema.shape.id.safeParse(envelope.id).data ?? null;
  const eventType = envelopeSchema.shape.type.safeParse(envelope.type).data ?? null;
  const missing = ENVELOPE_KEYS.filter((key) => !(key in envelope));
  const problem = missing.length > 0 ? `The envelope lacks ${missing.map((key) => `"${key}"`).join(', ')}.` : null;
  return { eventId, eventType, text, problem };
}

/** How far a stored body is decoded when read again (import, search catch-up): no request is larger. */
const MAX_STORED_DECODED_BYTES = 64 * 1024 * 1024;

/** The envelope of a request kept as bytes and [name, value] header pairs (an import, a stored row). */
export function readStoredEnvelope(raw: Buffer, headers: readonly (readonly [string, string])[]): EnvelopeReading {
  return readEnvelope(raw, headerValues(headers, 'content-encoding')[0] ?? null, MAX_STORED_DECODED_BYTES);
}
