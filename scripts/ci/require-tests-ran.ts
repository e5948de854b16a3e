/**
 * `node --import tsx scripts/ci/require-tests-ran.ts <playwright-report.json> [minimum]`: fails
 * unless the Playwright run behind that JSON report ran at least `minimum` tests and skipped none.
 * CI uses it after the Electron smoke test, which skips itself (with a reason) where Electron
 * cannot run: on a machine where it must run, a skip is a failure.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export interface ReportStats {
  expected: number;
  unexpected: number;
  flaky: number;
  skipped: number;
}

/** What is wrong with a run, one sentence each (empty: it ran and passed). */
export function problemsWith(stats: ReportStats, minimum = 1): string[] {
  const problems: string[] = [];
  if (stats.skipped > 0) problems.push(`${stats.skipped} test(s) skipped: Electron could not run here (the reason is in the log above).`);
  if (stats.unexpected > 0) problems.push(`${stats.unexpected} test(s) failed.`);
  if (stats.expected + stats.flaky < minimum) problems.push(`only ${stats.expected + stats.flaky} test(s) passed, expected at least ${minimum}.`);
  return problems;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, minimum] = process.argv.slice(2);
  if (!file) {
    console.error('usage: require-tests-ran.ts <playwright-report.json> [minimum]');
    process.exit(2);
  }
  const { stats } = JSON.parse(readFileSync(file, 'utf8')) as { stats: ReportStats };
  const problems = problemsWith(stats, minimum ? Number(minimum) : 1);
  for (const problem of problems) console.error(`require-tests-ran: ${problem}`);
  if (problems.length === 0) console.log(`require-tests-ran: ${stats.expected + stats.flaky} test(s) ran and passed.`);
  process.exit(problems.length === 0 ? 0 : 1);
}
