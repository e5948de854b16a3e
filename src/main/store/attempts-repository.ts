import type { Attempt, AttemptKind } from '../../shared/attempt';
import type { Db } from './open-database';

export interface NewAttempt {
  deliveryId: number | null;
  kind: AttemptKind;
  target: string;
  method: string;
  requestHeaders: [string, string][];
  requestBody: Buffer | null;
  startedAt: number;
  durationMs: number | null;
  status: number | null;
  responseHeaders: [string, string][] | null;
  responseBody: Buffer | null;
  error: string | null;
}

interface AttemptRow {
  id: number;
  delivery_id: number | null;
  kind: AttemptKind;
  target: string;
  method: string;
  request_headers: string;
  started_at: number;
  duration_ms: number | null;
  status: number | null;
  response_headers: string | null;
  response_body: Buffer | null;
  error: string | null;
}

function toAttempt(row: AttemptRow): Attempt {
  return {
    id: row.id,
    deliveryId: row.delivery_id,
    kind: row.kind,
    target: row.target,
    method: row.method,
    requestHeaders: JSON.parse(row.request_headers) as [string, string][],
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    status: row.status,
    responseHeaders: row.response_headers ? (JSON.parse(row.response_headers) as [string, string][]) : null,
    responseBodyBase64: row.response_body ? row.response_body.toString('base64') : null,
    error: row.error,
  };
}

export function createAttemptsRepository(db: Db) {
  const statements = {
    insert: db.prepare(`INSERT INTO attempts (delivery_id, kind, target, method, request_headers, request_body, started_at,
        duration_ms, status, response_headers, response_body, error)
      VALUES (@deliveryId, @kind, @target, @method, @requestHeaders, @requestBody, @startedAt,
        @durationMs, @status, @responseHeaders, @responseBody, @error)`),
    ofDelivery: db.prepare<[number]>('SELECT * FROM attempts WHERE delivery_id = ? ORDER BY id'),
    get: db.prepare<[number]>('SELECT * FROM attempts WHERE id = ?'),
  };

  function insert(attempt: NewAttempt): Attempt {
    const { lastInsertRowid } = statements.insert.run({
      ...attempt,
      requestHeaders: JSON.stringify(attempt.requestHeaders),
      responseHeaders: attempt.responseHeaders ? JSON.stringify(attempt.responseHeaders) : null,
    });
    return toAttempt(statements.get.get(Number(lastInsertRowid)) as AttemptRow);
  }

  function ofDelivery(deliveryId: number): Attempt[] {
    return (statements.ofDelivery.all(deliveryId) as AttemptRow[]).map(toAttempt);
  }

  return { insert, ofDelivery };
}

export type AttemptsRepository = ReturnType<typeof createAttemptsRepository>;
