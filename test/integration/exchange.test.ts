import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { version } from '../../package.json';
import { Inspector } from '../../src/main/inspector/inspector';
import { sign } from '../../src/main/profile/signature';
import { createFileKeyCipher } from '../../src/main/secrets/file-key-cipher';
import { createSecretRing } from '../../src/main/secrets/secret-ring';
import { openStore } from '../../src/main/store/store';
import type { ExportedDelivery } from '../../src/shared/exchange';
import { runCliToEnd } from '../helpers/cli';
import { newDelivery } from '../helpers/deliveries';
import { post, rawExchange, statusOf } from '../helpers/http';
import { tempDir } from '../helpers/temp-dir';
import { storedRows } from '../helpers/stored-rows';

// Runs the built CLI (out/main/cli.js): build first with `npx electron-vite build`.
//
// Deliveries are captured by a real receiver on a loopback port into a real SQLite file; the
// CLI exports them and imports them into fresh data folders; every file and every database is
// read back independently (JSON.parse, better-sqlite3 read-only), never through the exporter.

const SECRET = 'whsec_exchange_capture';
const LIMIT = 64 * 1024;

/** Every column an exported delivery carries (json and ndjson), exactly. */
const EXPORTED_KEYS: (keyof ExportedDelivery)[] = [
  'id',
  'receivedAt',
  'method',
  'path',
  'headers',
  'rawHeaders',
  'receiverOrigin',
  'bodyBase64',
  'bodyText',
  'bodySize',
  'contentType',
  'remoteAddress',
  'eventId',
  'eventType',
  'signatureStatus',
  'signatureSecret',
  'signatureDiagnosis',
  'signatureReceived',
  'duplicateOf',
  'deliveryNumber',
  'unverifiedClaim',
  'responseStatus',
  'answerLost',
  'rejection',
  'parseError',
  'imported',
];

/** A row of the deliveries table as SQLite holds it. */
interface Row {
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

const rowsOf = (dataDir: string): Row[] => storedRows<Row>(dataDir);

function ftsHits(dataDir: string, word: string): number[] {
  const db = new Database(join(dataDir, 'hooklens.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT rowid FROM deliveries_fts WHERE deliveries_fts MATCH ? ORDER BY rowid').all(`"${word}"`) as { rowid: number }[]).map((row) => row.rowid);
  } finally {
    db.close();
  }
}

function envelope(id: string, type: string, data: Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify({ id, type, created_at: '2026-04-24T14:30:00Z', api_version: 'v1', data }));
}

/** What was sent, by name: the exact bytes (null when the receiver refused to store them). */
const sent = {
  valid: envelope('evt_valid_0001', 'review.analysed', { review_id: 'wc_rev_1', sentiment: 'positive', draft: 'Très bien, merci « Ana » ✓ 😀 "quoted" \\ back' }),
  invalid: envelope('evt_invalid_0002', 'review.flagged', { review_id: 'wc_rev_2', reason: 'spam' }),
  duplicate: envelope('evt_dup_0003', 'review.analysed', { review_id: 'wc_rev_3', sentiment: 'negative' }),
  // Every byte value, and sequences that are not UTF-8 (a lone continuation byte, an overlong).
  binary: Buffer.concat([Buffer.from([0xff, 0xfe, 0x80, 0xc0, 0xaf, 0x00]), Buffer.from(Array.from({ length: 256 }, (_, index) => index))]),
  gzip: gzipSync(envelope('evt_gzip_0004', 'quota.warning', { used: 950, limit: 1000, note: 'zebracorn' })),
};

/** As a client sends a header value: a string of its bytes, one character per byte. */
const wire = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
/** Header values that are not ASCII: UTF-8 (one decodes above U+00FF) and a latin1 byte that is not UTF-8. */
const NON_ASCII_HEADERS = { 'x-euro': wire('5 €'), 'x-utf8': wire('café'), 'x-latin1': 'caf\xe9' };

