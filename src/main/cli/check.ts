import type { CheckReport, ProbeResult } from '../../shared/check';
import { runCheck } from '../check/check-runner';
import { attemptRecord, unsavedAttempt } from '../sender/sender-service';
import { checkTargetUsage, OUTGOING_FLAGS, parseCommand, secretOptions } from './cli-options';
import { createLineWriter } from './line-writer';
import { paint } from './output';
import { terminalSafe } from '../util/terminal-text';
import type { OutputIo } from './attempt-output';
import { EXIT, UsageError } from './usage-error';

export const CHECK_USAGE = `Usage: hooklens check <url> --secret S [options]

Check a webhook handler the way ReviewSense and a forger would: a valid event of each of the 7
types must get a 2xx within 10 s; forged, malformed, tampered and re-serialised requests must get a
4xx; the same event twice (one after another, and at once) must get a 2xx both times. Each failure
says what to fix. Runs in seconds; use it in CI.

  --secret S           the endpoint's signing secret (also HOOKLENS_SECRET or --secret-file F;
                       preferred, since other users on this machine can read a process's arguments)
  --secret-file F      read the signing secret from a file
  --count-url URL      a URL of your app that answers how many events it processed (a number, or
                       {"count": n}); read before and after one event delivered twice (one after
                       another, then another event twice at once), to check that a redelivery has
                       no second side effect. Work done after the answer counts: the count is
                       read until it stands still for 1 s (at most 5 s)
  --allow-host H       let requests reach host H (not loopback); repeatable
  --json               print the report as one JSON object (the last line of stdout)
  -h, --help           this help

Exit codes: 0 every probe passed, 1 any failed, 2 bad usage.`;

/** The report as DESIGN.md's contract prints it. */
function reportLine(report: CheckReport): string {
  return JSON.stringify({
    ok: report.ok,
    target: report.target,
    probes: report.probes.map(({ name, ok, expected, got, ms, advice }) => ({ name, ok, expected, got, ms, advice })),
  });
}

export async function check(argv: string[], io: OutputIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, { ...OUTGOING_FLAGS, 'count-url': { type: 'string' } }, true);
  if (values.help) {
    io.stdout.write(`${CHECK_USAGE}\n`);
    return EXIT.ok;
  }
  const [target, ...extra] = positionals;
  const url = target ?? values.to;
  if (!url) throw new UsageError('Give the URL of your webhook handler: hooklens check http://localhost:3000/webhooks --secret S.');
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  checkTargetUsage('the handler URL', url);
  if (values['count-url']) checkTargetUsage('--count-url', values['count-url']);
  const secret = secretOptions(values, io.env)[0]?.value;
  if (!secret) throw new UsageError('check needs the signing secret your handler verifies with: HOOKLENS_SECRET, --secret-file F or --secret S.');

  const stdout = createLineWriter(io.stdout);
  const stderr = createLineWriter(io.stderr);
  const colour = paint(Boolean(io.stderr.isTTY) && !io.env.NO_COLOR);
  const allowHosts = values['allow-host'] ?? [];
  const report = await runCheck({
    target: url,
    secret,
    countUrl: values['count-url'] ?? null,
    send: { policy: { allowHosts: () => allowHosts, refusedPorts: () => [] } },
    record: (sent, answer) => unsavedAttempt(attemptRecord({ kind: 'check', deliveryId: null }, sent, answer)),
    onProbe: (probe, done, total) => stderr.line(probeLine(probe, done, total, colour)),
  });
  const failed = report.probes.filter((probe) => !probe.ok).length;
  stderr.line(
    failed === 0
      ? colour('green', `hooklens: all ${report.probes.length} probes passed: ${terminalSafe(url)} verifies signatures, answers in time and takes redeliveries.`)
      : colour('red', `hooklens: ${failed} of ${report.probes.length} probes failed.`),
  );
  if (values.json) stdout.line(reportLine(report));
  stdout.flush();
  stderr.flush();
  return report.ok ? EXIT.ok : EXIT.failed;
}

function probeLine(probe: ProbeResult, done: number, total: number, colour: ReturnType<typeof paint>): string {
  const mark = probe.ok ? colour(probe.warning ? 'yellow' : 'green', probe.warning ? '!' : '✓') : colour('red', '✗');
  const head = `${colour('dim', `${done}/${total}`)}  ${mark} ${probe.name}  expected ${probe.expected}; got ${terminalSafe(probe.got)}`;
  const note = probe.ok ? probe.warning : probe.advice;
  return note ? `${head}\n      ${probe.ok ? colour('yellow', note) : colour('red', note)}` : head;
}
