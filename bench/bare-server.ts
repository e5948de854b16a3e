/**
 * The baseline: a bare node:http server that reads the whole body and answers 200.
 * Runs as its own process (so it does not share an event loop with autocannon) and prints
 * one JSON ready line on stdout, like `hooklens serve --json`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const size = Buffer.concat(chunks).length;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(`{"ok":true,"bytes":${size}}`);
  });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ event: 'ready', receiverUrl: `http://127.0.0.1:${port}/hooks/reviewsense` })}\n`);
});

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 1000).unref();
});
