import { forwardRef, lazy, Suspense, useEffect, type KeyboardEvent } from 'react';
import { comparePair } from '../store/compare-slice';
import type { DetailTab } from '../store/detail-slice';
import { toCurl } from '../lib/curl';
import { dateTime } from '../lib/format';
import { originalDeleted } from '../lib/original-link';
import { EventTypeLabel, SignatureBadge, StatusCode } from './badges';
import { useApp } from './context';
import { CopyButton } from './copy-button';
import { AttemptsTab } from './attempts-tab';
import { DeliveriesTab, HeadersTab, PayloadTab, SignatureTab } from './detail-tabs';
import { MoreMenu } from './more-menu';
import { ReplayMenu } from './replay-menu';
import { VerifyTab } from './verify-tab';

// The comparison's code (and its diff) loads when two deliveries are first compared.
const CompareView = lazy(async () => ({ default: (await import('./diff-view')).CompareView }));
const SelectionView = lazy(async () => ({ default: (await import('./diff-view')).SelectionView }));
const comparing = <p className="muted">Comparing…</p>;

const TABS: { id: DetailTab; label: string }[] = [
  { id: 'payload', label: 'Payload' },
  { id: 'headers', label: 'Headers' },
  { id: 'signature', label: 'Signature' },
  { id: 'deliveries', label: 'Deliveries' },
  { id: 'attempts', label: 'Attempts' },
  { id: 'verify', label: 'Verify' },
];

const tabId = (id: DetailTab) => `detail-tab-${id}`;
const panelId = (id: DetailTab) => `detail-panel-${id}`;

/**
 * The tab bar as ARIA tabs: one Tab stop (the chosen tab), ←/→ choose the one before or after
 * (around the ends), Home/End the first and last; the choice shows at once.
 */
function DetailTabs({ tab, setTab, counts }: { tab: DetailTab; setTab: (tab: DetailTab) => void; counts: Partial<Record<DetailTab, number>> }) {
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = TABS.findIndex(({ id }) => id === tab);
    const next =
      event.key === 'ArrowRight' ? (at + 1) % TABS.length : event.key === 'ArrowLeft' ? (at - 1 + TABS.length) % TABS.length : event.key === 'Home' ? 0 : event.key === 'End' ? TABS.length - 1 : null;
    const chosen = next === null ? undefined : TABS[next];
    if (!chosen) return;
    event.preventDefault();
    setTab(chosen.id);
    document.getElementById(tabId(chosen.id))?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label="Delivery views" onKeyDown={onKeyDown}>
      {TABS.map(({ id, label }) => (
        <button
          key={id}
          type="button"
          role="tab"
          id={tabId(id)}
          aria-controls={panelId(id)}
          aria-selected={tab === id}
          tabIndex={tab === id ? 0 : -1}
          className={tab === id ? 'tab active' : 'tab'}
          onClick={() => setTab(id)}
        >
          {label}
          {counts[id] !== undefined && <span className="tab-count">{counts[id]}</span>}
        </button>
      ))}
    </div>
  );
}

const IMPORTED_TITLE = "Brought in from another Hooklens's export, not received here";

