import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { SignatureStatus } from '../../shared/reviewsense/catalogue';
import { plural } from '../../shared/plural';

/**
 * The ReviewSense signature scheme: `X-ReviewSense-Signature` is the lower-case hex
 * HMAC-SHA256 of the raw body bytes, keyed with the endpoint's signing secret.
 */

export interface SigningSecret {
  id: string;
  label: string;
  value: string;
  /** Retired secrets never make a delivery valid; they only explain why one failed. */
  retired?: boolean;
}

export interface SecretRef {
  id: string;
  label: string;
  fingerprint: string;
}

export interface SignatureCheck {
  status: SignatureStatus;
  /** The active secret the signature matched (status `valid` only). */
  matched: SecretRef | null;
  /** A sentence a developer can act on; null when valid. */
  diagnosis: string | null;
  /** The header value(s) as received, joined with ", " when repeated. */
  received: string | null;
  /** The digest the first active secret gives for this body. */
  expected: string | null;
}

const DIGEST_FORMAT = /^[0-9a-f]{64}$/;

export function sign(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

const fingerprints = new Map<string, string>();

/** Short public identifier of a secret (never enough to recover it). Cached: it is on the hot path. */
export function fingerprint(secret: string): string {
  let print = fingerprints.get(secret);
  if (print === undefined) {
    print = createHash('sha256').update(secret).digest('hex').slice(0, 8);
    if (fingerprints.size > 1000) fingerprints.clear();
    fingerprints.set(secret, print);
  }
  return print;
}

export function secretRef(secret: SigningSecret): SecretRef {
  return { id: secret.id, label: secret.label, fingerprint: fingerprint(secret.value) };
}

function digestMatches(secret: string, body: Buffer | string, received: Buffer): boolean {
  const expected = createHmac('sha256', secret).update(body).digest();
  return expected.length === received.length && timingSafeEqual(expected, received);
}

function findMatch(secrets: readonly SigningSecret[], body: Buffer | string, digestHex: string): SigningSecret | undefined {
  const received = Buffer.from(digestHex, 'hex');
  return secrets.find((secret) => digestMatches(secret.value, body, received));
}

function describe(secret: SigningSecret): string {
  return `'${secret.label}' (${fingerprint(secret.value)})`;
}

/**
 * Verifies a delivery. `headerValues` holds every value of the signature header, in order
 * (a repeated header is malformed: which copy would a handler read?).
 */
export function verifySignature(
  body: Buffer,
  headerValues: readonly string[],
  secrets: readonly SigningSecret[],
  options: { diagnose?: boolean } = {},
): SignatureCheck {
  const active = secrets.filter((secret) => !secret.retired);
  const received = headerValues.length > 0 ? headerValues.join(', ') : null;
  const expectedDigest = active[0] ? createHmac('sha256', active[0].value).update(body).digest() : null;
  const expected = expectedDigest ? expectedDigest.toString('hex') : null;
  const result = (status: SignatureStatus, diagnosis: string | null, matched: SecretRef | null = null): SignatureCheck => ({
    status,
    matched,
    diagnosis,
    received,
    expected,
  });

  if (headerValues.length === 0) {
    return result(
      'missing',
      'No X-ReviewSense-Signature header. ReviewSense signs every delivery, so this request did not come from ReviewSense, or something on the way stripped the header.',
    );
  }
  if (headerValues.length > 1) {
    return result(
      'malformed',
      `The X-ReviewSense-Signature header appears ${headerValues.length} times; ReviewSense sends it exactly once. A proxy on the way may be adding a copy.`,
    );
  }
  const value = headerValues[0] as string;
  if (!DIGEST_FORMAT.test(value)) {
    return result('malformed', diagnoseFormat(value, body, active));
  }
  if (active.length === 0) {
    return result('unchecked', 'No signing secret is configured, so the signature was not checked. Paste the endpoint’s signing secret to verify deliveries.');
  }
  // The first secret's digest is already computed: most deliveries match it.
  const receivedDigest = Buffer.from(value, 'hex');
  const match = expectedDigest && timingSafeEqual(expectedDigest, receivedDigest) ? active[0] : findMatch(active.slice(1), body, value);
  if (match) return result('valid', null, secretRef(match));
  // A mismatch diagnosis hashes the body once per idea it tests; on a large body the receiver
  // leaves it to when the delivery is shown.
  return result('invalid', options.diagnose === false ? null : diagnoseMismatch(value, body, secrets));
}

function diagnoseFormat(value: string, body: Buffer, active: readonly SigningSecret[]): string {
  const wouldMatch = (digest: string): string => {
    const match = DIGEST_FORMAT.test(digest) ? findMatch(active, body, digest) : undefined;
    return match ? ` Read that way it matches secret ${describe(match)}.` : '';
  };
  if (value.trim() === '') return 'The X-ReviewSense-Signature header is present but empty.';
  const prefixed = /^sha256=(.*)$/i.exec(value);
  if (prefixed) {
    return `The header has a "sha256=" prefix; ReviewSense sends the bare hex digest.${wouldMatch((prefixed[1] ?? '').toLowerCase())}`;
  }
  if (/^[0-9a-fA-F]{64}$/.test(value)) {
    return `The digest is upper-case hex; ReviewSense sends lower-case hex.${wouldMatch(value.toLowerCase())}`;
  }
  const head = /^([0-9a-fA-F]{64})(.+)$/s.exec(value);
  if (head) {
    const junk = head[2] as string;
    return `The header has ${plural(junk.length, 'extra character', 'extra characters')} after the 64-character digest (${JSON.stringify(junk.slice(0, 20))}).${wouldMatch((head[1] as string).toLowerCase())}`;
  }
  if (/^[0-9a-fA-F]+$/.test(value)) {
    return `The digest is ${value.length} hex characters long; an HMAC-SHA256 in hex is 64.`;
  }
  if (/^[A-Za-z0-9+/]{43}=$/.test(value)) {
    return 'The digest looks base64-encoded; ReviewSense sends it as 64 lower-case hex characters.';
  }
  return 'The header is not a hex digest: ReviewSense sends exactly 64 lower-case hex characters (0-9, a-f).';
}

function diagnoseMismatch(value: string, body: Buffer, secrets: readonly SigningSecret[]): string {
  const active = secrets.filter((secret) => !secret.retired);
  const retired = secrets.find((secret) => secret.retired && findMatch([secret], body, value));
  if (retired) {
    return `Matches your retired secret ${describe(retired)}: ReviewSense still signs with it. Finish the rotation in the dashboard, or add it back.`;
  }
  for (const secret of active) {
    const trimmed = secret.value.trim();
    if (trimmed !== secret.value && findMatch([{ ...secret, value: trimmed }], body, value)) {
      const what = /[\r\n]$/.test(secret.value) ? 'ends with a newline' : 'has surrounding whitespace';
      return `Secret ${describe(secret)} ${what}; the signature matches it without that. Paste the secret again without trailing whitespace.`;
    }
    for (const variant of prefixVariants(trimmed)) {
      if (findMatch([{ ...secret, value: variant.value }], body, value)) {
        return `Matches secret ${describe(secret)} ${variant.note}. Paste the signing secret exactly as the dashboard shows it.`;
      }
    }
  }
  for (const variant of bodyVariants(body)) {
    const match = findMatch(active, variant.body, value);
    if (match) return `Would match ${variant.note} (secret ${describe(match)}).`;
  }
  const list = active.map(describe).join(', ');
  return `The signature ${active.length === 1 ? 'does not match the active secret' : `matches none of the ${active.length} active secrets`} (${list}). Check that the signing secret shown for this endpoint in Dashboard → ReviewSense → Webhooks is the one configured here.`;
}

function prefixVariants(secret: string): { value: string; note: string }[] {
  return secret.startsWith('whsec_')
    ? [{ value: secret.slice('whsec_'.length), note: 'without its "whsec_" prefix' }]
    : [{ value: `whsec_${secret}`, note: 'with a "whsec_" prefix added' }];
}

/**
 * Re-serialising is the one diagnosis whose cost is not a hash over the body: it is tried only
 * on bodies of a size and depth ReviewSense sends, so a hostile body cannot stall the receiver.
 */
export const RESERIALIZE_LIMIT_BYTES = 256 * 1024;

function bodyVariants(body: Buffer): { body: Buffer | string; note: string }[] {
  const variants: { body: Buffer | string; note: string }[] = [];
  const text = body.toString('utf8');
  const withoutNewline = text.replace(/\r?\n$/, '');
  if (withoutNewline !== text) {
    variants.push({ body: withoutNewline, note: 'the body with its trailing newline removed: something after the signer appended one' });
  } else {
    variants.push({ body: `${text}\n`, note: 'the body with a trailing newline added: something after the signer removed one' });
  }
  if (body.length > RESERIALIZE_LIMIT_BYTES || nestsDeeperThan(body, MAX_JSON_DEPTH)) return variants;
  try {
    const compact = JSON.stringify(JSON.parse(text));
    if (compact !== text) {
      variants.push({ body: compact, note: 'the JSON re-serialized compactly: the sender signed a re-stringified object, not the bytes it sent' });
    }
  } catch {
    // Not JSON: no re-serialization to suggest.
  }
  return variants;
}
