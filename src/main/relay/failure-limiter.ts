/**
 * Failed token attempts per client, as a token bucket: `burst` failures at once, then one more
 * every `refillMs`. A client with none left is refused (429) before its token is even looked at,
 * so guessing goes no faster than the refill. At most `maxClients` are remembered: the fullest
 * (least recent failures) are forgotten first, so a flood of addresses cannot grow memory.
 */
export function createFailureLimiter(options: { burst: number; refillMs: number; maxClients: number; clock: () => number }) {
  const { burst, refillMs, maxClients, clock } = options;
  // Failures still counted per client, and when that count was last brought up to date.
  const clients = new Map<string, { used: number; at: number }>();

  function current(key: string): { used: number; at: number } | null {
    const entry = clients.get(key);
    if (!entry) return null;
    const now = clock();
    const refilled = Math.floor((now - entry.at) / refillMs);
    if (refilled > 0) {
      entry.used = Math.max(0, entry.used - refilled);
      entry.at = entry.used === 0 ? now : entry.at + refilled * refillMs;
    }
    if (entry.used === 0) {
      clients.delete(key);
      return null;
    }
    return entry;
  }

  return {
    /** Milliseconds until this client may try again; 0 when it may now. */
    waitMs(key: string): number {
      const entry = current(key);
      if (!entry || entry.used < burst) return 0;
      return Math.max(1, entry.at + refillMs - clock());
    },
    failed(key: string): void {
      const entry = current(key);
      if (entry) {
        entry.used += 1;
        // Most recent failures last: the first entries are the ones to forget.
        clients.delete(key);
        clients.set(key, entry);
        return;
      }
      if (clients.size >= maxClients) clients.delete(clients.keys().next().value as string);
      clients.set(key, { used: 1, at: clock() });
    },
  };
}

/**
 * Whom a failure is counted against: the connection's address, or, when that is loopback (a reverse
 * proxy on the same machine), the address the proxy saw (the last X-Forwarded-For entry it added).
 * Only for counting failures: nothing is trusted or granted by it.
 */
export function clientKey(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined): string {
  const address = remoteAddress ?? 'unknown';
  const loopback = address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  if (!loopback || !header) return address;
  return header.split(',').at(-1)?.trim() || address;
}
