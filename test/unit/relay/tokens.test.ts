import { describe, expect, it } from 'vitest';
import { clientKey, createFailureLimiter } from '../../../src/main/relay/failure-limiter';
import { checkToken, hashToken, newToken, tokenNameProblem } from '../../../src/main/relay/tokens';

describe('relay tokens', () => {
  it('are 256 random bits, different each time, and stored as their SHA-256', () => {
    const [a, b] = [newToken(), newToken()];
    expect(a).toMatch(/^hlr_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(hashToken(a)).toHaveLength(32);
    expect(hashToken(a).equals(hashToken(a))).toBe(true);
  });

  it('finds the token a hash belongs to, says a revoked one is revoked, and nothing for a stranger', () => {
    const alice = newToken();
    const bob = newToken();
    const stored = [
      { id: 1, name: 'alice', hash: hashToken(alice), revoked: false },
      { id: 2, name: 'bob', hash: hashToken(bob), revoked: true },
    ];
    expect(checkToken(alice, stored)).toEqual({ ok: true, id: 1, name: 'alice' });
    expect(checkToken(bob, stored)).toEqual({ ok: false, revoked: 'bob' });
    expect(checkToken(`${alice}x`, stored)).toEqual({ ok: false, revoked: null });
    expect(checkToken('', stored)).toEqual({ ok: false, revoked: null });
  });

  it.each(['alice', 'ci.bot', 'dev@laptop-2', 'A'])('takes the name %s', (name) => expect(tokenNameProblem(name)).toBeNull());
  it.each(['', '-x', 'a b', 'a\u001b[2J', 'x'.repeat(65)])('refuses the name %j with a sentence', (name) => expect(tokenNameProblem(name)).toMatch(/^A token name is/));
});

describe('failed attempts, per client', () => {
  it('lets a burst through, then one more per refill, and forgets a client that stopped failing', () => {
    let now = 0;
    const limiter = createFailureLimiter({ burst: 3, refillMs: 1_000, maxClients: 10, clock: () => now });
    for (let i = 0; i < 3; i++) {
      expect(limiter.waitMs('a')).toBe(0);
      limiter.failed('a');
    }
    expect(limiter.waitMs('a')).toBe(1_000);
    expect(limiter.waitMs('b')).toBe(0);
    now = 999;
    expect(limiter.waitMs('a')).toBe(1);
    now = 1_000;
    expect(limiter.waitMs('a')).toBe(0);
    limiter.failed('a');
    expect(limiter.waitMs('a')).toBe(1_000);
    now = 10_000;
    expect(limiter.waitMs('a')).toBe(0);
  });

  it('remembers at most maxClients, forgetting the least recent', () => {
    const limiter = createFailureLimiter({ burst: 1, refillMs: 60_000, maxClients: 2, clock: () => 0 });
    for (const key of ['a', 'b', 'c']) limiter.failed(key);
    expect(['a', 'b', 'c'].map((key) => limiter.waitMs(key) > 0)).toEqual([false, true, true]);
  });

  it('counts a proxied client by the address the proxy saw, anyone else by the connection', () => {
    expect(clientKey('127.0.0.1', '198.51.100.1, 203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::1', '203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('198.51.100.4', '203.0.113.7')).toBe('198.51.100.4');
    expect(clientKey('127.0.0.1', undefined)).toBe('127.0.0.1');
  });
});
