import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyError, type FastifyReply } from 'fastify';
import { z } from 'zod';
import { API_CALLS, isApiCallName, validateCall, type ApiCalls, type ApiEventName } from '../../shared/api';
import { API_CALL_NAMES } from '../../shared/api-names';
import { callNameOfPath, CONTROL_EVENTS_PATH, CONTROL_EXPORTS_PREFIX, controlCallPath } from '../../shared/control-api';
import { UI_CSP } from '../../shared/csp';
import { ApiInputError } from '../../shared/validate';
import { createApiHandlers, describeError, forwardApiEvents } from '../api/api-handlers';
import type { Inspector } from '../inspector/inspector';
import { ListenError } from '../util/listen-error';
import { createRequestGuard } from './request-guard';
import { readRendererFile } from '../ui/renderer-files';

/** `/assets/index-BUsZf5Rg.js`: what the bundler writes, a hash of the content in the name. */
const HASHED_ASSET = /^\/assets\/[\w.-]+-[\w-]{8}\.(?:js|css)$/;

const HEARTBEAT_MS = 15_000;

export interface ControlServerOptions {
  inspector: Inspector;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  host?: string;
}

/**
 * The browser shell: serves the built UI and the `Api` contract (HTTP calls plus server-sent
 * events) on its own loopback port. It is never the receiver's port and never tunnelled.
 */
export function createControlServer(options: ControlServerOptions) {
  if (!existsSync(`${options.rendererDir}/index.html`)) {
    throw new Error(`The UI is not built (${options.rendererDir}/index.html is missing). Run \`npm run build\`.`);
  }
  const token = randomBytes(24).toString('base64url');
  const guard = createRequestGuard(token);
  const handlers = createApiHandlers(options.inspector);
  const host = options.host ?? '127.0.0.1';
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, forceCloseConnections: true });
  const streams = new Set<FastifyReply>();

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
    if (!guard.hostAllowed(request.headers.host)) return reply.code(421).send({ error: { name: 'ForbiddenHost', message: 'This server answers only to 127.0.0.1 and localhost.' } });
    if (!guard.originAllowed(request.headers.origin)) return reply.code(403).send({ error: { name: 'ForbiddenOrigin', message: 'Cross-origin requests are refused.' } });
    // Default deny, decided by the matched route (never by the raw URL, which may be
    // percent-encoded): only the static UI files are served without the token.
    if ((request.routeOptions.config as { public?: boolean } | undefined)?.public === true) return;
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const query = (request.query as { token?: string }).token;
    if (!guard.tokenValid(bearer ?? query)) return reply.code(401).send({ error: { name: 'Unauthorized', message: 'Missing or wrong token: open the URL Hooklens printed.' } });
  });

  // Each call's route validates its body with the contract's own schema, so a bad argument gets
  // the same one-sentence error here as over IPC.
  app.setValidatorCompiler(({ url }) => {
    const name = callNameOfPath(url);
    if (!isApiCallName(name)) throw new Error(`No contract call behind ${url}.`);
    return (body: unknown) => {
      try {
        return { value: { args: validateCall(name, (body as { args?: unknown } | null)?.args ?? []) } };
      } catch (error) {
        return { error: error as Error };
      }
    };
  });
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error instanceof ApiInputError ? 400 : error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    return reply.code(status).send({ error: describeError(error) });
  });

  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: { name: 'NotFound', message: `Nothing at ${request.method} ${request.url.split('?')[0]}.` } }));

  for (const name of API_CALL_NAMES) {
    const schema = { body: z.toJSONSchema(z.object({ args: API_CALLS[name].args }), { io: 'input', unrepresentable: 'any' }) };
    const handler = handlers[name] as (...args: unknown[]) => ReturnType<ApiCalls[typeof name]>;
    app.post<{ Body: { args: unknown[] } }>(controlCallPath(name), { schema }, async (request) => ({ result: (await handler(...request.body.args)) ?? null }));
  }

  app.get(CONTROL_EVENTS_PATH, (request, reply) => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-content-type-options': 'nosniff' });
    raw.write(': connected\n\n');
    const send = (event: ApiEventName, payload: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    const unsubscribe = forwardApiEvents(options.inspector, send);
    const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), HEARTBEAT_MS);
    streams.add(reply);
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(reply);
    });
  });

  app.get<{ Params: { name: string } }>(`${CONTROL_EXPORTS_PREFIX}:name`, async (request, reply) => {
    const file = options.inspector.exportFile(request.params.name);
    if (!file || !existsSync(file)) return reply.code(404).send({ error: { name: 'NotFound', message: 'No such export (it may still be running).' } });
    reply.header('content-disposition', `attachment; filename="${request.params.name}"`);
    return reply.type('application/octet-stream').send(createReadStream(file));
  });

  app.get('/*', { config: { public: true } }, async (request, reply) => {
    const file = await readRendererFile(options.rendererDir, request.url);
    if (!file) return reply.code(404).send({ error: { name: 'NotFound', message: 'Not found.' } });
    if (file.type.startsWith('text/html')) reply.header('content-security-policy', UI_CSP);
    // A built script or stylesheet is named by a hash of its content: the browser may keep it, and
    // V8 its compiled code, so a reload does not parse ~400 kB again. The page itself (it takes the
    // token) and anything else stay no-store.
    else if (HASHED_ASSET.test(request.url)) reply.header('cache-control', 'public, max-age=31536000, immutable');
    return reply.type(file.type).send(file.body);
  });

  let url: string | null = null;

  async function listen(port: number): Promise<string> {
    try {
      await app.listen({ host, port });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ListenError(
        code === 'EADDRINUSE' ? `UI port ${port} is already in use. Choose another with --ui-port (0 picks a free one), or pass --no-ui.` : `Cannot serve the UI on ${host}:${port}: ${(error as Error).message}`,
        code,
        { cause: error },
      );
    }
    const bound = (app.server.address() as AddressInfo).port;
    guard.bind(bound);
    // No replay, forward or test event may be aimed at this API.
    options.inspector.protectControlPort(bound);
    url = `http://127.0.0.1:${bound}/?token=${token}`;
    return url;
  }

  async function close(): Promise<void> {
    for (const stream of streams) stream.raw.end();
    await app.close();
  }

  return { app, listen, close, token, url: () => url };
}

export type ControlServer = ReturnType<typeof createControlServer>;
