import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/store/store';
import { BIN, runCliToEnd } from '../helpers/cli';
import { newDelivery } from '../helpers/deliveries';
import { tempDir } from '../helpers/temp-dir';
import { storedRows } from '../helpers/stored-rows';

// Runs the built CLI (out/main/cli.js): build first with `npx electron-vite build`.
//
// `hooklens import` of files that are not what an export writes: every field is checked, a bad
// entry is skipped and named with its index and the reason, the others are imported, rows already
// there are untouched, and no input ends in a stack trace. Each database is read back on its own
// connection.

let folder: ReturnType<typeof tempDir>;
const path = (name: string) => join(folder.path, name);
beforeAll(() => {
  folder = tempDir('hooklens-import-checks-');
});
afterAll(() => folder.cleanup());

interface Row {
  id: number;
  received_at: number;
  method: string;
  path: string;
  headers: string;
  raw_headers: string | null;
  body: Buffer | null;
  event_id: string | null;
  imported: number;
}

const rowsOf = (dataDir: string): Row[] => storedRows<Row>(dataDir);

/** An entry as `hooklens export --format json` writes it (only what an import reads). */
function exported(id: string, overrides: Record<string, unknown> = {}) {
  const body = Buffer.from(JSON.stringify({ id, type: 'review.analysed', created_at: '2026-04-24T14:30:00Z', api_version: 'v1', data: {} }));
  return {
    id: 1,
    receivedAt: Date.parse('2026-04-24T14:30:02Z'),
    method: 'POST',
    path: '/hooks/reviewsense',
    headers: [['Content-Type', 'application/json']],
    rawHeaders: null,
    bodyBase64: body.toString('base64'),
    bodySize: body.length,
    contentType: 'application/json',
    remoteAddress: '127.0.0.1',
    signatureStatus: 'missing',
    responseStatus: 200,
    ...overrides,
  };
}

const jsonExport = (deliveries: unknown[]) => JSON.stringify({ format: 'hooklens-export', version: 1, exportedAt: '2026-04-24T15:00:00.000Z', deliveries });

/** No stack trace, no "unexpected error": every line is a sentence of hooklens's own. */
function expectSentences(stderr: string) {
  expect(stderr).not.toMatch(/unexpected error|^\s+at |Error:/m);
  for (const line of stderr.trimEnd().split('\n')) expect(line).toMatch(/^hooklens: .*[.)]$/);
}

describe('hooklens import checks every field of every entry', () => {
  const bad: [string, Record<string, unknown> | number, RegExp][] = [
    ['a method that is a shell command', { method: 'POST; touch x; #' }, /the method "POST; touch x; #" is not an HTTP token/],
    ['a path without a leading slash', { path: 'hooks' }, /the path "hooks" is not a request path/],
    ['a path with a newline', { path: '/hooks\n/x' }, /the path .* is not a request path/],
    ['a header name with a space', { headers: [['Bad Name', 'x']] }, /the header "Bad Name" cannot be an HTTP header/],
    ['a header value with CR LF', { headers: [['X-Injected', 'a\r\nSet-Cookie: x=1']] }, /the header "X-Injected" cannot be an HTTP header/],
    ['a wire value above U+00FF', { rawHeaders: [['X-Wide', '€']] }, /the header "X-Wide" cannot be an HTTP header/],
    ['headers that are not pairs', { headers: 'Content-Type: application/json' }, /headers is not a list of \[name, value\] pairs/],
    ['receivedAt 1e300', { receivedAt: 1e300 }, /receivedAt 1e\+300 is not a date from 1970 to 9999 \(whole Unix milliseconds\)/],
    ['receivedAt as text', { receivedAt: 'garbage' }, /receivedAt "garbage" is not a date/],
    ['a fractional receivedAt', { receivedAt: 1.5 }, /receivedAt 1.5 is not a date/],
    ['no receivedAt', { receivedAt: undefined }, /receivedAt null is not a date/],
    ['a body that is not base64', { bodyBase64: 'not base64!' }, /bodyBase64 is not base64/],
    ['a bodySize that is not the body', { bodySize: 3 }, /bodySize says 3 bytes, but the body holds \d+/],
    ['a negative bodySize', { bodyBase64: null, bodySize: -1 }, /bodySize is not a whole number from 0/],
    ['a response status of 1e9', { responseStatus: 1e9 }, /responseStatus is not a whole number from 100 to 599/],
    ['a content type of 10,000 characters', { contentType: 'x'.repeat(10_000) }, /contentType is longer than 4096 characters/],
    ['a number instead of a delivery', 42, /it is not an object/],
  ];

  let dataDir: string;
  let result: Awaited<ReturnType<typeof runCliToEnd>>;
  let before: Row[];

  beforeAll(async () => {
    dataDir = path('mixed');
    // Rows already there: an import never changes them.
    const store = openStore(dataDir);
    await store.writeDelivery(newDelivery({ eventId: 'evt_already_here' }));
    store.close();
    before = rowsOf(dataDir);
    const entries = [exported('evt_good_first'), ...bad.map(([, change]) => (typeof change === 'number' ? change : exported('evt_bad', change))), exported('evt_good_last')];
    writeFileSync(path('mixed.json'), jsonExport(entries));
    result = await runCliToEnd(['import', path('mixed.json'), '--data-dir', dataDir]);
  }, 30_000);

  it('names each bad entry by its index with the reason, in order, and exits 1', () => {
    expectSentences(result.stderr);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(bad.length + 1);
    bad.forEach(([name, , reason], index) => {
      expect(lines[index], name).toMatch(new RegExp(`^hooklens: Delivery ${index + 2} skipped: `));
      expect(lines[index], name).toMatch(reason);
    });
    expect(lines.at(-1)).toMatch(new RegExp(`^hooklens: imported 2 deliveries into .*hooklens\\.db \\(.*\\); skipped ${bad.length} entries \\(above\\)\\.$`));
    expect(result.code).toBe(1);
  });

  it('imports the good entries, before and after the bad ones, and leaves the rows already there as they were', () => {
    const rows = rowsOf(dataDir);
    expect(rows.slice(0, before.length)).toEqual(before);
    expect(rows.slice(before.length).map((row) => [row.event_id, row.imported])).toEqual([
      ['evt_good_first', 1],
      ['evt_good_last', 1],
    ]);
  });
});

