import type { CheckReport, ProbeGroup, ProbeResult } from '../../../shared/check';
import { shellWord } from './shell-words';

const GROUP_ORDER: ProbeGroup[] = ['forgery', 'delivery', 'idempotency', 'side-effects'];

/** Failing probes first, then by kind and name: the order of the core's final report. */
export function sortProbes(probes: readonly ProbeResult[]): ProbeResult[] {
  const rank = (probe: ProbeResult) => GROUP_ORDER.indexOf(probe.group);
  return [...probes].sort((a, b) => Number(a.ok) - Number(b.ok) || rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** The report as `hooklens check --json` prints it (DESIGN.md's contract), pretty for reading. */
export function reportJson(report: CheckReport): string {
  return JSON.stringify(
    {
      ok: report.ok,
      target: report.target,
      probes: report.probes.map(({ name, ok, expected, got, ms, advice }) => ({ name, ok, expected, got, ms, advice })),
    },
    null,
    2,
  );
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** The file the copied command reads the secret from: a plain name to replace, never shell syntax (`<…>` would be a redirection). */
export const SECRET_FILE = 'reviewsense-secret.txt';

/**
 * The CLI command that runs the same check in CI, every part quoted. The secret is never in it:
 * it is read from SECRET_FILE, or the file the developer names instead (a command line can be read
 * by other users of the machine).
 */
export function checkCommand(target: string, countUrl: string | null): string {
  const parts = ['npx hooklens check', shellWord(target), '--secret-file', SECRET_FILE];
  if (countUrl) parts.push('--count-url', shellWord(countUrl));
  // Hosts beyond loopback need an explicit allowance, on the command line as in Settings.
  const hosts = new Set<string>();
  for (const url of [target, countUrl]) {
    try {
      const host = url ? new URL(url).hostname : '';
      if (host && !LOOPBACK.test(host)) hosts.add(host);
    } catch {
      // Not a URL: the CLI will say so.
    }
  }
  for (const host of hosts) parts.push('--allow-host', shellWord(host));
  return parts.join(' ');
}
