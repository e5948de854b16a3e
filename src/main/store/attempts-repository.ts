import type { Attempt, AttemptKind, SignedWith } from '../../shared/attempt';
import type { SignatureVariant } from '../../shared/outgoing';
import type { Expectation } from '../../shared/reviewsense/verdict';
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
  responseTruncated: boolean;
  error: string | null;
  delivered: boolean;
  verdict: string;
  queued: boolean;
  /** The retry simulation this try belongs to. */
  simulationId?: number | null;
  expect: Expectation | null;
  ok: boolean | null;
  signature: SignatureVariant | null;
  signedWith: SignedWith | null;
  edited: boolean;
}

interface AttemptRow {
  id: number;
  delivery_id: number | null;
  kind: AttemptKind;
  target: string;
  method: string;
  request_headers: string;
  request_body: Buffer | null;
  started_at: number;
  duration_ms: number | null;
  status: number | null;
  response_headers: string | null;
  response_body: Buffer | null;
  response_truncated: number;
  error: string | null;
  delivered: number;
  verdict: string;
  queued: number;
  /** The delivery it was made for: its own, or its simulation's. */
  for_delivery: number | null;
  expect: Expectation | null;
  ok: number | null;
  signature: SignatureVariant | null;
  signed_with_label: string | null;
  signed_with_fingerprint: string | null;
  edited: number;
}

export function toAttempt(row: AttemptRow): Attempt {
  return {
    id: row.id,
    deliveryId: row.for_delivery,
    kind: row.kind,
    target: row.target,
    method: row.method,
    requestHeaders: JSON.parse(row.request_headers) as [string, string][],
    requestBodyBase64: row.request_body ? row.request_body.toString('base64') : null,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    status: row.status,
    responseHeaders: row.response_headers ? (JSON.parse(row.response_headers) as [string, string][]) : null,
    responseBodyBase64: row.response_body ? row.response_body.toString('base64') : null,
    responseTruncated: row.response_truncated === 1,
    error: row.error,
    delivered: row.delivered === 1,
    verdict: row.verdict,
    queued: row.queued === 1,
    expect: row.expect,
    ok: row.ok === null ? null : row.ok === 1,
    signature: row.signature,
    signedWith: row.signed_with_label !== null ? { label: row.signed_with_label, fingerprint: row.signed_with_fingerprint ?? '' } : null,
    edited: row.edited === 1,
  };
}

/**
 * A simulation's tries are stored under the simulation, not the delivery (since schema 7), so
 * deleting the delivery leaves the timeline whole; they still name the delivery they came from.
 */
const COLUMNS = `*, coalesce(delivery_id, (SELECT s.delivery_id FROM simulations AS s WHERE s.id = attempts.simulation_id)) AS for_delivery`;

export function createAttemptsRepository(db: Db) {
  const statements = {
    insert: db.prepare(`INSERT INTO attempts (delivery_id, kind, target, method, request_headers, request_body, started_at,
        duration_ms, status, response_headers, response_body, response_truncated, error, delivered, verdict, queued, simulation_id,
        expect, ok, signature, signed_with_label, signed_with_fingerprint, edited)
      VALUES (@deliveryId, @kind, @target, @method, @requestHeaders, @requestBody, @startedAt,
        @durationMs, @status, @responseHeaders, @responseBody, @responseTruncated, @error, @delivered, @verdict, @queued, @simulationId,
        @expect, @ok, @signature, @signedWithLabel, @signedWithFingerprint, @edited)`),
    // Newest first: the Attempts tab shows the latest answer on top, a simulation's tries among them.
    ofDelivery: db.prepare<[number, number]>(
      `SELECT ${COLUMNS} FROM attempts WHERE delivery_id = ?
       UNION ALL SELECT ${COLUMNS} FROM attempts WHERE simulation_id IN (SELECT id FROM simulations WHERE delivery_id = ?)
       ORDER BY id DESC`,
    ),
    get: db.prepare<[number]>(`SELECT ${COLUMNS} FROM attempts WHERE id = ?`),
    ofSimulation: db.prepare<[number]>(`SELECT ${COLUMNS} FROM attempts WHERE simulation_id = ? ORDER BY id`),
    failedReplays: db.prepare<[number], number>("SELECT count(*) FROM attempts WHERE delivery_id = ? AND kind = 'replay' AND delivered = 0").pluck(),
  };

  function insert(attempt: NewAttempt): Attempt {
    // Assigned, not `{ ...attempt, requestHeaders, … }`: Node 20's V8 defines each property after
    // a spread on a slow path (~1–2 µs each), and a forward or a simulation writes one per request.
    const { lastInsertRowid } = statements.insert.run(
      Object.assign({}, attempt, {
        requestHeaders: JSON.stringify(attempt.requestHeaders),
        responseHeaders: attempt.responseHeaders ? JSON.stringify(attempt.responseHeaders) : null,
        responseTruncated: attempt.responseTruncated ? 1 : 0,
        delivered: attempt.delivered ? 1 : 0,
        queued: attempt.queued ? 1 : 0,
        simulationId: attempt.simulationId ?? null,
        // Under the simulation only: it may outlive the delivery (see COLUMNS).
        deliveryId: attempt.simulationId ? null : attempt.deliveryId,
        ok: attempt.ok === null ? null : attempt.ok ? 1 : 0,
        signedWithLabel: attempt.signedWith?.label ?? null,
        signedWithFingerprint: attempt.signedWith?.fingerprint ?? null,
        edited: attempt.edited ? 1 : 0,
      }),
    );
    return toAttempt(statements.get.get(Number(lastInsertRowid)) as AttemptRow);
  }

  function ofDelivery(deliveryId: number): Attempt[] {
    return (statements.ofDelivery.all(deliveryId, deliveryId) as AttemptRow[]).map(toAttempt);
  }

  function ofSimulation(simulationId: number): Attempt[] {
    return (statements.ofSimulation.all(simulationId) as AttemptRow[]).map(toAttempt);
  }

  /** Replays of this delivery that would have failed: the next one's verdict names the retry after them. */
  const failedReplays = (deliveryId: number): number => statements.failedReplays.get(deliveryId) ?? 0;

  return { insert, ofDelivery, ofSimulation, failedReplays };
}

export type AttemptsRepository = ReturnType<typeof createAttemptsRepository>;
