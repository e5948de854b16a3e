import type { ForwardingStatus } from '../../../shared/outgoing';
import { useApp } from './context';

export function forwardingLabel(forwarding: ForwardingStatus | null): string {
  if (!forwarding) return 'Forwarding …';
  if (!forwarding.enabled || !forwarding.target) return `Forwarding off${forwarding.queue.count > 0 ? ` (queue ${forwarding.queue.count})` : ''}`;
  const queue = waitingCount(forwarding) > 0 ? ` (queue ${forwarding.queue.count})` : '';
  return `forwarding → ${forwarding.target}${forwarding.mirror ? ' · mirror' : ''}${forwarding.paused !== null ? ' · paused' : ''}${queue}`;
}

/** Deliveries waiting beyond the one on its way now (a live forward is not a queue). */
function waitingCount(forwarding: ForwardingStatus): number {
  return forwarding.queue.count - (forwarding.sending !== null && forwarding.queue.count > 0 ? 1 : 0);
}

/** The status bar's forwarding item; opens its Settings section. */
export function ForwardingStatusItem() {
  const forwarding = useApp((s) => s.forwarding);
  const openSettings = useApp((s) => s.openSettings);
  const on = forwarding?.enabled === true && forwarding.target !== null;
  const paused = forwarding?.paused ?? null;
  return (
    <span className="status-item shrinks">
      <span className={`dot ${on ? (paused !== null || waitingCount(forwarding) > 0 ? 'waiting' : 'on') : 'off'}`} />
      <button
        type="button"
        className="link status-link"
        data-testid="forwarding-status"
        title={paused !== null ? `Forwarding paused: ${paused}` : `${forwardingLabel(forwarding)} (Forwarding settings)`}
        onClick={() => openSettings(true, 'forwarding')}
      >
        {forwardingLabel(forwarding)}
      </button>
    </span>
  );
}
