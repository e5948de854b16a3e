import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';

/** Refused before any connection is made; the message says what to change. */
export class TargetRefusedError extends Error {
  override name = 'TargetRefusedError';
}

export interface TargetPolicy {
  /** Host names (not addresses) the user allowed beyond loopback (`--allow-host`, Settings). */
  allowHosts: () => readonly string[];
  /** Loopback ports no request may reach: the control API, and the receiver for a forward. */
  refusedPorts: () => readonly { port: number; why: string }[];
  /** Resolves host names (default: the system's resolver, as every client on this machine). */
  resolve?: (hostname: string, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;
}

const systemResolve: NonNullable<TargetPolicy['resolve']> = (hostname, callback) => dnsLookup(hostname, { all: true }, callback);

export function isLoopback(address: string): boolean {
  const lower = address.toLowerCase();
  // An IPv4-mapped address, dotted (::ffff:127.0.0.1) or as the URL parser writes it (::ffff:7f00:1).
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  const plain = hexMapped ? `${parseInt(hexMapped[1] as string, 16) >> 8}.x` : lower.replace(/^::ffff:/, '');
  return plain === '::1' || (hexMapped ? plain.startsWith('127.') : isIP(plain) === 4 && plain.startsWith('127.'));
}

/** The URL a request may go to, or a TargetRefusedError saying why not. */
export function parseTarget(target: string): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new TargetRefusedError(`"${target}" is not a URL; give one such as http://localhost:3000/hooks/reviewsense.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TargetRefusedError(`Only http and https targets are supported, not ${url.protocol.replace(':', '')}.`);
  if (url.username || url.password) throw new TargetRefusedError('Put no user name or password in the target URL.');
  return url;
}

export function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/**
 * Judges each address the target's host resolves to, after resolution and before the socket
 * connects (a name that resolves to a private address is caught here, not by reading the URL):
 * loopback is allowed unless the port is refused; any other address only for an allowed host.
 */
export function checkAddress(policy: TargetPolicy, url: URL, address: string): void {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = portOf(url);
  // The unspecified address reaches this machine too: its refused ports hold there as well.
  if (isLoopback(address) || address === '0.0.0.0' || address === '::') {
    const refused = policy.refusedPorts().find((entry) => entry.port === port);
    if (refused) throw new TargetRefusedError(`${url.origin} is ${refused.why}; send to your app's port instead.`);
    if (isLoopback(address)) return;
  }
  if (!policy.allowHosts().map((allowed) => allowed.toLowerCase()).includes(host)) {
    throw new TargetRefusedError(
      `${host} resolves to ${address}, which is not this machine. Hooklens sends to loopback only unless you allow the host (--allow-host ${host}, or Settings → Outgoing).`,
    );
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http.request / net.connect that applies the policy to every resolved address. */
export function guardedLookup(policy: TargetPolicy, url: URL) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void => {
    (policy.resolve ?? systemResolve)(hostname, (error, addresses) => {
      if (error) return callback(error, []);
      try {
        for (const entry of addresses) checkAddress(policy, url, entry.address);
      } catch (refused) {
        return callback(refused as NodeJS.ErrnoException, []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

/** An IP literal host never reaches `lookup`: judge it directly. */
export function checkLiteralHost(policy: TargetPolicy, url: URL): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) checkAddress(policy, url, host);
}
