import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { checkAddress, checkLiteralHost, guardedLookup, isLoopback, parseTarget, portOf, TargetRefusedError, type TargetPolicy } from '../../../src/main/sender/target-policy';

// Policy functions only: nothing here opens a socket. IP-literal targets are judged, never sent to.

const loopbackOnly: TargetPolicy = { allowHosts: () => [], refusedPorts: () => [] };
const CONTROL = 8788;
const withControl: TargetPolicy = { allowHosts: () => [], refusedPorts: () => [{ port: CONTROL, why: "Hooklens' own control API" }] };

function refusal(run: () => void): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TargetRefusedError);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('isLoopback', () => {
  it.each(['127.0.0.1', '127.255.0.9', '::1', '::ffff:127.0.0.1', '::FFFF:127.0.0.2', '::ffff:7f00:1'])('%s is this machine', (address) => {
    expect(isLoopback(address)).toBe(true);
  });

  it.each(['198.51.100.7', '10.0.0.1', '192.168.1.10', '169.254.169.254', '0.0.0.0', '::', '::ffff:198.51.100.7', '::ffff:c633:6407', 'fe80::1', '2001:db8::1', 'localhost', '127.example'])(
    '%s is not',
    (address) => {
      expect(isLoopback(address)).toBe(false);
    },
  );
});

describe('parseTarget', () => {
  it('takes http and https URLs', () => {
    expect(parseTarget('http://localhost:3000/hooks').host).toBe('localhost:3000');
    expect(parseTarget('https://app.example.test/hooks').protocol).toBe('https:');
  });

  it.each([
    ['localhost:3000/hooks', 'Only http and https targets are supported, not localhost.'],
    ['not a url', '"not a url" is not a URL; give one such as http://localhost:3000/hooks/reviewsense.'],
    ['file:///etc/passwd', 'Only http and https targets are supported, not file.'],
    ['http://me:secret@localhost:3000/', 'Put no user name or password in the target URL.'],
  ])('refuses %j, saying why', (target, message) => {
    expect(refusal(() => parseTarget(target))).toBe(message);
  });

  it('knows the default ports', () => {
    expect(portOf(new URL('http://localhost/'))).toBe(80);
    expect(portOf(new URL('https://localhost/'))).toBe(443);
    expect(portOf(new URL('http://localhost:3000/'))).toBe(3000);
  });
});

describe('checkAddress: judged on the resolved address', () => {
  it('lets loopback through on any port but a refused one', () => {
    expect(() => checkAddress(withControl, new URL('http://localhost:3000/'), '127.0.0.1')).not.toThrow();
    expect(() => checkAddress(withControl, new URL('http://localhost:3000/'), '::1')).not.toThrow();
    expect(refusal(() => checkAddress(withControl, new URL(`http://localhost:${CONTROL}/api`), '127.0.0.1'))).toBe(
      `http://localhost:${CONTROL} is Hooklens' own control API; send to your app's port instead.`,
    );
  });

  it('refuses a name that resolves beyond loopback, naming the host, the address and the way to allow it', () => {
    expect(refusal(() => checkAddress(loopbackOnly, new URL('http://app.example.test:3000/hooks'), '198.51.100.7'))).toBe(
      'app.example.test resolves to 198.51.100.7, which is not this machine. Hooklens sends to loopback only unless you allow the host (--allow-host app.example.test, or Settings → Outgoing).',
    );
  });

  it('refuses a name that looks local but resolves to a private address', () => {
    expect(refusal(() => checkAddress(loopbackOnly, new URL('http://localhost.example.test/'), '10.0.0.5'))).toMatch(/resolves to 10\.0\.0\.5, which is not this machine/);
  });

  it('lets an allowed host through whatever it resolves to, matching the name case-insensitively', () => {
    const allowed: TargetPolicy = { allowHosts: () => ['App.Example.Test'], refusedPorts: () => [] };
    expect(() => checkAddress(allowed, new URL('http://app.example.test/hooks'), '198.51.100.7')).not.toThrow();
    expect(() => checkAddress(allowed, new URL('http://other.example.test/hooks'), '198.51.100.7')).toThrow(TargetRefusedError);
  });

  it('still refuses the control port on an allowed host that resolves to loopback', () => {
    const allowed: TargetPolicy = { ...withControl, allowHosts: () => ['app.example.test'] };
    expect(() => checkAddress(allowed, new URL(`http://app.example.test:${CONTROL}/`), '127.0.0.1')).toThrow(TargetRefusedError);
  });
});

