import type { SecretInfo } from '../../../shared/api';

/** The secret that signs when none is chosen: the one the core names current (never just the newest added). */
export function currentSecretOf(secrets: readonly SecretInfo[]): SecretInfo | null {
  return secrets.find((secret) => secret.current) ?? secrets.find((secret) => !secret.retired) ?? null;
}
