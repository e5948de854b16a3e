import type { AppStatus, DeliveryView, OutgoingSettings, ReceiverInfo, SavedTemplate, SecretInfo, SignaturePreview } from '../../shared/api';
import type { Attempt } from '../../shared/attempt';
import type { ForwardingSettings, ForwardingStatus } from '../../shared/outgoing';
import type { SimulationStatus } from '../../shared/simulation';
import type { EventType } from '../../shared/reviewsense/catalogue';
import type { DeliveryFilter, DeliverySummary } from '../../shared/delivery';
import type { RetentionPolicy, StorageStatus } from '../../shared/storage';
import { DEFAULT_RESPONSE, type ResponseConfig } from '../../shared/response-config';
import type { TunnelSettings, TunnelStatus, WebhookUrl } from '../../shared/tunnel-status';
import type { SigningSecret } from '../profile/signature';
import { createFileKeyCipher } from '../secrets/file-key-cipher';
import { createSecretRing } from '../secrets/secret-ring';
import { openStore, type Store } from '../store/store';
import { reportToStderr, TypedEmitter } from '../util/typed-emitter';
import { createSupervisor, type Supervisor } from '../util/supervisor';
import { reportProblemToStderr } from '../util/problem-report';
import { deliveryView } from './delivery-view';
import { createExportsService, type ExportRequest } from './exports-service';
import { createReceiverService, DEFAULT_RECEIVER, type ReceiverConfig } from './receiver-service';
import type { SimulationRequest } from './handler-checks';
import { createOutgoingService, type ReplayRequest, type TestEventRequest } from './outgoing-service';
import type { InspectorCalls, InspectorConfig, InspectorDeps, InspectorEvents, StartReport } from './inspector-types';
import { readSavedSettings } from './saved-settings';
import { createStorageService } from './storage-service';
import { createTunnelService } from './tunnel-service';

export { DEFAULT_RECEIVER, type ReceiverConfig };
export type { InspectorCalls, InspectorConfig, InspectorDeps, InspectorEvents, StartReport } from './inspector-types';

/**
 * The composition root: builds the store, the receiver and tunnel services and the secret ring
 * from injected parts, and exposes the contract's calls and events. It does no work itself;
 * the CLI, the browser shell and the Electron shell all drive this one object.
 */
export class Inspector extends TypedEmitter<InspectorEvents> implements InspectorCalls {
  private readonly store: Store;
  private readonly supervisor: Supervisor;
  private readonly receiver;
  private readonly tunnel;
  private readonly secrets;
  private readonly outgoing;
  private readonly exports;
  private readonly storage;
  private readonly savedReceiver: { port: number; path: string } | undefined;
  private readonly controlPorts: number[] = [];

  constructor(config: InspectorConfig, deps: InspectorDeps = {}) {
    super(deps.reportListenerError);
    const clock = deps.clock ?? Date.now;
    this.supervisor = createSupervisor({
      clock,
      onProblem: (task, problem) => {
        (deps.reportProblem ?? reportProblemToStderr)(task, problem);
        this.emit('problem', { task, problem });
        this.emitStatus();
      },
    });
    this.store = (deps.openStore ?? ((dir, hooks) => openStore(dir, { nativeBinding: deps.nativeBinding, ...hooks })))(config.dataDir, { supervisor: this.supervisor });
    const saved = config.restoreSettings ? readSavedSettings(this.store.settings) : {};
    this.savedReceiver = saved.receiver;
    const cipher = deps.secretCipher ?? createFileKeyCipher(config.dataDir);
    this.secrets = createSecretRing({
      repository: this.store.secrets,
      cipher,
      runtime: config.runtimeSecrets ?? [],
      clock,
      onChange: () => this.emitStatus(),
    });
    this.receiver = createReceiverService({
      config: { ...DEFAULT_RECEIVER, ...config.receiver },
      response: saved.response ?? { ...DEFAULT_RESPONSE, ...config.response },
      store: this.store,
      clock,
      secrets: () => this.secrets.signing(),
      timeouts: config.timeouts,
      onDelivery: (delivery) => {
        this.emit('delivery', delivery);
        // Its outbox row was committed with it; the forwarder sends it when its turn comes.
        if (delivery.forwardQueued) this.outgoing.forwarder.committed();
      },
      onDeliveryUpdated: (delivery) => this.emit('delivery-updated', delivery),
      forwardPlan: () => this.outgoing.forwarder.plan(),
      mirror: (delivery, captured) => this.outgoing.forwarder.mirror(delivery.id, captured),
      onStorageHealth: (reason) => {
        if (reason === null) this.emit('storage-recovered', {});
        else this.emit('storage-error', { reason });
        this.emitStatus();
      },
    });
    this.outgoing = createOutgoingService({
      store: this.store,
      clock,
      secrets: () => this.secrets.signing(),
      currentSecret: () => this.secrets.current(),
      allowHosts: config.allowHosts ?? [],
      controlPorts: () => this.controlPorts,
      receiver: { url: () => this.receiver.url(), port: () => this.receiver.info().port },
      onAttempt: (attempt) => this.emit('attempt', attempt),
      onForwarding: (status) => this.emit('forwarding', status),
      onCheck: (progress) => this.emit('check', progress),
      onSimulation: (status) => this.emit('simulation', status),
      supervisor: this.supervisor,
    });
    if (config.forwarding) this.outgoing.forwardForRun(config.forwarding);
    else if (config.restoreSettings) this.outgoing.restoreForwarding();
    this.exports = createExportsService({
      store: this.store,
      dataDir: config.dataDir,
      origin: () => new URL(this.receiver.url() ?? 'http://localhost:8787/').origin,
      version: config.version ?? '0.0.0',
      clock,
      onProgress: (progress) => this.emit('export', progress),
      supervisor: this.supervisor,
    });
    this.storage = createStorageService({
      store: this.store,
      clock,
      runPolicy: config.retention,
      onChange: (status) => this.emit('storage', status),
      onPruned: (result) => {
        this.emit('prune', result);
        if (result.deleted > 0) this.emitStatus();
      },
      supervisor: this.supervisor,
    });
    this.tunnel = createTunnelService({
      factory: deps.tunnelFactory ?? null,
      settings: this.store.settings,
      cipher,
      given: config.tunnel ?? {},
      receiver: this.receiver,
      onStatus: (status) => {
        this.emit('tunnel', status);
        this.emitStatus();
      },
    });
  }