interface Captured {
  dir: string;
  /** The receiver's origin (a free port, not the default 8787): where every delivery arrived. */
  origin: string;
  /** Ids by what was sent. */
  ids: { valid: number; invalid: number; original: number; duplicate: number; binary: number; gzip: number; rejected: number };
  rows: Row[];
}

let folder: ReturnType<typeof tempDir>;
let captured: Captured;
/** Fresh data folders and files for this file's tests, under one temp folder. */
const path = (name: string) => join(folder.path, name);

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

async function exportTo(format: string, file: string, extra: string[] = []) {
  const result = await runCliToEnd(['export', '--data-dir', captured.dir, '--format', format, '--out', file, ...extra]);
  expect(result.stderr).toContain(`as ${format} to ${file}`);
  expect(result.code).toBe(0);
  return readFileSync(file);
}

/**
 * Imports into `dataDir` with the capture's secret saved there (as the app saves it), so each
 * signature verifies again to what the capture found, down to the secret's label.
 */
async function importInto(file: string, dataDir: string) {
  const store = openStore(dataDir);
  const ring = createSecretRing({ repository: store.secrets, cipher: createFileKeyCipher(dataDir), runtime: [], clock: Date.now, onChange: () => undefined });
  if (ring.list().length === 0) ring.add('current', SECRET);
  store.close();
  const result = await runCliToEnd(['import', file, '--data-dir', dataDir]);
  expect(result.code).toBe(0);
  return result;
}

const rowOf = (id: number) => captured.rows.find((row) => row.id === id) as Row;
const textOf = (bytes: Buffer) => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
};

beforeAll(async () => {
  folder = tempDir('hooklens-exchange-');
  captured = await capture();
  captured.rows = rowsOf(captured.dir);
});

afterAll(() => folder.cleanup());

describe('what was captured (the ground truth the exports are checked against)', () => {
  it('holds the seven deliveries, bodies byte-exact, the duplicate linked, the 413 without a body', () => {
    const { ids, rows } = captured;
    expect(rows).toHaveLength(7);
    expect(rowOf(ids.valid).body?.equals(sent.valid)).toBe(true);
    expect(rowOf(ids.binary).body?.equals(sent.binary)).toBe(true);
    expect(rowOf(ids.gzip).body?.equals(sent.gzip)).toBe(true);
    expect(rowOf(ids.invalid).signature_status).toBe('invalid');
    expect(rowOf(ids.duplicate)).toMatchObject({ duplicate_of: ids.original, delivery_number: 2 });
    expect(rowOf(ids.rejected)).toMatchObject({ body: null, response_status: 413, body_size: LIMIT + 1 });
    expect(rowOf(ids.gzip).event_id).toBe('evt_gzip_0004');
    // Header bytes that are not ASCII are kept exact beside the text; only that row needs them.
    expect(JSON.parse(rowOf(ids.valid).raw_headers as string)).toEqual(expect.arrayContaining([['x-euro', wire('5 €')], ['x-latin1', 'caf\xe9']]));
    expect(JSON.parse(rowOf(ids.valid).headers)).toEqual(expect.arrayContaining([['x-euro', '5 €'], ['x-utf8', 'café']]));
    expect(captured.rows.filter((row) => row.raw_headers !== null).map((row) => row.id)).toEqual([ids.valid]);
  });
});

