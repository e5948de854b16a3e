/**
 * A second baseline: Hooklens's own receiver (Fastify, the capture plugin, signature check,
 * envelope parsing, the answer) with nothing stored: deliveries are "recorded" a turn later. The
 * CPU it uses per request is what the HTTP stack and verification cost before SQLite, search
 * indexing and the feed add theirs, so it bounds what any storage change can reach.
 * FLOOR_STORE=rows (or =indexed) with FLOOR_DATA_DIR commits each delivery through the real store
 * instead, without (or with) search indexing: the steps between that floor and `serve`, measured
 * apart, so the bench can say which of them the CPU a delivery goes to.
 * Runs as its own process and prints one JSON ready line, like `hooklens serve --json`.
 */
import type { AddressInfo } from 'node:net';
import { createReceiverServer } from '../src/main/receiver/receiver-server';
import { DEFAULT_RECEIVER } from '../src/main/inspector/receiver-service';
import { DEFAULT_RESPONSE } from '../src/shared/response-config';
import type { DeliverySummary } from '../src/shared/delivery';
import type { NewDelivery } from '../src/main/store/deliveries-repository';
import { openStore, type Store } from '../src/main/store/store';

// As bin/hooklens.js does for serve, so the launcher's tuning is not part of the difference; what
// differs is serve's work after the check: the commit, search indexing, the feed's events and log lines.
(require('../bin/young-generation') as { capYoungGeneration: () => void }).capYoungGeneration();

const secret = process.env.FLOOR_SECRET;
if (!secret) throw new Error('FLOOR_SECRET is required');
const storing = process.env.FLOOR_STORE;
if (storing !== undefined && storing !== 'rows' && storing !== 'indexed') throw new Error(`FLOOR_STORE must be rows or indexed, got ${storing}`);
const dataDir = process.env.FLOOR_DATA_DIR;
if (storing && !dataDir) throw new Error('FLOOR_STORE needs FLOOR_DATA_DIR');
const store: Store | null = storing && dataDir ? openStore(dataDir, { searchIndex: storing === 'indexed' }) : null;

let nextId = 1;
function unsaved(delivery: NewDelivery): DeliverySummary {
  return {
    id: nextId++,
    receivedAt: delivery.receivedAt,
    method: delivery.method,
    path: delivery.path,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    signatureStatus: delivery.signatureStatus,
    duplicateOf: null,
    deliveryNumber: 1,
    unverifiedClaim: false,
    responseStatus: delivery.responseStatus,
    answerLost: null,
    bodySize: delivery.bodySize,
    contentType: delivery.contentType,
    rejection: delivery.rejection,
    lastAttempt: null,
    imported: false,
    forwardQueued: false,
    forwardNote: null,
  };
}

/**
 * Settles every delivery of an event-loop turn together, one turn later, as the delivery
 * writer's group commit does: answers then leave in the same bursts as serve's.
 */
let turn: (() => void)[] = [];
function afterThisTurn(settle: () => void): void {
  if (turn.length === 0) {
    setImmediate(() => {
      const settling = turn;
      turn = [];
      for (const each of settling) each();
    });
  }
  turn.push(settle);
}

const server = createReceiverServer({
  path: DEFAULT_RECEIVER.path,
  bodyLimit: DEFAULT_RECEIVER.bodyLimit,
  clock: Date.now,
  secrets: () => [{ id: 'bench', label: 'bench', value: secret }],
  response: () => DEFAULT_RESPONSE,
  record: (delivery) => (store ? store.writeDelivery(delivery) : new Promise((resolve) => afterThisTurn(() => resolve(unsaved(delivery))))),
  answerLost: () => undefined,
  answered: () => undefined,
  forwardPlan: () => ({ queueTo: null, mirror: false }),
});

server.listen('127.0.0.1', 0).then((address: AddressInfo) => {
  process.stdout.write(`${JSON.stringify({ event: 'ready', receiverUrl: `http://127.0.0.1:${address.port}${DEFAULT_RECEIVER.path}` })}\n`);
});

process.on('SIGTERM', () => {
  void server.close().then(() => {
    store?.close();
    process.exit(0);
  });
  setTimeout(() => process.exit(0), 1000).unref();
});
