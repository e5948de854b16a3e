import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Inspector } from '../../src/main/inspector/inspector';
import { fingerprint, sign } from '../../src/main/profile/signature';
import { createFileKeyCipher } from '../../src/main/secrets/file-key-cipher';
import { createSecretRing } from '../../src/main/secrets/secret-ring';
import { openStore } from '../../src/main/store/store';
import { runCliToEnd } from '../helpers/cli';
import { post } from '../helpers/http';
import { tempDir } from '../helpers/temp-dir';
import { storedRows } from '../helpers/stored-rows';

// Runs the built CLI (out/main/cli.js): build first with `npx electron-vite build`.
//
// An export's signatureStatus is a claim anyone can write. `hooklens import` verifies each body
// again against the secrets it has (flags, HOOKLENS_SECRET, those saved in the data folder), and
// an imported delivery never outranks a genuine one received here.

const SECRET = 'whsec_import_trust';
const EVENT = 'evt_trust_0001';
const body = Buffer.from(JSON.stringify({ id: EVENT, type: 'review.analysed', created_at: '2026-04-24T14:30:00Z', api_version: 'v1', data: { score: 87 } }));

let folder: ReturnType<typeof tempDir>;
const path = (name: string) => join(folder.path, name);

interface Row {
  id: number;
  signature_status: string;
  signature_secret_label: string | null;
  signature_diagnosis: string | null;
  duplicate_of: number | null;
  delivery_number: number;
  unverified_claim: number;
  imported: number;
}

const rowsOf = (dataDir: string): Row[] => storedRows<Row>(dataDir);

/** A json export of one delivery of EVENT with this signature header, claiming `claim`. */
function exportFile(name: string, signatureHeader: string, claim: string): string {
  const file = path(name);
  const delivery = {
    id: 7,
    receivedAt: Date.parse('2026-04-24T14:30:02Z'),
    method: 'POST',
    path: '/hooks/reviewsense',
    headers: [['Content-Type', 'application/json'], ['X-ReviewSense-Signature', signatureHeader]],
    rawHeaders: null,
    bodyBase64: body.toString('base64'),
    bodySize: body.length,
    signatureStatus: claim,
    signatureSecret: claim === 'valid' ? { label: 'current', fingerprint: fingerprint(SECRET) } : null,
    signatureDiagnosis: null,
    signatureReceived: signatureHeader,
    duplicateOf: null,
    deliveryNumber: 1,
    responseStatus: 200,
    imported: false,
  };
  writeFileSync(file, JSON.stringify({ format: 'hooklens-export', version: 1, exportedAt: '2026-04-24T15:00:00.000Z', deliveries: [delivery] }));
  return file;
}

/** A data folder with SECRET saved in it, as the browser UI saves one (sealed with secret.key). */
function dataDirWithSavedSecret(name: string): string {
  const dir = path(name);
  const store = openStore(dir);
  createSecretRing({ repository: store.secrets, cipher: createFileKeyCipher(dir), runtime: [], clock: Date.now, onChange: () => undefined }).add('current', SECRET);
  store.close();
  return dir;
}

let forged: string;
let genuine: string;

beforeAll(() => {
  folder = tempDir('hooklens-import-trust-');
  // Well-formed, but made with someone else's secret; the file says it is valid.
  forged = exportFile('forged.json', sign('whsec_someone_else', body), 'valid');
  // Signed right; the file says it is invalid.
  genuine = exportFile('genuine.json', sign(SECRET, body), 'invalid');
});
afterAll(() => folder.cleanup());