/** An exported delivery against the row it came from: every column. */
function expectSameAsRow(exported: ExportedDelivery, row: Row) {
  expect(Object.keys(exported).sort()).toEqual([...EXPORTED_KEYS].sort());
  const bytes = exported.bodyBase64 === null ? null : Buffer.from(exported.bodyBase64, 'base64');
  if (row.body === null) expect(bytes).toBeNull();
  else expect(bytes?.equals(row.body), `body of #${row.id} is not byte-exact`).toBe(true);
  expect(exported.bodyText).toBe(row.body === null ? null : textOf(row.body));
  expect(exported).toEqual({
    id: row.id,
    receivedAt: row.received_at,
    method: row.method,
    path: row.path,
    headers: JSON.parse(row.headers),
    rawHeaders: row.raw_headers === null ? null : JSON.parse(row.raw_headers),
    receiverOrigin: row.receiver_origin,
    bodyBase64: exported.bodyBase64,
    bodyText: exported.bodyText,
    bodySize: row.body_size,
    contentType: row.content_type,
    remoteAddress: row.remote_address,
    eventId: row.event_id,
    eventType: row.event_type,
    signatureStatus: row.signature_status,
    signatureSecret: row.signature_secret_label === null ? null : { label: row.signature_secret_label, fingerprint: row.signature_secret_fingerprint },
    signatureDiagnosis: row.signature_diagnosis,
    signatureReceived: row.signature_received,
    duplicateOf: row.duplicate_of,
    deliveryNumber: row.delivery_number,
    unverifiedClaim: row.unverified_claim === 1,
    responseStatus: row.response_status,
    answerLost: row.answer_lost,
    rejection: row.rejection,
    parseError: row.parse_error,
    imported: row.imported === 1,
  });
}

/** A data folder after an import of the captured seven: `offset` rows were there before. */
function expectImported(dataDir: string, offset = 0) {
  const { ids, rows: source } = captured;
  const rows = rowsOf(dataDir);
  expect(rows).toHaveLength(source.length + offset);
  const imported = rows.slice(offset);
  source.forEach((original, index) => {
    const copy = imported[index] as Row;
    expect(copy.imported, `row ${copy.id} is not marked imported`).toBe(1);
    if (original.body === null) expect(copy.body).toBeNull();
    else expect(copy.body?.equals(original.body), `body of imported #${copy.id} (was #${original.id}) differs`).toBe(true);
    expect({ ...copy, id: 0, body: null, duplicate_of: null, imported: 0 }).toEqual({ ...original, id: 0, body: null, duplicate_of: null, imported: 0 });
  });
  // The duplicate pair, linked by event id to the *imported* original.
  const byEvent = imported.filter((row) => row.event_id === 'evt_dup_0003');
  expect(byEvent.map((row) => row.delivery_number)).toEqual([1, 2]);
  expect(byEvent[0]?.duplicate_of).toBeNull();
  expect(byEvent[1]?.duplicate_of).toBe(byEvent[0]?.id);
  expect(byEvent[0]?.id).toBe(ids.original + offset);
  // Nothing else is a duplicate.
  expect(imported.filter((row) => row.duplicate_of !== null)).toHaveLength(1);
  return imported;
}

