// Exports as json and ndjson, and their imports: every column of every captured delivery, byte-exact
// bodies, the duplicate linked, search after import; and `hooklens export`/`import` selection and
// bad usage (which reads the ndjson export made here). Runs the built CLI (out/main/cli.js): build
// first with `npx electron-vite build`. The capture is in exchange/capture.ts.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/main/profile/signature';
import { openStore } from '../../src/main/store/store';
import type { ExportedDelivery } from '../../src/shared/exchange';
import { runCliToEnd } from '../helpers/cli';
import { newDelivery } from '../helpers/deliveries';
import { captured, exportTo, importInto, LIMIT, path, rowOf, rowsOf, sent, useCapture, wire, type Row } from './exchange/capture';
import { expectImported, expectSameAsRow } from './exchange/expect-rows';

useCapture();

function ftsHits(dataDir: string, word: string): number[] {
  const db = new Database(join(dataDir, 'hooklens.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT rowid FROM deliveries_fts WHERE deliveries_fts MATCH ? ORDER BY rowid').all(`"${word}"`) as { rowid: number }[]).map((row) => row.rowid);
  } finally {
    db.close();
  }
}

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
