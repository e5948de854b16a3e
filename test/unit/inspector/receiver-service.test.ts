import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createReceiverService, DEFAULT_RECEIVER, type ReceiverService } from '../../../src/main/inspector/receiver-service';
import { sign } from '../../../src/main/profile/signature';
import type { Store } from '../../../src/main/store/store';
import type { DeliverySummary } from '../../../src/shared/delivery';
import { DEFAULT_RESPONSE, type ResponseConfig } from '../../../src/shared/response-config';
import { ApiInputError } from '../../../src/shared/validate';
import { faultyStore } from '../../helpers/faulty-store';
import { post } from '../../helpers/http';
import { tempDir } from '../../helpers/temp-dir';

const SECRET = 'whsec_service_secret';
const NOW = 1_777_000_000_000;
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A receiver service over a real SQLite store in a fresh folder, with every callback recorded. */
function setup(response: ResponseConfig = DEFAULT_RESPONSE) {
  const folder = tempDir();
  const faults = faultyStore();
  const store: Store = faults.openStore(folder.path);
  cleanups.push(() => folder.cleanup());
  cleanups.push(() => store.close());
  /** Deliveries and storage health changes, in the order the service reported them. */
  const log: (['delivery', DeliverySummary] | ['storage', string | null])[] = [];
  const service = createReceiverService({
    config: { ...DEFAULT_RECEIVER, port: 0 },
    response,
    store,
    clock: () => NOW,
    secrets: () => [{ id: 'saved-1', label: 'current', value: SECRET }],
    onDelivery: (delivery) => log.push(['delivery', delivery]),
    onDeliveryUpdated: () => undefined,
    forwardPlan: () => ({ queueTo: null, mirror: false }),
    onStorageHealth: (reason) => log.push(['storage', reason]),
  });
  cleanups.push(() => service.stop());
  return { service, store, faults, log, deliveries: () => log.filter(([kind]) => kind === 'delivery').map(([, d]) => d as DeliverySummary) };
}

function envelope(id: string, padding = 0): Buffer {
  return Buffer.from(JSON.stringify({ id, type: 'webhook.test', created_at: '2026-04-24T14:30:00Z', api_version: 'v1', data: { pad: 'x'.repeat(padding) } }));
}

function deliver(url: string, id: string, padding = 0) {
  const body = envelope(id, padding);
  return post(url, body, { 'content-type': 'application/json', 'x-reviewsense-signature': sign(SECRET, body) });
}

/** A port free right now: bound by the OS, then released. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A plain TCP server holding a loopback port, as another program would. */
async function holdPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as { port: number }).port, server };
}

async function started(response?: ResponseConfig) {
  const s = setup(response);
  await s.service.start();
  return s;
}

function urlOf(service: ReceiverService): string {
  const url = service.url();
  if (!url) throw new Error('the receiver is not listening');
  return url;
}

