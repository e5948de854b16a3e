// sendRequest (the sender's HTTP exchange): the target policy, applied to the resolved address
// before any socket connects (loopback only unless allowed, the control port, bad targets).
import type { LookupAddress } from 'node:dns';
import { afterEach, describe, expect, it } from 'vitest';
import { sendRequest } from '../../../src/main/sender/http-send';
import { attemptRecord } from '../../../src/main/sender/sender-service';
import type { TargetPolicy } from '../../../src/main/sender/target-policy';
import { valuesOf } from '../../helpers/app-server';
import { probeConnects, type ConnectProbe } from '../../helpers/connect-probe';
import { appScope, loopbackOnly, only, post } from './http-send-harness';

/** A stand-in for DNS: answers from a table, asynchronously as the real resolver does. Never the network. */
function fakeResolver(table: Record<string, string[]>): NonNullable<TargetPolicy['resolve']> {
  return (hostname, callback) =>
    setImmediate(() => {
      const addresses = table[hostname.toLowerCase()];
      if (!addresses) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
      callback(null, addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })));
    });
}

const { app } = appScope();
let probe: ConnectProbe | null = null;

afterEach(() => {
  probe?.restore();
  probe = null;
});

describe('sendRequest: the target policy, applied to the resolved address before any connection', () => {
  it('refuses a name that resolves beyond loopback before any socket connects', async () => {
    probe = probeConnects();
    const policy: TargetPolicy = { ...loopbackOnly, resolve: fakeResolver({ 'app.example.test': ['198.51.100.7'] }) };
    const { sent, answer } = await sendRequest(post('http://app.example.test:8080/hooks', Buffer.from('{}')), { policy });
    expect(answer).toMatchObject({ status: null, refused: false });
    expect(answer.error).toBe(
      'app.example.test resolves to 198.51.100.7, which is not this machine. Hooklens sends to loopback only unless you allow the host (--allow-host app.example.test, or Settings → Outgoing).',
    );
    // The request got as far as the socket's lookup, and no further: no TCP connection was attempted.
    expect(probe.spy).toHaveBeenCalled();
    expect(probe.attempts).toEqual([]);
    expect(attemptRecord({ kind: 'send', deliveryId: null }, sent, answer).delivered).toBe(false);
  });

  it('refuses a name when any one of its addresses is beyond loopback', async () => {
    probe = probeConnects();
    const policy: TargetPolicy = { ...loopbackOnly, resolve: fakeResolver({ 'app.example.test': ['127.0.0.1', '198.51.100.7'] }) };
    const { answer } = await sendRequest(post('http://app.example.test:8080/hooks', Buffer.from('{}')), { policy });
    expect(answer.error).toMatch(/^app\.example\.test resolves to 198\.51\.100\.7, which is not this machine\./);
    expect(probe.attempts).toEqual([]);
  });

  it('sends to an allowed host (here resolving to the loopback test app)', async () => {
    const target = await app();
    probe = probeConnects();
    const policy: TargetPolicy = { allowHosts: () => ['app.example.test'], refusedPorts: () => [], resolve: fakeResolver({ 'app.example.test': ['127.0.0.1'] }) };
    const body = Buffer.from('{"id":"evt_allowed"}');
    const { answer } = await sendRequest(post(`http://app.example.test:${target.port}/hooks`, body), { policy });
    expect(answer).toMatchObject({ status: 200, error: null });
    const received = only(target);
    expect(valuesOf(received.headers, 'host')).toEqual([`app.example.test:${target.port}`]);
    expect(received.body.equals(body)).toBe(true);
    // The probe sees real connections: this one went to the loopback app, and only there.
    expect(probe.attempts).toEqual([`127.0.0.1:${target.port}`]);
  });

  it('refuses the control port, by name and by address, before connecting to it', async () => {
    const control = await app();
    probe = probeConnects();
    const policy: TargetPolicy = {
      allowHosts: () => [],
      refusedPorts: () => [{ port: control.port, why: "Hooklens' own control API" }],
      resolve: fakeResolver({ localhost: ['127.0.0.1'] }),
    };
    const byName = await sendRequest(post(`http://localhost:${control.port}/api/deliveries`, Buffer.from('{}')), { policy });
    expect(byName.answer.error).toBe(`http://localhost:${control.port} is Hooklens' own control API; send to your app's port instead.`);
    const byAddress = await sendRequest(post(`http://127.0.0.1:${control.port}/api/deliveries`, Buffer.from('{}')), { policy });
    expect(byAddress.answer.error).toBe(`http://127.0.0.1:${control.port} is Hooklens' own control API; send to your app's port instead.`);
    expect(byAddress.answer.status).toBeNull();
    expect(probe.attempts).toEqual([]);
    expect(control.received).toEqual([]);
  });

  it('says a name cannot be resolved, without connecting', async () => {
    probe = probeConnects();
    const policy: TargetPolicy = { ...loopbackOnly, resolve: fakeResolver({}) };
    const { answer } = await sendRequest(post('http://nowhere.example.test/hooks', Buffer.from('{}')), { policy });
    expect(answer).toMatchObject({ status: null, refused: false, error: 'Cannot resolve nowhere.example.test.' });
    expect(probe.attempts).toEqual([]);
  });

  it.each([
    ['not a url', '"not a url" is not a URL; give one such as http://localhost:3000/hooks/reviewsense.'],
    ['ftp://127.0.0.1/hooks', 'Only http and https targets are supported, not ftp.'],
    ['http://user:pass@127.0.0.1:3000/hooks', 'Put no user name or password in the target URL.'],
  ])('refuses the target %j without connecting', async (target, error) => {
    probe = probeConnects();
    const { answer } = await sendRequest(post(target, Buffer.from('{}')), { policy: loopbackOnly });
    expect(answer).toMatchObject({ status: null, refused: false, error, durationMs: 0 });
    expect(probe.spy).not.toHaveBeenCalled();
  });
});
