import type { TunnelState } from '../../shared/tunnel-status';

/** What a provider reports; the Inspector adds the webhook URL. */
export interface ProviderStatus {
  state: TunnelState;
  url: string | null;
  message: string | null;
}

/** A public HTTPS address forwarding to the receiver port (never the control port). */
export interface Tunnel {
  readonly provider: string;
  /** Resolves once online; rejects with a TunnelError a person can act on. */
  start(target: { host: string; port: number }): Promise<string>;
  /** Prompt even while a connect attempt hangs. */
  stop(): Promise<void>;
  onStatus(listener: (status: ProviderStatus) => void): () => void;
}

export interface TunnelOptions {
  authtoken?: string;
  domain?: string;
  /** Where the provider's agent connects (ngrok: a custom agent ingress); its own by default. */
  serverAddr?: string;
}

export type TunnelFactory = (options: TunnelOptions) => Tunnel;

export class TunnelError extends Error {
  override name = 'TunnelError';
}
