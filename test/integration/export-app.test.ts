import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createControlServer, type ControlServer } from '../../src/main/browser-shell/control-server';
import type { Inspector } from '../../src/main/inspector/inspector';
import { sign } from '../../src/main/profile/signature';
import { openStore, type Store } from '../../src/main/store/store';
import { controlExportPath } from '../../src/shared/control-api';
import type { ExportedDelivery, ExportProgress } from '../../src/shared/exchange';
import { newDelivery } from '../helpers/deliveries';
import { directApi } from '../helpers/direct-api';
import { post, rawExchange, statusOf } from '../helpers/http';
import { startInspector, type RunningInspector } from '../helpers/inspector';
import { tempDir } from '../helpers/temp-dir';

// The app's export: started through the Inspector (as the UI does over IPC or the control API),
// written into <dataDir>/exports with `export` progress events, downloaded from the browser shell.

const SECRET = 'whsec_test_current';

let running: RunningInspector;
/** The Inspector's own store (through its injection point), to fill it quickly. */
let store: Store;
let folder: ReturnType<typeof tempDir>;
let control: ControlServer;
let port: number;

beforeEach(async () => {
  running = await startInspector({}, { openStore: (dir) => (store = openStore(dir)) });
  folder = tempDir();
  const rendererDir = join(folder.path, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>stub renderer</title>');
  control = createControlServer({ inspector: running.inspector, rendererDir });
  port = Number(new URL(await control.listen(0)).port);
});

afterEach(async () => {
  await control.close();
  await running.stop();
  folder.cleanup();
});

/** Captures `count` signed deliveries through the real receiver; their ids and bodies. */
async function capture(count: number): Promise<{ id: number; body: Buffer }[]> {
  const captured: { id: number; body: Buffer }[] = [];
  for (let index = 0; index < count; index++) {
    const body = Buffer.from(JSON.stringify({ id: `evt_app_${index}`, type: 'review.analysed', created_at: '2026-04-24T14:30:00Z', api_version: 'v1', data: { n: index, text: 'é ✓' } }));
    const response = await post(running.url, body, { 'content-type': 'application/json', 'x-reviewsense-signature': sign(SECRET, body) });
    expect(response.status).toBe(200);
    captured.push({ id: (JSON.parse(response.body) as { delivery: number }).delivery, body });
  }
  return captured;
}

/** Every `export` event of one export, until its last (finished) one. */
function progressOf(inspector: Inspector, exportId: () => string | null): Promise<ExportProgress[]> {
  const events: ExportProgress[] = [];
  return new Promise((resolve) => {
    const unsubscribe = inspector.on('export', (progress) => {
      if (progress.exportId !== exportId()) return;
      events.push(progress);
      if (progress.finished) {
        unsubscribe();
        resolve(events);
      }
    });
  });
}

/** GET on the browser shell over a real socket. */
async function download(path: string, token: string | null): Promise<{ status: number; body: Buffer }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
}

async function startAndFinish(request: Parameters<Inspector['startExport']>[0]) {
  let exportId: string | null = null;
  const events = progressOf(running.inspector, () => exportId);
  const started = running.inspector.startExport(request);
  exportId = started.exportId;
  return { started, events: await events };
}