describe('hooklens import verifies each signature itself, never taking the file’s word', () => {
  it('with no secret anywhere, both are unchecked (neither the claimed valid nor the claimed invalid), and it says why', async () => {
    const dir = path('no-secret');
    for (const file of [forged, genuine]) {
      const result = await runCliToEnd(['import', file, '--data-dir', dir]);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('no signing secret here, so signatures are unchecked');
    }
    expect(rowsOf(dir).map((row) => [row.signature_status, row.signature_secret_label])).toEqual([
      ['unchecked', null],
      ['unchecked', null],
    ]);
  });

  it('with the secret saved in the data folder: the forged one is invalid (an unverified claim), the genuine one valid', async () => {
    const dir = dataDirWithSavedSecret('saved-secret');
    for (const file of [forged, genuine]) {
      const result = await runCliToEnd(['import', file, '--data-dir', dir]);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('signatures verified against 1 secret');
    }
    const [fake, real] = rowsOf(dir);
    expect(fake).toMatchObject({ signature_status: 'invalid', signature_secret_label: null, unverified_claim: 1, imported: 1 });
    expect(fake?.signature_diagnosis).toEqual(expect.any(String));
    expect(real).toMatchObject({ signature_status: 'valid', signature_secret_label: 'current', unverified_claim: 0, duplicate_of: null, delivery_number: 1 });
    // The genuine one took over as the event's original from the forged claim imported before it.
    expect(fake?.duplicate_of).toBe(real?.id);
  });

  it.each([
    ['HOOKLENS_SECRET', [], { HOOKLENS_SECRET: SECRET }, 'HOOKLENS_SECRET 1'],
    ['--secret', ['--secret', SECRET], {}, '--secret 1'],
    ['--secret-file', ['--secret-file', 'SECRET_FILE'], {}, '--secret-file 1'],
  ])('with %s the genuine one is valid', async (_name, flags, env, label) => {
    const secretFile = path('secret.txt');
    writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
    const dir = path(`flag-${label.replace(/\W+/g, '-')}`);
    const result = await runCliToEnd(['import', genuine, '--data-dir', dir, ...flags.map((flag) => (flag === 'SECRET_FILE' ? secretFile : flag))], env);
    expect(result.code).toBe(0);
    expect(rowsOf(dir)[0]).toMatchObject({ signature_status: 'valid', signature_secret_label: label });
  });
});

describe('an imported delivery never outranks a genuine one received here', () => {
  /** The genuine delivery, POSTed to a real receiver verifying with the secrets saved in `dir`. */
  async function receiveGenuine(dir: string): Promise<{ delivery: number; duplicateOf: number | null }> {
    const inspector = new Inspector({ dataDir: dir, receiver: { port: 0 } });
    await inspector.start();
    try {
      const answer = await post(inspector.receiverUrl as string, body, { 'content-type': 'application/json', 'x-reviewsense-signature': sign(SECRET, body) });
      expect(answer.status).toBe(200);
      return JSON.parse(answer.body) as { delivery: number; duplicateOf: number | null };
    } finally {
      await inspector.stop();
    }
  }

  it('an imported row claiming "valid" does not become the original of the genuine delivery that follows', async () => {
    const dir = dataDirWithSavedSecret('forged-then-live');
    expect((await runCliToEnd(['import', forged, '--data-dir', dir])).code).toBe(0);
    const live = await receiveGenuine(dir);
    expect(live.duplicateOf).toBeNull();
    const [fake, real] = rowsOf(dir);
    expect(real).toMatchObject({ id: live.delivery, signature_status: 'valid', duplicate_of: null, delivery_number: 1, imported: 0 });
    expect(fake).toMatchObject({ duplicate_of: live.delivery, unverified_claim: 1, imported: 1 });
  });

  it('even a genuinely signed imported original gives way to the live one, and is relinked to it', async () => {
    const dir = dataDirWithSavedSecret('genuine-then-live');
    expect((await runCliToEnd(['import', genuine, '--data-dir', dir])).code).toBe(0);
    expect(rowsOf(dir)[0]).toMatchObject({ signature_status: 'valid', duplicate_of: null, delivery_number: 1 });
    const live = await receiveGenuine(dir);
    expect(live.duplicateOf).toBeNull();
    const [copy, real] = rowsOf(dir);
    expect(real).toMatchObject({ id: live.delivery, duplicate_of: null, delivery_number: 1, imported: 0 });
    expect(copy).toMatchObject({ duplicate_of: live.delivery, imported: 1, signature_status: 'valid' });
  });
});
