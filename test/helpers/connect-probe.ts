import net from 'node:net';
import { vi, type MockInstance } from 'vitest';

export interface ConnectProbe {
  /** The spy on `net.Socket.prototype.connect` (it calls through). */
  spy: MockInstance<net.Socket['connect']>;
  /** Every TCP connection attempt actually started, as "address:port". */
  attempts: string[];
  /** Every socket `connect` was called on, in order. */
  sockets: net.Socket[];
  restore: () => void;
}

/**
 * Watches every outgoing socket of this process. `Socket#connect` runs the host lookup first and
 * only then opens the TCP connection, so a target refused at lookup still calls it: what counts
 * is the socket's `connectionAttempt` event, emitted when a TCP connect to an address starts.
 */
export function probeConnects(): ConnectProbe {
  const original = net.Socket.prototype.connect;
  const attempts: string[] = [];
  const sockets: net.Socket[] = [];
  const spy = vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (this: net.Socket, ...args: unknown[]) {
    sockets.push(this);
    this.on('connectionAttempt', (address: string, port: number) => attempts.push(`${address}:${port}`));
    return (original as (...rest: unknown[]) => net.Socket).apply(this, args);
  });
  return { spy: spy as unknown as MockInstance<net.Socket['connect']>, attempts, sockets, restore: () => spy.mockRestore() };
}
