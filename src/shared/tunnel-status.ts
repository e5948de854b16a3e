export type TunnelState = 'off' | 'connecting' | 'online' | 'reconnecting' | 'error';

export interface TunnelStatus {
  state: TunnelState;
  /** Public base URL while online. */
  url: string | null;
  /** The public URL plus the receiver path: what to paste into the ReviewSense dashboard. */
  webhookUrl: string | null;
  /** A sentence a person can act on (errors), or a note (reconnecting). */
  message: string | null;
  provider: string | null;
}

export const TUNNEL_OFF: TunnelStatus = { state: 'off', url: null, webhookUrl: null, message: null, provider: null };
