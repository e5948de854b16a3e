import type { AppStatus } from '../../shared/api';
import type { Attempt } from '../../shared/attempt';
import { DEFAULT_RESPONSE } from '../../shared/response-config';
import type { TunnelStatus, WebhookUrl } from '../../shared/tunnel-status';
import type { SigningSecret } from '../profile/signature';
import { createFileKeyCipher } from '../secrets/file-key-cipher';
import { createSecretRing } from '../secrets/secret-ring';
import { createSenderService } from '../sender/sender-service';
import { openStore, type Store } from '../store/store';
import { createSupervisor, type Supervisor } from '../util/supervisor';
import { reportProblemToStderr } from '../util/problem-report';
import { TypedEmitter } from '../util/typed-emitter';
import { createAppStatusReader } from './app-status';
import { createChecksService, type ChecksService } from './checks-service';
import { createDeliveriesService, type DeliveriesService } from './deliveries-service';
import { createExportsService, type ExportsService } from './exports-service';
import { createForwardingService, type ForwardingService } from './forwarding-service';
import type { InspectorCalls, InspectorConfig, InspectorDeps, InspectorEvents, StartReport } from './inspector-types';
import { createOutgoingSettingsService, type OutgoingSettingsService } from './outgoing-settings-service';
import { createReceiverService, DEFAULT_RECEIVER, type ReceiverConfig, type ReceiverService } from './receiver-service';
import { readSavedSettings } from './saved-settings';
import { createRelaySubscription, type RelaySubscription, type RelayTarget } from './relay-subscription';
import { secretsCalls } from './secrets-service';
import { createSendingService, type SendingService } from './sending-service';
import { createSigner } from './signer';
import { createSimulationsService, type SimulationsService } from './simulations-service';
import { createStorageService, type StorageService } from './storage-service';
import { createTargetPolicies } from './target-policies';
import { createTargets } from './targets';
import { createTunnelService, type TunnelService } from './tunnel-service';

export { DEFAULT_RECEIVER, type ReceiverConfig };
export type { InspectorCalls, InspectorConfig, InspectorDeps, InspectorEvents, StartReport } from './inspector-types';

/**
 * Every call of the `Api` contract, by its name: assigned from the routing table in the
 * constructor, each answered by the service that owns it; there is no hand-written delegation.
 */
export interface Inspector extends Routes {}

/** The routing table's type: each service's calls, exactly as it answers them (sync or async). */
type Routes = DeliveriesService['calls'] &
  ReturnType<typeof secretsCalls> &
  ReceiverService['calls'] &
  TunnelService['calls'] &
  SendingService['calls'] &
  ForwardingService['calls'] &
  OutgoingSettingsService['calls'] &
  ChecksService['calls'] &
  SimulationsService['calls'] &
  StorageService['calls'] &
  ExportsService['calls'] &
  RelaySubscription['calls'] & { getStatus(): AppStatus };

/**
 * The composition root: builds the store, the secret ring and the services from injected parts,
 * and routes each call of the `Api` contract to the service that owns it, in one table. It does
 * no work itself; the CLI, the browser shell and the Electron shell all drive this one object.
 */
export class Inspector extends TypedEmitter<InspectorEvents> {
  private readonly store: Store;
  private readonly readStatus: () => AppStatus;
  private readonly supervisor: Supervisor;
  private readonly secrets;
  private readonly receiver;
  private readonly tunnel;
  private readonly forwarding;
  private readonly simulations;
  private readonly storage;
  private readonly exports;
  private readonly relay;
  private readonly stopSenders: () => Promise<void>;
  /** What Settings saved, read at start when the shell restores settings (the desktop app). */
  private readonly restored: ReturnType<typeof readSavedSettings> | null;
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
    const { store, supervisor } = this;
    this.restored = config.restoreSettings ? readSavedSettings(store.settings) : null;
    const saved = this.restored ?? {};
    const cipher = deps.secretCipher ?? createFileKeyCipher(config.dataDir);
    this.secrets = createSecretRing({ repository: store.secrets, cipher, runtime: config.runtimeSecrets ?? [], clock, onChange: () => this.emitStatus() });
    const secrets = () => this.secrets.signing();

    const outgoingSettings = createOutgoingSettingsService({ store, runAllowHosts: config.allowHosts ?? [], onHostsChanged: () => this.forwarding.forwarder.retryNow() });
    const policies = createTargetPolicies({ allowHosts: outgoingSettings.allowHosts, controlPorts: () => this.controlPorts, receiverPort: () => this.receiver.info().port });
    const onAttempt = (attempt: Attempt) => this.emit('attempt', attempt);
    const sender = createSenderService({ attempts: store.attempts, policy: policies.control, clock, onAttempt });
    const forwardSender = createSenderService({ attempts: store.attempts, policy: policies.forward, clock, onAttempt });
    this.stopSenders = async () => void (await Promise.all([sender.stop(), forwardSender.stop()]));
    const signer = createSigner({ secrets, currentSecret: () => this.secrets.current() });
    const targets = createTargets({ receiverUrl: () => this.receiver.url(), remember: outgoingSettings.remember });

