import { useEffect, useState } from 'react';
import type { SimulationStatus } from '../../../shared/simulation';
import { clockTime } from '../lib/format';
import { StatusCode } from './badges';

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

function untilText(ms: number): string {
  if (ms <= 0) return 'now';
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `in ${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `in ${minutes} m ${seconds % 60} s`;
  return `in ${Math.floor(minutes / 60)} h ${minutes % 60} m`;
}

export function speedText(speed: number): string {
  return speed === 0 ? 'instant' : speed === 1 ? 'real time' : `${speed}×`;
}

export function simulationTitle(simulation: SimulationStatus): string {
  const what = simulation.deliveryId !== null ? `delivery #${simulation.deliveryId}` : (simulation.eventType ?? 'test event');
  return `#${simulation.id} · ${what} → ${simulation.target}`;
}

function outcome(simulation: SimulationStatus): { text: string; tone: 'ok' | 'bad' | 'wait' } {
  const last = simulation.tries.at(-1);
  switch (simulation.state) {
    case 'delivered':
      return { text: `Delivered on try ${last?.number ?? '?'} (${last?.label ?? '?'}): ReviewSense stops retrying here.`, tone: 'ok' };
    case 'inactive':
      return { text: 'Endpoint inactive: the 5th retry failed too, so ReviewSense would mark the endpoint inactive and stop sending.', tone: 'bad' };
    case 'cancelled':
      return { text: `Cancelled after ${simulation.tries.length} ${simulation.tries.length === 1 ? 'try' : 'tries'}.`, tone: 'bad' };
    default:
      return { text: `Running: ${simulation.tries.length} of at most 6 tries made.`, tone: 'wait' };
  }
}

/** A simulation's tries on ReviewSense's schedule, each answer judged, and how it ended. */
export function SimulationTimeline({ simulation, onCancel }: { simulation: SimulationStatus; onCancel: () => void }) {
  const running = simulation.state === 'running';
  const now = useNow(running && simulation.nextTryAt !== null);
  const result = outcome(simulation);
  const faults = simulation.faults;
  return (
    <section className="sim-timeline" aria-label="Timeline" data-testid="timeline" data-state={simulation.state}>
      <p className="mono sim-title" title={simulation.target}>
        {simulationTitle(simulation)}
      </p>
      <p className="muted">
        Speed {speedText(simulation.speed)}
        {faults && ` · injected: the first ${faults.first} ${faults.kind === 'error' ? 'answered 500 by a proxy' : 'slowed past 10 s by a proxy'}`}
      </p>
      <ol className="sim-tries">
        {simulation.tries.map((attempt) => (
          <li key={attempt.number} className={`sim-try ${attempt.delivered ? 'ok' : 'bad'}`} data-testid="sim-try">
            <span className="sim-label">{attempt.label}</span>
            <span className="mono muted">{clockTime(attempt.at)}</span>
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
        {running && simulation.nextLabel && (
          <li className="sim-try next" data-testid="sim-next">
            <span className="sim-label">{simulation.nextLabel}</span>
            <span className="muted">
              {simulation.nextTryAt === null ? 'next try being sent…' : `next try at ${clockTime(simulation.nextTryAt)} (${untilText(simulation.nextTryAt - now)})`}
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
