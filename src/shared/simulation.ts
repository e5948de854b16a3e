/** Faults injected by a proxy in front of your app, for the first `first` tries. */
export interface SimulationFaults {
  /** `error`: the proxy answers 500 itself; `slow`: it holds your app's answer past 10 s. */
  kind: 'error' | 'slow';
  first: number;
}

export type SimulationState = 'running' | 'delivered' | 'inactive' | 'cancelled';

export interface SimulationTry {
  /**
   * 1 for the first delivery, 2 for the 1st retry, … 6 for the 5th (final) retry; where it falls
   * on the schedule is `tryWhen(number)` (retry-schedule.ts).
   */
  number: number;
  /** When it was really sent (at a speed other than 1, not the schedule's time). */
  at: number;
  status: number | null;
  durationMs: number | null;
  error: string | null;
  delivered: boolean;
  verdict: string;
  /** Answered by the fault proxy, not by your app. */
  injected: boolean;
}

/** A simulation as the timeline shows it. */
export interface SimulationStatus {
  id: number;
  createdAt: number;
  deliveryId: number | null;
  eventType: string | null;
  target: string;
  /** Delays are divided by this; 0: no waiting. */
  speed: number;
  faults: SimulationFaults | null;
  state: SimulationState;
  tries: SimulationTry[];
  /** When try `tries.length + 1` really goes out (running only); null while it is on its way. */
  nextTryAt: number | null;
  /**
   * The schedule's wait before the try `nextTryAt` is set for, as the CLI's progress line prints it
   * ("+5 m" … "+24 h"): a wait after the previous try, not a time since the first (the app says
   * both, with tryWhen).
   */
  nextLabel: string | null;
}
