import { timingSafeEqual } from 'node:crypto';

/**
 * Who may talk to the control API: only pages this server served, on this machine.
 * - `Host` must name this server exactly (defeats DNS rebinding),
 * - an `Origin`, when sent, must be this server (defeats cross-site requests),
 * - API calls carry the per-run token (defeats other local pages and processes that guess the port).
 */
export function createRequestGuard(token: string) {
  const expected = Buffer.from(token);
  let allowedHosts = new Set<string>();

  return {
    /** Called once the port is known. */
    bind(port: number): void {
      allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
    },
    hostAllowed(host: string | undefined): boolean {
      return host !== undefined && allowedHosts.has(host.toLowerCase());
    },
    originAllowed(origin: string | undefined): boolean {
      if (origin === undefined) return true;
      try {
        const url = new URL(origin);
        return url.protocol === 'http:' && allowedHosts.has(url.host.toLowerCase());
      } catch {
        return false;
      }
    },
    tokenValid(candidate: string | undefined): boolean {
      if (!candidate) return false;
      const given = Buffer.from(candidate);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

export type RequestGuard = ReturnType<typeof createRequestGuard>;