  get dbFile(): string {
    return this.store.file;
  }

  /** The URL deliveries are captured at, once listening. */
  get receiverUrl(): string | null {
    return this.receiver.url();
  }

  get receiverPort(): number | null {
    return this.receiver.info().port;
  }

  /**
   * Starts capture: at the saved address when restoring settings, falling back to the configured
   * one (with the reason) when it cannot be used. Throws only when capture cannot start at all.
   */
  async start(): Promise<StartReport> {
    const report = await this.startReceiver();
    // Simulations that were running when Hooklens last stopped go on.
    this.outgoing.checks.simulator.resume();
    // Pruning runs beside the receiver, a batch at a time: capture never waits for it.
    this.storage.start();
    return report;
  }

  private async startReceiver(): Promise<StartReport> {
    if (this.savedReceiver) {
      try {
        // On failure, move() falls back to the configured address, or throws if that fails too.
        await this.receiver.move(this.savedReceiver);
        return { savedAddressProblem: null };
      } catch (error) {
        if (this.receiver.url() === null) throw error;
        return { savedAddressProblem: (error as Error).message.split('\n')[0] ?? String(error) };
      }
    }
    await this.receiver.start();
    return { savedAddressProblem: null };
  }

  /** Stops accepting, lets in-flight deliveries finish and commit, then closes the database. */
  async stop(): Promise<void> {
    await this.tunnel.stop();
    await this.receiver.stop();
    // After the receiver: a delivery it still commits queues its forward for the next start.
    await this.outgoing.stop();
    await this.storage.stop();
    this.store.close();
    this.supervisor.close();
  }

  /** A shell that serves a control API says on which port, so no outgoing request targets it. */
  protectControlPort(port: number): void {
    this.controlPorts.push(port);
  }

  signingSecrets(): SigningSecret[] {
    return this.secrets.signing();
  }

  /** How saved secrets are protected here, and whether any cannot be used. */
  secretStorage(): AppStatus['secretStorage'] {
    return this.secrets.storage();
  }

  /** The one URL to paste into the ReviewSense dashboard (menu, guide, status bar, CLI). */
  webhookUrl(): WebhookUrl | null {
    return this.tunnel.webhookUrl();
  }

  tunnelStatus(): TunnelStatus {
    return this.tunnel.status();
  }

  // ── The `Api` contract, call by call ──────────────────────────────────────────────────
  listDeliveries = (filter?: DeliveryFilter): DeliverySummary[] => this.store.deliveries.list(filter);

  getDelivery(id: number): DeliveryView | null {
    return deliveryView(this.store, this.secrets.signing(), id);
  }

  deleteDelivery(id: number): boolean {
    const removed = this.store.deliveries.remove(id);
    if (removed) this.emitStatus();
    return removed;
  }

  clearDeliveries(): number {
    const removed = this.store.deliveries.clear();
    this.emitStatus();
    // Their queued forwards went with them: the forwarding panel must not still show them waiting.
    this.emit('forwarding', this.outgoing.getForwarding());
    return removed;
  }

