import { RELAY_TARGETS, type RelayFigures, type RelayRun, type RelayTarget } from './relay';
import { median } from './report';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MiB`;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Each round's ratio of a target's figure to a baseline's in the same round, then their median. */
function ratio(runs: RelayRun[], target: RelayTarget, baseline: RelayTarget, value: (run: RelayRun) => number): number {
  return median(
    runs
      .filter((run) => run.target === target)
      .flatMap((run) => {
        const base = runs.find((other) => other.target === baseline && other.round === run.round);
        return base && value(base) > 0 ? [value(run) / value(base)] : [];
      }),
  );
}

/** The relay's section of bench/results.md. */
export function relayMarkdown(figures: RelayFigures): string {
  const { runs } = figures;
  const lines = [
    '',
    `### Team relay (\`hooklens relay\`), beside \`serve\` in the same run`,
    '',
    `${figures.connections} connections, ${figures.durationSeconds} s per run, each target started for its run in alternated rounds; ` +
      'the 50 subscribers read every event in one process of their own (bench/relay-swarm.ts), the stalled one is a socket that asks for the stream and never reads; ' +
      'the 1 subscriber is a real `hooklens serve --relay`. Subscribers run at the lowest priority (`nice -n 19`): on this machine they share the relay\'s cores, ' +
      'where real ones run on other machines; "Reached" says what each got and the CPU they used. p99 is of the answer to the POST (what ReviewSense waits for).',
    '',
    '| Round | Target | Deliveries/s | p50 ms | p99 ms | non-2xx | CPU µs/delivery | RSS peak (end) | Reached |',
    '|---:|---|---:|---:|---:|---:|---:|---|---|',
    ...runs.map(
      (run) =>
        `| ${run.round} | ${run.target} | ${int(run.load.perSecond)} | ${run.load.p50} | ${run.load.p99} | ${int(run.load.non2xx + run.load.errors)} | ${int(run.cpuUsPerDelivery)} | ${mib(run.rssPeakKiB)} (${mib(run.rssEndKiB)}) | ${run.check} |`,
    ),
    '',
    '| Median of the rounds | Deliveries/s | ÷ serve (same round) | p99 ms | p99 ÷ relay with 0 subscribers (same round) | CPU µs/delivery, ÷ relay with 0 | RSS peak |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const target of RELAY_TARGETS) {
    const own = runs.filter((run) => run.target === target);
    if (own.length === 0) continue;
    const vsServe = ratio(runs, target, 'serve', (run) => run.load.perSecond).toFixed(2);
    const vsZero = target === 'serve' ? '—' : ratio(runs, target, 'relay, 0 subscribers', (run) => run.load.p99).toFixed(2);
    const cpu = `${int(median(own.map((run) => run.cpuUsPerDelivery)))}${target === 'serve' ? '' : `, ${ratio(runs, target, 'relay, 0 subscribers', (run) => run.cpuUsPerDelivery).toFixed(2)}×`}`;
    lines.push(`| ${target} | ${int(median(own.map((run) => run.load.perSecond)))} | ${vsServe} | ${median(own.map((run) => run.load.p99))} | ${vsZero} | ${cpu} | ${mib(median(own.map((run) => run.rssPeakKiB)))} |`);
  }
  const lag = figures.lagMs;
  const stalledP99 = ratio(runs, 'relay, 50 subscribers + 1 stalled', 'relay, 0 subscribers', (run) => run.load.p99);
  const memory = ratio(runs, 'relay, 50 subscribers + 1 stalled', 'relay, 0 subscribers', (run) => run.rssPeakKiB);
  lines.push(
    '',
    '| Target (issue "Team relay") | This run | Target |',
    '|---|---|---|',
    `| Relay answer p99, 50 subscribers + 1 stalled ÷ no subscriber | ${stalledP99.toFixed(2)}× | ≤ 2× |`,
    `| Relay memory, 50 subscribers + 1 stalled ÷ no subscriber (peak RSS) | ${memory.toFixed(2)}× | bounded |`,
    `| Relay's answer → subscriber's row, ${int(lag.length)} deliveries at ${figures.lagRate}/s | p50 ${percentile(lag, 50).toFixed(1)} ms, p95 ${percentile(lag, 95).toFixed(1)} ms (max ${Math.max(...lag).toFixed(1)} ms) | |`,
    `| Deliveries that did not reach a subscriber | ${runs.reduce((sum, run) => sum + run.missing, 0)} | 0 |`,
  );
  return `${lines.join('\n')}\n`;
}
