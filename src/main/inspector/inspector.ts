import type { AppStatus, DeliveryView, ReceiverInfo, SecretInfo } from '../../shared/api';
import type { Attempt } from '../../shared/attempt';
import type { DeliveryFilter, DeliverySummary } from '../../shared/delivery';
import { DEFAULT_RESPONSE, validateResponseConfig, type ResponseConfig } from '../../shared/response-config';
import type { TunnelSettings, TunnelStatus } from '../../shared/tunnel-status';
import { sign, type SigningSecret } from '../profile/signature';
import { createReceiverServer, type ReceiverServer, type ReceiverTimeouts } from '../receiver/receiver-server';
import { createFileKeyCipher } from '../secrets/file-key-cipher';
import { createSecretRing, type SecretRing } from '../secrets/secret-ring';
import type { InsertedDelivery, NewDelivery } from '../store/deliveries-repository';
import { StorageUnavailableError } from '../store/delivery-writer';
import type { SecretCipher } from '../store/secrets-repository';
import { openStore, type Store } from '../store/store';
import type { TunnelFactory } from '../tunnel/tunnel';
import { createTunnelConfig, type TunnelConfig } from '../tunnel/tunnel-config';
import { TunnelController } from '../tunnel/tunnel-controller';
import { TypedEmitter } from '../util/typed-emitter';

export interface InspectorEvents extends Record<string, unknown> {
  /** A delivery was committed (its answer, if any, follows). */
  delivery: DeliverySummary;
  /** An outgoing request (replay, forward, send) finished. */
  attempt: Attempt;
  tunnel: TunnelStatus;
  /** Something the status bar shows changed (receiver, secrets, storage health). */
  status: AppStatus;
  /** Storage refused a write; deliveries are answered 503 until it recovers. */
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
  /** Tunnel options given for this run (NGROK_AUTHTOKEN, --ngrok-domain); they win over saved ones. */
  tunnel?: { authtoken?: string; domain?: string; serverAddr?: string; connectTimeoutMs?: number };
}

export interface InspectorDeps {
  clock?: () => number;
  /** Seals saved secrets (the desktop shell passes the OS keychain; default: a key file). */
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
  private receiverConfig: ReceiverConfig;
  private responseConfig: ResponseConfig;
  private readonly secrets: SecretRing;
  private readonly cipher: SecretCipher;
  private readonly tunnelConfig: TunnelConfig;
  private readonly tunnelController: TunnelController;
  private receiver: ReceiverServer | null = null;
  private boundPort: number | null = null;
  private storageError: string | null = null;

  constructor(
    private readonly config: InspectorConfig,
    deps: InspectorDeps = {},
  ) {
    super();
    this.clock = deps.clock ?? Date.now;
    this.receiverConfig = { ...DEFAULT_RECEIVER, ...config.receiver };
    this.responseConfig = checkedResponse({ ...DEFAULT_RESPONSE, ...config.response });
    this.store = openStore(config.dataDir, { nativeBinding: deps.nativeBinding });
    this.cipher = deps.secretCipher ?? createFileKeyCipher(config.dataDir);
    this.secrets = createSecretRing({
      repository: this.store.secrets,
      cipher: this.cipher,
      runtime: config.runtimeSecrets ?? [],
      clock: this.clock,
      onChange: () => this.emitStatus(),
    });
    this.tunnelConfig = createTunnelConfig({ settings: this.store.settings, cipher: this.cipher, given: config.tunnel ?? {} });
    this.tunnelController = new TunnelController(deps.tunnelFactory ?? null, () => this.tunnelConfig.options(), config.tunnel?.connectTimeoutMs);
    let previousState = this.tunnelController.status.state;
    this.tunnelController.on('status', (status) => {
      // Only a fresh connection can bring a new URL; a reconnect keeps the notice as it was.
      if (status.state === 'online' && previousState === 'connecting') this.tunnelConfig.noteWebhookUrl(this.withWebhookUrl(status).webhookUrl);
      previousState = status.state;
      this.emit('tunnel', this.tunnel);
      this.emitStatus();
    });
  }

  get dbFile(): string {
    return this.store.file;
  }

  /** The URL deliveries are captured at, once listening. */
  get receiverUrl(): string | null {
    if (this.boundPort === null) return null;
    const { host, path } = this.receiverConfig;
    const shown = loopbackFor(host);
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
    await this.tunnelController.stop();
    await this.stopReceiver();
    this.store.close();
  }

  private async stopReceiver(): Promise<void> {
    const receiver = this.receiver;
    this.receiver = null;
    this.boundPort = null;
    if (receiver) await receiver.close();
  }

  /** Moves the receiver; on failure the old address is restored and the error rethrown. */
  async reconfigureReceiver(change: { port: number; path: string }): Promise<ReceiverInfo> {
    const previous = this.receiverConfig;
    const previousPort = this.boundPort ?? previous.port;
    await this.stopReceiver();
    this.receiverConfig = { ...previous, ...change };
    try {
      await this.start();
    } catch (error) {
      this.receiverConfig = { ...previous, port: previousPort };
      await this.start();
      throw error;
    }
    this.tunnelController.retarget(this.tunnelTarget());
    // Remembered for the desktop app's next start (the CLI's flags always win).
    this.store.settings.put('receiver', change);
    this.emitStatus();
    return this.receiverInfo();
  }

