/**
 * A small value kept for the next visit (the last Check target): in localStorage when the page
 * has one, else only for this session. Never a secret.
 */
export function remembered(key: string): { get: () => string | null; set: (value: string) => void } {
  let value: string | null = null;
  const storage = (): Storage | null => {
    try {
      return typeof localStorage === 'undefined' ? null : localStorage;
    } catch {
      return null;
    }
  };
  try {
    value = storage()?.getItem(key) ?? null;
  } catch {
    value = null;
  }
  return {
    get: () => value,
    set(next) {
      value = next;
      try {
        storage()?.setItem(key, next);
      } catch {
        // Storage full or refused: remembered for this session only.
      }
    },
  };
}