describe('app export: inspector.startExport', () => {
  it('exports the chosen ids as ndjson into <dataDir>/exports, with progress ending finished', async () => {
    const captured = await capture(5);
    const chosen = [captured[3], captured[1], captured[4]].map((entry) => entry?.id as number);
    const { started, events } = await startAndFinish({ format: 'ndjson', ids: chosen });

    expect(dirname(started.file)).toBe(join(running.dataDir, 'exports'));
    expect(basename(started.file)).toMatch(/^hooklens-[\w-]+\.ndjson$/);
    const last = events.at(-1) as ExportProgress;
    expect(last).toEqual({ exportId: started.exportId, format: 'ndjson', done: 3, total: 3, file: started.file, finished: true, error: null });
    // Only the last event is finished and names the file; done never goes backwards.
    expect(events.slice(0, -1).every((event) => !event.finished && event.file === null && event.error === null && event.total === 3)).toBe(true);
    expect(events.map((event) => event.done)).toEqual([...events.map((event) => event.done)].sort((a, b) => a - b));

    const lines = readFileSync(started.file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as ExportedDelivery);
    expect(lines.map((line) => line.id)).toEqual([...chosen].sort((a, b) => a - b));
    for (const line of lines) {
      const sent = captured.find((entry) => entry.id === line.id)?.body as Buffer;
      expect(Buffer.from(line.bodyBase64 as string, 'base64').equals(sent)).toBe(true);
    }
    // Customers' reviews: for this user only.
    expect(statSync(started.file).mode & 0o077).toBe(0);
    expect(statSync(dirname(started.file)).mode & 0o077).toBe(0);
  });

  it('is reachable through the Api contract too, with the file name in the file extension of its format', async () => {
    const captured = await capture(2);
    const api = directApi(running.inspector);
    let exportId: string | null = null;
    const events = progressOf(running.inspector, () => exportId);
    const started = await api.startExport({ format: 'har', ids: captured.map((entry) => entry.id) });
    exportId = started.exportId;
    const last = (await events).at(-1) as ExportProgress;
    expect(last).toMatchObject({ finished: true, error: null, file: started.file, done: 2 });
    expect(started.file.endsWith('.har')).toBe(true);
    expect(JSON.parse(readFileSync(started.file, 'utf8')).log.entries).toHaveLength(2);
  });

  it('a filter selects instead of ids', async () => {
    await capture(3);
    const { started, events } = await startAndFinish({ format: 'json', filter: { text: 'evt_app_1' } });
    expect(events.at(-1)).toMatchObject({ finished: true, done: 1, total: 1 });
    expect(JSON.parse(readFileSync(started.file, 'utf8')).deliveries.map((delivery: ExportedDelivery) => delivery.eventId)).toEqual(['evt_app_1']);
  });

  it('a cancelled export ends finished with an error and leaves no file behind', async () => {
    // More than one page (500 rows), so there is a page boundary to stop at.
    const writes: Promise<unknown>[] = [];
    for (let index = 0; index < 1_200; index++) writes.push(store.writeDelivery(newDelivery({ eventId: `evt_bulk_${index}` })));
    await Promise.all(writes);
    let exportId: string | null = null;
    const events = progressOf(running.inspector, () => exportId);
    const started = running.inspector.startExport({ format: 'ndjson', filter: {} });
    exportId = started.exportId;
    // Cancelled before the first page is read: the export stops at its first page boundary.
    expect(running.inspector.cancelExport(started.exportId)).toBe(true);
    const last = (await events).at(-1) as ExportProgress;
    expect(last).toMatchObject({ finished: true, file: null, error: 'The export was cancelled.' });
    expect(existsSync(started.file)).toBe(false);
    // An id that never ran cannot be cancelled.
    expect(running.inspector.cancelExport('no-such-export')).toBe(false);
  });
  it('a long export waits for the file to drain without piling up listeners on it', async () => {
    // 6,000 rows are 12 pages; each page is far over the file stream's 16 KiB buffer, so each
    // write waits for 'drain'. The waits must not leave a listener behind each time (Node warns
    // past 10 listeners of one event on one emitter: a leak on a 100,000-row export).
    const writes: Promise<unknown>[] = [];
    for (let index = 0; index < 6_000; index++) writes.push(store.writeDelivery(newDelivery({ eventId: `evt_long_${index}` })));
    await Promise.all(writes);
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const { started, events } = await startAndFinish({ format: 'ndjson', filter: {} });
      expect(events.at(-1)).toMatchObject({ finished: true, error: null, done: 6_000, total: 6_000 });
      expect(events.length).toBeGreaterThanOrEqual(13);
      expect(readFileSync(started.file, 'utf8').trimEnd().split('\n')).toHaveLength(6_000);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((warning) => `${warning.name}: ${warning.message}`)).toEqual([]);
  });

  it('a fixture export is downloadable under its two-part extension', async () => {
    const captured = await capture(1);
    const { started } = await startAndFinish({ format: 'fixture-node', ids: captured.map((entry) => entry.id) });
    expect(started.file.endsWith('.test.mjs')).toBe(true);
    const response = await download(controlExportPath(basename(started.file)), control.token);
    expect(response.status).toBe(200);
    expect(response.body.equals(readFileSync(started.file))).toBe(true);
  });
});

describe('app export: download from the browser shell', () => {
  it('GET /api/exports/<name> with the token downloads the same bytes', async () => {
    const captured = await capture(3);
    const { started } = await startAndFinish({ format: 'ndjson', ids: captured.map((entry) => entry.id) });
    const name = basename(started.file);
    const response = await fetch(`http://127.0.0.1:${port}${controlExportPath(name)}`, { headers: { authorization: `Bearer ${control.token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${name}"`);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await response.arrayBuffer()).equals(readFileSync(started.file))).toBe(true);
    // The token in the query string (what a plain download link carries) works as well.
    const viaQuery = await download(`${controlExportPath(name)}?token=${control.token}`, null);
    expect(viaQuery.status).toBe(200);
    expect(viaQuery.body.equals(readFileSync(started.file))).toBe(true);
  });

  it('without the token, or with a wrong one → 401, and nothing of the file', async () => {
    const captured = await capture(1);
    const { started } = await startAndFinish({ format: 'ndjson', ids: captured.map((entry) => entry.id) });
    const path = controlExportPath(basename(started.file));
    for (const token of [null, 'not-the-token']) {
      const response = await download(path, token);
      expect(response.status).toBe(401);
      expect(response.body.toString()).not.toContain('evt_app_0');
    }
  });

  it('a name with .. (or any path) → 404, never a file outside the exports folder', async () => {
    const captured = await capture(1);
    await startAndFinish({ format: 'ndjson', ids: captured.map((entry) => entry.id) });
    const database = readFileSync(join(running.dataDir, 'hooklens.db')).subarray(0, 16).toString('latin1');
    expect(database).toBe('SQLite format 3\0');
    const names = ['../hooklens.db', '..', '..%2Fhooklens.db', '%2E%2E%2Fhooklens.db', 'hooklens-x/../../hooklens.db', '..\\hooklens.db'];
    for (const name of names) {
      const encoded = name.includes('%') ? `/api/exports/${name}` : controlExportPath(name);
      const response = await download(encoded, control.token);
      expect(response.status, encoded).toBe(404);
      expect(response.body.toString('latin1')).not.toContain('SQLite format 3');
    }
    // Raw bytes on a socket, the path exactly as written (clients normalise /../ away).
    for (const raw of ['/api/exports/../hooklens.db', '/api/exports/../../hooklens.db', '/api/exports/%2e%2e/hooklens.db']) {
      const { response } = await rawExchange(port, [`GET ${raw}?token=${control.token} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`], 5_000);
      expect(statusOf(response), raw).toBe(404);
      expect(response).not.toContain('SQLite format 3');
    }
  });

  it('a well-formed name that is not there (or still running) → 404', async () => {
    const response = await download(controlExportPath('hooklens-2026-01-01T00-00-00Z-abcdef.ndjson'), control.token);
    expect(response.status).toBe(404);
  });
});
