import { randomBytes } from 'node:crypto';
import type { DeliverySummary } from '../../shared/delivery';
import { DEFAULT_RESPONSE } from '../../shared/response-config';
import type { PruneResult, RetentionPolicy, StorageStatus } from '../../shared/storage';
import { DEFAULT_RECEIVER, createReceiverService, type ReceiverConfig } from '../inspector/receiver-service';
import { createStorageService } from '../inspector/storage-service';
import type { SigningSecret } from '../profile/signature';
import type { ReceiverTimeouts } from '../receiver/receiver-server';
import { openStore, type Store } from '../store/store';
import { reportProblemToStderr } from '../util/problem-report';
import { createSupervisor, type Supervisor } from '../util/supervisor';
import { TypedEmitter, type ListenerErrorReporter } from '../util/typed-emitter';
import type { BackgroundProblem } from '../../shared/background';
import { createFailureLimiter } from './failure-limiter';
import { STREAM_PATH } from './protocol';
import { createStreamHub, type SubscriberChange } from './stream-hub';
import { streamRoutes } from './stream-route';

export const DEFAULT_RELAY_PORT = 8790;
const DEFAULT_HEARTBEAT_MS = 15_000;
const DEFAULT_STALL_MS = 60_000;
/** How soon a token revoked by `hooklens relay token revoke` (another process) cuts its stream. */
const REVOCATION_CHECK_MS = 1_000;

export interface RelayConfig {
  dataDir: string;
  receiver?: Partial<ReceiverConfig>;
  /** Secrets the relay verifies against for its own records (subscribers verify with theirs). */
  runtimeSecrets?: { label: string; value: string }[];
  /** `--keep`: older deliveries are deleted; a subscriber further behind is told the gap. */
  retention?: RetentionPolicy;
  timeouts?: Partial<ReceiverTimeouts>;
  heartbeatMs?: number;
  stallMs?: number;
  /** Failed token attempts per client before it must wait (default 10, then one more every 6 s). */
  failures?: { burst: number; refillMs: number };
}

export interface RelayDeps {
  clock?: () => number;
  openStore?: (dataDir: string, hooks: { supervisor: Supervisor }) => Store;
  reportListenerError?: ListenerErrorReporter;
  reportProblem?: (task: string, problem: BackgroundProblem | null) => void;
}

export type RelayEvents = {
  delivery: DeliverySummary;
  subscriber: SubscriberChange;
  prune: PruneResult;
  storage: StorageStatus;
  'storage-error': { reason: string };
  'storage-recovered': Record<string, never>;
};

/**
 * `hooklens relay`: the receiver of `serve` (verify, commit, then answer; the same limits) on its
 * own port, plus the stream every subscribed Hooklens reads, from the same database. No UI and no
 * control API: tokens are managed by `hooklens relay token`, which writes the same database.
 */
export class Relay extends TypedEmitter<RelayEvents> {
  private readonly store: Store;
  private readonly supervisor: Supervisor;
  private readonly receiver;
  private readonly storage;
  private readonly hub;
  private readonly heartbeatMs: number;
  private timers: { stop: () => void }[] = [];
  /** Tokens that opened a stream since the last check, and when. */
  private readonly uses = new Map<number, number>();

  constructor(config: RelayConfig, deps: RelayDeps = {}) {
    super(deps.reportListenerError);
    const clock = deps.clock ?? Date.now;
    this.supervisor = createSupervisor({ clock, onProblem: deps.reportProblem ?? reportProblemToStderr });
    const supervisor = this.supervisor;
    // Nobody searches a relay: its commits skip search indexing.
    this.store = (deps.openStore ?? ((dir, hooks) => openStore(dir, { ...hooks, searchIndex: false })))(config.dataDir, { supervisor });
    const { store } = this;
    const relayId = (): string => store.settings.get<string>('relayId') ?? newRelayId(store);
    const secrets: SigningSecret[] = (config.runtimeSecrets ?? []).map((secret, index) => ({ id: `runtime-${index + 1}`, label: secret.label, value: secret.value }));
    const heartbeatMs = config.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;

    this.hub = createStreamHub({ source: store.relayStream, relayId, heartbeatMs, stallMs: config.stallMs ?? DEFAULT_STALL_MS, clock, onChange: (change) => this.emit('subscriber', change) });
    const limiter = createFailureLimiter({ burst: 10, refillMs: 6_000, ...config.failures, maxClients: 10_000, clock });
    this.receiver = createReceiverService({
      config: { ...DEFAULT_RECEIVER, port: DEFAULT_RELAY_PORT, ...config.receiver },
      response: DEFAULT_RESPONSE,
      store,
      clock,
      secrets: () => secrets,
      timeouts: config.timeouts,
      onDelivery: (delivery) => {
        this.hub.committed(delivery.id);
        this.emit('delivery', delivery);
      },
      onDeliveryUpdated: () => undefined,
      forwardPlan: () => ({ queueTo: null, mirror: false }),
      onStorageHealth: (reason) => {
        if (reason !== null) return this.emit('storage-error', { reason });
        // Storage works again; if it is another database now (the file was deleted), ids start over.
        if (store.relayStream.head() < this.hub.head()) this.hub.restart();
        this.emit('storage-recovered', {});
      },
      routes: streamRoutes({
        hub: this.hub,
        tokens: () => store.relayTokens.hashes(),
        // Noted in memory, written with the next revocation check: a commit per connection would
        // hold every answer for an fsync each time fifty subscribers come back at once.
        used: (tokenId) => void this.uses.set(tokenId, clock()),
        limiter,
      }),
    });
    this.storage = createStorageService({ store, clock, runPolicy: config.retention, onChange: (status) => this.emit('storage', status), onPruned: (result) => this.emit('prune', result), supervisor });
    this.heartbeatMs = heartbeatMs;
  }

  async start(): Promise<void> {
    await this.receiver.start();
    this.timers = [
      this.supervisor.every('relay heartbeats', this.heartbeatMs, () => this.hub.tick()),
      this.supervisor.every('relay tokens', REVOCATION_CHECK_MS, () => {
        this.hub.keepOnly(this.store.relayTokens.activeIds());
        this.noteUses();
      }),
    ];
    this.storage.start();
  }

  private noteUses(): void {
    if (this.uses.size === 0) return;
    this.store.relayTokens.used(this.uses);
    this.uses.clear();
  }

  /** Ends every stream (subscribers resume from their place later), then stops as `serve` does. */
  async stop(): Promise<void> {
    this.hub.close();
    await this.receiver.stop();
    for (const timer of this.timers) timer.stop();
    await this.supervisor.run('relay tokens', () => this.noteUses());
    await this.storage.stop();
    this.store.close();
    this.supervisor.close();
  }

  get receiverUrl(): string | null {
    return this.receiver.url();
  }

  /** Where subscribers connect: the receiver's address, the stream's path. */
  get streamUrl(): string | null {
    const url = this.receiver.url();
    return url === null ? null : `${new URL(url).origin}${STREAM_PATH}`;
  }

  get dbFile(): string {
    return this.store.file;
  }

  /** The deliveries the relay holds (tests and the CLI read what was stored). */
  get deliveries(): Store['deliveries'] {
    return this.store.deliveries;
  }

  getStorage(): StorageStatus {
    return this.storage.status();
  }

  subscribers(): number {
    return this.hub.count();
  }
}

function newRelayId(store: Store): string {
  const id = randomBytes(16).toString('hex');
  store.settings.put('relayId', id);
  return id;
}