  getStatus(): AppStatus {
    return {
      receiver: this.receiver.info(),
      tunnel: this.tunnel.status(),
      webhookUrl: this.tunnel.webhookUrl(),
      counts: this.store.deliveries.counts(),
      storageError: this.receiver.storageError(),
      secretStorage: this.secrets.storage(),
      dbFile: this.store.file,
      problems: this.supervisor.problems(),
    };
  }

  listSecrets = (): SecretInfo[] => this.secrets.list();
  addSecret = (input: { label: string; value: string }): SecretInfo[] => this.secrets.add(input.label, input.value);
  relabelSecret = (id: string, label: string): SecretInfo[] => this.secrets.relabel(id, label);
  rotateSecret = (value: string): SecretInfo[] => this.secrets.rotate(value);
  setSecretRetired = (id: string, retired: boolean): SecretInfo[] => this.secrets.setRetired(id, retired);
  removeSecret = (id: string): SecretInfo[] => this.secrets.remove(id);
  getResponse = (): ResponseConfig => this.receiver.getResponse();
  setResponse = (config: ResponseConfig): ResponseConfig => this.receiver.setResponse(config);

  async setReceiver(change: { port: number; path: string }): Promise<ReceiverInfo> {
    const info = await this.receiver.setReceiver(change);
    this.tunnel.follow();
    // A forward queue paused because its target was the receiver's own port may go now.
    this.outgoing.forwarder.retryNow();
    this.emitStatus();
    return info;
  }

  startTunnel = (): Promise<TunnelStatus> => this.tunnel.start();
  stopTunnel = (): Promise<TunnelStatus> => this.tunnel.stop();
  getTunnelSettings = (): TunnelSettings => this.tunnel.getSettings();
  setTunnelSettings = (change: { authtoken?: string | null; domain?: string | null }): TunnelSettings => this.tunnel.setSettings(change);
  newTestEvent = (type: EventType): string => this.outgoing.newTestEvent(type);
  previewSignature = (request: Omit<TestEventRequest, 'target'>): SignaturePreview => this.outgoing.previewSignature(request);
  sendTestEvent = (request: TestEventRequest): Promise<Attempt> => this.outgoing.sendTestEvent(request);
  replayDelivery = (request: ReplayRequest): Promise<Attempt> => this.outgoing.replayDelivery(request);
  getForwarding = (): ForwardingStatus => this.outgoing.getForwarding();
  setForwarding = (settings: ForwardingSettings): ForwardingStatus => this.outgoing.setForwarding(settings);
  dropQueuedForward = (id: number): ForwardingStatus => this.outgoing.forwarder.drop(id);
  clearForwardQueue = (): ForwardingStatus => this.outgoing.forwarder.clear();
  retryForwardQueue = (): ForwardingStatus => (this.outgoing.forwarder.retryNow(), this.outgoing.getForwarding());
  getOutgoingSettings = (): OutgoingSettings => this.outgoing.getOutgoingSettings();
  setAllowedHosts = (hosts: string[]): OutgoingSettings => this.outgoing.setAllowedHosts(hosts);
  listTemplates = (): SavedTemplate[] => this.outgoing.listTemplates();
  saveTemplate = (template: SavedTemplate): SavedTemplate[] => this.outgoing.saveTemplate(template);
  removeTemplate = (name: string): SavedTemplate[] => this.outgoing.removeTemplate(name);
  startCheck = (request: { target: string; secretId: string | null; countUrl: string | null }): { runId: string } => this.outgoing.checks.startCheck(request);
  cancelCheck = (runId: string): boolean => this.outgoing.checks.cancelCheck(runId);
  startSimulation = (request: SimulationRequest): SimulationStatus => this.outgoing.checks.startSimulation(request);
  listSimulations = (): SimulationStatus[] => this.outgoing.checks.simulator.list();
  cancelSimulation = (id: number): SimulationStatus | null => this.outgoing.checks.simulator.cancel(id);
  getStorage = (): StorageStatus => this.storage.status();
  setRetention = (policy: RetentionPolicy): StorageStatus => this.storage.setRetention(policy);
  compact = (): StorageStatus => this.storage.compact();
  startExport = (request: ExportRequest): { exportId: string; file: string } => this.exports.start(request);
  cancelExport = (exportId: string): boolean => this.exports.cancel(exportId);

  /** A finished export's path by file name, for the browser shell's download route. */
  exportFile(name: string): string | null {
    return this.exports.fileOf(name);
  }

  private emitStatus(): void {
    this.emit('status', this.getStatus());
  }
}
