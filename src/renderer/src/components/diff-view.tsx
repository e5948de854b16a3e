import { Fragment, useEffect, type ReactNode } from 'react';
import type { DeliveryView } from '../../../shared/api';
import type { DeliveryDiff, JsonChange } from '../../../shared/delivery-diff';
import { dateTime } from '../lib/format';
import { EventTypeLabel, SignatureBadge } from './badges';
import { useApp } from './context';
import { HeaderValue } from './digest';
import { MoreMenu } from './more-menu';

const VALUE_MAX = 300;

function valueText(value: unknown): string {
  if (value === undefined) return '—';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > VALUE_MAX ? `${text.slice(0, VALUE_MAX)}…` : text;
}

function changeValues(change: JsonChange): { before: string; after: string } {
  if (change.kind === 'moved') return { before: (change.before as string[]).join(', '), after: (change.after as string[]).join(', ') };
  return { before: valueText(change.before), after: valueText(change.after) };
}

function Side({ view, role }: { view: DeliveryView; role: string }) {
  const { delivery } = view;
  return (
    <div className="diff-side">
      <span className="muted">{role}</span> <strong>#{delivery.id}</strong> <EventTypeLabel type={delivery.eventType} fallback={`${delivery.method} ${delivery.path}`} />{' '}
      <SignatureBadge status={delivery.signatureStatus} /> <span className="muted">{dateTime(delivery.receivedAt)}</span>
    </div>
  );
}

function JsonChanges({ diff }: { diff: DeliveryDiff }) {
  if (!diff.json) return <p className="notice">The bodies are not both JSON objects, so they are compared as bytes: {diff.sameBytes ? 'the bytes are identical.' : 'the bytes differ.'}</p>;
  if (diff.changes.length === 0) return <p className="notice">{diff.sameBytes ? 'The bodies are identical, byte for byte.' : 'The JSON is equal; only the bytes differ (see above).'}</p>;
  return (
    <table className="list diff-changes" data-testid="json-changes">
      <thead>
        <tr>
          <th>Change</th>
          <th>Path</th>
          <th>Before → after</th>
        </tr>
      </thead>
      <tbody>
        {diff.changes.map((change, index) => {
          const { before, after } = changeValues(change);
          return (
            <tr key={index} className={`change-${change.kind}`}>
              <td className={`change-kind ${change.kind}`}>{change.kind}</td>
              <td className="mono">{change.path}</td>
              <td className="mono diff-values">
                {change.kind !== 'added' && <span className="before">{before}</span>}
                {change.kind !== 'added' && change.kind !== 'removed' && ' → '}
                {change.kind !== 'removed' && <span className="after">{after}</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** One side's values of a header, a line each (a repeated header has several). */
function Values({ values }: { values: string[] }) {
  if (values.length === 0) return <>—</>;
  return values.map((value, index) => (
    <Fragment key={index}>
      {index > 0 && '\n'}
      <HeaderValue value={value} />
    </Fragment>
  ));
}

function HeaderRows({ diff, left, right }: { diff: DeliveryDiff; left: number; right: number }) {
  return (
    <table className="kv mono diff-headers" data-testid="header-diff">
      <thead>
        <tr>
          <th>
            <span className="visually-hidden">Header</span>
          </th>
          <th>#{left}</th>
          <th>#{right}</th>
        </tr>
      </thead>
      <tbody>
        {diff.headers.map((row) => (
          <tr key={row.name} className={row.same ? undefined : 'changed'}>
            <th>
              {!row.same && (
                <span className="changed-mark" title="Differs">
                  ≠{' '}
                </span>
              )}
              {row.name}
            </th>
            <td>
              <Values values={row.left} />
            </td>
            <td>
              <Values values={row.right} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The header of a comparison or a selection: its title, the ⋯ menu, and the way back to one delivery. */
function CompareHeader({ closeLabel, onClose, children }: { closeLabel: string; onClose: () => void; children: ReactNode }) {
  return (
    <header className="detail-header">
      <div className="detail-title">{children}</div>
      <div className="detail-actions">
        <MoreMenu />
        <button type="button" className="button small" onClick={onClose} title="Back to one delivery (Esc)">
          {closeLabel}
        </button>
      </div>
    </header>
  );
}

/** Two selected deliveries side by side: the JSON by path, the headers, and the byte-level note. */
export function CompareView({ pair }: { pair: [number, number] }) {
  const comparison = useApp((s) => s.comparison);
  const error = useApp((s) => s.compareError);
  const load = useApp((s) => s.loadComparison);
  const end = useApp((s) => s.endComparison);
  const [leftId, rightId] = pair;
  useEffect(() => {
    void load([leftId, rightId]);
  }, [load, leftId, rightId]);
  const ready = comparison && comparison.left.delivery.id === leftId && comparison.right.delivery.id === rightId ? comparison : null;
  const retryOf = ready && ready.right.delivery.duplicateOf === leftId;
  return (
    <div className="compare" aria-busy={!ready && !error}>
      <CompareHeader closeLabel="Close comparison" onClose={end}>
        <h2>
          Comparing #{leftId} and #{rightId}
        </h2>
        {retryOf && <span className="muted">a retry and its original</span>}
      </CompareHeader>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      {ready && (
        <>
          <Side view={ready.left} role={retryOf ? 'original' : 'older'} />
          <Side view={ready.right} role={retryOf ? 'retry' : 'newer'} />
          {ready.diff.byteNote && (
            <p className="byte-note" role="status" data-testid="byte-note">
              <strong>Same JSON, other bytes.</strong> {ready.diff.byteNote}
            </p>
          )}
          <h3>Body</h3>
          <JsonChanges diff={ready.diff} />
          <h3>Headers</h3>
          <HeaderRows diff={ready.diff} left={leftId} right={rightId} />
        </>
      )}
    </div>
  );
}

/** Three or more rows selected: what can be done with all of them. */
export function SelectionView({ ids }: { ids: number[] }) {
  const end = useApp((s) => s.endComparison);
  return (
    <div className="compare">
      <CompareHeader closeLabel="Clear selection" onClose={end}>
        <h2>{ids.length} deliveries selected</h2>
      </CompareHeader>
      <p className="muted">
        #{[...ids].sort((a, b) => a - b).join(', #')}. Select exactly two to compare them; ⋯ exports them. Ctrl/⌘-click adds or removes a row, Shift-click (or Shift+↑/↓ in the feed) selects a range.
      </p>
    </div>
  );
}