describe('export json and ndjson (hooklens export)', () => {
  let json: { format: string; version: number; exportedAt: string; deliveries: ExportedDelivery[] };
  let ndjson: string;

  beforeAll(async () => {
    json = JSON.parse((await exportTo('json', path('all.json'))).toString('utf8'));
    ndjson = (await exportTo('ndjson', path('all.ndjson'))).toString('utf8');
  });

  it('json is one document: a header and every delivery, in id order', () => {
    expect(json.format).toBe('hooklens-export');
    expect(json.version).toBe(1);
    expect(new Date(json.exportedAt).toISOString()).toBe(json.exportedAt);
    expect(json.deliveries.map((delivery) => delivery.id)).toEqual(captured.rows.map((row) => row.id));
  });

  it('json carries every column of every delivery, as stored', () => {
    for (const delivery of json.deliveries) expectSameAsRow(delivery, rowOf(delivery.id));
  });

  it('bodyBase64 decodes to the exact bytes received; bodyText only for UTF-8 bodies', () => {
    const { ids } = captured;
    const byId = (id: number) => json.deliveries.find((delivery) => delivery.id === id) as ExportedDelivery;
    expect(Buffer.from(byId(ids.valid).bodyBase64 as string, 'base64').equals(sent.valid)).toBe(true);
    expect(byId(ids.valid).bodyText).toBe(sent.valid.toString('utf8'));
    expect(byId(ids.valid).bodyText).toContain('Très bien, merci « Ana » ✓ 😀');
    expect(Buffer.from(byId(ids.binary).bodyBase64 as string, 'base64').equals(sent.binary)).toBe(true);
    expect(byId(ids.binary).bodyText).toBeNull();
    expect(Buffer.from(byId(ids.gzip).bodyBase64 as string, 'base64').equals(sent.gzip)).toBe(true);
    expect(byId(ids.gzip).bodyText).toBeNull();
    expect(byId(ids.rejected)).toMatchObject({ bodyBase64: null, bodyText: null, bodySize: LIMIT + 1, responseStatus: 413, rejection: expect.stringContaining('exceeds') });
    expect(byId(ids.duplicate)).toMatchObject({ duplicateOf: ids.original, deliveryNumber: 2 });
    expect(byId(ids.invalid)).toMatchObject({ signatureStatus: 'invalid', unverifiedClaim: true, signatureReceived: sign('whsec_not_it', sent.invalid) });
  });

  it('rawHeaders carries the exact header bytes when some value is not ASCII, null otherwise', () => {
    const { ids } = captured;
    const byId = (id: number) => json.deliveries.find((delivery) => delivery.id === id) as ExportedDelivery;
    const bytesOf = (pairs: [string, string][] | null, name: string) => Buffer.from(pairs?.find(([key]) => key === name)?.[1] ?? '', 'latin1').toString('hex');
    expect(bytesOf(byId(ids.valid).rawHeaders, 'x-euro')).toBe(Buffer.from('5 €').toString('hex'));
    expect(bytesOf(byId(ids.valid).rawHeaders, 'x-utf8')).toBe(Buffer.from('café').toString('hex'));
    expect(bytesOf(byId(ids.valid).rawHeaders, 'x-latin1')).toBe('636166e9');
    expect(byId(ids.binary).rawHeaders).toBeNull();
  });

  it('ndjson is one parsable line per delivery, each the same object as in json', () => {
    expect(ndjson.endsWith('\n')).toBe(true);
    const lines = ndjson.split('\n').slice(0, -1);
    expect(lines).toHaveLength(captured.rows.length);
    const parsed = lines.map((line) => JSON.parse(line) as ExportedDelivery);
    expect(parsed).toEqual(json.deliveries);
    for (const delivery of parsed) expectSameAsRow(delivery, rowOf(delivery.id));
  });

  it('the export files are readable by their owner only', () => {
    // The bodies are customers' reviews.
    for (const file of ['all.json', 'all.ndjson']) expect(statSync(path(file)).mode & 0o077).toBe(0);
  });

  it('json imports into a fresh data folder: same rows, byte-identical bodies, marked imported, the duplicate linked', async () => {
    const dir = path('from-json');
    const result = await importInto(path('all.json'), dir);
    expect(result.stderr).toContain('imported 7 deliveries');
    expectImported(dir);
  });

  it('ndjson imports too; the duplicate points at the imported original, not at its old id', async () => {
    // One unrelated delivery first, so every imported id is one more than in the export.
    const dir = path('from-ndjson');
    const store = openStore(dir);
    await store.writeDelivery(newDelivery({ eventId: 'evt_already_here' }));
    store.close();
    await importInto(path('all.ndjson'), dir);
    const imported = expectImported(dir, 1);
    const duplicate = imported.find((row) => row.delivery_number === 2) as Row;
    expect(duplicate.duplicate_of).toBe(captured.ids.original + 1);
    expect(duplicate.duplicate_of).not.toBe(captured.ids.original);
  });

  it('importing the same export twice links the second copies as duplicates of the first', async () => {
    const dir = path('twice');
    await importInto(path('all.ndjson'), dir);
    await importInto(path('all.json'), dir);
    const rows = rowsOf(dir);
    expect(rows).toHaveLength(14);
    const second = rows.slice(7);
    const first = rows.slice(0, 7);
    for (const [index, row] of second.entries()) {
      const before = first[index] as Row;
      if (row.event_id === null || row.signature_status === 'invalid') continue;
      // Trusted deliveries of an event id already here: linked to that event's original.
      const originalOfEvent = first.find((candidate) => candidate.event_id === row.event_id && candidate.delivery_number === 1) as Row;
      expect(row.duplicate_of, `#${row.id} (${row.event_id})`).toBe(originalOfEvent.id);
      expect(row.body?.equals(before.body as Buffer)).toBe(true);
    }
  });

  it('imported deliveries are searchable like received ones, gzip-encoded bodies included', async () => {
    const dir = path('from-json');
    // The receiver indexed the decoded payload of each delivery; an import should too.
    expect(ftsHits(captured.dir, 'zebracorn')).toEqual([captured.ids.gzip]);
    expect(ftsHits(dir, 'merci')).toEqual([captured.ids.valid]);
    expect(ftsHits(dir, 'zebracorn'), 'the gzip-encoded delivery was indexed on receipt but not on import').toEqual([captured.ids.gzip]);
  });
});