  signingSecrets(): SigningSecret[] {
    return this.secrets.signing();
  }

  /** How saved secrets are protected here, and whether any cannot be used. */
  secretStorage(): AppStatus['secretStorage'] {
    return this.secrets.storage();
  }

  listSecrets(): SecretInfo[] {
    return this.secrets.list();
  }

  addSecret(label: string, value: string): SecretInfo[] {
    return this.secrets.add(label, value);
  }

  rotateSecret(value: string): SecretInfo[] {
    return this.secrets.rotate(value);
  }

  relabelSecret(id: string, label: string): SecretInfo[] {
    return this.secrets.relabel(id, label);
  }

  setSecretRetired(id: string, retired: boolean): SecretInfo[] {
    return this.secrets.setRetired(id, retired);
  }

  removeSecret(id: string): SecretInfo[] {
    return this.secrets.remove(id);
  }

  get response(): ResponseConfig {
    return this.responseConfig;
  }

  setResponse(config: ResponseConfig): ResponseConfig {
    this.responseConfig = checkedResponse({ ...config });
    this.store.settings.put('response', this.responseConfig);
    return this.responseConfig;
  }

  get tunnel(): TunnelStatus {
    const status = this.withWebhookUrl(this.tunnelController.status);
    return status.state === 'online' ? { ...status, notice: this.tunnelConfig.notice() } : status;
  }

  tunnelSettings(): TunnelSettings {
    return this.tunnelConfig.view();
  }

  setTunnelSettings(change: { authtoken?: string | null; domain?: string | null }): TunnelSettings {
    return this.tunnelConfig.update(change);
  }

  async startTunnel(): Promise<TunnelStatus> {
    if (this.boundPort === null) throw new Error('Start the receiver before the tunnel.');
    await this.tunnelController.start(this.tunnelTarget());
    return this.tunnel;
  }

  async stopTunnel(): Promise<TunnelStatus> {
    await this.tunnelController.stop();
    return this.tunnel;
  }

  listDeliveries(filter?: DeliveryFilter): DeliverySummary[] {
    return this.store.deliveries.list(filter);
  }

  getDelivery(id: number) {
    return this.store.deliveries.get(id);
  }

  deliveryView(id: number): DeliveryView | null {
    const stored = this.store.deliveries.get(id);
    if (!stored) return null;
    // Computed now, never stored: a database holding valid signatures for any body a stranger
    // sent would let its reader forge deliveries.
    const secret = this.signingSecrets().find((candidate) => !candidate.retired);
    const signatureExpected = secret && stored.bodyBase64 !== null ? sign(secret.value, Buffer.from(stored.bodyBase64, 'base64')) : null;
    const delivery = { ...stored, signatureExpected };
    return {
      delivery,
      related: delivery.eventId ? this.store.deliveries.ofEvent(delivery.eventId) : [],
      attempts: this.store.attempts.ofDelivery(id),
    };
  }

  deleteDelivery(id: number): boolean {
    const removed = this.store.deliveries.remove(id);
    if (removed) this.emitStatus();
    return removed;
  }

  clearDeliveries(): number {
    const removed = this.store.deliveries.clear();
    this.emitStatus();
    return removed;
  }

  receiverInfo(): ReceiverInfo {
    const { host, path, bodyLimit } = this.receiverConfig;
    return { url: this.receiverUrl, host, port: this.boundPort, path, bodyLimit };
  }

  status(): AppStatus {
    return {
      receiver: this.receiverInfo(),
      tunnel: this.tunnel,
      counts: this.store.deliveries.counts(),
      storageError: this.storageError,
      secretStorage: this.secretStorage(),
      dbFile: this.dbFile,
    };
  }

  private emitStatus(): void {
    this.emit('status', this.status());
  }

  private tunnelTarget(): { host: string; port: number } {
    return { host: loopbackFor(this.receiverConfig.host), port: this.boundPort ?? this.receiverConfig.port };
  }

  /** The URL to paste into the dashboard is the tunnel's address plus the capture path. */
  private withWebhookUrl(status: TunnelStatus): TunnelStatus {
    return { ...status, webhookUrl: status.url ? `${status.url.replace(/\/+$/, '')}${this.receiverConfig.path}` : null };
  }

  private async record(delivery: NewDelivery): Promise<InsertedDelivery> {
    let inserted: InsertedDelivery;
    try {
      inserted = await this.store.writeDelivery(delivery);
    } catch (error) {
      if (error instanceof StorageUnavailableError && this.storageError === null) {
        this.storageError = error.reason;
        this.emit('storage-error', { reason: error.reason });
        this.emitStatus();
      }
      throw error;
    }
    if (this.storageError !== null) {
      this.storageError = null;
      this.emit('storage-recovered', {});
      this.emitStatus();
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

/** A wildcard bind address is reached on this machine through loopback. */
function loopbackFor(host: string): string {
  return host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
}

function checkedResponse(config: ResponseConfig): ResponseConfig {
  const problem = validateResponseConfig(config);
  if (problem) throw new RangeError(`Invalid response setting: ${problem}.`);
  return config;
}
