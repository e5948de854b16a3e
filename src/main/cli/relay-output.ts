import type { RelayStatus } from '../../shared/relay';
import type { SubscriberChange } from '../relay/stream-hub';
import { terminalSafe } from '../util/terminal-text';
import type { JsonLine, paint } from './output';

/** The relay's line for a subscriber that came or went; a name is the admin's, but printed safe all the same. */
export function subscriberLine(change: SubscriberChange): JsonLine {
  return { event: 'subscriber', name: change.name, status: change.status, after: change.after, reason: change.reason };
}

export function humanSubscriberLine(change: SubscriberChange, colour: ReturnType<typeof paint>): string {
  const name = terminalSafe(change.name);
  switch (change.status) {
    case 'connected':
      return `hooklens: subscriber ${colour('cyan', name)} connected, from after #${change.after ?? 0}.`;
    case 'revoked':
      return colour('yellow', `hooklens: subscriber ${name}: token revoked, stream cut.`);
    case 'stalled':
      return colour('yellow', `hooklens: subscriber ${name} took nothing for too long; stream cut (it resumes from its place when it reconnects).`);
    case 'disconnected':
      return `hooklens: subscriber ${name} disconnected${change.reason && change.reason !== 'disconnected' ? ` (${change.reason})` : ''}.`;
  }
}

/** A subscriber's `relay` line: the three states DESIGN.md names; connecting and off are not printed. */
export function relayLine(status: RelayStatus): JsonLine | null {
  if (status.url === null || status.state === 'off' || status.state === 'connecting') return null;
  return { event: 'relay', status: status.state, url: status.url, message: status.message };
}

export function humanRelayLine(status: RelayStatus, colour: ReturnType<typeof paint>): string | null {
  const where = terminalSafe(status.url ?? '');
  const message = status.message !== null ? terminalSafe(status.message) : null;
  switch (status.state) {
    case 'connected':
      return message ? colour('yellow', `hooklens: relay ${where}: ${message}`) : `hooklens: relay ${colour('cyan', where)}: connected.`;
    case 'reconnecting':
      return colour('yellow', `hooklens: relay ${where}: ${message ?? 'reconnecting…'}`);
    case 'refused':
      return colour('red', `hooklens: relay ${where} refused this token: ${message ?? ''} Not retrying until Hooklens is restarted; the local receiver goes on.`);
    default:
      return null;
  }
}