describe('export har (hooklens export --format har)', () => {
  interface HarEntry {
    startedDateTime: string;
    time: number;
    request: {
      method: string;
      url: string;
      httpVersion: string;
      cookies: unknown[];
      headers: { name: string; value: string }[];
      queryString: { name: string; value: string }[];
      postData?: { mimeType: string; text: string; encoding?: string };
      headersSize: number;
      bodySize: number;
    };
    response: { status: number; statusText: string; httpVersion: string; cookies: unknown[]; headers: unknown[]; content: { size: number; mimeType: string }; redirectURL: string; headersSize: number; bodySize: number };
    cache: Record<string, unknown>;
    timings: { send: number; wait: number; receive: number };
    _hooklens?: unknown;
  }
  let har: { log: { version: string; creator: { name: string; version: string }; entries: HarEntry[] } };

  beforeAll(async () => {
    har = JSON.parse((await exportTo('har', path('all.har'))).toString('utf8'));
  });

  const entryOf = (id: number) => har.log.entries[captured.rows.findIndex((row) => row.id === id)] as HarEntry;

  it('is HAR 1.2 with a creator and one entry per delivery', () => {
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator).toEqual({ name: 'Hooklens', version });
    expect(har.log.entries).toHaveLength(captured.rows.length);
  });

  it('every entry has the fields HAR 1.2 requires, of the right types', () => {
    for (const [index, entry] of har.log.entries.entries()) {
      const row = captured.rows[index] as Row;
      expect(entry.startedDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(Date.parse(entry.startedDateTime)).toBe(row.received_at);
      expect(typeof entry.time).toBe('number');
      const { request, response, timings } = entry;
      expect(request.method).toBe(row.method);
      expect(new URL(request.url).pathname + new URL(request.url).search).toBe(row.path);
      // Where it really arrived, whatever port the receiver had.
      expect(new URL(request.url).origin).toBe(captured.origin);
      expect(row.receiver_origin).toBe(captured.origin);
      expect(request.httpVersion).toMatch(/^HTTP\//);
      expect(request.cookies).toEqual([]);
      expect(request.headers).toEqual((JSON.parse(row.headers) as [string, string][]).map(([name, value]) => ({ name, value })));
      expect(Array.isArray(request.queryString)).toBe(true);
      expect(typeof request.headersSize).toBe('number');
      expect(request.bodySize).toBe(row.body_size);
      expect(response.status).toBe(row.response_status);
      expect(typeof response.statusText).toBe('string');
      expect(typeof response.httpVersion).toBe('string');
      expect(Array.isArray(response.cookies) && Array.isArray(response.headers)).toBe(true);
      expect(typeof response.content.size).toBe('number');
      expect(typeof response.content.mimeType).toBe('string');
      expect(typeof response.redirectURL).toBe('string');
      expect(typeof response.headersSize).toBe('number');
      expect(typeof response.bodySize).toBe('number');
      expect(entry.cache).toEqual(expect.any(Object));
      for (const phase of ['send', 'wait', 'receive'] as const) {
        expect(typeof timings[phase]).toBe('number');
        expect(timings[phase] >= 0 || timings[phase] === -1).toBe(true);
      }
      // Custom fields must start with an underscore.
      for (const key of Object.keys(entry)) expect(['startedDateTime', 'time', 'request', 'response', 'cache', 'timings', 'comment', 'pageref', 'serverIPAddress', 'connection'].includes(key) || key.startsWith('_')).toBe(true);
    }
  });

  it('the query string is listed', () => {
    expect(entryOf(captured.ids.gzip).request.queryString).toEqual([
      { name: 'source', value: 'test' },
      { name: 'note', value: 'a b' },
    ]);
  });

  it('a UTF-8 body is postData text; binary and gzip bodies travel as base64 and decode to the exact bytes', () => {
    const { ids } = captured;
    expect(entryOf(ids.valid).request.postData).toEqual({ mimeType: 'application/json', text: sent.valid.toString('utf8') });
    const binary = entryOf(ids.binary).request.postData;
    expect(binary).toMatchObject({ encoding: 'base64', mimeType: 'application/octet-stream' });
    expect(Buffer.from(binary?.text as string, 'base64').equals(sent.binary)).toBe(true);
    const gzip = entryOf(ids.gzip).request.postData;
    expect(gzip?.encoding).toBe('base64');
    expect(Buffer.from(gzip?.text as string, 'base64').equals(sent.gzip)).toBe(true);
    // Refused with 413: no body to carry.
    expect(entryOf(ids.rejected).request.postData).toBeUndefined();
    expect(entryOf(ids.rejected).response.status).toBe(413);
  });

  it('header values stay text; the Hooklens record carries the exact bytes', () => {
    const entry = entryOf(captured.ids.valid);
    expect(entry.request.headers).toEqual(expect.arrayContaining([{ name: 'x-euro', value: '5 €' }, { name: 'x-latin1', value: 'caf\xe9' }]));
    expect((entry._hooklens as { rawHeaders: unknown }).rawHeaders).toEqual(JSON.parse(rowOf(captured.ids.valid).raw_headers as string));
  });

  it('a HAR import round-trips every delivery', async () => {
    const dir = path('from-har');
    await importInto(path('all.har'), dir);
    expectImported(dir);
  });

  it('a HAR without Hooklens fields (as another tool writes it) still imports byte-exact', async () => {
    const foreign = { log: { ...har.log, entries: har.log.entries.map(({ _hooklens, ...entry }) => entry) } };
    writeFileSync(path('foreign.har'), JSON.stringify(foreign));
    const dir = path('from-foreign-har');
    await importInto(path('foreign.har'), dir);
    const rows = rowsOf(dir);
    expect(rows).toHaveLength(captured.rows.length);
    for (const [index, row] of rows.entries()) {
      const original = captured.rows[index] as Row;
      expect(row.imported).toBe(1);
      if (original.body === null) expect(row.body).toBeNull();
      else expect(row.body?.equals(original.body), `body of ${original.path}`).toBe(true);
      expect(row).toMatchObject({ method: original.method, path: original.path, headers: original.headers, received_at: original.received_at, response_status: original.response_status });
    }
    // Without Hooklens's record the header bytes are the text as UTF-8: exact for UTF-8 values.
    const valid = rows[captured.rows.findIndex((row) => row.id === captured.ids.valid)] as Row;
    expect(JSON.parse(valid.raw_headers as string)).toEqual(expect.arrayContaining([['x-euro', wire('5 €')], ['x-utf8', wire('café')]]));
    // The duplicate pair is found again from the bodies' event ids.
    const pair = rows.filter((row) => row.event_id === 'evt_dup_0003');
    expect(pair.map((row) => [row.delivery_number, row.duplicate_of])).toEqual([
      [1, null],
      [2, pair[0]?.id],
    ]);
    // …and so is the event of a gzip-encoded body, which the receiver read through its Content-Encoding.
    expect(rows[captured.rows.findIndex((row) => row.id === captured.ids.gzip)]?.event_id, 'the gzip body\'s event id is lost on a HAR import').toBe('evt_gzip_0004');
  });
});

describe('hooklens export: selection and bad usage', () => {
  it('--id selects those deliveries only, in id order, written to standard output without --out', async () => {
    const { ids } = captured;
    const result = await runCliToEnd(['export', '--data-dir', captured.dir, '--format', 'ndjson', '--id', String(ids.binary), '--id', String(ids.duplicate)]);
    expect(result.code).toBe(0);
    expect(result.lines.map((line) => line.id)).toEqual([ids.duplicate, ids.binary]);
    expect(Buffer.from(result.lines[1]?.bodyBase64 as string, 'base64').equals(sent.binary)).toBe(true);
    expect(result.stderr).toContain('exported 2 deliveries as ndjson');
  });

  it('--id works with the file formats too', async () => {
    const json = JSON.parse((await exportTo('json', path('one.json'), ['--id', String(captured.ids.gzip)])).toString('utf8'));
    expect(json.deliveries.map((delivery: ExportedDelivery) => delivery.id)).toEqual([captured.ids.gzip]);
    const har = JSON.parse((await exportTo('har', path('one.har'), ['--id', String(captured.ids.valid)])).toString('utf8'));
    expect(har.log.entries).toHaveLength(1);
  });

  it('an unknown --id exits 2, names it, and writes no file', async () => {
    const out = path('unknown-id.json');
    const result = await runCliToEnd(['export', '--data-dir', captured.dir, '--id', String(captured.ids.valid), '--id', '9999', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^hooklens: No delivery #9999 in /)]);
    expect(existsSync(out)).toBe(false);
  });

  it.each([['0'], ['-3'], ['abc'], ['1.5']])('--id %s exits 2', async (id) => {
    const result = await runCliToEnd(['export', '--data-dir', captured.dir, `--id=${id}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^hooklens: --id must be a delivery id/);
  });

  it('a bad --format exits 2 naming the formats, and writes no file', async () => {
    const out = path('bad-format.out');
    const result = await runCliToEnd(['export', '--data-dir', captured.dir, '--format', 'xml', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('hooklens: --format must be one of json, ndjson, har, fixture-node, fixture-pytest.');
    expect(result.lines).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  it('import of a file that is not an export exits 1 with the reason, and stores nothing', async () => {
    const file = path('not-an-export.json');
    writeFileSync(file, '{"hello":"world"}');
    const dir = path('from-nothing');
    const result = await runCliToEnd(['import', file, '--data-dir', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/neither a Hooklens export \(json\) nor a HAR file/);
    expect(rowsOf(dir)).toEqual([]);
  });

  it('an ndjson line that is not JSON is skipped and named; the lines around it are imported and the exit code says one was skipped', async () => {
    const lines = readFileSync(path('all.ndjson'), 'utf8').trimEnd().split('\n');
    const file = path('broken.ndjson');
    writeFileSync(file, `${lines[0]}\n${lines[1]}\n{"id": broken\n${lines[2]}\n`);
    const dir = path('from-broken');
    const result = await runCliToEnd(['import', file, '--data-dir', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^hooklens: Line 3 skipped: it is not JSON \(.+\)\.$/m);
    expect(result.stderr.trimEnd()).toMatch(/imported 3 deliveries into .*; skipped 1 entry \(above\)\.$/);
    expect(rowsOf(dir)).toHaveLength(3);
  });

  it('import of a missing file exits 2', async () => {
    const result = await runCliToEnd(['import', path('nope.json'), '--data-dir', path('from-missing')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^hooklens: No file /);
  });
});
