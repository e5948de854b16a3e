import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { DeliveryDetail } from '../../../shared/delivery';
import { isEventType } from '../../../shared/reviewsense/event-types';
import { originalDeleted } from '../lib/original-link';
import { selectionOf } from '../store/export-slice';
import { useApp } from './context';
import { useDismiss } from './use-dismiss';

/** As .more-menu sets it in styles.css. */
const MENU_WIDTH = 260;

/**
 * ⋯ on a delivery: simulate its retries, compare it with its original, export it; with several
 * rows selected (the comparison), export them; always, export everything the filters show.
 */
export function MoreMenu({ delivery = null }: { delivery?: DeliveryDetail | null }) {
  const selected = useApp((s) => selectionOf(s).length);
  const openSimulate = useApp((s) => s.openSimulate);
  const compareWithOriginal = useApp((s) => s.compareWithOriginal);
  const openExport = useApp((s) => s.openExport);
  const originalGone = useApp((s) => s.view !== null && s.view.delivery.id === delivery?.id && originalDeleted(s.view));
  const [open, setOpen] = useState(false);
  // Opens towards the side with room: the pane clips what overflows it.
  const [alignRight, setAlignRight] = useState(false);
  const anchor = useRef<HTMLDivElement>(null);

  const close = useCallback(() => setOpen(false), []);
  useDismiss(anchor, open, close);
  useEffect(() => {
    if (open) anchor.current?.querySelector<HTMLButtonElement>('.menu .menu-item:not(:disabled)')?.focus();
  }, [open]);

  const toggle = () => {
    const box = anchor.current?.getBoundingClientRect();
    const pane = anchor.current?.closest('.detail')?.getBoundingClientRect();
    if (box && pane) setAlignRight(box.right - pane.left > MENU_WIDTH && pane.right - box.left < MENU_WIDTH);
    setOpen(!open);
  };
  const act = (action: () => void) => () => {
    // A drawer this opens hands focus back to ⋯ when it closes (the item goes with the menu).
    anchor.current?.querySelector<HTMLElement>('button')?.focus();
    setOpen(false);
    action();
  };
  // A menu: ↑/↓ (around the ends), Home/End move between its items; Tab leaves it (and so closes it).
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = Array.from(event.currentTarget.querySelectorAll<HTMLElement>('[role="menuitem"]:not(:disabled)'));
    const at = items.indexOf(document.activeElement as HTMLElement);
    const moves: Record<string, number> = { ArrowDown: (at + 1) % items.length, ArrowUp: (at - 1 + items.length) % items.length, Home: 0, End: items.length - 1 };
    const next = moves[event.key];
    if (next === undefined || items.length === 0) return;
    event.preventDefault();
    items[next]?.focus();
  };
  const retry = delivery !== null && delivery.duplicateOf !== null;
  const noBody = delivery?.bodyBase64 === null;
  return (
    <div className="menu-anchor" ref={anchor}>
      <button type="button" className="button small" aria-haspopup="menu" aria-expanded={open} aria-label="More actions" title="More actions" onClick={toggle}>
        ⋯
      </button>
      {open && (
        <div className={`menu more-menu${alignRight ? ' menu-right' : ''}`} role="menu" aria-label="More actions" onKeyDown={onKeyDown}>
          {delivery && (
            <>
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                className="menu-item"
                disabled={noBody}
                onClick={act(() => void openSimulate({ deliveryId: delivery.id, eventType: isEventType(delivery.eventType) ? delivery.eventType : null }))}
                title={noBody ? 'No body was stored for this request, so there is nothing to send' : "ReviewSense's retry schedule against your app, with this delivery's bytes"}
              >
                Simulate retries…
              </button>
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                className="menu-item"
                disabled={!retry || originalGone}
                onClick={act(() => compareWithOriginal())}
                title={
                  originalGone
                    ? `The original #${delivery.duplicateOf} was deleted: there is nothing to compare with`
                    : retry
                      ? `Side by side with delivery #${delivery.duplicateOf} (c)`
                      : 'Only a retry (a later delivery of the same event id) has an original'
                }
              >
                Compare with original <kbd>c</kbd>
              </button>
              <hr className="menu-rule" />
              <button type="button" role="menuitem" tabIndex={-1} className="menu-item" onClick={act(() => openExport('delivery'))}>
                Export this delivery…
              </button>
            </>
          )}
          {selected >= 2 && (
            <button type="button" role="menuitem" tabIndex={-1} className="menu-item" onClick={act(() => openExport('selection'))}>
              Export selection… ({selected})
            </button>
          )}
          <button type="button" role="menuitem" tabIndex={-1} className="menu-item" onClick={act(() => openExport('shown'))} title="Every delivery the current filters show">
            Export everything shown…
          </button>
        </div>
      )}
    </div>
  );
}
