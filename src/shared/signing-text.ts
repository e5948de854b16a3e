import type { Attempt } from './attempt';

/** How a request was signed, in a few words: "signed with 'current' (3f2a9c1e)", "no signature". */
export function signingText(attempt: Pick<Attempt, 'signature' | 'signedWith' | 'edited'>): string | null {
  const edited = attempt.edited ? 'edited, ' : '';
  switch (attempt.signature) {
    case 'valid':
      return `${edited}signed with '${attempt.signedWith?.label ?? '?'}' (${attempt.signedWith?.fingerprint ?? '?'})`;
    case 'tampered':
      return `signed with '${attempt.signedWith?.label ?? '?'}' (${attempt.signedWith?.fingerprint ?? '?'}), then tampered`;
    case 'invalid':
      return `${edited}an invalid signature`;
    case 'none':
      return `${edited}no signature`;
    case 'keep':
      return 'the signature as captured';
    default:
      return null;
  }
}
