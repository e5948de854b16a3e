import type { RelayStatus } from '../../../shared/relay';
import { plural } from '../../../shared/plural';

/** What the status bar says of the relay: connected (and how far behind), reconnecting, refused. */
export function relayLabel(relay: RelayStatus): string {
  switch (relay.state) {
    case 'connecting':
      return 'Relay: connecting…';
    case 'connected':
      return relay.behind ? `Relay: connected · ${plural(relay.behind, 'delivery', 'deliveries')} behind` : 'Relay: connected';
    case 'reconnecting':
      return 'Relay: reconnecting…';
    case 'refused':
      return 'Relay: refused';
    default:
      return 'Relay off';
  }
}
