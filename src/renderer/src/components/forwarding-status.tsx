import type { ForwardingStatus } from '../../../shared/outgoing';
import { useApp } from './context';

export function forwardingLabel(forwarding: ForwardingStatus | null): string {
  if (!forwarding) return 'Forwarding …';
  if (!forwarding.enabled || !forwarding.target) return 'Forwarding off';
  const queue = forwarding.queue.count > 0 ? ` (queue ${forwarding.queue.count})` : '';
  return `forwarding → ${forwarding.target}${forwarding.mirror ? ' · mirror' : ''}${queue}`;
}

/** The status bar's forwarding item; opens its Settings section. */
export function ForwardingStatusItem() {
  const forwarding = useApp((s) => s.forwarding);
  const openSettings = useApp((s) => s.openSettings);
  const on = forwarding?.enabled === true && forwarding.target !== null;
  return (
    <span className="status-item">
      <span className={`dot ${on ? (forwarding.queue.count > 0 ? 'waiting' : 'on') : 'off'}`} />
      <button type="button" className="link status-link" data-testid="forwarding-status" title="Forwarding settings" onClick={() => openSettings(true, 'forwarding')}>
        {forwardingLabel(forwarding)}
      </button>
    </span>
  );
}
