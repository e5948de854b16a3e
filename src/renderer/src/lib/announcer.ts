import type { DeliverySummary } from '../../../shared/delivery';
import { formatCount, plural } from '../../../shared/plural';
import { SIGNATURE_STATUSES, type SignatureStatus } from '../../../shared/reviewsense/event-types';

/** A burst that arrives within this long is said in one sentence. */
export const GATHER_MS = 1000;
/** And a screen reader hears at most one such sentence this often, whatever the rate (200/s included). */
export const EVERY_MS = 5000;

export interface AnnounceTimers {
  now: () => number;
  /** Runs `run` after `ms`; returns what cancels it. */
  later: (run: () => void, ms: number) => () => void;
}

export const realTimers: AnnounceTimers = {
  now: () => Date.now(),
  later: (run, ms) => {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  },
};

type Arrived = Pick<DeliverySummary, 'eventType' | 'method' | 'path' | 'signatureStatus'>;

/** What arrived since the last sentence: how many, how their signatures went, and the first of them. */
interface Tally {
  count: number;
  first: Arrived | null;
  bySignature: Map<SignatureStatus, number>;
}

const emptyTally = (): Tally => ({ count: 0, first: null, bySignature: new Map() });

function tallied(tally: Tally, arrived: readonly Arrived[]): Tally {
  for (const delivery of arrived) {
    tally.count += 1;
    tally.first ??= delivery;
    tally.bySignature.set(delivery.signatureStatus, (tally.bySignature.get(delivery.signatureStatus) ?? 0) + 1);
  }
  return tally;
}

/**
 * What arrived, in one sentence: one delivery by its type and verdict, more by how many and how
 * their signatures went ("12 new deliveries: 10 valid, 2 invalid.").
 */
export function deliveriesSentence(arrived: readonly Arrived[]): string {
  return sentence(tallied(emptyTally(), arrived));
}

function sentence({ count, first, bySignature }: Tally): string {
  if (count === 1 && first) return `New delivery: ${first.eventType ?? `${first.method} ${first.path}`}, signature ${first.signatureStatus}.`;
  const verdicts = SIGNATURE_STATUSES.filter((status) => bySignature.has(status)).map((status) => `${formatCount(bySignature.get(status) ?? 0)} ${status}`);
  return `${plural(count, 'new delivery', 'new deliveries')}: ${verdicts.join(', ')}.`;
}

/**
 * Gathers arriving deliveries and says them as a summary: the first burst after a quiet spell
 * GATHER_MS after it began, then at most one summary every EVERY_MS, so a stream of 200 a second
 * is a sentence every few seconds, not 200 interruptions.
 */
export function createDeliveryAnnouncer(say: (text: string) => void, timers: AnnounceTimers = realTimers) {
  let pending = emptyTally();
  let lastSaid = Number.NEGATIVE_INFINITY;
  let cancel: (() => void) | null = null;

  const flush = () => {
    cancel = null;
    const text = sentence(pending);
    pending = emptyTally();
    lastSaid = timers.now();
    say(text);
  };

  return {
    add(batch: readonly Arrived[]) {
      if (batch.length === 0) return;
      tallied(pending, batch);
      if (cancel) return;
      cancel = timers.later(flush, Math.max(GATHER_MS, lastSaid + EVERY_MS - timers.now()));
    },
    dispose() {
      cancel?.();
      cancel = null;
      pending = emptyTally();
    },
  };
}
