import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type MouseEvent } from 'react';
import type { DeliverySummary } from '../../../shared/delivery';
import { outLabel } from '../lib/attempt-text';
import { clockTime, ordinal } from '../lib/format';
import { EventTypeLabel, SignatureBadge, StatusCode } from './badges';
import { useApp } from './context';

export const ROW_HEIGHT = 30;
const OVERSCAN = 10;

// Rows get no position of their own: when the feed shifts, unchanged rows skip rendering.
const FeedRow = memo(function FeedRow({ delivery, selected, onSelect }: { delivery: DeliverySummary; selected: boolean; onSelect: (id: number, event: MouseEvent) => void }) {
  return (
    <div
      role="row"
      aria-selected={selected}
      data-delivery-id={delivery.id}
      className={`feed-row${selected ? ' selected' : ''}`}
      onClick={(event) => onSelect(delivery.id, event)}
      // Shift-click selects a range of rows, not the text between them.
      onMouseDown={(event) => {
        if (event.shiftKey) event.preventDefault();
      }}
    >
      <span role="cell" className="cell-time">{clockTime(delivery.receivedAt)}</span>
      <span role="cell" className="cell-type" title={delivery.eventType ?? undefined}>
        <EventTypeLabel type={delivery.eventType} fallback={`${delivery.method} ${delivery.path}`} />
      </span>
      <span role="cell" className="cell-id mono" title={delivery.imported ? `${delivery.eventId ?? 'no event id'} · imported from another Hooklens's export` : (delivery.eventId ?? undefined)}>
        {delivery.imported && <span className="imported-mark">imported</span>}
        {delivery.eventId ? <EventIdText id={delivery.eventId} /> : '—'}
      </span>
      <span role="cell" className="cell-signature">
        <SignatureBadge status={delivery.signatureStatus} />
      </span>
      <span role="cell" className="cell-nth" title={nthTitle(delivery)}>
        <NthText delivery={delivery} />
      </span>
      <span role="cell" className="cell-status" title={delivery.answerPending ? 'Waiting for your app’s answer (mirror)' : (delivery.answerLost ?? undefined)}>
        {delivery.answerPending ? <span className="muted">…</span> : <StatusCode status={delivery.responseStatus} />}
      </span>
      <OutCell delivery={delivery} />
    </div>
  );
});

/** The newest outgoing request's answer (a forward to your app, a replay); live as attempts arrive. */
function OutCell({ delivery }: { delivery: DeliverySummary }) {
  const label = outLabel(delivery);
  if (!label) return <span role="cell" className="cell-out" />;
  return (
    <span role="cell" className={`cell-out out-${label.tone}`} title={label.title}>
      {label.text}
    </span>
  );
}

const ID_TAIL = 8;

/**
 * An event id that keeps its end when the column is too narrow for it: an `evt_` ULID starts with
 * its time, the same for every row of a session, and ends with what tells them apart.
 */
function EventIdText({ id }: { id: string }) {
  return (
    <>
      <span className="id-head">{id.slice(0, -ID_TAIL)}</span>
      <span className="id-tail">{id.slice(-ID_TAIL)}</span>
    </>
  );
}
/** Which delivery of its event this is ("2nd delivery": the word goes in a narrow feed); a claim by an unverified request never counts. */
function NthText({ delivery }: { delivery: DeliverySummary }) {
  if (!delivery.eventId) return null;
  if (delivery.unverifiedClaim) return <>unverified</>;
  if (delivery.deliveryNumber === 1) return <>1st</>;
  return (
    <>
      {ordinal(delivery.deliveryNumber)}
      <span className="nth-word"> delivery</span>
    </>
  );
}

function nthTitle(delivery: DeliverySummary): string {
  if (delivery.unverifiedClaim) {
    return `Claims event ${delivery.eventId} without a valid signature${delivery.duplicateOf !== null ? ` (the verified original is #${delivery.duplicateOf})` : ''}: not counted as a delivery of it`;
  }
  return delivery.duplicateOf !== null ? `Duplicate of #${delivery.duplicateOf}` : 'First delivery of this event';
}

/** The feed, newest first. Only the rows in view (plus a margin) are in the DOM. */
export function FeedList() {
  const items = useApp((s) => s.items);
  const selectedId = useApp((s) => s.selectedId);
  const alsoSelected = useApp((s) => s.alsoSelected);
  const select = useApp((s) => s.select);
  const toggleSelect = useApp((s) => s.toggleSelect);
  const selectRange = useApp((s) => s.selectRange);
  // Ctrl/⌘-click adds a row to the selection (two are compared), Shift-click a range.
  const onSelect = useCallback(
    (id: number, event: MouseEvent) => {
      if (event.ctrlKey || event.metaKey) toggleSelect(id);
      else if (event.shiftKey) selectRange(id);
      else select(id);
    },
    [select, toggleSelect, selectRange],
  );
  const loadMore = useApp((s) => s.loadMore);
  const hasMore = useApp((s) => s.hasMore);
  const keepNewest = useApp((s) => s.keepNewest);
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useLayoutEffect(() => {
    const element = viewport.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    setHeight(element.clientHeight);
    return () => observer.disconnect();
  }, []);

  // Keep the selected row in view when the selection moves, not when new rows arrive: the user
  // may have scrolled away on purpose.
  const lastSelected = useRef<number | null>(null);
  useEffect(() => {
    const element = viewport.current;
    if (!element || selectedId === null || selectedId === lastSelected.current) return;
    const index = items.findIndex((item) => item.id === selectedId);
    if (index === -1) return;
    lastSelected.current = selectedId;
    const top = index * ROW_HEIGHT;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT > element.scrollTop + element.clientHeight) element.scrollTop = top + ROW_HEIGHT - element.clientHeight;
  }, [selectedId, items]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);

  useEffect(() => {
    if (hasMore && last >= items.length - OVERSCAN) void loadMore();
  }, [hasMore, last, items.length, loadMore]);

  // Back at the top, rows scrolled through further down go again: following the newest stays bounded.
  useEffect(() => {
    if (first === 0) keepNewest();
  }, [first, items.length, keepNewest]);

  return (
    <div className="feed" role="table" aria-label="Deliveries" aria-rowcount={items.length}>
      <div className="feed-header" role="row">
        <span role="columnheader" className="cell-time">Time</span>
        <span role="columnheader" className="cell-type">Event</span>
        <span role="columnheader" className="cell-id">Event id</span>
        <span role="columnheader" className="cell-signature">Signature</span>
        <span role="columnheader" className="cell-nth">Delivery</span>
        <span role="columnheader" className="cell-status">Answer</span>
        <span role="columnheader" className="cell-out" title="The newest outgoing request for the delivery (a forward to your app, a replay) and its answer">
          Out
        </span>
      </div>
      <div className="feed-viewport" ref={viewport} onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)} tabIndex={-1}>
        <div className="feed-spacer" style={{ height: items.length * ROW_HEIGHT }}>
          <div className="feed-window" style={{ transform: `translateY(${first * ROW_HEIGHT}px)` }}>
            {items.slice(first, last).map((delivery) => (
              <FeedRow key={delivery.id} delivery={delivery} selected={delivery.id === selectedId || alsoSelected.includes(delivery.id)} onSelect={onSelect} />
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}