describe('hooklens import 2>&1 | head -n 0', () => {
  it('a reader of its messages that has gone stops the messages, never the import', async () => {
    // Enough bad entries to span several reads of the file, so the import is still going when the
    // first message meets the closed pipe.
    const file = path('many-bad.json');
    writeFileSync(file, jsonExport([...Array.from({ length: 3_000 }, (_, index) => exported('evt_bad', { method: `BAD METHOD ${index}` })), exported('evt_good_at_the_end')]));
    const dataDir = path('from-many-bad');
    const script = path('pipe.sh');
    writeFileSync(script, '"$@" 2>&1 | head -n 0\necho "hooklens exit: ${PIPESTATUS[0]}"\n');
    const result = spawnSync('bash', ['--norc', '--noprofile', script, process.execPath, BIN, 'import', file, '--data-dir', dataDir], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, HOOKLENS_COMPILE_CACHE: process.env.HOOKLENS_COMPILE_CACHE } });
    expect(result.stdout).toBe('hooklens exit: 1\n');
    expect(rowsOf(dataDir).map((row) => row.event_id)).toEqual(['evt_good_at_the_end']);
  });
});

describe('HAR files that are not what an export writes', () => {
  const entry = (overrides: Record<string, unknown>) => ({
    startedDateTime: '2026-04-24T14:30:02.000Z',
    time: 0,
    request: { method: 'POST', url: 'http://localhost:8787/hooks/reviewsense', httpVersion: 'HTTP/1.1', cookies: [], headers: [{ name: 'Content-Type', value: 'application/json' }], queryString: [], postData: { mimeType: 'application/json', text: '{"id":"evt_har_ok","type":"review.analysed"}' }, headersSize: -1, bodySize: 44 },
    response: { status: 200 },
    ...overrides,
  });

  it('an entry whose request.url is "http://[" or whose startedDateTime is "garbage" is skipped and named; the others import', async () => {
    const file = path('broken.har');
    writeFileSync(file, JSON.stringify({ log: { version: '1.2', entries: [entry({ request: { ...entry({}).request, url: 'http://[' } }), entry({ startedDateTime: 'garbage' }), entry({})] } }));
    const dataDir = path('from-broken-har');
    const result = await runCliToEnd(['import', file, '--data-dir', dataDir]);
    expectSentences(result.stderr);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'hooklens: HAR entry 1 skipped: request.url "http://[" is not a URL.',
      'hooklens: HAR entry 2 skipped: startedDateTime "garbage" is not a date.',
      expect.stringMatching(/^hooklens: imported 1 delivery into .* \(.*\); skipped 2 entries \(above\)\.$/),
    ]);
    expect(result.code).toBe(1);
    expect(rowsOf(dataDir).map((row) => row.event_id)).toEqual(['evt_har_ok']);
  });

  it('a startedDateTime past year 9999 is refused (it would break every HAR export after)', async () => {
    const file = path('far-future.har');
    writeFileSync(file, JSON.stringify({ log: { version: '1.2', entries: [entry({ startedDateTime: '+275760-09-13T00:00:00.000Z' })] } }));
    const result = await runCliToEnd(['import', file, '--data-dir', path('from-far-future')]);
    expect(result.stderr).toMatch(/^hooklens: HAR entry 1 skipped: receivedAt 8640000000000000 is not a date from 1970 to 9999 \(whole Unix milliseconds\)\.$/m);
    expect(result.code).toBe(1);
  });
});

