/** Stand-ins for the developer's webhook handler, for the screenshots' replays, checks and simulations. */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandIn {
  url: string;
  close: () => void;
}

async function serve(handle: (body: Buffer, req: IncomingMessage, res: ServerResponse) => void): Promise<StandIn> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(Buffer.concat(chunks), req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/reviewsense`, close: () => server.close() };
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Answers 202 with a small JSON body. */
export function startApp(): Promise<StandIn> {
  return serve((_body, _req, res) => answer(res, 202, { received: true, queued_for: 'review-sync' }));
}

/** Verifies the HMAC of the raw body, but compares it ignoring case: one classic mistake. */
export function startLenientHandler(secret: string): Promise<StandIn> {
  return serve((body, req, res) => {
    const expected = createHmac('sha256', secret).update(body).digest('hex');
    const header = req.headers['x-reviewsense-signature'];
    const ok = typeof header === 'string' && header.toLowerCase() === expected;
    answer(res, ok ? 200 : 401, ok ? { received: true } : { error: 'invalid signature' });
  });
}

/** Fails twice (a deploy in progress), then accepts: every third request gets a 200. */
export function startRecoveringApp(): Promise<StandIn> {
  let requests = 0;
  return serve((_body, _req, res) => {
    requests += 1;
    if (requests % 3 === 0) answer(res, 200, { received: true });
    else answer(res, 503, { error: 'deploying' });
  });
}
