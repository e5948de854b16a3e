import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RelayTokenHash } from '../store/relay-tokens-repository';

const PREFIX = 'hlr_';
/** Names a person can read in a list and a terminal: no spaces, no control characters. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/** A new subscriber token: 256 random bits; the relay keeps only its hash. */
export function newToken(): string {
  return `${PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** 256 random bits need no slow hash: SHA-256 cannot be reversed, and guessing is hopeless. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function tokenNameProblem(name: string): string | null {
  return NAME.test(name) ? null : `A token name is 1–64 letters, digits and . _ @ - (starting with a letter or digit), got "${name}".`;
}

export type TokenCheck = { ok: true; id: number; name: string } | { ok: false; revoked: string | null };

/**
 * Compares a presented token's hash with every stored one, each in constant time and without
 * stopping at a match, so the time taken says nothing about which hash, or how much of one, matched.
 */
export function checkToken(presented: string, stored: readonly RelayTokenHash[]): TokenCheck {
  const hash = hashToken(presented);
  let match: RelayTokenHash | null = null;
  for (const candidate of stored) {
    if (candidate.hash.length === hash.length && timingSafeEqual(candidate.hash, hash) && match === null) match = candidate;
  }
  if (match === null) return { ok: false, revoked: null };
  return match.revoked ? { ok: false, revoked: match.name } : { ok: true, id: match.id, name: match.name };
}
