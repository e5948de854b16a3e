import type { ProbeResult } from '../../shared/check';
import { plural } from '../../shared/plural';
import type { EventType } from '../../shared/reviewsense/catalogue';
import type { SendOptions } from '../sender/http-send';
import { sideEffectAdvice } from './advice';
import { saidBoth } from './answer-text';
import { is2xx, result, type Exchange } from './probe-result';
import { CountProblem, SETTLE, settledCount, type SettledCount } from './side-effects';

export interface SideEffectContext {
  countUrl: string;
  send: SendOptions;
  signal?: AbortSignal;
  /** Delivers one event twice: one after another, or both at once. */
  twice: (type: EventType, atOnce: boolean) => Promise<[Exchange, Exchange]>;
  finished: (probe: ProbeResult) => void;
}

const TYPE: EventType = 'review.analysed';

/**
 * With --count-url: one event delivered twice one after another, then another twice at once, each
 * expected to do its work exactly once. The count is read once it settles, before and after, so
 * work a handler does after answering (as advised) is counted, and no earlier probe's work is.
 */
export async function runSideEffectProbes(context: SideEffectContext): Promise<void> {
  const counted = (awayFrom: number | null) => settledCount(context.countUrl, context.send, awayFrom, context.signal);
  let before: number | CountProblem = await counted(null).then((settled) => settled.count, countProblem);
  let oneAfterAnother: number | null = null;
  for (const atOnce of [false, true]) {
    const name = atOnce ? 'side effects of a redelivery at the same time' : 'side effects of a redelivery';
    const what = `2 deliveries of one event${atOnce ? ' at once' : ''}`;
    const expected = `${what} → 1 side effect`;
    const unreadable = (problem: CountProblem, exchanges: Exchange[]) => result(name, 'side-effects', exchanges, { ok: false, expected, got: problem.message, advice: problem.message });
    if (before instanceof CountProblem) {
      context.finished(unreadable(before, []));
      continue;
    }
    const exchanges = await context.twice(TYPE, atOnce);
    const answers = [exchanges[0].answer, exchanges[1].answer] as const;
    const delivered = answers.some(is2xx);
    // Nothing delivered, nothing to wait for: the count only has to stand still.
    const after = await counted(delivered ? before : null).catch(countProblem);
    if (after instanceof CountProblem) {
      context.finished(unreadable(after, exchanges));
      before = after;
      continue;
    }
    const delta = after.count - before;
    const note = delivered ? waitNote(after, delta) : ` (neither delivered: ${saidBoth(answers, atOnce)})`;
    context.finished(
      result(name, 'side-effects', exchanges, {
        ok: delta === 1,
        expected,
        got: `${what} → ${plural(delta, 'side effect', 'side effects')}${note}`,
        advice: sideEffectAdvice(delta, answers, TYPE, atOnce, oneAfterAnother),
      }),
    );
    before = after.count;
    oneAfterAnother ??= delta;
  }
}

/** A --count-url that cannot be read is reported by the probes; any other error ends the check. */
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
