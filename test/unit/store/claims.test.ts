import { describe, expect, it } from 'vitest';
import type { SignatureStatus } from '../../../src/shared/reviewsense/catalogue';
import { newDelivery } from '../../helpers/deliveries';
import { withTempStore } from '../../helpers/temp-store';

const t = withTempStore();
const write = (eventId: string, signatureStatus: SignatureStatus) => t.store.writeDelivery(newDelivery({ eventId, signatureStatus }));
const imported = (eventId: string, signatureStatus: 'valid' | 'invalid' | 'unchecked') => t.store.writeDelivery(newDelivery({ eventId, signatureStatus, imported: true }));

describe('event links: an unverified delivery never becomes the original of a verified event', () => {
  it('makes the genuine delivery the original when a forged one claimed the id first, and links the claim to it', async () => {
    const forged = await write('evt_claimed', 'invalid');
    expect(forged).toMatchObject({ duplicateOf: null, deliveryNumber: 0, unverifiedClaim: true });

    const genuine = await write('evt_claimed', 'valid');
    expect(genuine).toMatchObject({ duplicateOf: null, deliveryNumber: 1, unverifiedClaim: false });
    // The earlier claim now points at the genuine original.
    expect(t.store.deliveries.get(forged.id)).toMatchObject({ duplicateOf: genuine.id, unverifiedClaim: true });

    const retry = await write('evt_claimed', 'valid');
    expect(retry).toMatchObject({ duplicateOf: genuine.id, deliveryNumber: 2, unverifiedClaim: false });
  });

  it('an unverified claim after another unverified claim is linked to no original and not counted', async () => {
    const malformed = await write('evt_two_claims', 'malformed');
    const missing = await write('evt_two_claims', 'missing');
    expect(malformed).toMatchObject({ duplicateOf: null, deliveryNumber: 0, unverifiedClaim: true });
    expect(missing).toMatchObject({ duplicateOf: null, deliveryNumber: 0, unverifiedClaim: true });

    const genuine = await write('evt_two_claims', 'valid');
    expect(genuine).toMatchObject({ duplicateOf: null, deliveryNumber: 1, unverifiedClaim: false });
    expect(t.store.deliveries.ofEvent('evt_two_claims').map((row) => [row.id, row.duplicateOf, row.deliveryNumber])).toEqual([
      [malformed.id, genuine.id, 0],
      [missing.id, genuine.id, 0],
      [genuine.id, null, 1],
    ]);
    expect((await write('evt_two_claims', 'valid')).deliveryNumber).toBe(2);
  });

  it('links a later forged delivery to the original without counting it as a retry', async () => {
    const genuine = await write('evt_x', 'valid');
    const forged = await write('evt_x', 'missing');
    expect(forged).toMatchObject({ duplicateOf: genuine.id, unverifiedClaim: true, deliveryNumber: 0 });
    const retry = await write('evt_x', 'valid');
    expect(retry).toMatchObject({ duplicateOf: genuine.id, deliveryNumber: 2 });
    expect(t.store.deliveries.ofEvent('evt_x').map((row) => [row.id, row.unverifiedClaim])).toEqual([
      [genuine.id, false],
      [forged.id, true],
      [retry.id, false],
    ]);
  });

  it('keeps first-come links while no secret is configured (every delivery is unchecked)', async () => {
    const first = await write('evt_u', 'unchecked');
    const second = await write('evt_u', 'unchecked');
    expect(first).toMatchObject({ duplicateOf: null, deliveryNumber: 1, unverifiedClaim: false });
    expect(second).toMatchObject({ duplicateOf: first.id, deliveryNumber: 2, unverifiedClaim: false });
  });

  it('keeps the link permanent after the claimed original is deleted', async () => {
    await write('evt_d', 'invalid');
    const genuine = await write('evt_d', 'valid');
    t.store.deliveries.remove(genuine.id);
    const retry = await write('evt_d', 'valid');
    expect(retry).toMatchObject({ duplicateOf: genuine.id, deliveryNumber: 2 });
  });
});

