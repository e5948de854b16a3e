import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DELIVERY_DEADLINE_MS } from '../../shared/reviewsense/catalogue';
import type { SimulationFaults } from '../../shared/simulation';
import { wirePairs } from '../util/header-pairs';
import { sendableHeader, sendRequest, type SendOptions } from '../sender/http-send';

/** How long a `slow` fault holds the app's answer: just past ReviewSense's limit. */
const SLOW_HOLD_MS = DELIVERY_DEADLINE_MS + 1_000;

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * A proxy on loopback in front of your app that injects faults into the first tries: `error`
 * answers 500 itself (your app never sees the request), `slow` passes the request on and holds
 * the app's answer past 10 s. Later tries pass through untouched.
 */
export async function startFaultProxy(target: string, faults: SimulationFaults, triesSoFar: () => number, send: SendOptions) {
  const injected = new Set<number>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const tryNumber = triesSoFar();
      const body = await readBody(request);
      if (tryNumber <= faults.first && faults.kind === 'error') {
        injected.add(tryNumber);
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`Injected by Hooklens' fault proxy (try ${tryNumber} of the first ${faults.first}).`);
        return;
      }
      const { answer } = await sendRequest({ target, method: request.method ?? 'POST', headers: wirePairs(request.rawHeaders), body }, { ...send, deadlineMs: SLOW_HOLD_MS + DELIVERY_DEADLINE_MS });
      if (tryNumber <= faults.first && faults.kind === 'slow') {
        injected.add(tryNumber);
        await new Promise((resolve) => setTimeout(resolve, SLOW_HOLD_MS));
      }
      if (response.destroyed) return;
      if (answer.status === null) response.writeHead(502).end(answer.error ?? 'no answer');
      else {
        // The app's headers as it sent them (bytes, repeats kept), less the ones about its connection.
        const headers = (answer.headers ?? []).filter(([name, value]) => !/^(connection|transfer-encoding|content-length|keep-alive)$/i.test(name) && sendableHeader(name, value));
        response.writeHead(answer.status, headers.flat()).end(answer.body);
      }
    })().catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    /** Whether try N was answered (or delayed) by the proxy rather than your app alone. */
    injected: (tryNumber: number) => injected.has(tryNumber),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())).then(() => undefined),
    server,
  };
}
