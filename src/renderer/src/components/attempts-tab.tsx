import type { DeliveryView } from '../../../shared/api';
import type { Attempt } from '../../../shared/attempt';
import { bodyPreview, kindName, timeAgainstRule } from '../lib/attempt-text';
import { clockTime } from '../lib/format';
import { StatusCode } from './badges';

function HeaderTable({ headers }: { headers: [string, string][] }) {
  return (
    <table className="kv mono">
      <tbody>
        {headers.map(([name, value], index) => (
          <tr key={index}>
            <th>{name}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AttemptItem({ attempt }: { attempt: Attempt }) {
  const time = timeAgainstRule(attempt.durationMs);
  const requestBody = bodyPreview(attempt.requestBodyBase64);
  const responseBody = bodyPreview(attempt.responseBodyBase64);
  const verdictClass = `verdict ${attempt.delivered ? 'ok' : 'bad'}`;
  return (
    <details className="attempt" data-attempt-id={attempt.id}>
      <summary>
        <span className="attempt-kind">{kindName(attempt.kind)}</span>
        <span className="mono muted">{clockTime(attempt.startedAt)}</span>
        {attempt.status !== null ? <StatusCode status={attempt.status} /> : <span className="error-text">{attempt.queued ? 'queued' : 'no answer'}</span>}
        {attempt.durationMs !== null && <span className="mono muted">{attempt.durationMs} ms</span>}
        <span className={verdictClass}>{attempt.verdict}</span>
        <span className="mono muted attempt-target" title={attempt.target}>
          → {attempt.target}
        </span>
      </summary>
      <div className="attempt-body">
        <h4>Request</h4>
        <p className="mono">
          {attempt.method} {attempt.target}
        </p>
        <HeaderTable headers={attempt.requestHeaders} />
        {requestBody !== null && <pre className="raw mono">{requestBody || '(empty body)'}</pre>}
        <h4>Response</h4>
        {attempt.status !== null ? (
          <p>
            <StatusCode status={attempt.status} />
          </p>
        ) : (
          <p className="error-text">{attempt.error ?? 'No answer.'}</p>
        )}
        {attempt.responseHeaders && <HeaderTable headers={attempt.responseHeaders} />}
        {responseBody !== null && <pre className="raw mono">{responseBody || '(empty body)'}</pre>}
        {attempt.responseTruncated && <p className="muted">The response body was longer than 1 MiB: only its first 1 MiB was kept.</p>}
        <h4>Time</h4>
        <p className={time.late ? 'error-text' : undefined}>{time.text}</p>
        <h4>Verdict</h4>
        <p className={verdictClass}>ReviewSense {attempt.verdict}.</p>
      </div>
    </details>
  );
}

/** Outgoing requests made for this delivery (replays, forwards), newest first. */
export function AttemptsTab({ view }: { view: DeliveryView }) {
  if (view.attempts.length === 0) return <p className="notice">No outgoing requests (replays, forwards) were made for this delivery. Replay ▾ sends it again.</p>;
  const attempts = [...view.attempts].sort((a, b) => b.id - a.id);
  return (
    <div className="tab-body">
      <p className="muted">Newest first, each judged by ReviewSense's rule: a 2xx within 10 s counts as delivered. Open one for its request and response.</p>
      {attempts.map((attempt) => (
        <AttemptItem key={attempt.id} attempt={attempt} />
      ))}
    </div>
  );
}
