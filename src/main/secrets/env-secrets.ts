/** Secrets from HOOKLENS_SECRET (comma-separated), labelled so a diagnosis can name them. */
export function secretsFromEnv(env: NodeJS.ProcessEnv): { label: string; value: string }[] {
  return (env.HOOKLENS_SECRET ?? '')
    .split(',')
    .filter((value) => value.trim() !== '')
    .map((value, index) => ({ label: `HOOKLENS_SECRET ${index + 1}`, value }));
}
