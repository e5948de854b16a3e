import type { Attempt } from './attempt';

export type ProbeGroup = 'delivery' | 'forgery' | 'idempotency' | 'side-effects';

/** One probe of `hooklens check`, graded. The CLI's --json report carries the first six fields. */
export interface ProbeResult {
  name: string;
  ok: boolean;
  /** What a conforming handler answers. */
  expected: string;
  /** What this one answered. */
  got: string;
  /** The slowest request's time, or null when nothing answered. */
  ms: number | null;
  /** What to fix, in a sentence; null when the probe passed. */
  advice: string | null;
  group: ProbeGroup;
  /** Passed, but worth a look (over 5 s: close to ReviewSense's 10-s limit). */
  warning: string | null;
  /** Every request the probe sent, with its answer (for "Copy as cURL"). */
  attempts: Attempt[];
}

export interface CheckReport {
  ok: boolean;
  target: string;
  probes: ProbeResult[];
}

/** Pushed while a check runs: each finished probe, then the report. */
export interface CheckProgress {
  runId: string;
  target: string;
  done: number;
  total: number;
  probe: ProbeResult | null;
  report: CheckReport | null;
  /** Why it stopped early (cancelled, bad target); null otherwise. */
  error: string | null;
}
