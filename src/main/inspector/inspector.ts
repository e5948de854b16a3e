import type { Attempt } from '../../shared/attempt';
import type { DeliveryFilter, DeliverySummary } from '../../shared/delivery';
import { TUNNEL_OFF, type TunnelStatus } from '../../shared/tunnel-status';
import { fingerprint, type SigningSecret } from '../profile/signature';
import { createReceiverServer, type ReceiverServer, type ReceiverTimeouts } from '../receiver/receiver-server';
import { DEFAULT_RESPONSE, validateResponseConfig, type ResponseConfig } from '../receiver/response-config';
import type { InsertedDelivery, NewDelivery } from '../store/deliveries-repository';
import { StorageUnavailableError } from '../store/delivery-writer';
import type { SecretCipher } from '../store/secrets-repository';
import { openStore, type Store } from '../store/store';
import type { TunnelFactory } from '../tunnel/tunnel';
import { TypedEmitter } from '../util/typed-emitter';

export interface InspectorEvents extends Record<string, unknown> {
  /** A delivery was committed (its 2xx, if any, follows). */
  delivery: DeliverySummary;
  /** An outgoing request (replay, forward, send) finished. */
  attempt: Attempt;
  tunnel: TunnelStatus;
  /** Storage refused a write; deliveries are being answered 503 until it recovers. */
  'storage-error': { reason: string };
  'storage-recovered': Record<string, never>;
}

export interface ReceiverConfig {
  host: string;
  port: number;
  path: string;
  bodyLimit: number;
}

export const DEFAULT_RECEIVER: ReceiverConfig = { host: '127.0.0.1', port: 8787, path: '/hooks/reviewsense', bodyLimit: 5 * 1024 * 1024 };

export interface InspectorConfig {
  dataDir: string;
  receiver?: Partial<ReceiverConfig>;
  /** Secrets given for this run only (CLI flags, environment); never written to disk. */
  runtimeSecrets?: { label: string; value: string }[];
  response?: ResponseConfig;
  timeouts?: Partial<ReceiverTimeouts>;
}

export interface InspectorDeps {
  clock?: () => number;
  /** Seals stored secrets (the desktop shell passes the OS keychain). */
  secretCipher?: SecretCipher;
  tunnelFactory?: TunnelFactory;
  /** better-sqlite3 binding for a runtime other than Node (Electron). */
  nativeBinding?: string;
}

/**
 * The composition root: one object that owns the store, the receiver and the tunnel, and
 * emits typed events. The CLI, the browser shell and the Electron shell all drive this.
 */
export class Inspector extends TypedEmitter<InspectorEvents> {
  readonly store: Store;
  private readonly clock: () => number;
  private readonly receiverConfig: ReceiverConfig;
  private responseConfig: ResponseConfig;
  private readonly runtimeSecrets: SigningSecret[];
  private receiver: ReceiverServer | null = null;
  private boundPort: number | null = null;
  private storageFailing = false;
  private tunnelStatus: TunnelStatus = TUNNEL_OFF;

  constructor(
    private readonly config: InspectorConfig,
    private readonly deps: InspectorDeps = {},
  ) {
    super();
    this.clock = deps.clock ?? Date.now;
    this.receiverConfig = { ...DEFAULT_RECEIVER, ...config.receiver };
    this.responseConfig = { ...DEFAULT_RESPONSE, ...config.response };
    const problem = validateResponseConfig(this.responseConfig);
    if (problem) throw new RangeError(`Invalid response setting: ${problem}.`);
    this.runtimeSecrets = (config.runtimeSecrets ?? []).map((secret, index) => ({
      id: `runtime-${index + 1}`,
      label: secret.label,
      value: secret.value,
    }));
    this.store = openStore(config.dataDir, { nativeBinding: deps.nativeBinding });
  }

  get dbFile(): string {
    return this.store.file;
  }

  /** The URL deliveries are captured at, once listening. */
  get receiverUrl(): string | null {
    if (this.boundPort === null) return null;
    const { host, path } = this.receiverConfig;
    const shown = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
    return `http://${shown.includes(':') ? `[${shown}]` : shown}:${this.boundPort}${path}`;
  }

  get receiverPort(): number | null {
    return this.boundPort;
  }

  async start(): Promise<void> {
    if (this.receiver) return;
    const { host, port, path, bodyLimit } = this.receiverConfig;
    const receiver = createReceiverServer({
      path,
      bodyLimit,
      clock: this.clock,
      secrets: () => this.signingSecrets(),
      response: () => this.responseConfig,
      record: (delivery) => this.record(delivery),
      timeouts: this.config.timeouts,
    });
    const address = await receiver.listen(host, port);
    this.receiver = receiver;
    this.boundPort = address.port;
  }

  /** Stops accepting, lets in-flight deliveries finish and commit, then closes the database. */
  async stop(): Promise<void> {
    const receiver = this.receiver;
    this.receiver = null;
    if (receiver) await receiver.close();
    this.store.close();
  }

  signingSecrets(): SigningSecret[] {
    return this.runtimeSecrets;
  }

  listSecrets(): { id: string; label: string; fingerprint: string; source: 'runtime' }[] {
    return this.runtimeSecrets.map((secret) => ({ id: secret.id, label: secret.label, fingerprint: fingerprint(secret.value), source: 'runtime' }));
  }

  get response(): ResponseConfig {
    return this.responseConfig;
  }

  setResponse(config: ResponseConfig): void {
    const problem = validateResponseConfig(config);
    if (problem) throw new RangeError(`Invalid response setting: ${problem}.`);
    this.responseConfig = { ...config };
  }

  get tunnel(): TunnelStatus {
    return this.tunnelStatus;
  }

  listDeliveries(filter?: DeliveryFilter): DeliverySummary[] {
    return this.store.deliveries.list(filter);
  }

  getDelivery(id: number) {
    return this.store.deliveries.get(id);
  }

  private async record(delivery: NewDelivery): Promise<InsertedDelivery> {
    let inserted: InsertedDelivery;
    try {
      inserted = await this.store.writeDelivery(delivery);
    } catch (error) {
      if (error instanceof StorageUnavailableError && !this.storageFailing) {
        this.storageFailing = true;
        this.emit('storage-error', { reason: error.reason });
      }
      throw error;
    }
    if (this.storageFailing) {
      this.storageFailing = false;
      this.emit('storage-recovered', {});
    }
    this.emit('delivery', {
      id: inserted.id,
      receivedAt: delivery.receivedAt,
      method: delivery.method,
      path: delivery.path,
      eventId: delivery.eventId,
      eventType: delivery.eventType,
      signatureStatus: delivery.signatureStatus,
      duplicateOf: inserted.duplicateOf,
      deliveryNumber: inserted.deliveryNumber,
      responseStatus: delivery.responseStatus,
      bodySize: delivery.bodySize,
      contentType: delivery.contentType,
      rejection: delivery.rejection,
    });
    return inserted;
  }
}