export const DetailPane = forwardRef<HTMLElement>(function DetailPane(_props, ref) {
  const selectedId = useApp((s) => s.selectedId);
  const view = useApp((s) => s.view);
  const error = useApp((s) => s.detailError);
  const tab = useApp((s) => s.tab);
  const setTab = useApp((s) => s.setTab);
  const loadDetail = useApp((s) => s.loadDetail);
  const deleteSelected = useApp((s) => s.deleteSelected);
  const deleteError = useApp((s) => s.deleteError);
  const replayError = useApp((s) => s.replayError);
  const receiverUrl = useApp((s) => s.status?.receiver.url ?? null);
  const pairLeft = useApp((s) => comparePair(s)?.[0] ?? null);
  const pairRight = useApp((s) => comparePair(s)?.[1] ?? null);
  const alsoSelected = useApp((s) => s.alsoSelected);

  useEffect(() => {
    void loadDetail(selectedId);
  }, [selectedId, loadDetail]);

  if (selectedId === null) {
    return (
      <section className="detail empty" ref={ref} tabIndex={-1} aria-label="Delivery detail">
        <p className="muted">Select a delivery to see its payload, headers and signature. ↑/↓ or j/k to move, Enter to open, / to search; Ctrl/⌘-click a second row, or Shift+↓ in the feed, to compare the two.</p>
      </section>
    );
  }
  if (pairLeft !== null && pairRight !== null) {
    return (
      <section className="detail" ref={ref} tabIndex={-1} aria-label="Delivery detail">
        <Suspense fallback={comparing}>
          <CompareView pair={[pairLeft, pairRight]} />
        </Suspense>
      </section>
    );
  }
  if (alsoSelected.length > 1) {
    return (
      <section className="detail" ref={ref} tabIndex={-1} aria-label="Delivery detail">
        <Suspense fallback={comparing}>
          <SelectionView ids={[selectedId, ...alsoSelected]} />
        </Suspense>
      </section>
    );
  }
  if (error) {
    return (
      <section className="detail" ref={ref} tabIndex={-1} aria-label="Delivery detail">
        <p className="notice error" role="alert">
          {error}
        </p>
      </section>
    );
  }
  if (!view || view.delivery.id !== selectedId) {
    return <section className="detail" ref={ref} tabIndex={-1} aria-label="Delivery detail" aria-busy="true" />;
  }
  const { delivery } = view;
  const counts: Partial<Record<DetailTab, number>> = { deliveries: view.related.length, attempts: view.attempts.length, headers: delivery.headers.length };
  return (
    <section className="detail" ref={ref} tabIndex={-1} aria-label="Delivery detail">
      <header className="detail-header">
        <h2 className="detail-title">
          <EventTypeLabel type={delivery.eventType} fallback={`${delivery.method} ${delivery.path}`} />
          <span className="mono">{delivery.eventId ?? 'no event id'}</span>
          <SignatureBadge status={delivery.signatureStatus} />
          <StatusCode status={delivery.responseStatus} />
          {delivery.imported && (
            <span className="badge imported" title={IMPORTED_TITLE} data-testid="imported">
              imported
            </span>
          )}
        </h2>
        <div className="detail-meta muted">
          #{delivery.id} · {dateTime(delivery.receivedAt)}
          {delivery.unverifiedClaim
            ? ` · unverified claim of this event id, not counted ${delivery.duplicateOf !== null ? `(verified original #${delivery.duplicateOf}${originalDeleted(view) ? ', deleted' : ''})` : '(no verified delivery of it yet)'}`
            : delivery.duplicateOf !== null && ` · duplicate of #${delivery.duplicateOf}${originalDeleted(view) ? ' (original deleted)' : ''}`}
          {delivery.rejection && ` · ${delivery.rejection}`}
          {delivery.imported && ' · imported from another Hooklens'}
          {delivery.answerLost && <span className="error-text"> · {delivery.answerLost}</span>}
        </div>
        <div className="detail-actions">
          <ReplayMenu delivery={delivery} />
          <CopyButton
            text={receiverUrl ? toCurl(delivery, new URL(receiverUrl).origin + delivery.path) : null}
            label="Copy as cURL"
            title="A curl command that re-sends these exact bytes, headers, method and path (edit the address to aim it at your app)"
          />
          <button type="button" className="button small danger" onClick={() => void deleteSelected()}>
            Delete
          </button>
          <MoreMenu delivery={delivery} />
          {(deleteError ?? replayError) && (
            <span className="error-text" role="alert">
              {deleteError ?? replayError}
            </span>
          )}
        </div>
      </header>
      <DetailTabs tab={tab} setTab={setTab} counts={counts} />
      <div role="tabpanel" id={panelId(tab)} aria-labelledby={tabId(tab)} tabIndex={0} className="tab-panel">
        {tab === 'payload' && <PayloadTab key={view.delivery.id} view={view} />}
        {tab === 'headers' && <HeadersTab view={view} />}
        {tab === 'signature' && <SignatureTab view={view} />}
        {tab === 'deliveries' && <DeliveriesTab view={view} />}
        {tab === 'attempts' && <AttemptsTab view={view} />}
        {tab === 'verify' && <VerifyTab view={view} />}
      </div>
    </section>
  );
});
