// The capture every exchange test checks against: seven deliveries captured by a real receiver on
// a loopback port into a real SQLite file; and the built CLI's export, and its import into fresh
// data folders (out/main/cli.js: build first with `npx electron-vite build`). Every file and every
// database is read back independently (JSON.parse, better-sqlite3 read-only), never through the
// exporter.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect } from 'vitest';
import { Inspector } from '../../../src/main/inspector/inspector';
import { sign } from '../../../src/main/profile/signature';
import { createFileKeyCipher } from '../../../src/main/secrets/file-key-cipher';
import { createSecretRing } from '../../../src/main/secrets/secret-ring';
import { openStore } from '../../../src/main/store/store';
import { runCliToEnd } from '../../helpers/cli';
import { post, rawExchange, statusOf } from '../../helpers/http';
import { storedRows } from '../../helpers/stored-rows';
import { tempDir } from '../../helpers/temp-dir';

const SECRET = 'whsec_exchange_capture';
export const LIMIT = 64 * 1024;

/** A row of the deliveries table as SQLite holds it. */
export interface Row {
  id: number;
  received_at: number;
  method: string;
  path: string;
  headers: string;
  raw_headers: string | null;
  receiver_origin: string | null;
  body: Buffer | null;
  body_size: number;
  content_type: string | null;
  remote_address: string | null;
  event_id: string | null;
  event_type: string | null;
  signature_status: string;
  signature_secret_label: string | null;
  signature_secret_fingerprint: string | null;
  signature_diagnosis: string | null;
  signature_received: string | null;
  duplicate_of: number | null;
  delivery_number: number;
  unverified_claim: number;
  response_status: number;
  answer_lost: string | null;
  rejection: string | null;
  parse_error: string | null;
  imported: number;
}

export const rowsOf = (dataDir: string): Row[] => storedRows<Row>(dataDir);

function envelope(id: string, type: string, data: Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify({ id, type, created_at: '2026-04-24T14:30:00Z', api_version: 'v1', data }));
}

/** What was sent, by name: the exact bytes (null when the receiver refused to store them). */
export const sent = {
  valid: envelope('evt_valid_0001', 'review.analysed', { review_id: 'wc_rev_1', sentiment: 'positive', draft: 'Très bien, merci « Ana » ✓ 😀 "quoted" \\ back' }),
  invalid: envelope('evt_invalid_0002', 'review.flagged', { review_id: 'wc_rev_2', reason: 'spam' }),
  duplicate: envelope('evt_dup_0003', 'review.analysed', { review_id: 'wc_rev_3', sentiment: 'negative' }),
  // Every byte value, and sequences that are not UTF-8 (a lone continuation byte, an overlong).
  binary: Buffer.concat([Buffer.from([0xff, 0xfe, 0x80, 0xc0, 0xaf, 0x00]), Buffer.from(Array.from({ length: 256 }, (_, index) => index))]),
  gzip: gzipSync(envelope('evt_gzip_0004', 'quota.warning', { used: 950, limit: 1000, note: 'zebracorn' })),
};

/** As a client sends a header value: a string of its bytes, one character per byte. */
export const wire = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
/** Header values that are not ASCII: UTF-8 (one decodes above U+00FF) and a latin1 byte that is not UTF-8. */
const NON_ASCII_HEADERS = { 'x-euro': wire('5 €'), 'x-utf8': wire('café'), 'x-latin1': 'caf\xe9' };

export interface Captured {
  dir: string;
  /** The receiver's origin (a free port, not the default 8787): where every delivery arrived. */
  origin: string;
  /** Ids by what was sent. */
  ids: { valid: number; invalid: number; original: number; duplicate: number; binary: number; gzip: number; rejected: number };
  rows: Row[];
}

let folder: ReturnType<typeof tempDir>;
/** What useCapture()'s beforeAll captured: importers read it as a live binding. */
export let captured: Captured;
/** Fresh data folders and files for this file's tests, under one temp folder. */
export const path = (name: string) => join(folder.path, name);

async function capture(): Promise<Captured> {
  const dir = path('source');
  const inspector = new Inspector({ dataDir: dir, runtimeSecrets: [{ label: 'current', value: SECRET }], receiver: { port: 0, bodyLimit: LIMIT } });
  await inspector.start();
  const url = inspector.receiverUrl as string;
  const idOf = async (response: Promise<{ status: number; body: string }>, status: number) => {
    const answer = await response;
    expect(answer.status).toBe(status);
    return (JSON.parse(answer.body) as { delivery: number }).delivery;
  };
  try {
    const signed = (body: Buffer, headers: Record<string, string> = {}, to = url) =>
      post(to, body, { 'content-type': 'application/json', 'user-agent': 'ReviewSense-Webhooks/1.0', 'x-reviewsense-signature': sign(SECRET, body), ...headers });
    const valid = await idOf(signed(sent.valid, NON_ASCII_HEADERS), 200);
    const invalid = await idOf(post(url, sent.invalid, { 'content-type': 'application/json', 'x-reviewsense-signature': sign('whsec_not_it', sent.invalid) }), 200); // not strict: recorded and acknowledged
    const original = await idOf(signed(sent.duplicate), 200);
    const duplicate = await idOf(signed(sent.duplicate, { 'x-reviewsense-retry': '1' }), 200);
    const binary = await idOf(signed(sent.binary, { 'content-type': 'application/octet-stream' }, `${url}/bin`), 200);
    const gzip = await idOf(signed(sent.gzip, { 'content-encoding': 'gzip' }, `${url}/quota?source=test&note=a%20b`), 200);
    const { response } = await rawExchange(
      inspector.receiverPort as number,
      [`POST /hooks/reviewsense HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-ReviewSense-Signature: ${'a'.repeat(64)}\r\nContent-Length: ${LIMIT + 1}\r\n\r\n`, 'x'.repeat(1000)],
      5_000,
    );
    expect(statusOf(response)).toBe(413);
    const rejected = inspector.listDeliveries({ limit: 1 })[0]?.id as number;
    return { dir, origin: new URL(url).origin, ids: { valid, invalid, original, duplicate, binary, gzip, rejected }, rows: [] };
  } finally {
    await inspector.stop();
  }
}

export async function exportTo(format: string, file: string, extra: string[] = []) {
  const result = await runCliToEnd(['export', '--data-dir', captured.dir, '--format', format, '--out', file, ...extra]);
  expect(result.stderr).toContain(`as ${format} to ${file}`);
  expect(result.code).toBe(0);
  return readFileSync(file);
}

/**
 * Imports into `dataDir` with the capture's secret saved there (as the app saves it), so each
 * signature verifies again to what the capture found, down to the secret's label.
 */
export async function importInto(file: string, dataDir: string) {
  const store = openStore(dataDir);
  const ring = createSecretRing({ repository: store.secrets, cipher: createFileKeyCipher(dataDir), runtime: [], clock: Date.now, onChange: () => undefined });
  if (ring.list().length === 0) ring.add('current', SECRET);
  store.close();
  const result = await runCliToEnd(['import', file, '--data-dir', dataDir]);
  expect(result.code).toBe(0);
  return result;
}

export const rowOf = (id: number) => captured.rows.find((row) => row.id === id) as Row;

/** Captures the seven deliveries once for the calling test file, into a temp folder removed after it. */
export function useCapture(): void {
  beforeAll(async () => {
    folder = tempDir('hooklens-exchange-');
    captured = await capture();
    captured.rows = rowsOf(captured.dir);
  });
  afterAll(() => folder.cleanup());
}
