import type { AppState } from './index';

/** The state fields that hold "why the last action of this kind failed". */
export type ErrorField = { [K in keyof AppState]: AppState[K] extends string | null ? (string | null extends AppState[K] ? K : never) : never }[keyof AppState];

/**
 * Runs a call whose failure must be shown, not thrown: true when it worked (the field cleared),
 * false with the reason in `field`. Click handlers can then `void` it safely.
 */
export function actionRunner(set: (partial: Partial<AppState>) => void, field: ErrorField) {
  return async (action: () => Promise<void>): Promise<boolean> => {
    try {
      await action();
      set({ [field]: null } as Partial<AppState>);
      return true;
    } catch (error) {
      set({ [field]: (error as Error).message } as Partial<AppState>);
      return false;
    }
  };
}
