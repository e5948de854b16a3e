import { TUNNEL_OFF, type TunnelStatus } from '../../shared/tunnel-status';
import { TypedEmitter } from '../util/typed-emitter';
import type { Tunnel, TunnelFactory, TunnelOptions } from './tunnel';

/** The tunnel as the controller keeps it; the tunnel service stamps each read of it (revision.ts). */
export type KeptTunnel = Omit<TunnelStatus, 'revision'>;

export const CONNECT_TIMEOUT_MS = 20_000;
const STOP_WAIT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Owns the tunnel's lifecycle so a provider can never take capture down: connects are bounded
 * (a provider's own connect may hang forever), a stop or a new attempt abandons a hung one
 * at once, and late results of abandoned attempts are discarded.
 */
export class TunnelController extends TypedEmitter<{ status: KeptTunnel }> {
  private current: KeptTunnel = TUNNEL_OFF;
  private tunnel: Tunnel | null = null;
  private unsubscribe: (() => void) | null = null;
  /** Bumped by every start and stop; an attempt whose generation is stale is ignored. */
  private generation = 0;
  private target: { host: string; port: number } | null = null;

  constructor(
    private readonly factory: TunnelFactory | null,
    /** Read at each start, so a token saved in Settings applies to the next attempt. */
    private readonly options: () => TunnelOptions,
    private readonly connectTimeoutMs = CONNECT_TIMEOUT_MS,
  ) {
    super();
  }

  get status(): KeptTunnel {
    return this.current;
  }

  private set(status: Partial<KeptTunnel> & Pick<KeptTunnel, 'state'>): void {
    this.current = { url: null, webhookUrl: null, message: null, notice: null, provider: this.tunnel?.provider ?? this.current.provider, ...status };
    this.emit('status', this.current);
  }

  async start(target: { host: string; port: number }): Promise<void> {
    // Claimed before any wait: a stop (or another start) while the old tunnel closes wins.
    const generation = ++this.generation;
    await this.release();
    if (generation !== this.generation) return;
    this.target = target;
    if (!this.factory) {
      this.set({ state: 'error', message: 'No tunnel provider is available in this build.' });
      return;
    }
    let tunnel: Tunnel;
    try {
      tunnel = this.factory(this.options());
    } catch (error) {
      this.set({ state: 'error', message: (error as Error).message });
      return;
    }
    this.tunnel = tunnel;
    this.unsubscribe = tunnel.onStatus((status) => {
      const same = status.state === this.current.state && status.url === this.current.url && status.message === this.current.message;
      if (generation === this.generation && !same) this.set({ ...status, provider: tunnel.provider });
    });
    this.set({ state: 'connecting', provider: tunnel.provider });
    try {
      const url = await withTimeout(
        tunnel.start(target),
        this.connectTimeoutMs,
        () => new Error(`${tunnel.provider} did not answer within ${(this.connectTimeoutMs / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} s. Check your internet connection (a proxy or firewall may block it), then start the tunnel again.`),
      );
      if (generation !== this.generation) return;
      this.set({ state: 'online', url, provider: tunnel.provider });
    } catch (error) {
      if (generation !== this.generation) return;
      this.set({ state: 'error', message: (error as Error).message, provider: tunnel.provider });
      void this.release();
    }
  }

  /** Prompt even while a connect hangs: the provider gets a bounded chance to close. */
  async stop(): Promise<void> {
    this.generation++;
    const wasActive = this.tunnel !== null || this.current.state !== 'off';
    await this.release();
    if (wasActive) this.set({ state: 'off' });
  }

  /** The receiver moved: an open tunnel follows it. */
  retarget(target: { host: string; port: number }): void {
    const active = this.current.state === 'online' || this.current.state === 'connecting' || this.current.state === 'reconnecting';
    if (active && (target.port !== this.target?.port || target.host !== this.target?.host)) void this.start(target);
  }

  private async release(): Promise<void> {
    const tunnel = this.tunnel;
    this.tunnel = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (!tunnel) return;
    await withTimeout(tunnel.stop(), STOP_WAIT_MS, () => new Error('stop timed out')).catch(() => {
      // A provider that will not close in time is abandoned; capture is unaffected.
    });
  }
}
