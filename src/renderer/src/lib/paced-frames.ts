import type { AnnounceTimers } from './announcer';

/** Runs `flush` in the frame it asked for; the store passes it the work gathered until then. */
export type Schedule = (flush: () => void) => void;

/**
 * The frame schedule of pushed deliveries: the next animation frame, but at most one flush every
 * `gapMs`. A delivery after a quiet spell is drawn in the next frame; a stream (200/s) is drawn
 * about 1000/gapMs times a second instead of every frame. Each frame of a moving feed costs the
 * page ~10 ms of script, style, layout and paint whatever its number of rows, and on a small
 * machine that time is taken from the receiver answering ReviewSense.
 */
export function pacedFrames(gapMs: number, timers: AnnounceTimers, frame: (run: () => void) => void): Schedule {
  let last = Number.NEGATIVE_INFINITY;
  return (flush) => {
    const run = () => {
      last = timers.now();
      flush();
    };
    const wait = last + gapMs - timers.now();
    if (wait <= 0) frame(run);
    else timers.later(() => frame(run), wait);
  };
}