    this.receiver = createReceiverService({
      config: { ...DEFAULT_RECEIVER, ...config.receiver },
      response: saved.response ?? { ...DEFAULT_RESPONSE, ...config.response },
      store,
      clock,
      secrets,
      timeouts: config.timeouts,
      onDelivery: (delivery) => {
        this.emit('delivery', delivery);
        // Its outbox row was committed with it; the forwarder sends it when its turn comes.
        if (delivery.forwardQueued) this.forwarding.forwarder.committed();
      },
      onDeliveryUpdated: (delivery) => this.emit('delivery-updated', delivery),
      forwardPlan: () => this.forwarding.forwarder.plan(),
      mirror: (delivery, captured) => this.forwarding.forwarder.mirror(delivery.id, captured),
      onStorageHealth: (reason) => {
        if (reason === null) this.emit('storage-recovered', {});
        else this.emit('storage-error', { reason });
        this.emitStatus();
      },
      onMoved: () => {
        this.tunnel.follow();
        // A forward queue paused because its target was the receiver's own port may go now.
        this.forwarding.forwarder.retryNow();
        this.emitStatus();
      },
    });
    this.forwarding = createForwardingService({ store, sender: forwardSender, secrets, supervisor, clock, onChange: (status) => this.emit('forwarding', status) });
    if (config.forwarding) this.forwarding.forwardForRun(config.forwarding);
    else if (config.restoreSettings) this.forwarding.restore();
    const sending = createSendingService({ store, sender, signer, targets, secrets, clock });
    const checks = createChecksService({ send: { policy: policies.control, clock }, signer, onCheck: (progress) => this.emit('check', progress) });
    this.simulations = createSimulationsService({ store, sender, send: { policy: policies.control, clock }, signer, targets, clock, supervisor, onSimulation: (status) => this.emit('simulation', status) });
    this.exports = createExportsService({
      store,
      dataDir: config.dataDir,
      origin: () => new URL(this.receiver.url() ?? 'http://localhost:8787/').origin,
      version: config.version ?? '0.0.0',
      clock,
      onProgress: (progress) => this.emit('export', progress),
      supervisor,
    });
    this.storage = createStorageService({
      store,
      clock,
      runPolicy: config.retention,
      onChange: (status) => this.emit('storage', status),
      onPruned: (result) => {
        this.emit('prune', result);
        if (result.deleted > 0) this.emitStatus();
      },
      supervisor,
    });
    this.tunnel = createTunnelService({
      factory: deps.tunnelFactory ?? null,
      settings: store.settings,
      cipher,
      given: config.tunnel ?? {},
      receiver: this.receiver,
      onStatus: (status) => {
        this.emit('tunnel', status);
        this.emitStatus();
      },
    });
    // A relayed delivery is committed as the receiver's own: shown, counted, linked, forwarded.
    this.relay = createRelaySubscription({
      store, cipher, clock, supervisor,
      record: (delivery) => this.receiver.record(delivery),
      receiving: () => ({ secrets: secrets(), bodyLimit: this.receiver.info().bodyLimit, plan: this.forwarding.forwarder.plan() }),
      onStatus: (status) => this.emit('relay', status),
    });
    this.readStatus = createAppStatusReader({ store, supervisor, secrets: this.secrets, receiver: this.receiver, tunnel: this.tunnel, relay: this.relay });
    const deliveries = createDeliveriesService({
      store,
      secrets,
      onDeleted: (all) => {
        this.emitStatus();
        // Their queued forwards went with them: the forwarding panel must not still show them waiting.
        if (all) this.emit('forwarding', this.forwarding.forwarder.status());
      },
    });

    // The routing table: every call of the contract, to the service that owns it. Adding a call
    // is one entry in src/shared/api.ts and its handler in its service; the compiler checks the rest.
    const routes = {
      ...deliveries.calls,
      ...secretsCalls(this.secrets),
      ...this.receiver.calls,
      ...this.tunnel.calls,
      ...sending.calls,
      ...this.forwarding.calls,
      ...outgoingSettings.calls,
      ...checks.calls,
      ...this.simulations.calls,
      ...this.storage.calls,
      ...this.exports.calls,
      ...this.relay.calls,
      getStatus: (): AppStatus => this.readStatus(),
    } satisfies InspectorCalls & Routes;
    Object.assign(this, routes);
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
    const report = await this.receiver.startAt(this.restored?.receiver);
    // Simulations that were running when Hooklens last stopped go on.
    this.simulations.simulator.resume();
    // Pruning runs beside the receiver, a batch at a time: capture never waits for it.
    this.storage.start();
    if (this.restored) void this.supervisor.run('team relay', () => this.relay.restore());
    return report;
  }

  /** Stops accepting, lets in-flight deliveries finish and commit, then closes the database. */
  async stop(): Promise<void> {
    // First: what it handed to the writer is committed before the receiver and the store stop.
    await this.relay.stop();
    await this.tunnel.stop();
    await this.receiver.stop();
    // After the receiver: a delivery it still commits keeps its outbox row for the next start.
    this.forwarding.forwarder.stop();
    // Halt first, then cut the requests (an aborted try is not stored), then close the fault proxies.
    this.simulations.simulator.halt();
    await this.stopSenders();
    await this.simulations.simulator.stop();
    await this.storage.stop();
    this.store.close();
    this.supervisor.close();
  }

  /** `serve --relay`: follow this relay for this run (after the ready line; never saved). */
  followRelay(target: RelayTarget): Promise<unknown> {
    return this.supervisor.run('team relay', () => this.relay.followForRun(target));
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

  /** A finished export's path by file name, for the browser shell's download route. */
  exportFile(name: string): string | null {
    return this.exports.fileOf(name);
  }

  private emitStatus(): void {
    this.emit('status', this.readStatus());
  }
}
