import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEvent } from '../../src/main/profile/samples';
import { runCliToEnd } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';

// Runs the built CLI (out/main/cli.js): build first with `npx electron-vite build`.
//
// Imports read one entry at a time: a large export imports whole, and an entry over the 16 MiB
// one entry may take is skipped with that limit named, never read whole. (How much memory an
// import of a few hundred MB takes is measured by `npm run bench`, not asserted here.)

let folder: ReturnType<typeof tempDir>;
const path = (name: string) => join(folder.path, name);
beforeAll(() => {
  folder = tempDir('hooklens-import-scale-');
});
afterAll(() => folder.cleanup());

function entry(index: number, bodyText?: string) {
  // An envelope whose data is searchable filler, not a review.
  const filler = () => ({ ...sampleEvent('review.analysed', { id: `evt_scale_${index}`, now: Date.UTC(2026, 3, 24, 14, 30) }), data: { n: index, text: `zebra${index} ${'lorem ipsum '.repeat(80)}` } });
  const body = Buffer.from(bodyText ?? JSON.stringify(filler()));
  return { id: index + 1, receivedAt: 1_777_000_000_000 + index, method: 'POST', path: '/hooks/reviewsense', headers: [['Content-Type', 'application/json']], rawHeaders: null, bodyBase64: body.toString('base64'), bodySize: body.length };
}

/** Writes a json export of `count` entries through a stream (the test never holds it whole either). */
async function writeJsonExport(file: string, count: number): Promise<void> {
  const out = createWriteStream(file);
  const write = (text: string) => new Promise<void>((resolve) => (out.write(text) ? resolve() : out.once('drain', resolve)));
  await write('{"format":"hooklens-export","version":1,"exportedAt":"2026-04-24T15:00:00.000Z","deliveries":[\n');
  for (let index = 0; index < count; index++) await write(`${index > 0 ? ',\n' : ''}${JSON.stringify(entry(index))}`);
  await write('\n]}\n');
  await new Promise((resolve) => out.end(resolve));
}

function query<T>(dataDir: string, sql: string): T[] {
  const db = new Database(join(dataDir, 'hooklens.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

/** A body that makes an entry of about 17 MiB once base64-encoded and quoted. */
const HUGE = JSON.stringify({ id: 'evt_huge', type: 'review.analysed', data: { blob: 'x'.repeat(13 * 1024 * 1024) } });

describe('hooklens import reads a file an entry at a time', () => {
  it('a json export of 20,000 deliveries (~30 MB) imports whole, in order, searchable', async () => {
    const file = path('large.json');
    await writeJsonExport(file, 20_000);
    const dataDir = path('from-large');
    const result = await runCliToEnd(['import', file, '--data-dir', dataDir]);
    expect(result.stderr).toMatch(/^hooklens: imported 20,000 deliveries into /);
    expect(result.code).toBe(0);
    const [stats] = query<{ rows: number; last: number }>(dataDir, 'SELECT count(*) AS rows, max(received_at) - min(received_at) AS last FROM deliveries');
    expect(stats).toMatchObject({ rows: 20_000, last: 19_999 });
    const [sample] = query<{ body: Buffer }>(dataDir, "SELECT body FROM deliveries WHERE event_id = 'evt_scale_12345'");
    expect(sample?.body.equals(Buffer.from(entry(12_345).bodyBase64, 'base64'))).toBe(true);
    expect(query(dataDir, `SELECT rowid FROM deliveries_fts WHERE deliveries_fts MATCH '"zebra19999"'`)).toHaveLength(1);
  }, 120_000);

  it('a json entry over 16 MiB is skipped with the limit named; the entries around it import', async () => {
    const file = path('huge-entry.json');
    writeFileSync(file, JSON.stringify({ format: 'hooklens-export', version: 1, deliveries: [entry(0), entry(1, HUGE), entry(2)] }));
    const dataDir = path('from-huge-entry');
    const result = await runCliToEnd(['import', file, '--data-dir', dataDir]);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^hooklens: Delivery 2 skipped: it takes 17\.\d MiB, more than the 16\.0 MiB one entry may \(an import reads one entry at a time\)\.$/),
      expect.stringMatching(/^hooklens: imported 2 deliveries into .*; skipped 1 entry \(above\)\.$/),
    ]);
    expect(result.code).toBe(1);
    expect(query<{ event_id: string }>(dataDir, 'SELECT event_id FROM deliveries ORDER BY id').map((row) => row.event_id)).toEqual(['evt_scale_0', 'evt_scale_2']);
  }, 60_000);

  it('an ndjson line over 16 MiB is skipped with the limit named; the lines around it import', async () => {
    const file = path('huge-line.ndjson');
    writeFileSync(file, [entry(0), entry(1, HUGE), entry(2)].map((item) => JSON.stringify(item)).join('\n'));
    const dataDir = path('from-huge-line');
    const result = await runCliToEnd(['import', file, '--data-dir', dataDir]);
    expect(result.stderr).toMatch(/^hooklens: Line 2 skipped: it takes 17\.\d MiB, more than the 16\.0 MiB one entry may \(an import reads one entry at a time\)\.$/m);
    expect(result.code).toBe(1);
    expect(query<{ event_id: string }>(dataDir, 'SELECT event_id FROM deliveries ORDER BY id').map((row) => row.event_id)).toEqual(['evt_scale_0', 'evt_scale_2']);
  }, 60_000);
});
