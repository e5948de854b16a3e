import { createServer, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { verifiesRaw } from './handlers/verification';

/** One request as the test app received it. */
export interface ReceivedRequest {
  method: string;
  url: string;
  /** Node's rawHeaders: names as sent, in order, duplicates kept. */
  rawHeaders: string[];
  /** The same as [name, value] pairs. */
  headers: [string, string][];
  /** The first value of header `name` (case-insensitive), as Node decoded it; undefined when absent. */
  header: (name: string) => string | undefined;
  /** The body as the HTTP parser handed it over. */
  body: Buffer;
  /**
   * Every byte that came in on this request's connection (request line, header block, body,
   * exactly as on the wire). Read it after the exchange ended: the last chunk may land after
   * the request's own `end` event.
   */
  wire: () => Buffer;
}

export type Responder = (request: ReceivedRequest, response: ServerResponse) => void;

export interface TestApp {
  port: number;
  url: (path?: string) => string;
  received: ReceivedRequest[];
  close: () => Promise<void>;
}

/** The values of header `name` (case-insensitive) among `pairs`, in order. */
export function valuesOf(pairs: readonly [string, string][], name: string): string[] {
  return pairs.filter(([key]) => key.toLowerCase() === name.toLowerCase()).map(([, value]) => value);
}

/**
 * Answers every request with `answer` as it is when the request ends (a JSON content type): a test
 * changes `answer.status` to change what the app says from then on.
 */
export function answering(answer: { status: number; body: string }): Responder {
  return (_request, response) => response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
}

/** Answers each request with the status `decide` picks for it (and its place, 0 first), as `{"status":n}`. */
export function answeringBy(decide: (request: ReceivedRequest, index: number) => number): Responder {
  let index = 0;
  return (request, response) => {
    const status = decide(request, index++);
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status }));
  };
}

/** A handler that verifies as the spec says (HMAC of the raw bytes, constant time): 200 when the signature holds, else 401. */
export function verifyingWith(secret: string): Responder {
  return answeringBy((request) => (verifiesRaw(request.body, request.header('x-reviewsense-signature') ?? null, secret) ? 200 : 401));
}

/**
 * A real HTTP server on 127.0.0.1 standing in for the developer's app: it records each request
 * (raw header list, body, and the raw bytes of its connection) and answers with `respond`
 * (default: 200 "ok").
 */
export function startApp(respond: Responder = (_request, response) => response.end('ok'), port = 0): Promise<TestApp> {
  const received: ReceivedRequest[] = [];
  const wires = new WeakMap<Socket, Buffer[]>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const wire = wires.get(request.socket) ?? [];
      const pairs: [string, string][] = [];
      for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) pairs.push([request.rawHeaders[i] as string, request.rawHeaders[i + 1] as string]);
      const entry: ReceivedRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        rawHeaders: [...request.rawHeaders],
        headers: pairs,
        header: (name) => valuesOf(pairs, name)[0],
        body: Buffer.concat(chunks),
        wire: () => Buffer.concat(wire),
      };
      received.push(entry);
      respond(entry, response);
    });
  });
  // Listening to the socket's data as well makes Node hand every chunk to both the parser and us.
  server.on('connection', (socket: Socket) => {
    const chunks: Buffer[] = [];
    wires.set(socket, chunks);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        port: bound,
        url: (path = '/hooks/reviewsense') => `http://127.0.0.1:${bound}${path}`,
        received,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** A loopback port with nothing listening on it (bound, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
