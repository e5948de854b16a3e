import { relayLabel } from '../lib/relay-text';
import { useApp } from './context';

const DOTS = { connected: 'on', connecting: 'waiting', reconnecting: 'waiting', refused: 'bad', off: 'off' } as const;

/** The status bar's team relay item, shown while a relay is followed; opens Settings → Team relay. */
export function RelayStatusItem() {
  const relay = useApp((s) => s.status?.relay);
  const openSettings = useApp((s) => s.openSettings);
  if (!relay || relay.state === 'off') return null;
  const title = [relay.url, relay.message].filter(Boolean).join('\n');
  return (
    <span className="status-item shrinks">
      <span className={`dot ${DOTS[relay.state]}`} />
      <button type="button" className="link status-link" data-testid="relay-status" title={title || undefined} onClick={() => openSettings(true, 'relay')}>
        {relayLabel(relay)}
      </button>
      {relay.state !== 'connected' && relay.message && (
        <span className={`status-detail ${relay.state === 'refused' ? 'error-text' : 'muted'}`} data-testid="relay-message" title={relay.message}>
          {relay.message}
        </span>
      )}
    </span>
  );
}
