import { useRef } from 'react';
import { Announcements } from './announcements';
import { CheckPanel } from './check-panel';
import { ComposerDialog } from './composer-dialog';
import { useApp, useStoreApi } from './context';
import { DetailPane } from './detail-pane';
import { ExportDialog } from './export-dialog';
import { FeedList } from './feed-list';
import { FilterBar } from './filter-bar';
import { FirstRunGuide } from './first-run-guide';
import { LargeDatabaseNotice } from './large-database-notice';
import { SettingsPanel } from './settings-panel';
import { SimulateDialog } from './simulate-dialog';
import { StatusBar } from './status-bar';
import { Toast } from './toast';
import { useKeyboard } from './use-keyboard';

export function App() {
  const store = useStoreApi();
  const search = useRef<HTMLInputElement>(null);
  const detail = useRef<HTMLElement>(null);
  const items = useApp((s) => s.items);
  const total = useApp((s) => s.status?.counts.total ?? null);
  const feedError = useApp((s) => s.feedError);
  const statusError = useApp((s) => s.statusError);
  const openSettings = useApp((s) => s.openSettings);
  const openComposer = useApp((s) => s.openComposer);
  const openCheck = useApp((s) => s.openCheck);
  const tunnelNotice = useApp((s) => s.status?.tunnel.notice ?? null);
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
        <div className="feed-pane">{firstRun ? <FirstRunGuide /> : items.length === 0 ? <p className="notice">No delivery matches these filters.</p> : <FeedList />}</div>
        <DetailPane ref={detail} />
      </main>
      <StatusBar />
      <SettingsPanel />
      <ComposerDialog />
      <CheckPanel />
      <SimulateDialog />
      <ExportDialog />
      <Toast />
      <Announcements />
    </div>
  );
}
