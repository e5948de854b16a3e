import type { Server } from 'node:http';
import type { Socket } from 'node:net';

const BUSY_BODY = JSON.stringify({ error: 'busy', message: 'Hooklens has too many connections open to take another; try again shortly.' });
// Written whole, without parsing what the sender wrote: a refusal must cost next to nothing.
const BUSY = Buffer.from(
  'HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nConnection: close\r\n' +
    `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(BUSY_BODY)}\r\n\r\n${BUSY_BODY}`,
);

/** Time a refused sender has to read its 503 and close; then the socket is destroyed. */
const LINGER_MS = 2_000;

/**
 * Serves at most `max` connections of `server` at once. One more is answered 503 with Retry-After
 * and closed, so a webhook sender retries; Node's own `maxConnections` would close it unanswered,
 * which the sender sees as a reset. Refusals still lingering are capped at `max` too, past which a
 * connection is closed at once: a flood never holds more than twice the cap. Call it right after
 * the server is created, before anything else listens for its connections.
 */
export function capConnections(server: Server, max: number): void {
  // The HTTP server's own handling of a connection, run only for those under the cap.
  const serve = server.listeners('connection');
  server.removeAllListeners('connection');
  let served = 0;
  let refusing = 0;
  server.on('connection', (socket: Socket) => {
    if (served < max) {
      served++;
      socket.once('close', () => served--);
      for (const listener of serve) listener.call(server, socket);
    } else if (refusing < max) {
      refusing++;
      socket.once('close', () => refusing--);
      refuse(socket);
    } else {
      socket.destroy();
    }
  });
}

function refuse(socket: Socket): void {
  socket.on('error', () => undefined);
  // Answer once the request begins, as HTTP has it; everything the sender writes is read and
  // dropped, since bytes left unread at close make the kernel send a reset instead of the answer.
  socket.once('data', () => socket.end(BUSY));
  socket.resume();
  const linger = setTimeout(() => socket.destroy(), LINGER_MS);
  linger.unref();
  socket.once('close', () => clearTimeout(linger));
}
