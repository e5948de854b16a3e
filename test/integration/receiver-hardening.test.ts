import { existsSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { directApi } from '../helpers/direct-api';
import { post } from '../helpers/http';
import { startInspector, type RunningInspector } from '../helpers/inspector';
import { sign } from '../../src/main/profile/signature';
import { Inspector } from '../../src/main/inspector/inspector';
import { MAX_INDEXED_CHARS } from '../../src/main/store/search-indexer';
import { DATABASE_FILE, openStore } from '../../src/main/store/store';
import { newDelivery } from '../helpers/deliveries';
import { tempDir } from '../helpers/temp-dir';

const SECRET = 'whsec_test_current';
let running: RunningInspector | undefined;

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

function envelope(id: string, data: unknown = {}): Buffer {
  return Buffer.from(JSON.stringify({ id, type: 'webhook.test', created_at: '2026-04-24T14:30:00Z', api_version: 'v1', data }));
}

const signed = (url: string, body: Buffer) => post(url, body, { 'content-type': 'application/json', 'x-reviewsense-signature': sign(SECRET, body) });

describe('receiver path: matched literally, never fatal', () => {
  it.each(['/hooks/*', '/hooks/(a|b)', '/hooks/:id', '/hooks/%2a', '/hooks/a b'])('refuses %s from Settings and keeps capturing at the old address', async (path) => {
    running = await startInspector();
    const api = directApi(running.inspector);
    await expect(api.setReceiver({ port: 0, path })).rejects.toMatchObject({ name: 'ApiInputError', message: expect.stringMatching(/^receiver\.path must be a path starting with "\/"/) });
    expect((await signed(running.url, envelope('evt_still'))).status).toBe(200);
    expect(running.inspector.getStatus().receiver.url).toBe(running.url);
  });

  it('refuses a pattern path given to the core directly, with a sentence, before the router sees it', async () => {
    const dir = tempDir();
    const inspector = new Inspector({ dataDir: dir.path, receiver: { port: 0, path: '/hooks/*' } });
    await expect(inspector.start()).rejects.toThrow('The capture path must be a path starting with "/"');
    await inspector.stop();
    dir.cleanup();
  });
});

describe('receiver: a hostile body cannot make the answer expensive', () => {
  it('does not parse JSON nested deeper than an envelope ever is', async () => {
    running = await startInspector();
    const body = Buffer.from(`{"id":"evt_deep","data":${'['.repeat(200_000)}${']'.repeat(200_000)}}`);
    const response = await post(running.url, body, { 'x-reviewsense-signature': '0'.repeat(64) });
    expect(response.status).toBe(200);
    const [row] = running.inspector.listDeliveries({ limit: 1 });
    const view = running.inspector.getDelivery(row?.id ?? 0);
    expect(view?.delivery).toMatchObject({ signatureStatus: 'invalid', eventId: null, parseError: 'The JSON nests more than 64 levels deep, so it was not parsed; a ReviewSense envelope nests a few.' });
  });

  it('diagnoses a large mismatched body when it is shown, not while the sender waits', async () => {
    running = await startInspector({ receiver: { bodyLimit: 4 * 1024 * 1024 } });
    const body = envelope('evt_large', { text: 'x'.repeat(2 * 1024 * 1024) });
    // Signed with the secret plus a trailing newline: a diagnosis can name that.
    const response = await post(running.url, body, { 'x-reviewsense-signature': sign(`${SECRET}\n`, body) });
    expect(response.status).toBe(200);
    const [summary] = running.inspector.listDeliveries({ limit: 1 });
    expect(summary?.signatureStatus).toBe('invalid');
    // Not computed on receipt (the stored row has none) …
    expect(readColumn(running, 'signature_diagnosis', summary?.id ?? 0)).toBeNull();
    // … but the detail view explains it.
    expect(running.inspector.getDelivery(summary?.id ?? 0)?.delivery.signatureDiagnosis).toMatch(/does not match the active secret/);
  });

  it('still diagnoses a small mismatched body on receipt', async () => {
    running = await startInspector();
    const body = envelope('evt_small');
    await post(running.url, body, { 'x-reviewsense-signature': sign('whsec_test_current', `${body.toString()}\n`) });
    const [summary] = running.inspector.listDeliveries({ limit: 1 });
    expect(readColumn(running, 'signature_diagnosis', summary?.id ?? 0)).toMatch(/trailing newline added/);
  });

  it(`indexes the first ${MAX_INDEXED_CHARS} characters of a payload for search`, async () => {
    running = await startInspector({ receiver: { bodyLimit: 4 * 1024 * 1024 } });
    const body = envelope('evt_words', { head: 'findablehead', filler: 'lorem '.repeat(MAX_INDEXED_CHARS / 6), tail: 'unfindabletail' });
    expect((await signed(running.url, body)).status).toBe(200);
    expect(running.inspector.listDeliveries({ text: 'findablehead' }).map((row) => row.eventId)).toEqual(['evt_words']);
    expect(running.inspector.listDeliveries({ text: 'unfindabletail' })).toEqual([]);
  });
});

describe('receiver: the database file deleted while running', () => {
  it('answers 503 instead of acknowledging into the deleted file, says so, and carries on in a new file', async () => {
    running = await startInspector();
    const errors: string[] = [];
    const recovered: unknown[] = [];
    running.inspector.on('storage-error', ({ reason }) => errors.push(reason));
    running.inspector.on('storage-recovered', () => recovered.push(true));
    expect((await signed(running.url, envelope('evt_before'))).status).toBe(200);

    const file = join(running.dataDir, DATABASE_FILE);
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) unlinkSync(file + suffix);

    const refused = await signed(running.url, envelope('evt_during'));
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(errors).toEqual([expect.stringMatching(/hooklens\.db was deleted or replaced while Hooklens was running/)]);
    expect(running.inspector.getStatus().storageError).toMatch(/deleted or replaced/);

    expect((await signed(running.url, envelope('evt_after'))).status).toBe(200);
    expect(recovered).toHaveLength(1);
    expect(existsSync(file)).toBe(true);
    expect(running.inspector.listDeliveries().map((row) => row.eventId)).toEqual(['evt_after']);

    // What was acknowledged after the loss survives a restart.
    const dataDir = running.dataDir;
    await running.inspector.stop();
    const again = new Inspector({ dataDir, receiver: { port: 0 } });
    expect(again.listDeliveries().map((row) => row.eventId)).toEqual(['evt_after']);
    await again.stop();
    running = { ...running, stop: async () => undefined };
  });
});

