/**
 * Holds pushed progress that arrives while the call that starts its run has not answered yet:
 * over the browser shell the event stream and the call's answer travel separately, so the first
 * probe (or a small export's end) can land before the run's id is known.
 */
export function earlyEvents<P>() {
  let starting = 0;
  let held: P[] = [];
  return {
    begin(): void {
      starting += 1;
    },
    /** The run's start answered (or failed): what was held, for it to pick its own from. */
    end(): P[] {
      starting -= 1;
      const out = held;
      if (starting === 0) held = [];
      return out;
    },
    /** True when it was held (a start is pending); false when there is nothing to wait for. */
    hold(progress: P): boolean {
      if (starting === 0) return false;
      held.push(progress);
      return true;
    },
  };
}
