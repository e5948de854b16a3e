import type { ProbeResult } from '../../../shared/check';
import { timeAgainstRule } from '../lib/attempt-text';
import { attemptCurl } from '../lib/curl';
import { ReceivedAnswer, SentRequest } from './attempt-exchange';
import { CopyButton } from './copy-button';

/** One probe of a check: failing ones open, with what was sent, what came back, the time and the fix. */
export function CheckProbe({ probe }: { probe: ProbeResult }) {
  const time = timeAgainstRule(probe.ms);
  const count = probe.attempts.length;
  return (
    // Open once when it arrives failing; after that it is the user's to fold.
    <details className={`probe ${probe.ok ? 'ok' : 'bad'}`} open={!probe.ok} data-probe={probe.name} data-ok={probe.ok}>
      <summary>
        <span className={`probe-mark ${probe.ok ? 'ok' : 'bad'}`} aria-label={probe.ok ? 'passed' : 'failed'}>
          {probe.ok ? '✓' : '✗'}
        </span>
        <span className="probe-name">{probe.name}</span>
        {probe.warning && (
          <span className="badge warn-badge" title={probe.warning}>
            slow
          </span>
        )}
        <span className="mono muted">{probe.ms === null ? 'no answer' : `${probe.ms} ms`}</span>
        <span className="muted probe-got">{probe.got}</span>
      </summary>
      <div className="attempt-body">
        {probe.advice && <p className="advice">{probe.advice}</p>}
        {probe.warning && <p className="notice warn">⚠ {probe.warning}</p>}
        <table className="kv">
          <tbody>
            <tr>
              <th>Expected</th>
              <td>{probe.expected}</td>
            </tr>
            <tr>
              <th>Got</th>
              <td>{probe.got}</td>
            </tr>
            <tr>
              <th>Time</th>
              <td className={time.late ? 'error-text' : undefined}>{probe.ms === null ? 'no answer within ReviewSense\u2019s 10-s limit' : time.text}</td>
            </tr>
          </tbody>
        </table>
        {probe.attempts.map((attempt, index) => (
          <div key={index} className="probe-exchange">
            <div className="probe-exchange-head">
              <h3>Sent{count > 1 ? ` (request ${index + 1} of ${count})` : ''}</h3>
              <CopyButton text={attemptCurl(attempt)} label="Copy as cURL" title="A curl command that sends these exact bytes and headers to the same target" />
            </div>
            <SentRequest attempt={attempt} />
            <h3>Came back</h3>
            <ReceivedAnswer attempt={attempt} />
          </div>
        ))}
      </div>
    </details>
  );
}
