import { lazy, Suspense, useRef, type ComponentType, type ReactNode } from 'react';
import { Announcements } from './announcements';
import { useApp, useStoreApi } from './context';
import { DetailPane } from './detail-pane';
import { FeedList } from './feed-list';
import { FilterBar } from './filter-bar';
import { FirstRunGuide } from './first-run-guide';
import { LargeDatabaseNotice } from './large-database-notice';
import { StatusBar } from './status-bar';
import { Toast } from './toast';
import { useKeyboard } from './use-keyboard';

/**
 * A drawer's code, out of the first paint's script (which holds the feed and the detail): loaded
 * when first opened, or by `preloadDrawers` once the first rows are painted.
 */
const loaders: (() => Promise<unknown>)[] = [];
function whenOpened<M>(load: () => Promise<M>, name: keyof M) {
  loaders.push(load);
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
}
const SettingsPanel = whenOpened(() => import('./settings-panel'), 'SettingsPanel');
const ComposerDialog = whenOpened(() => import('./composer-dialog'), 'ComposerDialog');
const CheckPanel = whenOpened(() => import('./check-panel'), 'CheckPanel');
const SimulateDialog = whenOpened(() => import('./simulate-dialog'), 'SimulateDialog');
const ExportDialog = whenOpened(() => import('./export-dialog'), 'ExportDialog');

/** Fetches every drawer's code in the background, so a first `n` or click opens it at once. */
export function preloadDrawers(): void {
  for (const load of loaders) void load().catch(() => undefined);
}

/** Each drawer on its own boundary: one loading never hides another that is open. */
function Opened({ when, children }: { when: boolean; children: ReactNode }) {
  return when ? <Suspense fallback={null}>{children}</Suspense> : null;
}

export function App() {
  const store = useStoreApi();
  const search = useRef<HTMLInputElement>(null);
  const detail = useRef<HTMLElement>(null);
  const items = useApp((s) => s.items);
  const feedLoaded = useApp((s) => s.feedLoaded);
  const total = useApp((s) => s.status?.counts.total ?? null);
  const feedError = useApp((s) => s.feedError);
  const statusError = useApp((s) => s.statusError);
  const openSettings = useApp((s) => s.openSettings);
  const openComposer = useApp((s) => s.openComposer);
  const openCheck = useApp((s) => s.openCheck);
  const tunnelNotice = useApp((s) => s.status?.tunnel.notice ?? null);
  const settingsOpen = useApp((s) => s.settingsOpen);
  const composerOpen = useApp((s) => s.composer !== null);
  const checkOpen = useApp((s) => s.checkOpen);
  const simulateOpen = useApp((s) => s.simulateSource !== null);
  const exportOpen = useApp((s) => s.exportRequest !== null);
  useKeyboard(store, search, detail);

  const firstRun = total === 0;
  return (
    <div className="app">
      <header className="toolbar">
        <h1 className="brand">Hooklens</h1>
        <FilterBar ref={search} />
        <button type="button" className="button accent" onClick={() => void openComposer()} title="Forge a signed ReviewSense event (n)">
          Send test event
        </button>
        <button type="button" className="button" onClick={openCheck} title="Probe your webhook handler as ReviewSense and a forger would">
          Check endpoint
        </button>
        <button type="button" className="button" onClick={() => openSettings(true)}>
          Settings
        </button>
      </header>
      {(feedError || statusError) && (
        <p className="notice error" role="alert">
          {feedError ?? statusError}
        </p>
      )}
      {tunnelNotice && (
        <p className="notice warn" role="status" data-testid="tunnel-notice">
          {tunnelNotice}
        </p>
      )}
      <LargeDatabaseNotice />
      <main className="panes">
        <div className="feed-pane">
          {firstRun ? (
            <FirstRunGuide />
          ) : items.length > 0 ? (
            <FeedList />
          ) : feedLoaded ? (
            <p className="notice">No delivery matches these filters.</p>
          ) : (
            <p className="notice" role="status">
              Loading deliveries…
            </p>
          )}
        </div>
        <DetailPane ref={detail} />
      </main>
      <StatusBar />
      <Opened when={settingsOpen}>
        <SettingsPanel />
      </Opened>
      <Opened when={composerOpen}>
        <ComposerDialog />
      </Opened>
      <Opened when={checkOpen}>
        <CheckPanel />
      </Opened>
      <Opened when={simulateOpen}>
        <SimulateDialog />
      </Opened>
      <Opened when={exportOpen}>
        <ExportDialog />
      </Opened>
      <Toast />
      <Announcements />
    </div>
  );
}
