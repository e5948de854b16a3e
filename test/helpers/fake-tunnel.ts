import type { ProviderStatus, Tunnel, TunnelFactory, TunnelOptions } from '../../src/main/tunnel/tunnel';

/** One connect attempt of the fake provider, settled by the test. */
export interface FakeAttempt {
  options: TunnelOptions;
  target: { host: string; port: number };
  online: (url: string) => void;
  fail: (message: string) => void;
  report: (status: ProviderStatus) => void;
  stopped: boolean;
}

/**
 * A tunnel provider the test drives by hand: the edge Hooklens cannot reach from here (ngrok's
 * service), replaced behind the same `Tunnel` interface the real adapter implements.
 */
export function fakeTunnelProvider() {
  const attempts: FakeAttempt[] = [];
  const waiters: ((attempt: FakeAttempt) => void)[] = [];
  const factory: TunnelFactory = (options) => {
    const listeners = new Set<(status: ProviderStatus) => void>();
    let settle: { resolve: (url: string) => void; reject: (error: Error) => void } | null = null;
    const attempt: FakeAttempt = {
      options,
      target: { host: '', port: 0 },
      online: (url) => settle?.resolve(url),
      fail: (message) => settle?.reject(new Error(message)),
      report: (status) => listeners.forEach((listener) => listener(status)),
      stopped: false,
    };
    const tunnel: Tunnel = {
      provider: 'fake',
      start(target) {
        attempt.target = target;
        const started = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
        attempts.push(attempt);
        waiters.splice(0).forEach((waiter) => waiter(attempt));
        return started;
      },
      async stop() {
        attempt.stopped = true;
      },
      onStatus(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    return tunnel;
  };
  return {
    factory,
    attempts,
    /** The next (or current) attempt once its start() has been called. */
    nextAttempt(index = attempts.length): Promise<FakeAttempt> {
      const existing = attempts[index];
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve) => waiters.push((attempt) => attempts.indexOf(attempt) === index && resolve(attempt)));
    },
  };
}
