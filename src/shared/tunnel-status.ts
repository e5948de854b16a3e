import type { Revised } from './revision';

export type TunnelState = 'off' | 'connecting' | 'online' | 'reconnecting' | 'error';

/** `revision`: see revision.ts (a later read of the tunnel has a higher one). */
export interface TunnelStatus extends Revised {
  state: TunnelState;
  /** Public base URL while online. */
  url: string | null;
  /** The public URL plus the receiver path: what to paste into the ReviewSense dashboard. */
  webhookUrl: string | null;
  /** A sentence a person can act on (errors), or a note (reconnecting). */
  message: string | null;
  provider: string | null;
  /** Set when the webhook URL differs from the one last shown: the dashboard endpoint needs updating. */
  notice: string | null;
}

export const TUNNEL_OFF: TunnelStatus = { revision: 0, state: 'off', url: null, webhookUrl: null, message: null, provider: null, notice: null };

/** What Settings shows of the tunnel; the token itself never leaves the core. */
export interface TunnelSettings {
  /**
   * Where the authtoken comes from: the environment (NGROK_AUTHTOKEN), Settings, nowhere yet, or a
   * saved one this shell cannot open (sealed by the other shell, or the keyring changed).
   */
  tokenSource: 'environment' | 'saved' | 'unreadable' | null;
  domain: string | null;
}

/**
 * The one URL to paste into Dashboard → ReviewSense → Webhooks, as every shell shows it: the
 * tunnel's while it is online (`public`), otherwise the local receiver's (this machine only).
 */
export interface WebhookUrl {
  url: string;
  public: boolean;
}
