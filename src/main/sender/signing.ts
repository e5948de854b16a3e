import { randomBytes } from 'node:crypto';
import { SIGNATURE_HEADER } from '../../shared/reviewsense/catalogue';
import { SIGNATURE_HEADER_NAME, type SignatureVariant } from '../../shared/outgoing';
import { sign } from '../profile/signature';

export interface Signed {
  headers: [string, string][];
  body: Buffer;
  /** The signature header sent, or null. */
  signature: string | null;
}

/** A body changed after signing: a field added right after the opening brace keeps it JSON. */
export function tamper(body: Buffer): Buffer {
  const text = body.toString('utf8');
  const brace = text.indexOf('{');
  if (brace === -1) return Buffer.concat([body, Buffer.from(' ')]);
  return Buffer.from(`${text.slice(0, brace + 1)}"tampered":true,${text.slice(brace + 1)}`);
}

/**
 * The headers and body to send for a signature variant. Every signature is computed over the
 * exact bytes that go out (for `tampered`: the bytes before the change, which is the point).
 * Any signature header among `headers` is replaced, except for `keep`.
 */
export function applySignature(variant: SignatureVariant, secret: string | null, headers: readonly [string, string][], body: Buffer): Signed {
  if (variant === 'keep') {
    const kept = headers.find(([name]) => name.toLowerCase() === SIGNATURE_HEADER)?.[1] ?? null;
    return { headers: [...headers], body, signature: kept };
  }
  const others = headers.filter(([name]) => name.toLowerCase() !== SIGNATURE_HEADER);
  if (variant === 'none') return { headers: others, body, signature: null };
  if ((variant === 'valid' || variant === 'tampered') && secret === null) {
    throw new Error(`A ${variant} signature needs a signing secret: add one in Settings, or pass --secret.`);
  }
  const signature = variant === 'invalid' ? sign(`whsec_${randomBytes(18).toString('base64url')}`, body) : sign(secret as string, body);
  return { headers: [...others, [SIGNATURE_HEADER_NAME, signature]], body: variant === 'tampered' ? tamper(body) : body, signature };
}
