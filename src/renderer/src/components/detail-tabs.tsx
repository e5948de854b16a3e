import { useMemo, useState } from 'react';
import type { DeliveryView } from '../../../shared/api';
import { retryDelaysText } from '../../../shared/reviewsense/retry-schedule';
import { base64ToBytes, hexDump, utf8OrNull } from '../lib/bytes';
import { dateTime, formatBytes, ordinal } from '../lib/format';
import { originalDeleted } from '../lib/original-link';
import { SignatureBadge, StatusCode } from './badges';
import { useApp } from './context';
import { CopyButton } from './copy-button';
import { Digest, HeaderValue } from './digest';
import { HeaderTable } from './header-table';
import { JsonTree } from './json-tree';
import { plural } from '../../../shared/plural';

const LARGE_BODY_BYTES = 256 * 1024;

export function PayloadTab({ view }: { view: DeliveryView }) {
  const { delivery } = view;
  // Past this size the tree costs more than it helps; the raw text opens first.
  const [raw, setRaw] = useState((delivery.bodyBase64?.length ?? 0) * 0.75 > LARGE_BODY_BYTES);
  const body = useMemo(() => (delivery.bodyBase64 === null ? null : base64ToBytes(delivery.bodyBase64)), [delivery.bodyBase64]);
  const text = useMemo(() => (body ? utf8OrNull(body) : null), [body]);
  const json = useMemo(() => {
    if (text === null) return undefined;
    try {
      return JSON.parse(text) as Parameters<typeof JsonTree>[0]['value'];
    } catch {
      return undefined;
    }
  }, [text]);

  if (body === null) return <p className="notice">{delivery.rejection ?? 'No body was stored.'}</p>;
  const encoding = delivery.headers.find(([name]) => name.toLowerCase() === 'content-encoding')?.[1];
  return (
    <div className="tab-body">
      <div className="tab-tools">
        <span className="muted">
          {formatBytes(body.length)}
          {delivery.contentType ? ` · ${delivery.contentType}` : ' · no Content-Type'}
          {encoding ? ` · Content-Encoding: ${encoding} (stored as received)` : ''}
        </span>
        {json !== undefined && (
          <button type="button" className="button small" onClick={() => setRaw(!raw)}>
            {raw ? 'Tree' : 'Raw'}
          </button>
        )}
        <CopyButton text={text ?? delivery.bodyBase64} label={text !== null ? 'Copy body' : 'Copy as base64'} />
      </div>
      {delivery.parseError && <p className="notice warn">{delivery.parseError}</p>}
      {json !== undefined && !raw ? (
        <JsonTree value={json} />
      ) : text !== null ? (
        <pre className="raw mono" data-testid="raw-body">{text}</pre>
      ) : (
        <pre className="raw mono" data-testid="hex-body">{hexDump(body)}</pre>
      )}
    </div>
  );
}

export function HeadersTab({ view }: { view: DeliveryView }) {
  const { delivery } = view;
  return (
    <div className="tab-body">
      <p className="muted">
        {delivery.method} {delivery.path} · from {delivery.remoteAddress ?? 'unknown'} · {dateTime(delivery.receivedAt)} · in received order
      </p>
      <HeaderTable headers={delivery.headers} />
    </div>
  );
}

export function SignatureTab({ view }: { view: DeliveryView }) {
  const { delivery } = view;
  const received = delivery.signatureReceived;
  // Each active secret's digest, the one the received header equals marked (the match).
  const expected = delivery.signatureExpected;
  const openSettings = useApp((s) => s.openSettings);
  return (
    <div className="tab-body">
      <div className="signature-verdict">
        <SignatureBadge status={delivery.signatureStatus} />
        {delivery.signatureSecret && (
          <span>
            matched secret <strong>{delivery.signatureSecret.label}</strong> <span className="mono muted">({delivery.signatureSecret.fingerprint})</span>
          </span>
        )}
      </div>
      {delivery.signatureDiagnosis && <p className="diagnosis">{delivery.signatureDiagnosis}</p>}
      <table className="kv mono signature-digests">
        <tbody>
          <tr>
            <th>Received</th>
            <td data-testid="signature-received">{received === null ? '(no X-ReviewSense-Signature header)' : <HeaderValue value={received} />}</td>
          </tr>
          <tr>
            <th colSpan={2} className="digests-caption">
              Expected: HMAC-SHA256 of the body with each active secret
            </th>
          </tr>
          {expected.map((entry) => {
            const matches = entry.digest === received;
            return (
              <tr key={`${entry.fingerprint} ${entry.label}`} className={matches ? 'matched' : undefined} data-testid="signature-expected" data-matches={matches}>
                <th>
                  <span className="digest-secret" title={entry.label}>
                    {entry.label}
                  </span>
                  <span className="muted">{entry.fingerprint}</span>
                  {matches && <span className="match-mark">✓ matches</span>}
                </th>
                <td>
                  <Digest value={entry.digest} />
                </td>
              </tr>
            );
          })}
          {expected.length === 0 && (
            <tr data-testid="signature-expected">
              <td />
              <td>{delivery.bodyBase64 === null ? '(no body was stored)' : '(no active secret)'}</td>
            </tr>
          )}
        </tbody>
      </table>
      <p className="muted">
        ReviewSense signs with HMAC-SHA256(signing secret, raw body) as 64 lower-case hex characters.{' '}
        {delivery.signatureStatus === 'unchecked' && (
          <button type="button" className="link" onClick={() => openSettings(true)}>
            Add your signing secret
          </button>
        )}
      </p>
    </div>
  );
}

export function DeliveriesTab({ view }: { view: DeliveryView }) {
  const select = useApp((s) => s.select);
  if (!view.delivery.eventId) return <p className="notice">This request has no event id, so it cannot be matched with other deliveries.</p>;
  return (
    <div className="tab-body">
      <p className="muted">
        {plural(view.related.length, 'delivery', 'deliveries')} of <span className="mono">{view.delivery.eventId}</span>. ReviewSense retries after {retryDelaysText()}; make your handler idempotent by event id.
      </p>
      {originalDeleted(view) && (
        <p className="muted" data-testid="original-deleted">
          The original, #{view.delivery.duplicateOf}, was deleted (by hand or by retention). The link and the ordinals stay as they were: they still count it.
        </p>
      )}
      <table className="list">
        <tbody>
          {view.related.map((delivery) => (
            <tr key={delivery.id} className={delivery.id === view.delivery.id ? 'current' : ''} onClick={() => select(delivery.id)}>
              <td>
                {delivery.id === view.delivery.id ? (
                  <span aria-current="true">#{delivery.id}</span>
                ) : (
                  // The row takes a click; the button is its way in from the keyboard.
                  <button type="button" className="link" onClick={() => select(delivery.id)} title={`Open delivery #${delivery.id}`}>
                    #{delivery.id}
                  </button>
                )}
              </td>
              <td>{delivery.unverifiedClaim ? 'unverified claim' : ordinal(delivery.deliveryNumber)}</td>
              <td>{dateTime(delivery.receivedAt)}</td>
              <td>
                <SignatureBadge status={delivery.signatureStatus} />
              </td>
              <td>
                <StatusCode status={delivery.responseStatus} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
