import type * as Ngrok from '@ngrok/ngrok';
import { describeNgrokError, NO_TOKEN } from './ngrok-errors';
import { TunnelError, type ProviderStatus, type Tunnel, type TunnelOptions } from './tunnel';

export interface NgrokOptions extends TunnelOptions {
  clientVersion?: string;
}

/**
 * The ngrok provider on the official SDK (no binary download). It forwards exactly the
 * address it is given — the receiver port — and nothing else.
 */
export function createNgrokTunnel(options: NgrokOptions): Tunnel {
  const listeners = new Set<(status: ProviderStatus) => void>();
  let session: Ngrok.Session | null = null;
  let listener: Ngrok.Listener | null = null;
  let stopped = false;
  let url: string | null = null;
  let reconnecting = false;

  const report = (status: ProviderStatus) => listeners.forEach((notify) => notify(status));

  async function start(target: { host: string; port: number }): Promise<string> {
    const authtoken = options.authtoken?.trim();
    if (!authtoken) throw new TunnelError(NO_TOKEN);
    stopped = false;
    // Loaded on first use: the native SDK costs start-up time that capture alone never needs.
    const ngrok = await import('@ngrok/ngrok');
    const builder = new ngrok.SessionBuilder()
      .authtoken(authtoken)
      .clientInfo('hooklens', options.clientVersion ?? '0')
      // Returning false would make the SDK throw an uncaught error; reconnecting is always right,
      // and stop() ends the session for good.
      .handleDisconnection((_addr, error) => {
        if (!stopped) {
          reconnecting = true;
          report({ state: 'reconnecting', url, message: `Connection to ngrok lost, reconnecting… (${error})` });
        }
        return !stopped;
      })
      // The first heartbeat after a reconnect means the session is back.
      .handleHeartbeat(() => {
        if (stopped || !url || !reconnecting) return;
        reconnecting = false;
        report({ state: 'online', url, message: null });
      });
    if (options.serverAddr) builder.serverAddr(options.serverAddr);

    let connected: Ngrok.Session;
    try {
      connected = await builder.connect();
    } catch (error) {
      throw new TunnelError(describeNgrokError((error as Error).message));
    }
    // Stopped while connecting: this session arrived too late to be wanted.
    if (stopped) {
      await connected.close().catch(() => undefined);
      throw new TunnelError('The tunnel was stopped.');
    }
    session = connected;
    try {
      const endpoint = connected.httpEndpoint();
      if (options.domain) endpoint.domain(options.domain);
      listener = await endpoint.listenAndForward(`http://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`);
    } catch (error) {
      await stop();
      throw new TunnelError(describeNgrokError((error as Error).message));
    }
    url = listener.url();
    if (!url) {
      await stop();
      throw new TunnelError('ngrok opened the tunnel without a public URL.');
    }
    return url;
  }

  async function stop(): Promise<void> {
    stopped = true;
    url = null;
    const [open, current] = [listener, session];
    listener = null;
    session = null;
    await open?.close().catch(() => undefined);
    await current?.close().catch(() => undefined);
  }

  return {
    provider: 'ngrok',
    start,
    stop,
    onStatus(notify) {
      listeners.add(notify);
      return () => listeners.delete(notify);
    },
  };
}
