import type { DeliveryDetail, ExpectedDigest } from '../../shared/delivery';
import { fingerprint, sign, verifySignature, type SigningSecret } from '../profile/signature';
import type { StoredDeliveryDetail } from '../store/delivery-rows';

type Stored = Pick<StoredDeliveryDetail, 'signatureStatus' | 'signatureSecret' | 'signatureDiagnosis' | 'signatureReceived'>;

const named = (label: string, print: string): string => `'${label}' (${print})`;

/**
 * The Signature tab's facts, against the secrets active now: the digest each gives and a sentence
 * that speaks of the same secrets. The verdict itself (status, matched secret) stays the one made
 * on receipt, which is what the sender was answered; where the secrets changed since, the sentence
 * says what they make of it today.
 */
export function signatureShown(stored: Stored, body: Buffer | null, secrets: readonly SigningSecret[]): Pick<DeliveryDetail, 'signatureExpected' | 'signatureDiagnosis'> {
  const active = secrets.filter((secret) => !secret.retired);
  // Computed now, never stored: a database holding valid signatures for any body a stranger
  // sent would let its reader forge deliveries.
  const signatureExpected: ExpectedDigest[] = body
    ? active.map((secret) => ({ label: secret.label, fingerprint: fingerprint(secret.value), digest: sign(secret.value, body) }))
    : [];
  return { signatureExpected, signatureDiagnosis: diagnosisNow(stored, body, secrets, signatureExpected) };
}

function diagnosisNow(stored: Stored, body: Buffer | null, secrets: readonly SigningSecret[], expected: readonly ExpectedDigest[]): string | null {
  const received = stored.signatureReceived;
  if (!body || received === null) return stored.signatureDiagnosis;
  if (stored.signatureStatus === 'valid') {
    const matched = stored.signatureSecret;
    if (!matched || expected.some((entry) => entry.fingerprint === matched.fingerprint)) return stored.signatureDiagnosis;
    return `It matched secret ${named(matched.label, matched.fingerprint)} when it arrived; that secret is no longer active, so it is not among the digests below.`;
  }
  // Only these two depend on which secrets are active; missing and malformed are about the header.
  if (stored.signatureStatus !== 'invalid' && stored.signatureStatus !== 'unchecked') return stored.signatureDiagnosis;
  // Also the diagnosis of a large body, which the receiver leaves to when it is shown.
  const now = verifySignature(body, [received], secrets);
  if (now.status === stored.signatureStatus) return now.diagnosis;
  const then = stored.signatureStatus === 'invalid' ? 'No active secret matched when it arrived' : 'No signing secret was configured when it arrived, so it was not checked';
  if (now.status === 'valid' && now.matched) return `${then}; it matches secret ${named(now.matched.label, now.matched.fingerprint)}, active now.`;
  if (now.status === 'invalid') return `${then}. Against the secrets active now: ${now.diagnosis ?? 'it matches none of them.'}`;
  return `${then}. No secret is active now.`;
}
