import { readStamps } from '../../shared/revision';
import type { TunnelSettings, TunnelStatus, WebhookUrl } from '../../shared/tunnel-status';
import type { SecretCipher } from '../store/secrets-repository';
import type { SettingsRepository } from '../store/settings-repository';
import type { TunnelFactory, TunnelOptions } from '../tunnel/tunnel';
import { createTunnelConfig } from '../tunnel/tunnel-config';
import { TunnelController } from '../tunnel/tunnel-controller';

export interface TunnelServiceOptions {
  factory: TunnelFactory | null;
  settings: SettingsRepository;
  cipher: SecretCipher;
  /** What this run was given (NGROK_AUTHTOKEN, flags); it wins over what was saved. */
  given: TunnelOptions & { connectTimeoutMs?: number };
  /** The receiver as the tunnel needs it: its local address (null while stopped) and capture path. */
  receiver: { target: () => { host: string; port: number } | null; path: () => string; url: () => string | null };
  onStatus: (status: TunnelStatus) => void;
}

/**
 * The tunnel as a service: its lifecycle, its settings, and the one webhook URL to paste into
 * the ReviewSense dashboard that every shell shows.
 */
export function createTunnelService(options: TunnelServiceOptions) {
  const { receiver } = options;
  const config = createTunnelConfig({ settings: options.settings, cipher: options.cipher, given: options.given });
  const controller = new TunnelController(options.factory, () => config.options(), options.given.connectTimeoutMs);

  // The notice and the webhook URL are read here, not kept: each read is stamped.
  const stamp = readStamps();
  /** The public URL plus the capture path; the notice says when it differs from the last one shown. */
  function status(): TunnelStatus {
    const current = controller.status;
    const webhookUrl = current.url ? `${current.url.replace(/\/+$/, '')}${receiver.path()}` : null;
    return { ...current, revision: stamp(), webhookUrl, notice: current.state === 'online' ? config.notice() : null };
  }

  let previousState = controller.status.state;
  controller.on('status', (next) => {
    // Only a fresh connection can bring a new URL; a reconnect keeps the notice as it was.
    if (next.state === 'online' && previousState === 'connecting') config.noteWebhookUrl(status().webhookUrl);
    previousState = next.state;
    options.onStatus(status());
  });

  /**
   * What to paste into Dashboard → ReviewSense → Webhooks: the tunnel's URL while it is online
   * (or reconnecting: the address stays the same and ReviewSense retries meanwhile), otherwise the
   * local receiver (reachable from this machine only), or nothing while stopped.
   */
  function webhookUrl(): WebhookUrl | null {
    const tunnel = status();
    if ((tunnel.state === 'online' || tunnel.state === 'reconnecting') && tunnel.webhookUrl) return { url: tunnel.webhookUrl, public: true };
    const local = receiver.url();
    return local ? { url: local, public: false } : null;
  }

  async function start(): Promise<TunnelStatus> {
    const target = receiver.target();
    if (!target) throw new Error('Start the receiver before the tunnel.');
    await controller.start(target);
    return status();
  }

  async function stop(): Promise<TunnelStatus> {
    await controller.stop();
    return status();
  }

  /** The receiver moved: an open tunnel follows it. */
  function follow(): void {
    const target = receiver.target();
    if (target) controller.retarget(target);
  }

  return {
    status,
    webhookUrl,
    start,
    stop,
    follow,
    calls: {
      startTunnel: start,
      stopTunnel: stop,
      getTunnelSettings: (): TunnelSettings => config.view(),
      setTunnelSettings: (change: { authtoken?: string | null; domain?: string | null }): TunnelSettings => config.update(change),
    },
  };
}

export type TunnelService = ReturnType<typeof createTunnelService>;
