import type { BackgroundProblem } from '../../shared/background';

/** "search indexing failed: the database is locked (trying again in 4 s)". */
export function problemLine(task: string, problem: BackgroundProblem | null, now: number = Date.now()): string {
  if (problem === null) return `hooklens: ${task} works again.`;
  const next = problem.retryAt === null ? '' : ` (trying again in ${Math.max(1, Math.round((problem.retryAt - now) / 1000))} s)`;
  return `hooklens: ${task} failed: ${problem.message}${next}`;
}

/** The default report of background work: one line on stderr when it fails, one when it recovers. */
export function reportProblemToStderr(task: string, problem: BackgroundProblem | null): void {
  process.stderr.write(`${problemLine(task, problem)}\n`);
}
