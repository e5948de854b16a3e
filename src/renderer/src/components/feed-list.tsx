import { memo, useCallback, useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { DeliverySummary } from '../../../shared/delivery';
import { outLabel } from '../lib/attempt-text';
import { feedRowCount, feedRowId, feedRowIndex } from '../lib/feed-rows';
import { isFiltered } from '../store/feed-filter';
import { clockTime, ordinal } from '../lib/format';
import { EventTypeLabel, SignatureBadge, StatusCode } from './badges';
import { useApp } from './context';

export const ROW_HEIGHT = 30;
const OVERSCAN = 10;

/** The keys that move the active row, and by how many rows (a page: the rows in view). */
function stepOf(key: string, page: number): number | null {
  switch (key) {
    case 'ArrowDown':
      return 1;
    case 'ArrowUp':
      return -1;
    case 'PageDown':
      return page;
    case 'PageUp':
      return -page;
    case 'Home':
      return Number.NEGATIVE_INFINITY;
    case 'End':
      return Number.POSITIVE_INFINITY;
    default:
      return null;
  }
}

// Rows get no pixel position of their own: when the feed shifts, only the rows in view render
// again (their aria-rowindex changed), not the ones scrolled past.
const FeedRow = memo(function FeedRow({
  delivery,
  rowIndex,
  selected,
  active,
  onSelect,
}: {
  delivery: DeliverySummary;
  rowIndex: number;
  selected: boolean;
  active: boolean;
  onSelect: (id: number, event: MouseEvent) => void;
}) {
  return (
    <div
      role="row"
      id={feedRowId(delivery.id)}
      aria-rowindex={rowIndex}
      aria-selected={selected}
      data-delivery-id={delivery.id}
      className={`feed-row${selected ? ' selected' : ''}${active ? ' active' : ''}`}
      onClick={(event) => onSelect(delivery.id, event)}
      // Shift-click selects a range of rows, not the text between them.
      onMouseDown={(event) => {
        if (event.shiftKey) event.preventDefault();
      }}
    >
      <span role="gridcell" className="cell-time">{clockTime(delivery.receivedAt)}</span>
      <span role="gridcell" className="cell-type" title={delivery.eventType ?? undefined}>
        <EventTypeLabel type={delivery.eventType} fallback={`${delivery.method} ${delivery.path}`} />
      </span>
      <span role="gridcell" className="cell-id mono" title={delivery.imported ? `${delivery.eventId ?? 'no event id'} · imported from another Hooklens's export` : (delivery.eventId ?? undefined)}>
        {delivery.imported && <span className="imported-mark">imported</span>}
        {delivery.eventId ? <EventIdText id={delivery.eventId} /> : '—'}
      </span>
      <span role="gridcell" className="cell-signature">
        <SignatureBadge status={delivery.signatureStatus} />
      </span>
      <span role="gridcell" className="cell-nth" title={nthTitle(delivery)}>
        <NthText delivery={delivery} />
      </span>
      <span role="gridcell" className="cell-status" title={delivery.answerPending ? 'Waiting for your app’s answer (mirror)' : (delivery.answerLost ?? undefined)}>
        {delivery.answerPending ? <span className="muted">…</span> : <StatusCode status={delivery.responseStatus} />}
      </span>
      <OutCell delivery={delivery} />
    </div>
  );
});

/** The newest outgoing request's answer (a forward to your app, a replay); live as attempts arrive. */
function OutCell({ delivery }: { delivery: DeliverySummary }) {
  const label = outLabel(delivery);
  if (!label) return <span role="gridcell" className="cell-out" />;
  return (
    <span role="gridcell" className={`cell-out out-${label.tone}`} title={label.title}>
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

/**
 * The feed, newest first: an ARIA grid, one Tab stop, whose active row (the open one, or the far
 * end of a Shift range) is named by aria-activedescendant, so a screen reader reads the row the
 * arrows move to. Only the rows in view (plus a margin) are in the DOM; each says its place in
 * the whole feed (aria-rowindex), and the grid how many rows that is (aria-rowcount).
 */
export function FeedList() {
  const items = useApp((s) => s.items);
  const selectedId = useApp((s) => s.selectedId);
  const alsoSelected = useApp((s) => s.alsoSelected);
  const rangeEnd = useApp((s) => s.rangeEnd);
  const filtered = useApp((s) => isFiltered(s.filter));
  const storedTotal = useApp((s) => s.status?.counts.total ?? null);
  const moveSelection = useApp((s) => s.moveSelection);
  const extendSelection = useApp((s) => s.extendSelection);
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
  // Until the viewport is measured, the window's height stands for it (it is never shorter): the
  // first frame's rows fill the view without reading layout in React's commit, which forced the
  // page's first layout there and a second render before the first paint.
  const [measuredHeight, setMeasuredHeight] = useState<number | null>(null);
  useEffect(() => {
    const element = viewport.current;
    if (!element) return;
    // Called once with the laid-out size, then on every resize; layout is clean when it runs.
    const observer = new ResizeObserver(() => setMeasuredHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const height = measuredHeight ?? window.innerHeight;
  // The margin of rows out of view is for scrolling, which cannot start before the first frame.
  const overscan = measuredHeight === null ? 0 : OVERSCAN;

  // The row the keyboard is on: the open one, or the far end of a range grown with Shift.
  const active = rangeEnd ?? selectedId;
  const activeIndex = active === null ? -1 : items.findIndex((item) => item.id === active);

  // Keep the active row in view when it moves, not when new rows arrive: the user may have
  // scrolled away on purpose.
  const lastActive = useRef<number | null>(null);
  useEffect(() => {
    const element = viewport.current;
    if (!element || active === null || active === lastActive.current || activeIndex === -1) return;
    lastActive.current = active;
    const top = activeIndex * ROW_HEIGHT;
    // Its real height, rounded down: clientHeight rounds, and could leave a sliver of the row cut.
    const shown = Math.floor(element.getBoundingClientRect().height);
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT > element.scrollTop + shown) element.scrollTop = top + ROW_HEIGHT - shown;
  }, [active, activeIndex]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - overscan);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + overscan);
  // Named only while it is in the DOM (it is scrolled into view as soon as it moves).
  const activeRendered = activeIndex >= first && activeIndex < last;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const step = stepOf(event.key, Math.max(1, Math.floor(height / ROW_HEIGHT) - 1));
    if (step === null) return;
    // Handled here: the app-wide ↑/↓ (use-keyboard.ts) leaves a prevented key alone.
    event.preventDefault();
    if (event.shiftKey) extendSelection(step);
    else moveSelection(step);
  };

  useEffect(() => {
    if (hasMore && last >= items.length - OVERSCAN) void loadMore();
  }, [hasMore, last, items.length, loadMore]);

  // Back at the top, rows scrolled through further down go again: following the newest stays bounded.
  useEffect(() => {
    if (first === 0) keepNewest();
  }, [first, items.length, keepNewest]);

  return (
    <div
      className="feed"
      role="grid"
      aria-label="Deliveries"
      aria-multiselectable="true"
      aria-rowcount={feedRowCount(items.length, hasMore, filtered ? null : storedTotal)}
      aria-activedescendant={active !== null && activeRendered ? feedRowId(active) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div className="feed-header" role="row" aria-rowindex={1}>
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
      {/* A rowgroup, not a Tab stop of its own: the grid is the one stop, the arrows scroll it. */}
      <div className="feed-viewport" role="rowgroup" ref={viewport} onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)} tabIndex={-1}>
        <div className="feed-spacer" style={{ height: items.length * ROW_HEIGHT }}>
          <div className="feed-window" style={{ transform: `translateY(${first * ROW_HEIGHT}px)` }}>
            {items.slice(first, last).map((delivery, offset) => (
              <FeedRow
                key={delivery.id}
                delivery={delivery}
                rowIndex={feedRowIndex(first + offset)}
                selected={delivery.id === selectedId || alsoSelected.includes(delivery.id)}
                active={delivery.id === active}
                onSelect={onSelect}
              />
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}
