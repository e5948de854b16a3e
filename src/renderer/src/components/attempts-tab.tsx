import type { DeliveryView } from '../../../shared/api';
import type { Attempt } from '../../../shared/attempt';
import { answeredRight, attemptTitle, timeAgainstRule } from '../lib/attempt-text';
import { clockTime } from '../lib/format';
import { ReceivedAnswer, SentRequest } from './attempt-exchange';
import { StatusCode } from './badges';

function AttemptItem({ attempt }: { attempt: Attempt }) {
  const time = timeAgainstRule(attempt.durationMs);
  const verdictClass = `verdict ${answeredRight(attempt) ? 'ok' : 'bad'}`;
  return (
    <details className="attempt" data-attempt-id={attempt.id}>
      <summary>
        <span className="attempt-kind" data-testid="attempt-title">
          {attemptTitle(attempt)}
        </span>
        <span className="mono muted">{clockTime(attempt.startedAt)}</span>
        {attempt.status !== null ? <StatusCode status={attempt.status} /> : <span className="error-text">{attempt.queued ? 'queued' : 'no answer'}</span>}
        {attempt.durationMs !== null && <span className="mono muted">{attempt.durationMs} ms</span>}
        <span className={verdictClass}>{attempt.verdict}</span>
        <span className="mono muted attempt-target" title={attempt.target}>
          → {attempt.target}
        </span>
      </summary>
      <div className="attempt-body">
        <h3>Request</h3>
        <SentRequest attempt={attempt} />
        <h3>Response</h3>
        <ReceivedAnswer attempt={attempt} />
        <h3>Time</h3>
        <p className={time.late ? 'error-text' : undefined}>{time.text}</p>
        <h3>Verdict</h3>
        <p className={verdictClass}>{verdictSentence(attempt)}</p>
      </div>
    </details>
  );
}

/** The verdict as a sentence: ReviewSense's rule for a genuine request, the expectation for a broken signature. */
function verdictSentence(attempt: Attempt): string {
  const text = attempt.verdict.charAt(0).toUpperCase() + attempt.verdict.slice(1);
  if (attempt.expect === 'refuse') return `It should be refused (its signature is not genuine): ${attempt.verdict}.`;
  return attempt.expect === 'accept' || attempt.expect === null ? `ReviewSense ${attempt.verdict}.` : `${text}.`;
}

/** Where this delivery's forward stands when that is not an attempt yet: waiting, or not sent at all. */
function ForwardNote({ view }: { view: DeliveryView }) {
  const { forwardQueued, forwardNote } = view.delivery;
  if (forwardQueued) {
    const tried = view.attempts.some((attempt) => attempt.kind === 'forward');
    return (
      <p className="notice" data-testid="forward-waiting">
        {tried
          ? 'Waiting in the forward queue: your app gave no answer yet. It is sent again, in arrival order, as soon as your app answers (Settings → Forwarding).'
          : 'Waiting in the forward queue for its turn: it goes to your app after the deliveries before it (Settings → Forwarding).'}
      </p>
    );
  }
  return forwardNote ? (
    <p className="notice error" data-testid="forward-note">
      {forwardNote}
    </p>
  ) : null;
}

/** Outgoing requests made for this delivery (replays, forwards), newest first. */
export function AttemptsTab({ view }: { view: DeliveryView }) {
  if (view.attempts.length === 0)
    return (
      <div className="tab-body">
        <ForwardNote view={view} />
        <p className="notice">No outgoing requests (replays, forwards) were made for this delivery yet. Replay ▾ sends it again.</p>
      </div>
    );
  const attempts = [...view.attempts].sort((a, b) => b.id - a.id);
  return (
    <div className="tab-body">
      <ForwardNote view={view} />
      <p className="muted">Newest first, each judged by ReviewSense's rule: a 2xx within 10 s counts as delivered. Open one for its request and response.</p>
      {attempts.map((attempt) => (
        <AttemptItem key={attempt.id} attempt={attempt} />
      ))}
    </div>
  );
}
