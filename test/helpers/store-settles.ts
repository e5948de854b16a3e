import type { StoreApi } from 'zustand/vanilla';

/**
 * Resolves with what `read` returns once it is not undefined, looked at on every change of the
 * store: it waits for the state itself, not for a clock, so a slow machine makes it late, never wrong.
 * A state that never comes ends the test at its timeout.
 */
export function storeSettles<S, T>(store: StoreApi<S>, read: (state: S) => T | undefined): Promise<T> {
  return new Promise((resolve) => {
    const now = read(store.getState());
    if (now !== undefined) return resolve(now);
    const unsubscribe = store.subscribe((state) => {
      const value = read(state);
      if (value === undefined) return;
      unsubscribe();
      resolve(value);
    });
  });
}