describe('receiver: the whole data folder deleted while running', () => {
  it('answers 503, then recreates the folder and carries on, without crashing', async () => {
    running = await startInspector();
    expect((await signed(running.url, envelope('evt_before_dir'))).status).toBe(200);
    rmSync(running.dataDir, { recursive: true, force: true });
    expect((await signed(running.url, envelope('evt_during_dir'))).status).toBe(503);
    expect((await signed(running.url, envelope('evt_after_dir'))).status).toBe(200);
    expect(running.inspector.listDeliveries().map((row) => row.eventId)).toEqual(['evt_after_dir']);
  });

  it('does not recreate the database file when closing after it was deleted', async () => {
    const dir = tempDir();
    const store = openStore(dir.path);
    await store.writeDelivery(newDelivery({ eventId: 'evt_kept' }));
    for (const suffix of ['', '-wal', '-shm']) rmSync(store.file + suffix, { force: true });
    const pending = store.writeDelivery(newDelivery({ eventId: 'evt_pending' }));
    store.close();
    await expect(pending).rejects.toThrow(/deleted or replaced/);
    await new Promise((resolve) => setImmediate(resolve));
    expect(existsSync(store.file)).toBe(false);
    dir.cleanup();
  });
});

function readColumn(r: RunningInspector, column: string, id: number): unknown {
  // The raw row as stored, through a second connection (what a restart would read).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(join(r.dataDir, DATABASE_FILE), { readonly: true });
  try {
    return (db.prepare(`SELECT ${column} AS value FROM deliveries WHERE id = ?`).get(id) as { value: unknown }).value;
  } finally {
    db.close();
  }
}
