import { describe, expect, it } from 'vitest';
import { pacedFrames } from '../../../src/renderer/src/lib/paced-frames';
import { manualTimers } from './manual-timers';

/** Animation frames the test runs by hand, at the clock's current time. */
function manualFrames() {
  let waiting: (() => void)[] = [];
  return {
    frame: (run: () => void) => void waiting.push(run),
    runFrame: () => {
      const due = waiting;
      waiting = [];
      due.forEach((run) => run());
    },
    waiting: () => waiting.length,
  };
}

describe('the pace at which pushed deliveries are drawn', () => {
  it('draws a delivery after a quiet spell in the next frame, and a stream at most once per gap', () => {
    const { timers, advanceTo } = manualTimers();
    const frames = manualFrames();
    const schedule = pacedFrames(33, timers, frames.frame);
    const flushedAt: number[] = [];
    const flush = () => flushedAt.push(timers.now());

    advanceTo(1000);
    schedule(flush);
    expect(frames.waiting()).toBe(1);
    frames.runFrame();
    expect(flushedAt).toEqual([1000]);

    // Arrived 5 ms later: it waits out the gap, then the frame after it.
    advanceTo(1005);
    schedule(flush);
    expect(frames.waiting()).toBe(0);
    advanceTo(1032);
    expect(frames.waiting()).toBe(0);
    advanceTo(1033);
    expect(frames.waiting()).toBe(1);
    advanceTo(1040);
    frames.runFrame();
    expect(flushedAt).toEqual([1000, 1040]);

    // Quiet for longer than the gap: no wait again.
    advanceTo(2000);
    schedule(flush);
    expect(frames.waiting()).toBe(1);
    frames.runFrame();
    expect(flushedAt).toEqual([1000, 1040, 2000]);
  });
});
