import { Transform } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** What answers a request whose body would not fit: the sender retries later. */
export class InFlightBudgetError extends Error {
  override name = 'InFlightBudgetError';
  readonly statusCode = 503;
  constructor() {
    super('Hooklens is receiving too much at once to hold this body in memory; try again shortly.');
  }
}

/**
 * Bounds the memory held by bodies still arriving: every body's bytes are reserved from one
 * budget while its request is open (its declared Content-Length up front, a chunked body as it
 * arrives). A request that would go over is answered 503 with Retry-After at once, so stalled
 * uploads cannot grow memory without limit.
 */
export function limitBodiesInFlight(app: FastifyInstance, budgetBytes: number, bodyLimit: number): { inFlight: () => number } {
  let inFlight = 0;
  const held = new WeakMap<FastifyRequest, number>();

  const released = new WeakSet<FastifyRequest>();

  function reserve(request: FastifyRequest, bytes: number): boolean {
    // Bytes still flowing after the answer (a refused chunked body) are no longer held.
    if (released.has(request)) return true;
    if (inFlight + bytes > budgetBytes) return false;
    inFlight += bytes;
    held.set(request, (held.get(request) ?? 0) + bytes);
    return true;
  }

  function releaseWhenDone(request: FastifyRequest, reply: FastifyReply): void {
    // 'close' fires once the answer is sent or the connection is gone, whichever comes first.
    reply.raw.once('close', () => {
      inFlight -= held.get(request) ?? 0;
      held.delete(request);
      released.add(request);
    });
  }

  app.addHook('onRequest', (request, reply, next) => {
    releaseWhenDone(request, reply);
    const declared = Number(request.headers['content-length']);
    // A body over the limit is never read: it gets its 413 (and its row), not a "try again".
    if (Number.isFinite(declared) && declared > 0 && declared <= bodyLimit && !reserve(request, declared)) {
      reply.code(503).header('retry-after', '5').header('connection', 'close').send({ error: 'busy', message: new InFlightBudgetError().message });
      return;
    }
    next();
  });

  app.addHook('preParsing', (request, _reply, payload, next) => {
    // A declared length is already reserved; a chunked body is counted as it arrives.
    if (request.headers['content-length'] !== undefined) return next(null, payload);
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        if (!reserve(request, chunk.length)) return callback(new InFlightBudgetError());
        callback(null, chunk);
      },
    });
    payload.on('error', (error) => counted.destroy(error));
    next(null, payload.pipe(counted));
  });

  return { inFlight: () => inFlight };
}
