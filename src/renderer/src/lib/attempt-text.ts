import type { Attempt, AttemptKind } from '../../../shared/attempt';
import type { DeliverySummary, LastAttempt } from '../../../shared/delivery';
import { DELIVERY_DEADLINE_MS } from '../../../shared/reviewsense/event-types';
import { signingText } from '../../../shared/signing-text';
import { base64ToBytes, utf8OrNull } from './bytes';
import { formatBytes } from './format';

const KIND_NAMES: Record<AttemptKind, string> = { forward: 'Forward', replay: 'Replay', send: 'Send', check: 'Check', simulate: 'Simulated try' };

export function kindName(kind: AttemptKind): string {
  return KIND_NAMES[kind];
}

/** What a request was, in a few words: "Replay as captured", "Replay, edited, signed with 'current' (3f2a9c1e)". */
export function attemptTitle(attempt: Pick<Attempt, 'kind' | 'signature' | 'signedWith' | 'edited'>): string {
  const kind = kindName(attempt.kind);
  if (attempt.kind === 'replay' && attempt.signature === 'keep') return 'Replay as captured';
  const signing = attempt.kind === 'replay' || attempt.kind === 'send' ? signingText(attempt) : null;
  if (signing === null) return kind;
  const resigned = attempt.kind === 'replay' && attempt.signature === 'valid' && !attempt.edited ? 're-' : '';
  return `${kind}, ${resigned}${signing}`;
}

/** Whether the answer was the one the request should get (a broken signature rightly refused counts). */
export function answeredRight(attempt: { ok: boolean | null; delivered: boolean }): boolean {
  return attempt.ok ?? attempt.delivered;
}

/** The feed's outgoing column: "→ 200 ✓", "→ 500 ✗", "→ ✗" (no answer), "queued". */
export function lastAttemptLabel(last: LastAttempt): { text: string; tone: 'ok' | 'bad' | 'wait'; title: string } {
  const kind = kindName(last.kind);
  if (last.queued) return { text: 'queued', tone: 'wait', title: `${kind} waiting in the queue until your app accepts connections` };
  const status = last.status === null ? '' : `${last.status} `;
  const right = answeredRight(last);
  const refusedRightly = right && !last.delivered;
  return {
    text: `→ ${status}${right ? '✓' : '✗'}`,
    tone: right ? 'ok' : 'bad',
    title: `${kind}: ${last.status === null ? 'no answer' : `answered ${last.status}`}, ${refusedRightly ? 'rightly refused (its signature is not genuine)' : last.delivered ? 'would count as delivered' : 'would fail'}`,
  };
}

/** The Out column of a row: its forward waiting in the queue, or the newest outgoing request's answer. */
export function outLabel(delivery: Pick<DeliverySummary, 'lastAttempt' | 'forwardQueued' | 'forwardNote'>): { text: string; tone: 'ok' | 'bad' | 'wait'; title: string } | null {
  if (delivery.forwardQueued && (delivery.lastAttempt === null || delivery.lastAttempt.kind === 'forward')) {
    const tried = delivery.lastAttempt !== null;
    return { text: 'queued', tone: 'wait', title: tried ? 'Forward waiting in the queue until your app answers' : 'Forward waiting in the queue for its turn' };
  }
  // A forward that waited is no longer queued once it left the queue (dropped): it got no answer.
  if (delivery.lastAttempt) return lastAttemptLabel(delivery.lastAttempt.kind === 'forward' ? { ...delivery.lastAttempt, queued: false } : delivery.lastAttempt);
  if (delivery.forwardNote) return { text: 'not sent', tone: 'bad', title: delivery.forwardNote };
  return null;
}

/** One sentence for a toast or the composer: "Replay answered 200 in 12 ms — would count as delivered". */
export function attemptSentence(attempt: Attempt): string {
  const kind = kindName(attempt.kind);
  if (attempt.queued) return `${kind} queued — ${attempt.verdict}`;
  if (attempt.status === null) return `${kind} got no answer — ${attempt.verdict}`;
  return `${kind} answered ${attempt.status}${attempt.durationMs !== null ? ` in ${attempt.durationMs} ms` : ''} — ${attempt.verdict}`;
}

/** The time taken, against ReviewSense's rule (a 2xx within 10 s). */
export function timeAgainstRule(durationMs: number | null): { text: string; late: boolean } {
  const limit = `${DELIVERY_DEADLINE_MS / 1000}-s limit`;
  if (durationMs === null) return { text: 'no answer in time', late: true };
  if (durationMs > DELIVERY_DEADLINE_MS) return { text: `${durationMs} ms — over ReviewSense's ${limit}: counts as failed`, late: true };
  return { text: `${durationMs} ms — within ReviewSense's ${limit}`, late: false };
}

/** A body as text for showing (capped), or a note about binary bytes; null when there is none. */
export function bodyPreview(base64: string | null, max = 8 * 1024): string | null {
  if (base64 === null) return null;
  const bytes = base64ToBytes(base64);
  if (bytes.length === 0) return '';
  const text = utf8OrNull(bytes);
  if (text === null) return `(${formatBytes(bytes.length)} of binary data)`;
  return text.length > max ? `${text.slice(0, max)}\n… ${text.length - max} more characters` : text;
}
