/**
 * A status the core hands out both as a call's answer and as a pushed event. The two travel
 * separately (the event stream can beat the answer), so each copy carries a revision that grows
 * with every read or change in the core, and a client keeps the copy with the highest.
 */
export interface Revised {
  revision: number;
}

/** Stamps for a status the core reads afresh at each call: each read has a higher revision than the last. */
export function readStamps(): () => number {
  let reads = 0;
  return () => ++reads;
}

/** The newer of two copies of a status, whichever arrived last; equal revisions read the same state. */
export function newest<T extends Revised>(current: T | null | undefined, next: T): T {
  return current && current.revision > next.revision ? current : next;
}
