import type { AnnounceTimers } from '../../../src/renderer/src/lib/announcer';

/** A clock the test moves by hand, and the timers due on it. */
export function manualTimers() {
  let now = 0;
  let due: { at: number; run: () => void }[] = [];
  const timers: AnnounceTimers = {
    now: () => now,
    later(run, ms) {
      const timer = { at: now + ms, run };
      due.push(timer);
      return () => (due = due.filter((other) => other !== timer));
    },
  };
  const advanceTo = (time: number) => {
    for (;;) {
      const next = due.filter((timer) => timer.at <= time).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      due = due.filter((timer) => timer !== next);
      now = next.at;
      next.run();
    }
    now = time;
  };
  return { timers, advanceTo, pending: () => due.length };
}
