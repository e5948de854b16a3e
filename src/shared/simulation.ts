/** Faults injected by a proxy in front of your app, for the first `first` tries. */
export interface SimulationFaults {
  /** `error`: the proxy answers 500 itself; `slow`: it holds your app's answer past 10 s. */
  kind: 'error' | 'slow';
  first: number;
}

export type SimulationState = 'running' | 'delivered' | 'inactive' | 'cancelled';

export interface SimulationTry {
  /** 1 for the first delivery, 2 for the 1st retry, … 6 for the 5th (final) retry. */
  number: number;
  /** The schedule's label: "now", "+5 m", "+30 m", "+2 h", "+6 h", "+24 h". */
  label: string;
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
  /** When the next try goes out (running only). */
  nextTryAt: number | null;
  nextLabel: string | null;
}
