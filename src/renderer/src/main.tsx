import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { resolveApi } from './bridge';
import { App, preloadDrawers } from './components/app';
import { AppContext } from './components/context';
import { whenIdle } from './lib/when-idle';
import { connectStore, createAppStore } from './store';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);

/**
 * How long the first render waits for the first page and the counts. Rendered at once, the empty
 * shell's render and frame came before the rows', which then waited for it; together they take
 * one frame (~40 ms sooner at p50 over 30 loads of each here). A slower core gets the shell after
 * this, its feed saying it is loading.
 */
const FIRST_RENDER_WAIT_MS = 300;

try {
  const api = resolveApi();
  const store = createAppStore(api);
  connectStore(store, api);
  // The first page and the status are asked for at once. What only drawers and menus show, and the
  // drawers' code, wait for an idle page after the rows: right after their frame is committed it is
  // still being rastered, and on a small machine eight answers' renders would delay it.
  const state = store.getState();
  const statusLoaded = state.loadStatus();
  const firstPage = state.loadFeed();
  void firstPage.finally(() =>
    whenIdle(() => {
      void state.loadSettings();
      void state.loadOutgoing();
      void state.loadStorage();
      preloadDrawers();
    }, 1000),
  );
  const firstAnswers = Promise.allSettled([statusLoaded, firstPage]);
  const patience = new Promise((resolve) => setTimeout(resolve, FIRST_RENDER_WAIT_MS));
  void Promise.race([firstAnswers, patience]).then(() =>
    root.render(
      <StrictMode>
        <AppContext.Provider value={{ store, api }}>
          <App />
        </AppContext.Provider>
      </StrictMode>,
    ),
  );
} catch (error) {
  root.render(<p className="notice error">{(error as Error).message}</p>);
}
