// sendRequest (the sender's HTTP exchange): the bytes on the wire, the body byte for byte with an
// exact Content-Length and the hop-by-hop headers recomputed.
import { describe, expect, it } from 'vitest';
import { sendRequest } from '../../../src/main/sender/http-send';
import { valuesOf } from '../../helpers/app-server';
import { appScope, loopbackOnly, only, post } from './http-send-harness';

const { app } = appScope();

/** The raw header block and the bytes after it, split where HTTP splits them. */
function splitWire(wire: Buffer): { head: string; after: Buffer } {
  const end = wire.indexOf('\r\n\r\n');
  expect(end).toBeGreaterThan(0);
  return { head: wire.subarray(0, end).toString('latin1'), after: wire.subarray(end + 4) };
}

describe('sendRequest: the bytes on the wire', () => {
  it('sends the body byte for byte with an exact Content-Length, never chunked', async () => {
    const target = await app();
    // UTF-8 beyond ASCII, a NUL, a byte that is not UTF-8, and a trailing newline: nothing may be re-encoded.
    const body = Buffer.concat([Buffer.from('{"text":"café – ✓ 👍"}\n'), Buffer.from([0x00, 0xff, 0x0a])]);
    const { sent, answer } = await sendRequest(post(target.url(), body), { policy: loopbackOnly });

    expect(answer).toMatchObject({ status: 200, error: null, refused: false, truncated: false });
    expect(answer.body?.toString()).toBe('ok');
    const received = only(target);
    expect(received.body.equals(body)).toBe(true);
    expect(valuesOf(received.headers, 'content-length')).toEqual([String(body.length)]);
    expect(valuesOf(received.headers, 'transfer-encoding')).toEqual([]);
    const { head, after } = splitWire(received.wire());
    expect(head).not.toMatch(/chunked/i);
    expect(head.split('\r\n')[0]).toBe('POST /hooks/reviewsense HTTP/1.1');
    // After the header block comes the body itself, with no chunk framing and nothing more.
    expect(after.equals(body)).toBe(true);
    // What the attempt records as sent is what arrived.
    expect(received.headers).toEqual(sent.headers);
    expect(sent.body.equals(body)).toBe(true);
  });

  it('sends an empty body with Content-Length: 0', async () => {
    const target = await app();
    await sendRequest(post(target.url(), Buffer.alloc(0)), { policy: loopbackOnly });
    const received = only(target);
    expect(received.body.length).toBe(0);
    expect(valuesOf(received.headers, 'content-length')).toEqual(['0']);
    expect(splitWire(received.wire()).after.length).toBe(0);
  });

  it('sends a 2 MiB body in one Content-Length message too', async () => {
    const target = await app();
    const body = Buffer.alloc(2 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = i % 251;
    const { answer } = await sendRequest(post(target.url(), body), { policy: loopbackOnly });
    expect(answer.status).toBe(200);
    const received = only(target);
    expect(received.body.equals(body)).toBe(true);
    expect(valuesOf(received.headers, 'content-length')).toEqual([String(body.length)]);
    expect(valuesOf(received.headers, 'transfer-encoding')).toEqual([]);
    expect(splitWire(received.wire()).after.equals(body)).toBe(true);
  });

  it('recomputes the hop-by-hop headers (Host, Content-Length, Connection) and drops the others, keeping the rest in order', async () => {
    const target = await app();
    const body = Buffer.from('{"id":"evt_hop"}');
    const given: [string, string][] = [
      ['Host', 'api.reviewsense.example:443'],
      ['Content-Type', 'application/json'],
      ['Connection', 'keep-alive, X-Per-Hop'],
      ['Keep-Alive', 'timeout=5, max=100'],
      ['X-Per-Hop', 'named by Connection'],
      ['Transfer-Encoding', 'chunked'],
      ['Content-Length', '999'],
      ['Proxy-Connection', 'keep-alive'],
      ['TE', 'trailers'],
      ['Trailer', 'X-Checksum'],
      ['Upgrade', 'h2c'],
      ['Expect', '100-continue'],
      ['X-ReviewSense-Signature', 'a'.repeat(64)],
      ['User-Agent', 'ReviewSense-Webhooks/1.0'],
      ['x-lower-case', 'kept as written'],
    ];
    const { sent } = await sendRequest(post(target.url('/in'), body, given), { policy: loopbackOnly });
    const received = only(target);
    expect(received.headers).toEqual([
      ['Host', `127.0.0.1:${target.port}`],
      ['Content-Type', 'application/json'],
      ['X-ReviewSense-Signature', 'a'.repeat(64)],
      ['User-Agent', 'ReviewSense-Webhooks/1.0'],
      ['x-lower-case', 'kept as written'],
      ['Content-Length', String(body.length)],
      ['Connection', 'close'],
    ]);
    expect(sent.headers).toEqual(received.headers);
    expect(received.body.equals(body)).toBe(true);
    expect(splitWire(received.wire()).head).not.toMatch(/chunked|keep-alive|100-continue|h2c/i);
  });

  it('drops every header named by any Connection header, not only by the first one', async () => {
    // RFC 9110 §7.6.1: Connection is a list; several Connection lines are one list.
    const target = await app();
    await sendRequest(
      post(target.url(), Buffer.from('{}'), [
        ['Connection', 'keep-alive'],
        ['Connection', 'X-Second-Hop'],
        ['X-Second-Hop', 'for the previous connection only'],
        ['X-End-To-End', 'kept'],
      ]),
      { policy: loopbackOnly },
    );
    const received = only(target);
    expect(valuesOf(received.headers, 'x-end-to-end')).toEqual(['kept']);
    expect(valuesOf(received.headers, 'x-second-hop')).toEqual([]);
    expect(valuesOf(received.headers, 'connection')).toEqual(['close']);
  });
});
