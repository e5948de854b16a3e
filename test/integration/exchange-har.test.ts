// Exports as HAR 1.2 (what HAR requires of every entry, bodies as text or base64, the query string,
// header bytes) and their imports, with or without Hooklens's own fields. Runs the built CLI
// (out/main/cli.js): build first with `npx electron-vite build`. The capture is in exchange/capture.ts.
import { writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { version } from '../../package.json';
import { captured, exportTo, importInto, path, rowOf, rowsOf, sent, useCapture, wire, type Row } from './exchange/capture';
import { expectImported } from './exchange/expect-rows';

useCapture();

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
