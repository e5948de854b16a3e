import type { Attempt } from '../../../shared/attempt';
import type { DeliverySummary } from '../../../shared/delivery';

/** A delivery as its newest attempt leaves it: the row's last-attempt badge, and out of the forward queue once answered. */
export function withAttempt<T extends DeliverySummary>(delivery: T, attempt: Attempt): T {
  // A forward that got an answer has left the queue (one that got none still waits in it).
  const forwardQueued = attempt.kind === 'forward' ? attempt.queued : delivery.forwardQueued;
  return { ...delivery, forwardQueued, lastAttempt: { kind: attempt.kind, status: attempt.status, delivered: attempt.delivered, queued: attempt.queued, ok: attempt.ok } };
}
