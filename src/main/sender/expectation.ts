import { SIGNATURE_HEADER } from '../../shared/reviewsense/catalogue';
import type { SignatureStatus } from '../../shared/reviewsense/catalogue';
import type { SignatureVariant } from '../../shared/outgoing';
import type { Expectation } from '../../shared/reviewsense/verdict';
import { verifySignature, type SigningSecret } from '../profile/signature';
import { headerValues } from '../util/header-pairs';

/** A request signed as asked: a valid signature must be accepted, any broken one refused. */
export function expectationOfVariant(variant: Exclude<SignatureVariant, 'keep'>): Expectation {
  return variant === 'valid' ? 'accept' : 'refuse';
}

/**
 * A captured request sent as it is: accepted when its signature verifies against an active
 * secret, refused when it does not. With no secret to check against, the verdict it got when it
 * arrived decides (`unchecked` counts as genuine, as it did then).
 */
export function expectationOfCaptured(body: Buffer, headers: readonly [string, string][], secrets: readonly SigningSecret[], storedStatus: SignatureStatus): Expectation {
  const active = secrets.filter((secret) => !secret.retired);
  if (active.length === 0) return storedStatus === 'valid' || storedStatus === 'unchecked' ? 'accept' : 'refuse';
  return verifySignature(body, headerValues(headers, SIGNATURE_HEADER), active).status === 'valid' ? 'accept' : 'refuse';
}
