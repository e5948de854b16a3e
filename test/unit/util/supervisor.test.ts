import { createWriteStream } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import type { BackgroundProblem } from '../../../src/shared/background';
import { createBackoff, createSupervisor } from '../../../src/main/util/supervisor';

function recording() {
  const reports: [string, BackgroundProblem | null][] = [];
  const supervisor = createSupervisor({ onProblem: (task, problem) => reports.push([task, problem]) });
  return { supervisor, reports };
}

describe('the supervisor of background work', () => {
  it('catches a throw and a rejection, reports the failure once, and says when the task works again', async () => {
    const { supervisor, reports } = recording();
    expect(await supervisor.run('indexing', () => Promise.reject(new Error('database is locked')))).toBeUndefined();
    expect(await supervisor.run('indexing', () => {
      throw new Error('database is locked');
    })).toBeUndefined();
    expect(reports).toEqual([['indexing', expect.objectContaining({ task: 'indexing', message: 'database is locked', retryAt: null })]]);
    expect(supervisor.problems()).toHaveLength(1);

    expect(await supervisor.run('indexing', () => 7)).toBe(7);
    expect(reports.at(-1)).toEqual(['indexing', null]);
    expect(supervisor.problems()).toEqual([]);
  });

  it('reports again when the reason changes', () => {
    const { supervisor, reports } = recording();
    supervisor.failed('queue', new Error('database is locked'));
    supervisor.failed('queue', new Error('database is locked'));
    supervisor.failed('queue', new Error('disk is full'));
    expect(reports.map(([, problem]) => problem?.message)).toEqual(['database is locked', 'disk is full']);
  });

  it('a reporter that throws does not turn a handled failure into an unhandled one', async () => {
    const supervisor = createSupervisor({
      onProblem: () => {
        throw new Error('the reporter broke');
      },
    });
    await expect(supervisor.run('task', () => Promise.reject(new Error('first')))).resolves.toBeUndefined();
  });

  it('repeats a timer task, backing off while it fails and coming back to its period once it works', async () => {
    vi.useFakeTimers();
    try {
      const { supervisor, reports } = recording();
      let failing = true;
      const ranAt: number[] = [];
      const task = supervisor.every('size poll', 100, () => {
        ranAt.push(Date.now());
        if (failing) throw new Error('stat failed');
      });
      const start = Date.now();
      // Each wait after a failure twice the last: 100, 200, 400, then 800.
      await vi.advanceTimersByTimeAsync(1_500);
      expect(ranAt.map((at) => at - start)).toEqual([100, 200, 400, 800]);
      expect(reports).toHaveLength(1);
      failing = false;
      await vi.advanceTimersByTimeAsync(300);
      expect(ranAt.slice(4).map((at) => at - start)).toEqual([1600, 1700, 1800]);
      expect(reports.at(-1)).toEqual(['size poll', null]);
      task.stop();
      await vi.advanceTimersByTimeAsync(1000);
      expect(ranAt).toHaveLength(7);
    } finally {
      vi.useRealTimers();
    }
  });

  it("reports a real stream's error (a write to a full device) instead of ending the process", async () => {
    const { supervisor, reports } = recording();
    const cleaned: string[] = [];
    // Linux's /dev/full: every write fails with ENOSPC, as on a full disk.
    const out = supervisor.watch('export', createWriteStream('/dev/full'), (error) => cleaned.push((error as NodeJS.ErrnoException).code ?? ''));
    out.write('x'.repeat(70_000));
    await new Promise<void>((resolve) => out.once('close', () => resolve()));
    expect(cleaned).toEqual(['ENOSPC']);
    expect(reports).toEqual([['export', expect.objectContaining({ message: expect.stringContaining('ENOSPC') })]]);
  });

  it('backs off by doubling up to a ceiling, and starts over after a reset', () => {
    const waits = createBackoff({ firstMs: 500, maxMs: 3_000 });
    expect([waits.next(), waits.next(), waits.next(), waits.next(), waits.next()]).toEqual([500, 1000, 2000, 3000, 3000]);
    waits.reset();
    expect(waits.next()).toBe(500);
  });
});