describe('files that are not exports at all: one sentence, never a stack trace', () => {
  it('a folder exits 2 and says so', async () => {
    const result = await runCliToEnd(['import', folder.path, '--data-dir', path('from-folder')]);
    expect(result.stderr.trimEnd()).toBe(`hooklens: ${folder.path} is a folder: give the export file to import (json, ndjson or HAR).`);
    expect(result.code).toBe(2);
  });

  it('a file cut short: where it ends and "Stopped there" as two sentences, exit 1', async () => {
    const file = path('garbage.json');
    writeFileSync(file, '{"format": "hooklens-export", "deliveries": [');
    const result = await runCliToEnd(['import', file, '--data-dir', path('from-garbage')]);
    expectSentences(result.stderr);
    expect(result.stderr.trimEnd()).toBe(`hooklens: ${file} ends at byte 45, before its JSON does (cut short?). Stopped there; nothing was imported.`);
    expect(result.code).toBe(1);
  });

  it('a file that is not JSON: where, and what was imported before it', async () => {
    const file = path('broken.json');
    writeFileSync(file, `{"deliveries": [${JSON.stringify(exported('evt_before_break'))}, }`);
    const dataDir = path('from-broken-json');
    const result = await runCliToEnd(['import', file, '--data-dir', dataDir]);
    expectSentences(result.stderr);
    expect(result.stderr.trimEnd()).toMatch(new RegExp(`^hooklens: ${file} is not JSON: unexpected "\\}" at byte \\d+\\. Stopped there, after importing 1 delivery before it\\.$`));
    expect(result.code).toBe(1);
    expect(rowsOf(dataDir).map((row) => row.event_id)).toEqual(['evt_before_break']);
  });

  it('an ndjson line that is not JSON is skipped and named; the lines around it import', async () => {
    const file = path('broken.ndjson');
    writeFileSync(file, `${JSON.stringify(exported('evt_line_1'))}\n{"id": broken\n${JSON.stringify(exported('evt_line_3'))}\n`);
    const dataDir = path('from-broken-ndjson');
    const result = await runCliToEnd(['import', file, '--data-dir', dataDir]);
    expectSentences(result.stderr);
    expect(result.stderr).toMatch(/^hooklens: Line 2 skipped: it is not JSON \(.+\)\.$/m);
    expect(result.code).toBe(1);
    expect(rowsOf(dataDir).map((row) => row.event_id)).toEqual(['evt_line_1', 'evt_line_3']);
  });
});

describe('a HAR export of any stored value', () => {
  it('a stored date no Date can print (1e300) and a path no URL can hold still export; Hooklens keeps the stored values', async () => {
    const dataDir = path('odd-rows');
    const store = openStore(dataDir);
    await store.writeDelivery(newDelivery({ eventId: 'evt_odd', receivedAt: 1e300, path: '//[' }));
    store.close();
    const out = path('odd.har');
    const result = await runCliToEnd(['export', '--data-dir', dataDir, '--format', 'har', '--out', out]);
    expect(result.stderr).toContain('exported 1 delivery as har');
    expect(result.code).toBe(0);
    const har = JSON.parse((await import('node:fs')).readFileSync(out, 'utf8')) as { log: { entries: { startedDateTime: string; request: { url: string }; _hooklens: { receivedAt: number; path: string } }[] } };
    const [only] = har.log.entries;
    expect(only?.startedDateTime).toBe('1970-01-01T00:00:00.000Z');
    expect(only?._hooklens).toMatchObject({ receivedAt: 1e300, path: '//[' });
    expect(() => new URL(only?.request.url as string)).not.toThrow();
  });
});
