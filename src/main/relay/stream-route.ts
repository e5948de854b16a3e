import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { RelayTokenHash } from '../store/relay-tokens-repository';
import { clientKey, type createFailureLimiter } from './failure-limiter';
import { STREAM_PATH } from './protocol';
import type { StreamHub } from './stream-hub';
import { checkToken } from './tokens';

export interface StreamRouteOptions {
  hub: StreamHub;
  /** Every token's hash, read at each attempt (tokens are added and revoked by another process). */
  tokens: () => RelayTokenHash[];
  /** A token opened a stream (its last use, for `relay token list`). */
  used: (tokenId: number) => void;
  limiter: ReturnType<typeof createFailureLimiter>;
}

const LAST_EVENT_ID = /^(0|[1-9]\d{0,15})$/;
const CHALLENGE = 'Bearer realm="hooklens-relay"';

function refuse(reply: FastifyReply, status: number, error: string, message: string): FastifyReply {
  return reply.code(status).send({ error, message });
}

/** `Authorization: Bearer <token>`, or null. */
function bearer(header: string | undefined): string | null {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/**
 * `GET /relay/v1/stream`: the relay's only route besides capture. Who asks is checked before
 * anything is streamed — a client with too many failed tokens is refused (429) before its token is
 * looked at; no or a wrong token is 401; a bad Last-Event-ID, 400 — then the hub streams.
 */
export function streamRoutes(options: StreamRouteOptions): FastifyPluginCallback {
  return (app, _options, done) => {
    // Only GET, and no body: refused before any of a body is read.
    app.addHook('onRequest', (request, reply, next) => {
      if (request.method !== 'GET') {
        reply.header('allow', 'GET').header('connection', 'close');
        return void refuse(reply, 405, 'method_not_allowed', `Subscribe with GET ${STREAM_PATH}, not ${request.method}.`);
      }
      const length = request.headers['content-length'];
      if ((length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined) {
        reply.header('connection', 'close');
        return void refuse(reply, 400, 'body_not_allowed', 'The relay stream takes no request body.');
      }
      next();
    });

    function stream(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
      const key = clientKey(request.raw.socket.remoteAddress, request.headers['x-forwarded-for']);
      const waitMs = options.limiter.waitMs(key);
      if (waitMs > 0) {
        reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
        return refuse(reply, 429, 'too_many_failures', 'Too many attempts with a wrong token from this address; wait before trying again.');
      }
      const token = bearer(request.headers.authorization);
      if (token === null) {
        options.limiter.failed(key);
        return refuse(reply.header('www-authenticate', CHALLENGE), 401, 'no_token', 'Send your relay token as "Authorization: Bearer <token>" (the relay\'s admin makes one with: hooklens relay token add NAME).');
      }
      const checked = checkToken(token, options.tokens());
      if (!checked.ok) {
        options.limiter.failed(key);
        const message = checked.revoked !== null ? `The token "${checked.revoked}" was revoked on this relay; ask its admin for a new one.` : 'This token is not one of the relay\'s; check it, or ask the relay\'s admin for one.';
        return refuse(reply.header('www-authenticate', CHALLENGE), 401, checked.revoked !== null ? 'token_revoked' : 'wrong_token', message);
      }
      const given = request.headers['last-event-id'];
      // Sent twice, it is two claims: neither is taken.
      const lastEventId = Array.isArray(given) ? given.join(', ') : given;
      if (lastEventId !== undefined && !LAST_EVENT_ID.test(lastEventId.trim())) {
        return refuse(reply, 400, 'bad_last_event_id', `Last-Event-ID must be a delivery id (a whole number, 0 for everything kept), got "${lastEventId.slice(0, 40)}".`);
      }
      const after = lastEventId === undefined ? null : Number(lastEventId.trim());
      if (after !== null && !Number.isSafeInteger(after)) return refuse(reply, 400, 'bad_last_event_id', 'Last-Event-ID is too large to be a delivery id.');
      options.used(checked.id);
      reply.hijack();
      options.hub.open(reply.raw, { tokenId: checked.id, name: checked.name }, after);
      return undefined;
    }

    app.route({ method: app.supportedMethods.filter((method) => method !== 'CONNECT'), url: STREAM_PATH, handler: stream });
    done();
  };
}
