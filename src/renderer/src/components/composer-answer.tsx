import type { Attempt } from '../../../shared/attempt';
import { answeredRight, bodyPreview, timeAgainstRule } from '../lib/attempt-text';
import { signingText } from '../../../shared/signing-text';
import { ScrollingBody } from './attempt-exchange';
import { StatusCode } from './badges';

/** The answer to a send or replay, as ReviewSense would judge it. */
export function AttemptAnswer({ attempt }: { attempt: Attempt }) {
  const time = timeAgainstRule(attempt.durationMs);
  const body = bodyPreview(attempt.responseBodyBase64, 4 * 1024);
  const signing = signingText(attempt);
  return (
    <div className="attempt-answer">
      <div className="answer-line">
        {attempt.status !== null ? <StatusCode status={attempt.status} /> : <span className="error-text">no answer</span>}
        {attempt.durationMs !== null && <span className="mono">{attempt.durationMs} ms</span>}
        <span className={`verdict ${answeredRight(attempt) ? 'ok' : 'bad'}`} data-testid="verdict">
          {answeredRight(attempt) ? '✓ ' : '✗ '}
          {attempt.verdict}
        </span>
      </div>
      <div className="muted">
        {attempt.method} <span className="mono">{attempt.target}</span> · <span className={time.late ? 'error-text' : undefined}>{time.text}</span>
        {signing !== null && <span data-testid="signed-with"> · {signing}</span>}
      </div>
      {attempt.error && <p className="error-text">{attempt.error}</p>}
      {body !== null && body !== '' && <ScrollingBody text={body} className="answer-body" />}
      {attempt.responseTruncated && <p className="muted">The response body was longer than 1 MiB; only its start was kept.</p>}
    </div>
  );
}

export function ComposerAnswer({ attempt, busy, error }: { attempt: Attempt | null; busy: boolean; error: string | null }) {
  return (
    <section className="composer-answer" aria-label="Answer" aria-live="polite" data-testid="composer-answer">
      {error ? (
        <p className="notice error" role="alert">
          {error}
        </p>
      ) : busy ? (
        <p className="muted">Sending… ReviewSense waits up to 10 s for an answer.</p>
      ) : attempt ? (
        <AttemptAnswer attempt={attempt} />
      ) : (
        <p className="muted">The answer shows here: status, time against ReviewSense's 10-s rule, and the verdict in words.</p>
      )}
    </section>
  );
}
