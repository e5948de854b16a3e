import type { FastifyError, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { formatBytes } from '../../shared/format-bytes';
import type { SigningSecret } from '../profile/signature';
import type { DeliverySummary } from '../../shared/delivery';
import type { NewDelivery } from '../store/deliveries-repository';
import type { CapturedRequest, ForwardPlan, MirrorAnswer } from '../sender/forwarder';
import { limitBodiesInFlight } from './bodies-in-flight';
import { bodyVerdict, judgeBody, newDelivery, NOT_FORWARDED_TOO_LARGE, tooLargeVerdict, type RequestFacts } from './delivery-record';
import { headerValues, readHeaders } from '../util/header-pairs';
import { responseStatusFor, type ResponseConfig } from '../../shared/response-config';

export interface ReceiverOptions {
  /** Capture path, e.g. /hooks/reviewsense; everything under it is captured too. */
  path: string;
  bodyLimit: number;
  /** Bytes of bodies held in memory at once, across all open requests; beyond it, 503. */
  inFlightBudget: number;
  clock: () => number;
  secrets: () => readonly SigningSecret[];
  response: () => ResponseConfig;
  /** Persists a delivery; resolves only once it is committed to disk. */
  record: (delivery: NewDelivery) => Promise<DeliverySummary>;
  /** The answer to a committed delivery never reached the client; the record must say so. */
  answerLost: (id: number, reason: string) => void;
  /** Whether a delivery committed now is queued for forwarding (its outbox row) or mirrored. */
  forwardPlan: () => ForwardPlan;
  /** Mirror mode: your app's answer to give instead of the configured one; null when not mirroring. */
  mirror?: (delivery: DeliverySummary, captured: CapturedRequest) => Promise<MirrorAnswer | null>;
  /** A mirrored delivery's answer is known (it may differ from the one recorded at commit): record it. */
  answered: (delivery: DeliverySummary, status: number) => void;
}

const EMPTY = Buffer.alloc(0);

/** Where a request arrived, as an origin: the receiver's own address and port (IPv6 in brackets). */
function originOf(address: string | undefined, port: number | undefined): string | null {
  if (!address || !port) return null;
  const host = address.startsWith('::ffff:') ? address.slice(7) : address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

const ANSWER_LOST =
  'The connection closed before this answer was sent, so the client never got it (it may have received an error for a malformed request sent after this one).';

/** Calls `lost` if the answer does not reach the client: the connection closes before it is sent. */
function whenAnswerLost(reply: FastifyReply, lost: () => void): void {
  const check = () => {
    if (!reply.raw.writableFinished) lost();
  };
  if (reply.raw.socket === null || reply.raw.socket.destroyed) check();
  else reply.raw.once('close', check);
}

function unavailable(reply: FastifyReply, reason: string): FastifyReply {
  return reply
    .code(503)
    .header('retry-after', '5')
    .send({ error: 'storage_unavailable', message: `Hooklens could not save this delivery (${reason}), so it is not acknowledged; ReviewSense will retry.` });
}

/**
 * Captures every request under `path`, byte-exact, verifies it, and answers only after the
 * delivery is committed. Registered by a server that owns listening; never listens itself.
 */
export const receiverPlugin: FastifyPluginCallback<ReceiverOptions> = (app, options, done) => {
  const capturePath = options.path.replace(/\/+$/, '') || '/';

  app.removeAllContentTypeParsers();
  // One parser for every body: raw bytes, whatever the Content-Type says.
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.bodyLimit }, (_request, body, parsed) => parsed(null, body));

  // Fastify answers 415 to a missing or malformed Content-Type before any parser runs.
  // The header as sent is kept in rawHeaders (what we store); this only routes the body to the parser above.
  app.addHook('onRequest', (request, _reply, next) => {
    request.headers['content-type'] = 'application/octet-stream';
    next();
  });
  limitBodiesInFlight(app, options.inFlightBudget, options.bodyLimit);

  function baseDelivery(request: FastifyRequest, receivedAt: number): RequestFacts {
    // Text to read and verify; the exact bytes too when some value is not ASCII.
    const { headers, rawHeaders } = readHeaders(request.raw.rawHeaders);
    return {
      receivedAt,
      method: request.raw.method ?? 'GET',
      path: request.raw.url ?? '/',
      headers,
      rawHeaders,
      contentType: headerValues(headers, 'content-type')[0] ?? null,
      remoteAddress: request.raw.socket.remoteAddress ?? null,
      receiverOrigin: originOf(request.raw.socket.localAddress, request.raw.socket.localPort),
    };
  }

  /** The app's answer, or 502 when forwarding it failed in any way: never a 500 from here. */
  async function mirrorAnswer(stored: DeliverySummary, captured: CapturedRequest): Promise<MirrorAnswer | null> {
    try {
      return (await options.mirror?.(stored, captured)) ?? null;
    } catch (error) {
      const message = `Hooklens stored this delivery but could not forward it to your app: ${(error as Error).message}`;
      return { status: 502, headers: [['Content-Type', 'application/json; charset=utf-8']], body: Buffer.from(JSON.stringify({ error: 'bad_gateway', message })) };
    }
  }

  async function capture(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const receivedAt = options.clock();
    const body = Buffer.isBuffer(request.body) ? request.body : EMPTY;
    const base = baseDelivery(request, receivedAt);
    const judged = judgeBody(body, base.headers, options.secrets(), options.bodyLimit);
    const { check } = judged;
    const config = options.response();
    const status = responseStatusFor(config, check.status);
    const plan = options.forwardPlan();

    let stored: DeliverySummary;
    try {
      stored = await options.record(newDelivery(base, bodyVerdict(body, judged, { status, forwardTo: plan.queueTo, answerPending: plan.mirror })));
    } catch (error) {
      return unavailable(reply, (error as { reason?: string }).reason ?? (error as Error).message);
    }

    whenAnswerLost(reply, () => options.answerLost(stored.id, ANSWER_LOST));
    // Mirror mode: ReviewSense gets your app's answer (502 when it cannot be reached).
    const mirrored = plan.mirror ? await mirrorAnswer(stored, { method: base.method, headers: base.rawHeaders ?? base.headers, body, signatureStatus: check.status }) : null;
    if (plan.mirror) options.answered(stored, mirrored?.status ?? status);
    if (mirrored) {
      // A header the app repeats (Link, Set-Cookie, …) keeps every value.
      const grouped = new Map<string, string[]>();
      for (const [name, value] of mirrored.headers) grouped.set(name.toLowerCase(), [...(grouped.get(name.toLowerCase()) ?? []), value]);
      for (const [name, values] of grouped) reply.header(name, values.length === 1 ? values[0] : values);
      return reply.code(mirrored.status).send(mirrored.body);
    }
    if (config.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.delayMs));
    if (config.body !== null) return reply.code(status).type(config.contentType).send(config.body);
    return reply.code(status).send({
      ok: status < 300,
      delivery: stored.id,
      signature: check.status,
      duplicateOf: stored.duplicateOf,
      // The diagnosis names secrets; this answer may travel through the tunnel to anyone.
      ...(status === 401 ? { error: 'The X-ReviewSense-Signature check failed. Hooklens shows why.' } : {}),
    });
  }

  /** A body over the limit is refused, but the attempt is recorded (headers and declared size). */
  async function recordTooLarge(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const base = baseDelivery(request, options.clock());
    const declared = Number(request.headers['content-length']);
    const size = Number.isFinite(declared) ? declared : 0;
    const rejection = Number.isFinite(declared)
      ? `Body of ${declared} bytes exceeds the ${formatBytes(options.bodyLimit)} limit; not stored.`
      : `Chunked body exceeded the ${formatBytes(options.bodyLimit)} limit; not stored.`;
    const plan = options.forwardPlan();
    try {
      // Nothing to forward, and an empty POST bearing the original signature would mislead.
      const note = plan.queueTo !== null || plan.mirror ? NOT_FORWARDED_TOO_LARGE : null;
      await options.record(newDelivery(base, tooLargeVerdict(base.headers, size, rejection, 413, note)));
    } catch {
      // Not stored either way; 413 is still the true answer and is never a 2xx.
    }
    return reply.code(413).header('connection', 'close').send({ error: 'payload_too_large', message: rejection });
  }

  app.setErrorHandler((error: FastifyError, request, reply) => {
    // Decided by the matched route, not the raw URL (which may be percent-encoded).
    const captured = request.routeOptions.url !== undefined && request.routeOptions.url.startsWith(capturePath);
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' && captured) return recordTooLarge(request, reply);
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status === 503) reply.header('retry-after', '5').header('connection', 'close');
    return reply.code(status).send({ error: error.code ?? 'error', message: error.message });
  });

  // Every method the server knows (set up by the server that registers this plugin).
  const methods = app.supportedMethods.filter((method) => method !== 'CONNECT');
  app.route({ method: methods, url: capturePath, handler: capture });
  app.route({ method: methods, url: capturePath === '/' ? '/*' : `${capturePath}/*`, handler: capture });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({
      error: 'not_found',
      message: `Hooklens captures webhooks at ${capturePath} (and below it); ${request.raw.method} ${request.raw.url} is outside it.`,
    });
  });
  done();
};

