import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { resolveApi } from './bridge';
import { App } from './components/app';
import { AppContext } from './components/context';
import { connectStore, createAppStore } from './store';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);

try {
  const api = resolveApi();
  const store = createAppStore(api);
  connectStore(store, api);
  // Ask for the first page while React is still starting.
  const state = store.getState();
  void state.loadStatus();
  void state.loadFeed();
  void state.loadSettings();
  void state.loadOutgoing();
  void state.loadStorage();
  root.render(
    <StrictMode>
      <AppContext.Provider value={{ store, api }}>
        <App />
      </AppContext.Provider>
    </StrictMode>,
  );
} catch (error) {
  root.render(<p className="notice error">{(error as Error).message}</p>);
}
