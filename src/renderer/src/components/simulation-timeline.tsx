import { useEffect, useState } from 'react';
import type { SimulationStatus } from '../../../shared/simulation';
import { durationText, MAX_RETRIES, tryWhen } from '../../../shared/reviewsense/retry-schedule';
import { clockTime } from '../lib/format';
import { StatusCode } from './badges';
import { plural } from '../../../shared/plural';

/** The time now, ticking each second while `active` (for a countdown). */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** The first try and the five retries. */
const MAX_TRIES = 1 + MAX_RETRIES;
const FIVE_MINUTES = 5 * 60_000;

function untilText(ms: number): string {
  if (ms <= 0) return 'now';
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `in ${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `in ${minutes} m ${seconds % 60} s`;
  return `in ${Math.floor(minutes / 60)} h ${minutes % 60} m`;
}

export function simulationTitle(simulation: SimulationStatus): string {
  const what = simulation.deliveryId !== null ? `delivery #${simulation.deliveryId}` : (simulation.eventType ?? 'test event');
  return `#${simulation.id} · ${what} → ${simulation.target}`;
}

/** "83 ms", "5 s", "2 min": a span of real time. */
function realText(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  return durationText(ms);
}

/** What the times after each try are: ReviewSense's schedule, waited here at this speed or not. */
function scheduleNote(speed: number): string {
  if (speed === 1) return 'Real time: each try waits as long as the schedule says.';
  if (speed === 0) return "Instant: the times after each try are ReviewSense's schedule, not waited here.";
  return `Speed ${speed}×: the times after each try are ReviewSense's schedule, simulated (its 5 min took ${realText(FIVE_MINUTES / speed)} here).`;
}

/** A try's place on the schedule, and whether that time was waited for. */
function when(number: number, speed: number): string {
  const simulated = number === 1 || speed === 1 ? '' : speed === 0 ? ' on the schedule, sent at once here' : ` on the schedule, simulated at ${speed}×`;
  return `${tryWhen(number)}${simulated}`;
}

function outcome(simulation: SimulationStatus): { text: string; tone: 'ok' | 'bad' | 'wait' } {
  const last = simulation.tries.at(-1);
  const made = simulation.tries.length;
  switch (simulation.state) {
    case 'delivered':
      return { text: `Delivered on ${last ? when(last.number, simulation.speed) : 'a try'}: ReviewSense stops retrying here.`, tone: 'ok' };
    case 'inactive':
      return {
        text: `Endpoint inactive: the 5th retry (${when(MAX_TRIES, simulation.speed)}) failed too, so ReviewSense would mark the endpoint inactive and stop sending.`,
        tone: 'bad',
      };
    case 'cancelled':
      return { text: `Cancelled after ${plural(made, 'try', 'tries')}.`, tone: 'bad' };
    default:
      return { text: `Running: ${made} of at most ${MAX_TRIES} tries made.`, tone: 'wait' };
  }
}

/** A simulation's tries on ReviewSense's schedule, each answer judged, and how it ended. */
export function SimulationTimeline({ simulation, onCancel }: { simulation: SimulationStatus; onCancel: () => void }) {
  const running = simulation.state === 'running';
  const now = useNow(running && simulation.nextTryAt !== null);
  const result = outcome(simulation);
  const faults = simulation.faults;
  // The try after the last one recorded: waiting for nextTryAt, or on its way.
  const upcoming = simulation.tries.length + 1;
  return (
    <section className="sim-timeline" aria-label="Timeline" data-testid="timeline" data-state={simulation.state}>
      <p className="mono sim-title" title={simulation.target}>
        {simulationTitle(simulation)}
      </p>
      <p className="muted" data-testid="sim-schedule-note">
        {scheduleNote(simulation.speed)}
        {faults && ` Injected: the first ${faults.first} ${faults.kind === 'error' ? 'answered 500 by a proxy' : 'slowed past 10 s by a proxy'}.`}
      </p>
      <ol className="sim-tries">
        {simulation.tries.map((attempt) => (
          <li key={attempt.number} className={`sim-try ${attempt.delivered ? 'ok' : 'bad'}`} data-testid="sim-try">
            <span className="sim-label">{tryWhen(attempt.number)}</span>
            <span className="mono muted" title="When it was really sent">
              sent {clockTime(attempt.at)}
            </span>
            {attempt.status !== null ? <StatusCode status={attempt.status} /> : <span className="error-text">{attempt.error ?? 'no answer'}</span>}
            {attempt.durationMs !== null && <span className="mono muted">{attempt.durationMs} ms</span>}
            <span className={`verdict ${attempt.delivered ? 'ok' : 'bad'}`}>{attempt.verdict}</span>
            {attempt.injected && (
              <span className="badge injected" title="Answered (or held) by Hooklens' fault proxy, not by your app">
                injected
              </span>
            )}
          </li>
        ))}
        {running && upcoming <= MAX_TRIES && (
          <li className="sim-try next" data-testid="sim-next">
            <span className="sim-label">{tryWhen(upcoming)}</span>
            <span className="muted">
              {simulation.nextTryAt === null ? 'being sent…' : `next try at ${clockTime(simulation.nextTryAt)} (${untilText(simulation.nextTryAt - now)})`}
            </span>
          </li>
        )}
      </ol>
      <div className="composer-actions">
        <p className={`sim-outcome ${result.tone}`} data-testid="sim-outcome" aria-live="polite">
          {result.text}
        </p>
        {running && (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </section>
  );
}