describe('checkLiteralHost: an IP literal never reaches a lookup', () => {
  it.each(['http://198.51.100.7/hooks', 'http://198.51.100.7:3000/hooks', 'http://[2001:db8::1]:3000/', 'http://10.0.0.1/', 'http://0.0.0.0:3000/', 'http://[::]:3000/'])(
    'refuses %s',
    (target) => {
      expect(refusal(() => checkLiteralHost(loopbackOnly, new URL(target)))).toMatch(/which is not this machine/);
    },
  );

  it('refuses the same address written in other notations (the URL parser normalises them)', () => {
    // 3325256711 and 0xc6.51.100.7 are 198.51.100.7.
    expect(refusal(() => checkLiteralHost(loopbackOnly, new URL('http://3325256711/')))).toMatch(/resolves to 198\.51\.100\.7/);
    expect(refusal(() => checkLiteralHost(loopbackOnly, new URL('http://0xc6.51.100.7/')))).toMatch(/resolves to 198\.51\.100\.7/);
  });

  it('refuses an IPv4-mapped IPv6 literal of an address beyond loopback', () => {
    expect(() => checkLiteralHost(loopbackOnly, new URL('http://[::ffff:198.51.100.7]:3000/'))).toThrow(TargetRefusedError);
  });

  it('lets loopback literals through, IPv4 and IPv6, in any notation', () => {
    for (const target of ['http://127.0.0.1:3000/', 'http://[::1]:3000/', 'http://2130706433:3000/', 'http://127.1:3000/']) {
      expect(() => checkLiteralHost(loopbackOnly, new URL(target))).not.toThrow();
    }
  });

  it('refuses a loopback literal on the control port', () => {
    expect(refusal(() => checkLiteralHost(withControl, new URL(`http://127.0.0.1:${CONTROL}/api/status`)))).toBe(
      `http://127.0.0.1:${CONTROL} is Hooklens' own control API; send to your app's port instead.`,
    );
    expect(() => checkLiteralHost(withControl, new URL(`http://[::1]:${CONTROL}/`))).toThrow(TargetRefusedError);
  });

  it('leaves names to the lookup (judged after resolution)', () => {
    expect(() => checkLiteralHost(loopbackOnly, new URL('http://app.example.test/'))).not.toThrow();
  });
});

describe('guardedLookup: the lookup given to the socket', () => {
  const resolveTo =
    (addresses: string[]): NonNullable<TargetPolicy['resolve']> =>
    (_hostname, callback) =>
      callback(null, addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })));

  function lookup(policy: TargetPolicy, target: string, all: boolean) {
    return new Promise<{ error: NodeJS.ErrnoException | null; address: unknown; family?: number }>((resolve) =>
      guardedLookup(policy, new URL(target))(new URL(target).hostname, { all }, (error, address, family) => resolve({ error, address, family })),
    );
  }

  it('hands loopback addresses on, as one address or all of them', async () => {
    const policy: TargetPolicy = { ...loopbackOnly, resolve: resolveTo(['127.0.0.1', '::1']) };
    expect(await lookup(policy, 'http://app.example.test:3000/', false)).toEqual({ error: null, address: '127.0.0.1', family: 4 });
    expect(await lookup(policy, 'http://app.example.test:3000/', true)).toMatchObject({
      error: null,
      address: [
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 },
      ],
    });
  });

  it('fails the lookup with the refusal when any address is beyond loopback', async () => {
    const policy: TargetPolicy = { ...loopbackOnly, resolve: resolveTo(['127.0.0.1', '198.51.100.7']) };
    const { error, address } = await lookup(policy, 'http://app.example.test:3000/', true);
    expect(error).toBeInstanceOf(TargetRefusedError);
    expect(error?.message).toMatch(/^app\.example\.test resolves to 198\.51\.100\.7/);
    expect(address).toEqual([]);
  });

  it('passes a resolver error on', async () => {
    const failing: TargetPolicy = {
      ...loopbackOnly,
      resolve: (hostname, callback) => callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []),
    };
    const { error } = await lookup(failing, 'http://nowhere.example.test/', false);
    expect(error?.code).toBe('ENOTFOUND');
  });

  it('asks the injected resolver, with the host name of the target', async () => {
    const asked: string[] = [];
    const policy: TargetPolicy = {
      ...loopbackOnly,
      resolve: (hostname, callback) => {
        asked.push(hostname);
        callback(null, [{ address: '127.0.0.1', family: 4 }]);
      },
    };
    await lookup(policy, 'http://app.example.test:3000/', false);
    expect(asked).toEqual(['app.example.test']);
  });
});
