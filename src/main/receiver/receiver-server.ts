import { createServer, METHODS } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyPluginCallback } from 'fastify';
import { ListenError } from '../util/listen-error';
import { capConnections } from './connection-cap';
import { receiverPlugin, type ReceiverOptions } from './receiver-plugin';

export interface ReceiverTimeouts {
  /** Whole request (headers and body) must arrive within this; a stalled body gets 408. */
  requestMs: number;
  /** Headers must arrive within this; defeats a slowloris trickle. */
  headersMs: number;
  /** Idle keep-alive sockets are closed after this. */
  keepAliveMs: number;
  /** How often Node looks for expired requests; its 30 s default makes the two above fire late. */
  checkIntervalMs: number;
}

// ReviewSense gives up after 10 s, so a request that has not arrived by then is already lost.
export const DEFAULT_TIMEOUTS: ReceiverTimeouts = { requestMs: 15_000, headersMs: 10_000, keepAliveMs: 5_000, checkIntervalMs: 1_000 };

export interface ReceiverServerOptions extends Omit<ReceiverOptions, 'inFlightBudget'> {
  timeouts?: Partial<ReceiverTimeouts>;
  /** Bytes of request bodies held at once (default: 64 MiB, or 4 bodies at the limit if more). */
  inFlightBudget?: number;
  /** Connections served at once; one more is answered 503 with Retry-After (connection-cap.ts). */
  maxConnections?: number;
  /** Routes served beside capture, outside its path (the relay's stream); none for `serve`. */
  routes?: FastifyPluginCallback;
}

export const DEFAULT_MAX_CONNECTIONS = 1024;
export const DEFAULT_IN_FLIGHT_BUDGET = 64 * 1024 * 1024;


function noSchemaCompiler(): () => never {
  return () => {
    throw new Error('The receiver declares no schemas.');
  };
}

export function createReceiverServer(options: ReceiverServerOptions) {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  timeouts.headersMs = Math.min(timeouts.headersMs, timeouts.requestMs);

  const app = Fastify({
    logger: false,
    // No route here declares a schema: without Fastify's default compilers, Ajv (~40 ms) stays
    // out of the receiver's cold start.
    schemaController: { compilersFactory: { buildValidator: noSchemaCompiler, buildSerializer: noSchemaCompiler } },
    bodyLimit: options.bodyLimit,
    exposeHeadRoutes: false,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    serverFactory: (handler) => {
      const server = createServer(
        {
          requestTimeout: timeouts.requestMs,
          headersTimeout: timeouts.headersMs,
          keepAliveTimeout: timeouts.keepAliveMs,
          connectionsCheckingInterval: timeouts.checkIntervalMs,
        },
        handler,
      );
      // Each connection costs memory even idle.
      capConnections(server, options.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
      return server;
    },
  });
  // Capture means any method with its body, GET and HEAD included (Fastify reads no body for
  // them by default). CONNECT is a tunnel request Node hands over separately.
  for (const method of METHODS) {
    if (method !== 'CONNECT') app.addHttpMethod(method, { hasBody: true, overrideExisting: true });
  }
  const inFlightBudget = options.inFlightBudget ?? Math.max(DEFAULT_IN_FLIGHT_BUDGET, 4 * options.bodyLimit);
  app.register(receiverPlugin, { ...options, inFlightBudget });
  // A sibling plugin: capture's body parser, hooks and error handler stay its own.
  if (options.routes) app.register(options.routes);

  async function listen(host: string, port: number): Promise<AddressInfo> {
    try {
      await app.listen({ host, port });
    } catch (error) {
      throw describeListenError(error, host, port);
    }
    return app.server.address() as AddressInfo;
  }

  return { app, listen, close: () => app.close() };
}

export type ReceiverServer = ReturnType<typeof createReceiverServer>;

function describeListenError(error: unknown, host: string, port: number): ListenError {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${host}:${port}`;
  const message =
    code === 'EADDRINUSE'
      ? `Port ${port} on ${host} is already in use (another Hooklens?). Choose another with --port, or --port 0 for a free one.`
      : code === 'EACCES'
        ? `Not allowed to listen on ${where}; ports below 1024 need privileges. Choose another with --port.`
        : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND'
          ? `Cannot listen on ${host}: no such address on this machine. Use --host 127.0.0.1.`
          : `Cannot listen on ${where}: ${(error as Error).message}`;
  return new ListenError(message, code, { cause: error });
}
