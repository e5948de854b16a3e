import type { AnnounceTimers } from './announcer';

/** Runs `flush` in the frame it asked for; the store passes it the work gathered until then. */
export type Schedule = (flush: () => void) => void;

/**
 * The frame schedule of pushed deliveries: the next animation frame, but at most one flush every
 * `gapMs`. A delivery after a quiet spell is drawn in the next frame; a stream (200/s) in the
 * first frame after each gap (20–30 times a second for 33 ms at 60 Hz) instead of every frame.
 * Each frame of a moving feed costs the page ~10 ms of script, style, layout and paint whatever
 * its number of rows, and on a small machine that time is taken from the receiver answering.
 */
export function pacedFrames(gapMs: number, timers: AnnounceTimers, frame: (run: () => void) => void): Schedule {
  let last = Number.NEGATIVE_INFINITY;
  return (flush) => {
    const run = () => {
      last = timers.now();
      flush();
    };
    // At most gapMs, should the wall clock step back.
    const wait = Math.min(gapMs, last + gapMs - timers.now());
    if (wait <= 0) frame(run);
    else timers.later(() => frame(run), wait);
  };
}
