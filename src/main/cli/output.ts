import type { Attempt } from '../../shared/attempt';
import type { DeliverySummary } from '../../shared/delivery';
import { clockTime, ordinal } from '../../shared/format';
import type { RetentionPolicy } from '../../shared/storage';
import type { TunnelStatus } from '../../shared/tunnel-status';
import { terminalSafe } from '../util/terminal-text';
import { signingText } from '../../shared/signing-text';

/** The `--json` lines of DESIGN.md, one object per line on stdout. */
export type JsonLine =
  | { event: 'ready'; receiverUrl: string; uiUrl: string | null; db: string }
  | { event: 'ready'; receiverUrl: string; streamUrl: string; db: string }
  | { event: 'relay'; status: 'connected' | 'reconnecting' | 'refused'; url: string; message: string | null }
  | { event: 'subscriber'; name: string; status: 'connected' | 'disconnected' | 'revoked' | 'stalled'; after: number | null; reason: string | null }
  | { event: 'delivery'; id: number; eventId: string | null; type: string | null; signature: string; duplicateOf: number | null; status: number }
  | { event: 'tunnel'; status: 'online' | 'error' | 'closed'; url: string | null; message: string | null }
  | { event: 'prune'; policy: RetentionPolicy; deleted: number; keptQueued: number; ms: number; error: string | null }
  | {
      event: 'attempt';
      kind: string;
      target: string;
      deliveryId: number | null;
      status: number | null;
      ms: number | null;
      error: string | null;
      delivered: boolean;
      queued: boolean;
      expect?: 'accept' | 'refuse';
      ok?: boolean;
      signedWith?: { label: string; fingerprint: string } | null;
    };

export function deliveryLine(delivery: DeliverySummary): JsonLine {
  return {
    event: 'delivery',
    id: delivery.id,
    eventId: delivery.eventId,
    type: delivery.eventType,
    signature: delivery.signatureStatus,
    duplicateOf: delivery.duplicateOf,
    status: delivery.responseStatus,
  };
}

export function attemptLine(attempt: Attempt): JsonLine {
  return {
    event: 'attempt',
    kind: attempt.kind,
    target: attempt.target,
    deliveryId: attempt.deliveryId,
    status: attempt.status,
    ms: attempt.durationMs,
    error: attempt.error,
    delivered: attempt.delivered,
    queued: attempt.queued,
    // Judged against what it should get: a genuine request accepted, a broken signature refused.
    ...(attempt.expect !== null ? { expect: attempt.expect, ok: attempt.ok === true } : {}),
    ...(attempt.signature !== null ? { signedWith: attempt.signedWith } : {}),
  };
}

/** One readable line per outgoing request: what went where, how it was signed, what came back, the verdict. */
export function humanAttemptLine(attempt: Attempt, colour: ReturnType<typeof paint>): string {
  const good = attempt.ok ?? attempt.delivered;
  // No answer: the verdict already says why (the connection was refused, …), so it is said once.
  const answer = attempt.status !== null ? `${attempt.status}${attempt.durationMs !== null ? ` in ${attempt.durationMs} ms` : ''}` : 'no answer';
  const signing = signingText(attempt);
  const parts = [
    colour('dim', clockTime(attempt.startedAt)),
    `${attempt.kind}${attempt.deliveryId !== null ? ` #${attempt.deliveryId}` : ''}`,
    `→ ${terminalSafe(attempt.target)}`,
    ...(signing !== null ? [colour('dim', `(${terminalSafe(signing)})`)] : []),
    `← ${answer}`,
    good ? colour('green', `✓ ${terminalSafe(attempt.verdict)}`) : colour(attempt.queued ? 'yellow' : 'red', `✗ ${terminalSafe(attempt.verdict)}`),
  ];
  return parts.join('  ');
}

/** Tunnel states collapse to the three the contract names; transient ones are not printed. */
export function tunnelLine(status: TunnelStatus): JsonLine | null {
  if (status.state === 'online') return { event: 'tunnel', status: 'online', url: status.webhookUrl, message: status.notice };
  if (status.state === 'error') return { event: 'tunnel', status: 'error', url: null, message: status.message };
  if (status.state === 'off') return { event: 'tunnel', status: 'closed', url: null, message: status.message };
  return null;
}

/** One readable line per tunnel change for stderr. */
export function humanTunnelLine(status: TunnelStatus, colour: ReturnType<typeof paint>): string {
  const provider = status.provider ?? 'tunnel';
  switch (status.state) {
    case 'connecting':
      return `hooklens: ${provider}: connecting…`;
    case 'online':
      return [
        `hooklens: ${provider}: online. Webhook URL for Dashboard → ReviewSense → Webhooks: ${colour('cyan', status.webhookUrl ?? '')}`,
        ...(status.notice ? [colour('yellow', `hooklens: ${status.notice}`)] : []),
      ].join('\n');
    case 'reconnecting':
      return colour('yellow', `hooklens: ${provider}: ${status.message ?? 'reconnecting…'}`);
    case 'error':
      return colour('red', `hooklens: ${provider}: ${status.message ?? 'failed'} Capture on localhost goes on.`);
    case 'off':
      return `hooklens: ${provider}: closed.`;
  }
}

const COLOURS = { dim: '2', red: '31', green: '32', yellow: '33', cyan: '36' } as const;

export function paint(enabled: boolean) {
  return (colour: keyof typeof COLOURS, text: string): string => (enabled ? `\u001b[${COLOURS[colour]}m${text}\u001b[0m` : text);
}

/** One readable line per delivery for stderr: time, type, id, verdict, answer. */
export function humanDeliveryLine(delivery: DeliverySummary, colour: ReturnType<typeof paint>): string {
  const verdict = delivery.signatureStatus === 'valid' ? colour('green', '✓ valid') : colour(delivery.signatureStatus === 'unchecked' ? 'yellow' : 'red', `✗ ${delivery.signatureStatus}`);
  const parts = [
    colour('dim', clockTime(delivery.receivedAt)),
    `#${delivery.id}`,
    // Everything a sender chose is escaped: it must not be able to write to the terminal.
    delivery.eventType !== null ? terminalSafe(delivery.eventType) : colour('dim', terminalSafe(`${delivery.method} ${delivery.path}`)),
    delivery.eventId !== null ? terminalSafe(delivery.eventId) : colour('dim', '(no event id)'),
    verdict,
  ];
  if (delivery.unverifiedClaim) {
    const original = delivery.duplicateOf !== null ? `the verified original is #${delivery.duplicateOf}` : 'no verified delivery of it yet';
    parts.push(colour('red', `unverified claim of this event id, not counted (${original})`));
  }
  else if (delivery.duplicateOf !== null) parts.push(colour('yellow', `${ordinal(delivery.deliveryNumber)} delivery, first #${delivery.duplicateOf}`));
  if (delivery.rejection) parts.push(colour('red', delivery.rejection));
  parts.push(`→ ${delivery.responseStatus}`);
  return parts.join('  ');
}
