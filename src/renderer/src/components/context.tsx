import { createContext, useContext } from 'react';
import type { Api } from '../../../shared/api';
import { useAppStore, type AppState, type AppStore } from '../store';

export const AppContext = createContext<{ store: AppStore; api: Api } | null>(null);

function useAppContext() {
  const context = useContext(AppContext);
  if (!context) throw new Error('AppContext missing');
  return context;
}

export function useApp<T>(selector: (state: AppState) => T): T {
  return useAppStore(useAppContext().store, selector);
}

export function useStoreApi(): AppStore {
  return useAppContext().store;
}
