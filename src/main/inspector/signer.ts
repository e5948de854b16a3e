import type { SignedWith } from '../../shared/attempt';
import type { SignatureVariant } from '../../shared/outgoing';
import { ApiInputError } from '../../shared/validate';
import { fingerprint, type SigningSecret } from '../profile/signature';

/** Which secret signs an outgoing request, and how the request names it. */
export function createSigner(options: { secrets: () => readonly SigningSecret[]; currentSecret: () => SigningSecret | null }) {
  /** The secret chosen by id, or the current one when none is chosen; null when there is none. */
  function secret(secretId: string | null | undefined): SigningSecret | null {
    if (secretId === null || secretId === undefined) return options.currentSecret();
    const found = options.secrets().find((each) => each.id === secretId);
    if (!found) throw new ApiInputError(`No signing secret with id ${secretId}; pick one from Settings.`);
    return found;
  }

  return {
    secret,
    /** The chosen secret's value, for the check and the simulator (which sign each request themselves). */
    value: (secretId: string | null | undefined): string | null => secret(secretId)?.value ?? null,
    /** The secret a variant signs with (valid, tampered), or null (none, invalid, keep). */
    forVariant: (variant: SignatureVariant, secretId: string | null | undefined): SigningSecret | null =>
      variant === 'valid' || variant === 'tampered' ? secret(secretId) : null,
    /** How every screen names the secret that signed: label and fingerprint. */
    signedWith: (secretUsed: SigningSecret | null): SignedWith | null => (secretUsed ? { label: secretUsed.label, fingerprint: fingerprint(secretUsed.value) } : null),
  };
}

export type Signer = ReturnType<typeof createSigner>;
