import { request } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A real HTTP request with exactly the headers given (Node adds only Host and Connection). */
export function post(url: string, body: Buffer | string, headers: Record<string, string | string[]> = {}, method = 'POST'): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const data = typeof body === 'string' ? Buffer.from(body) : body;
    const req = request(url, { method, headers: { 'content-length': String(data.length), ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}

export interface RawExchange {
  /** Everything the server sent before closing (or before the wait ran out). */
  response: string;
  /** True when the server closed the connection. */
  closed: boolean;
  /** When the server closed, ms after the request was first written. */
  closedAfterMs: number | null;
}

/**
 * Speaks raw bytes to the server, for requests no HTTP client would send (duplicate headers,
 * stalled bodies, resets). `steps` run in order; strings/buffers are written, numbers are pauses.
 */
export function rawExchange(port: number, steps: (string | Buffer | number)[], waitMs: number, options: { reset?: boolean } = {}): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closedAfterMs: number | null = null;
    let started = 0;
    let finished = false;
    const finish = (closed: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ response: Buffer.concat(chunks).toString('latin1'), closed, closedAfterMs });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => {
      closedAfterMs = Date.now() - started;
      finish(true);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return;
      reject(error);
    });
    socket.on('connect', async () => {
      started = Date.now();
      for (const step of steps) {
        if (finished) return;
        if (typeof step === 'number') await new Promise((r) => setTimeout(r, step));
        else socket.write(step);
      }
      if (options.reset) {
        socket.resetAndDestroy();
        finish(false);
      }
    });
  });
}

export function statusOf(rawResponse: string): number | null {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(rawResponse);
  return match ? Number(match[1]) : null;
}
