// The receiver's limits, as both captures keep them (serve's receiver and the relay's): the
// shared setup and the requests the limit tests send by hand.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach } from 'vitest';
import { sampleEvent } from '../../../src/main/profile/samples';
import { sign } from '../../../src/main/profile/signature';
import type { CAPTURES, RunningCapture } from '../../helpers/capture-targets';
import { post, type HttpResult } from '../../helpers/http';

type CaptureStart = (typeof CAPTURES)[number][1];

export const SECRET = 'whsec_test_current';
export const KiB = 1024;
export const MiB = 1024 * KiB;

let running: RunningCapture | undefined;
/** Sockets a test opened by hand; destroyed before the Inspector stops. */
export const sockets: Socket[] = [];
export const children: ChildProcessWithoutNullStreams[] = [];
export const cleanups: (() => void)[] = [];

/** Stops what each test started (hand-made sockets, child processes, the capture): call once per file. */
export function useLimitsScope(): void {
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    for (const socket of sockets.splice(0)) socket.destroy();
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
    }
    await running?.stop();
    running = undefined;
  });
}

/** Starts the capture (serve's receiver or the relay's) and stops it after the test. */
export function starterOf(startCapture: CaptureStart) {
  return async (config: Parameters<CaptureStart>[0] = {}): Promise<RunningCapture> => {
    running = await startCapture(config);
    return running;
  };
}

/** A webhook.test event of exactly `size` bytes: its message padded. */
export function envelopeOfSize(size: number, id: string): Buffer {
  const event = sampleEvent('webhook.test', { id, now: Date.UTC(2026, 3, 24, 14, 30), data: { message: '' } });
  const padding = size - Buffer.byteLength(JSON.stringify(event));
  return Buffer.from(JSON.stringify({ ...event, data: { ...event.data, message: 'x'.repeat(padding) } }));
}

export function signedPost(url: string, body: Buffer): Promise<HttpResult> {
  return post(url, body, { 'content-type': 'application/json', 'x-reviewsense-signature': sign(SECRET, body) });
}

/** The head of an upload to the capture path that declares `declared` body bytes. */
export function stalledHeaders(declared: number): string {
  return `POST /hooks/reviewsense HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`;
}

export interface Stalled {
  socket: Socket;
  received: () => number;
  closed: () => boolean;
}

/** A connection that sends its headers and part of its body, then sends nothing more. */
export function stalledUpload(port: number, declared: number, partial: Buffer): Promise<Stalled> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    let received = 0;
    let closed = false;
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    socket.on('close', () => (closed = true));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('connect', () => {
      socket.write(stalledHeaders(declared));
      socket.write(partial, () => resolve({ socket, received: () => received, closed: () => closed }));
    });
  });
}

/**
 * Counts requests whose headers the receiver has parsed (Node's own diagnostics channel, published
 * just before the request is handed to the receiver, whose onRequest hooks run in the same turn).
 */
export function requestsStarted(): { count: () => number } {
  let count = 0;
  const listener = (message: unknown) => {
    const { request } = message as { request: IncomingMessage };
    if (request.url?.startsWith('/hooks/reviewsense')) count++;
  };
  subscribe('http.server.request.start', listener);
  cleanups.push(() => unsubscribe('http.server.request.start', listener));
  return { count: () => count };
}

/** Resolves when the receiver's handler has run for a request of this method (Fastify's tracing channel). */
export function handlerRan(method: string): Promise<void> {
  return new Promise((resolve) => {
    const name = 'tracing:fastify.request.handler:end';
    const listener = (message: unknown) => {
      const { request } = message as { request: { method: string } };
      if (request.method !== method) return;
      unsubscribe(name, listener);
      resolve();
    };
    subscribe(name, listener);
    cleanups.push(() => unsubscribe(name, listener));
  });
}

/** A request that settles to its status, or to the error code when the connection was cut. */
export async function statusOrError(request: Promise<HttpResult>): Promise<number | string> {
  try {
    return (await request).status;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'error';
  }
}
