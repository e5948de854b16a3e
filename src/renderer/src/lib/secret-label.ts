/**
 * The label the add-secret form starts with: "current" for the first secret, then "secret 2",
 * "secret 3", … — never one already in use (two secrets called "current" cannot be told apart in
 * a verdict), and never a claim about which is newer ("previous" is Rotate's word).
 */
export function newSecretLabel(secrets: readonly { label: string; retired: boolean }[]): string {
  const taken = new Set(secrets.map((secret) => secret.label));
  if (!taken.has('current') && !secrets.some((secret) => !secret.retired)) return 'current';
  let number = secrets.length + 1;
  while (taken.has(`secret ${number}`)) number += 1;
  return `secret ${number}`;
}