describe('event links: an imported delivery never outranks one verified here', () => {
  it('a live verified delivery takes over from an imported original, and the imported rows are relinked to it', async () => {
    const importedOriginal = await imported('evt_i', 'valid');
    const importedRetry = await imported('evt_i', 'valid');
    expect(importedOriginal).toMatchObject({ duplicateOf: null, deliveryNumber: 1 });
    expect(importedRetry).toMatchObject({ duplicateOf: importedOriginal.id, deliveryNumber: 2 });

    const live = await write('evt_i', 'valid');
    expect(live).toMatchObject({ duplicateOf: null, deliveryNumber: 1, unverifiedClaim: false });
    expect(t.store.deliveries.get(importedOriginal.id)).toMatchObject({ duplicateOf: live.id, imported: true });
    expect(t.store.deliveries.get(importedRetry.id)).toMatchObject({ duplicateOf: live.id, imported: true });

    // The live original stays: its retries count from it, and a later import is linked to it.
    expect(await write('evt_i', 'valid')).toMatchObject({ duplicateOf: live.id, deliveryNumber: 2 });
    expect(await imported('evt_i', 'valid')).toMatchObject({ duplicateOf: live.id, deliveryNumber: 3 });
    expect(t.store.deliveries.counts().duplicates).toBe(4);
  });

  it('an imported delivery after a live original is its duplicate', async () => {
    const live = await write('evt_j', 'valid');
    expect(await imported('evt_j', 'valid')).toMatchObject({ duplicateOf: live.id, deliveryNumber: 2 });
  });

  it('an imported verified delivery takes over from a forged claim, and a live one then from it', async () => {
    const forged = await write('evt_k', 'invalid');
    const fromImport = await imported('evt_k', 'valid');
    expect(fromImport).toMatchObject({ duplicateOf: null, deliveryNumber: 1 });
    expect(t.store.deliveries.get(forged.id)).toMatchObject({ duplicateOf: fromImport.id, unverifiedClaim: true });
    const live = await write('evt_k', 'valid');
    expect(live).toMatchObject({ duplicateOf: null, deliveryNumber: 1 });
    expect(t.store.deliveries.get(forged.id)).toMatchObject({ duplicateOf: live.id });
    expect(t.store.deliveries.get(fromImport.id)).toMatchObject({ duplicateOf: live.id });
  });

  it('an imported unverified delivery is a claim like any other', async () => {
    const live = await write('evt_l', 'valid');
    expect(await imported('evt_l', 'invalid')).toMatchObject({ duplicateOf: live.id, unverifiedClaim: true });
  });
});

describe('migration 2 on a database from version 1', () => {
  it('keeps existing links trusted and answers as before for old rows', async () => {
    const { default: Database } = await import('better-sqlite3');
    const { MIGRATIONS } = await import('../../../src/main/store/migrations');
    const { openStore } = await import('../../../src/main/store/store');
    const { rmSync } = await import('node:fs');
    t.store.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(t.store.file + suffix, { force: true });
    const old = new Database(t.store.file);
    old.exec(MIGRATIONS[0] as string);
    old.pragma('user_version = 1');
    old.prepare(`INSERT INTO deliveries (received_at, method, path, headers, body_size, event_id, signature_status, response_status)
      VALUES (1, 'POST', '/hooks/reviewsense', '[]', 0, 'evt_old', 'valid', 200)`).run();
    old.prepare("INSERT INTO events (event_id, first_delivery_id, deliveries) VALUES ('evt_old', 1, 1)").run();
    old.close();

    t.store = openStore(t.dir);
    expect(t.store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(t.store.deliveries.get(1)).toMatchObject({ eventId: 'evt_old', unverifiedClaim: false, answerLost: null });
    const claim = await write('evt_old', 'invalid');
    expect(claim).toMatchObject({ duplicateOf: 1, unverifiedClaim: true });
    const retry = await write('evt_old', 'valid');
    expect(retry).toMatchObject({ duplicateOf: 1, deliveryNumber: 2 });
  });
});
