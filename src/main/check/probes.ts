import { randomBytes } from 'node:crypto';
import { SIGNATURE_HEADER_NAME } from '../../shared/outgoing';
import { EVENT_TYPES, type EventType } from '../../shared/reviewsense/catalogue';
import { sampleEvent } from '../profile/samples';
import { sign } from '../profile/signature';
import { tamper } from '../sender/signing';

/** A request a probe sends: the body and the signature header it carries (or none). */
export interface ProbeRequest {
  body: Buffer;
  signature: string | null;
}

export interface ForgeryProbe {
  name: string;
  /** What is wrong with the request, for the report. */
  what: string;
  build: (secret: string) => ProbeRequest;
}

/** An event of `type` as ReviewSense would send it: compact JSON, a fresh id. */
export function eventBody(type: EventType): Buffer {
  return Buffer.from(JSON.stringify(sampleEvent(type)));
}

export const ANOTHER_SECRET = 'whsec_hooklens_check_another_endpoint';

/**
 * Requests a correct handler must refuse with a 4xx. Each one catches a real mistake: no
 * verification at all, checking only presence or format, comparing loosely, or verifying
 * re-serialised JSON instead of the raw bytes.
 */
export const FORGERY_PROBES: readonly ForgeryProbe[] = [
  {
    name: 'forged: missing signature',
    what: 'no X-ReviewSense-Signature header',
    build: () => ({ body: eventBody('review.analysed'), signature: null }),
  },
  {
    name: 'forged: invalid signature',
    what: '64 lower-case hex characters that are no HMAC of this body',
    build: () => ({ body: eventBody('review.analysed'), signature: randomBytes(32).toString('hex') }),
  },
  {
    name: 'forged: signed with another secret',
    what: "a genuine HMAC-SHA256, made with another endpoint's secret",
    build: () => {
      const body = eventBody('review.flagged');
      return { body, signature: sign(ANOTHER_SECRET, body) };
    },
  },
  {
    name: 'malformed: wrong length',
    what: 'the right digest cut to 63 characters',
    build: (secret) => {
      const body = eventBody('review.analysed');
      return { body, signature: sign(secret, body).slice(0, 63) };
    },
  },
  {
    name: 'malformed: upper-case',
    what: 'the right digest in upper-case hex (ReviewSense sends lower-case)',
    build: (secret) => {
      const body = eventBody('review.analysed');
      return { body, signature: sign(secret, body).toUpperCase() };
    },
  },
  {
    name: 'malformed: sha256= prefix',
    what: 'the right digest behind a "sha256=" prefix (ReviewSense sends the bare digest)',
    build: (secret) => {
      const body = eventBody('review.analysed');
      return { body, signature: `sha256=${sign(secret, body)}` };
    },
  },
  {
    name: 'forged: body tampered after signing',
    what: 'signed, then a field added to the body',
    build: (secret) => {
      const body = eventBody('quota.exceeded');
      return { body: tamper(body), signature: sign(secret, body) };
    },
  },
  {
    name: 'forged: re-serialised body',
    what: 'the same JSON as other bytes (pretty-printed), signed over the compact form',
    build: (secret) => {
      const compact = eventBody('review.analysed');
      return { body: Buffer.from(JSON.stringify(JSON.parse(compact.toString()), null, 2)), signature: sign(secret, compact) };
    },
  },
];

export const DELIVERY_TYPES: readonly EventType[] = EVENT_TYPES;

export function headersFor(request: ProbeRequest): [string, string][] {
  const headers: [string, string][] = [
    ['Content-Type', 'application/json'],
    ['User-Agent', 'Hooklens check (ReviewSense webhook conformance)'],
  ];
  if (request.signature !== null) headers.push([SIGNATURE_HEADER_NAME, request.signature]);
  return headers;
}