describe('receiver service: listening and capture', () => {
  it('is not listening before start, and has no URL or tunnel target', () => {
    const { service } = setup();
    expect(service.url()).toBeNull();
    expect(service.target()).toBeNull();
    expect(service.info()).toEqual({ url: null, host: '127.0.0.1', port: null, path: '/hooks/reviewsense', bodyLimit: DEFAULT_RECEIVER.bodyLimit });
  });

  it('starts on a free port, commits a POST, hands the summary to the delivery callback and answers 200', async () => {
    const { service, store, deliveries } = await started();
    const port = service.info().port as number;
    expect(port).toBeGreaterThan(0);
    expect(service.url()).toBe(`http://127.0.0.1:${port}/hooks/reviewsense`);
    expect(service.target()).toEqual({ host: '127.0.0.1', port });

    const response = await deliver(urlOf(service), 'evt_service_1');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ ok: true, delivery: 1, signature: 'valid', duplicateOf: null });

    // The callback ran before the answer, with what was committed.
    expect(deliveries()).toEqual([
      expect.objectContaining({ id: 1, receivedAt: NOW, method: 'POST', path: '/hooks/reviewsense', eventId: 'evt_service_1', eventType: 'webhook.test', signatureStatus: 'valid', responseStatus: 200, rejection: null }),
    ]);
    expect(store.deliveries.list()).toEqual(deliveries());
  });

  it('start is idempotent and stop releases the port', async () => {
    const { service } = await started();
    const url = urlOf(service);
    await service.start();
    expect(service.url()).toBe(url);
    await service.stop();
    expect(service.url()).toBeNull();
    expect(service.target()).toBeNull();
    await expect(deliver(url, 'evt_after_stop')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('receiver service: moving', () => {
  it('moves to another port and path: the old URL refuses connections, the new one captures', async () => {
    const { service, deliveries } = await started();
    const oldUrl = urlOf(service);
    const port = await freePort();

    await service.move({ port, path: '/hooks/moved' });
    expect(service.info()).toMatchObject({ url: `http://127.0.0.1:${port}/hooks/moved`, port, path: '/hooks/moved' });
    expect(service.path()).toBe('/hooks/moved');
    expect(service.target()).toEqual({ host: '127.0.0.1', port });

    await expect(deliver(oldUrl, 'evt_old_address')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect((await deliver(urlOf(service), 'evt_new_address')).status).toBe(200);
    // The old path on the new port is outside the capture path now.
    expect((await deliver(`http://127.0.0.1:${port}/hooks/reviewsense`, 'evt_old_path')).status).toBe(404);
    expect(deliveries().map((d) => [d.eventId, d.path])).toEqual([['evt_new_address', '/hooks/moved']]);
  });

  it('a failed move (port held by another program) rolls back to the working address and rethrows', async () => {
    const { service, deliveries } = await started();
    const before = service.info();
    const blocker = await holdPort();

    await expect(service.move({ port: blocker.port, path: '/hooks/elsewhere' })).rejects.toMatchObject({
      name: 'ListenError',
      code: 'EADDRINUSE',
      message: `Port ${blocker.port} on 127.0.0.1 is already in use (another Hooklens?). Choose another with --port, or --port 0 for a free one.`,
    });

    // Back where it was, port and path, and still capturing there.
    expect(service.info()).toEqual(before);
    expect((await deliver(before.url as string, 'evt_after_rollback')).status).toBe(200);
    expect(deliveries().map((d) => [d.eventId, d.path])).toEqual([['evt_after_rollback', '/hooks/reviewsense']]);
  });

  it('setReceiver saves the new address in settings and returns where it listens', async () => {
    const { service, store } = await started();
    const port = await freePort();
    const info = await service.calls.setReceiver({ port, path: '/hooks/saved' });
    expect(info).toEqual({ url: `http://127.0.0.1:${port}/hooks/saved`, host: '127.0.0.1', port, path: '/hooks/saved', bodyLimit: DEFAULT_RECEIVER.bodyLimit });
    expect(store.settings.get('receiver')).toEqual({ port, path: '/hooks/saved' });
    expect((await deliver(info.url as string, 'evt_saved_address')).status).toBe(200);
  });

  it('setReceiver saves nothing when the move fails', async () => {
    const { service, store } = await started();
    const before = service.info();
    const blocker = await holdPort();
    await expect(service.calls.setReceiver({ port: blocker.port, path: '/hooks/x' })).rejects.toThrow(/already in use/);
    expect(store.settings.get('receiver')).toBeUndefined();
    expect(service.info()).toEqual(before);
  });
});

describe('receiver service: response', () => {
  it('answers with a new response config at once and saves it', async () => {
    const { service, store } = await started();
    const custom: ResponseConfig = { ...DEFAULT_RESPONSE, status: 202, body: 'thanks', contentType: 'text/plain' };
    expect(service.calls.setResponse(custom)).toEqual(custom);
    expect(service.calls.getResponse()).toEqual(custom);
    expect(store.settings.get('response')).toEqual(custom);
    const response = await deliver(urlOf(service), 'evt_custom');
    expect(response.status).toBe(202);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toBe('thanks');
  });

  it('rejects an invalid config with a readable ApiInputError and keeps the old one, in memory, in settings and on the wire', async () => {
    const { service, store } = await started();
    const kept: ResponseConfig = { ...DEFAULT_RESPONSE, status: 201 };
    service.calls.setResponse(kept);

    const tooLow = { ...DEFAULT_RESPONSE, status: 99 };
    expect(() => service.calls.setResponse(tooLow)).toThrow(ApiInputError);
    expect(() => service.calls.setResponse(tooLow)).toThrow('response.status must be a whole number from 200 to 599.');
    expect(() => service.calls.setResponse({ ...DEFAULT_RESPONSE, delayMs: -5 })).toThrow('response.delayMs must be a whole number from 0 to 120000.');
    expect(() => service.calls.setResponse({ ...DEFAULT_RESPONSE, colour: 'red' } as ResponseConfig)).toThrow(
      'response.colour must be one of the known fields (status, body, contentType, delayMs, strict).',
    );

    expect(service.calls.getResponse()).toEqual(kept);
    expect(store.settings.get('response')).toEqual(kept);
    expect((await deliver(urlOf(service), 'evt_kept')).status).toBe(201);
  });

  it('refuses an invalid starting config', () => {
    expect(() => setup({ ...DEFAULT_RESPONSE, strict: 'yes' } as unknown as ResponseConfig)).toThrow('response.strict must be true or false.');
  });
});

describe('receiver service: storage health', () => {
  it.each([
    ['disk-full', 'the disk (or the database size limit) is full'],
    ['read-only', 'the database is read-only'],
  ] as const)('reports %s once when writes start failing and once on recovery, after the delivery that recovered', async (fault, reason) => {
    const { service, faults, log, store } = await started();
    const url = urlOf(service);
    expect((await deliver(url, 'evt_before')).status).toBe(200);
    expect(service.storageError()).toBeNull();

    faults.fail(fault);
    // Big enough to need new pages, so a full database cannot fit it in free space.
    const first = await deliver(url, 'evt_refused_1', 30_000);
    expect(first.status).toBe(503);
    expect(JSON.parse(first.body).message).toContain(reason);
    expect((await deliver(url, 'evt_refused_2', 30_000)).status).toBe(503);
    expect(service.storageError()).toBe(reason);

    faults.recover();
    expect((await deliver(url, 'evt_recovered', 30_000)).status).toBe(200);
    expect(service.storageError()).toBeNull();
    expect((await deliver(url, 'evt_later')).status).toBe(200);

    expect(log.map(([kind, value]) => (kind === 'delivery' ? `delivery ${(value as DeliverySummary).eventId}` : `storage ${String(value)}`))).toEqual([
      'delivery evt_before',
      `storage ${reason}`,
      'delivery evt_recovered',
      'storage null',
      'delivery evt_later',
    ]);
    expect(store.deliveries.list().map((d) => d.eventId).sort()).toEqual(['evt_before', 'evt_later', 'evt_recovered']);
  });
});
