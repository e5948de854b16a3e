import type { Attempt } from '../../../shared/attempt';
import { bodyPreview } from '../lib/attempt-text';
import { StatusCode } from './badges';
import { HeaderTable } from './header-table';

/** What an outgoing request sent: method, target, headers and body, as text. */
export function SentRequest({ attempt }: { attempt: Attempt }) {
  const body = bodyPreview(attempt.requestBodyBase64);
  return (
    <>
      <p className="mono">
        {attempt.method} {attempt.target}
      </p>
      <HeaderTable headers={attempt.requestHeaders} />
      {body !== null && <ScrollingBody text={body} />}
    </>
  );
}

/** A body in a box that scrolls past a few lines: a Tab stop, so the keyboard can scroll it too. */
export function ScrollingBody({ text, className = '' }: { text: string; className?: string }) {
  return (
    <pre className={`raw mono ${className}`} tabIndex={0}>
      {text || '(empty body)'}
    </pre>
  );
}

/** What came back: status, headers and body, or why nothing did. */
export function ReceivedAnswer({ attempt }: { attempt: Attempt }) {
  const body = bodyPreview(attempt.responseBodyBase64);
  return (
    <>
      {attempt.status !== null ? (
        <p>
          <StatusCode status={attempt.status} />
        </p>
      ) : (
        <p className="error-text">{attempt.error ?? 'No answer.'}</p>
      )}
      {attempt.responseHeaders && <HeaderTable headers={attempt.responseHeaders} />}
      {body !== null && <ScrollingBody text={body} />}
      {attempt.responseTruncated && <p className="muted">The response body was longer than 1 MiB: only its first 1 MiB was kept.</p>}
    </>
  );
}
