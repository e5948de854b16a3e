/** Secrets from HOOKLENS_SECRET (comma-separated), labelled so a diagnosis can name them. */
export function secretsFromEnv(env: NodeJS.ProcessEnv): { label: string; value: string }[] {
  return (env.HOOKLENS_SECRET ?? '')
    .split(',')
    // "a, b" is two secrets, not one with a leading space: no real secret starts with a blank.
    .map((value) => value.trim())
    .filter((value) => value !== '')
    .map((value, index) => ({ label: `HOOKLENS_SECRET ${index + 1}`, value }));
}
