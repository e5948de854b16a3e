import type { SignatureStatus } from '../../../shared/reviewsense/event-types';
import { eventHue } from '../lib/event-colours';

const SIGNATURE_LABELS: Record<SignatureStatus, string> = {
  valid: 'valid',
  invalid: 'invalid',
  missing: 'missing',
  malformed: 'malformed',
  unchecked: 'unchecked',
};

export function SignatureBadge({ status }: { status: SignatureStatus }) {
  return (
    <span className={`badge signature-${status}`} title={`Signature ${status}`}>
      {status === 'valid' ? '✓ ' : status === 'unchecked' ? '? ' : '✗ '}
      {SIGNATURE_LABELS[status]}
    </span>
  );
}

export function EventTypeLabel({ type, fallback }: { type: string | null; fallback: string }) {
  const hue = eventHue(type);
  return (
    <span className="event-type" style={hue === null ? undefined : { ['--hue' as string]: String(hue) }} data-known={hue !== null}>
      {type ?? fallback}
    </span>
  );
}

export function StatusCode({ status }: { status: number }) {
  const kind = status < 300 ? 'ok' : status < 500 ? 'client' : 'server';
  return <span className={`status-code status-${kind}`}>{status}</span>;
}
