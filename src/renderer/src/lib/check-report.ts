import type { CheckReport, ProbeGroup, ProbeResult } from '../../../shared/check';

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

/** Quoted for a POSIX shell only when it has to be. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * The CLI command that runs the same check in CI. The secret is never in it: the developer points
 * --secret-file at their own file (a command line can be read by other users of the machine).
 */
export function checkCommand(target: string, countUrl: string | null): string {
  const parts = ['npx hooklens check', shellWord(target), '--secret-file <your secret file>'];
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
