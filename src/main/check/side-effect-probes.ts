import type { ProbeResult } from '../../shared/check';
import type { EventType } from '../../shared/reviewsense/catalogue';
import type { SendOptions } from '../sender/http-send';
import { is2xx, result, type Exchange } from './probe-result';
import { CountProblem, SETTLE, settledCount, type SettledCount } from './side-effects';

export interface SideEffectContext {
  countUrl: string;
  send: SendOptions;
  signal?: AbortSignal;
  /** Delivers one event twice, one after another. */
  twice: (type: EventType) => Promise<[Exchange, Exchange]>;
  finished: (probe: ProbeResult) => void;
}

const TYPE: EventType = 'review.analysed';

/**
 * With --count-url: one event delivered twice, expected to do its work exactly once. The count is
 * read once it settles, before and after, so work a handler does after answering (as advised) is
 * counted, and no earlier probe's work is.
 */
export async function runSideEffectProbes(context: SideEffectContext): Promise<void> {
  const counted = (awayFrom: number | null) => settledCount(context.countUrl, context.send, awayFrom, context.signal);
  const name = 'side effects of a redelivery';
  const what = '2 deliveries of one event';
  const expected = `${what} → 1 side effect`;
  const unreadable = (problem: CountProblem, exchanges: Exchange[]) => result(name, 'side-effects', exchanges, { ok: false, expected, got: problem.message, advice: problem.message });
  const before = await counted(null).then((settled) => settled.count, countProblem);
  if (before instanceof CountProblem) {
    context.finished(unreadable(before, []));
    return;
  }
  const exchanges = await context.twice(TYPE);
  const delivered = exchanges.some((exchange) => is2xx(exchange.answer));
  // Nothing delivered, nothing to wait for: the count only has to stand still.
  const after = await counted(delivered ? before : null).catch(countProblem);
  if (after instanceof CountProblem) {
    context.finished(unreadable(after, exchanges));
    return;
  }
  const delta = after.count - before;
  const moved = delta === 0 ? 'did not go up' : `moved by ${delta}`;
  context.finished(
    result(name, 'side-effects', exchanges, {
      ok: delta === 1,
      expected,
      got: `${what} → ${delta} side effect${delta === 1 ? '' : 's'}${delivered ? waitNote(after, delta) : ''}`,
      advice:
        delta > 1
          ? 'Not idempotent: the same event id did the work twice. Store processed event ids and skip repeats.'
          : `The count ${moved} within ${SETTLE.capMs / 1000} s of a 2xx: does --count-url count this handler's work, and is the work done within seconds of the answer?`,
    }),
  );
}

/** A --count-url that cannot be read is reported by the probe; any other error ends the check. */
function countProblem(error: unknown): CountProblem {
  if (error instanceof CountProblem) return error;
  throw error;
}

/** What the wait for the count saw, when it says more than the number. */
function waitNote(after: SettledCount, delta: number): string {
  const cap = `${SETTLE.capMs / 1000} s`;
  if (!after.settled) return delta === 0 ? ` (no change within ${cap} of the answers)` : ` (still changing ${cap} after the answers)`;
  return after.lastChangeMs > 0 ? ` (counted ${(after.lastChangeMs / 1000).toFixed(1)} s after the answers)` : '';
}
