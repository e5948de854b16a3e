import { describe, expect, it } from 'vitest';
import { decodeDelivery, decodeHello, encodeDelivery, encodeEvent, RelayProtocolError, relayStreamUrl } from '../../../src/main/relay/protocol';
import { createSseParser, SseLineTooLong, type SseEvent } from '../../../src/main/relay/sse-parser';
import type { RelayRow } from '../../../src/main/store/relay-stream-repository';

function parseAll(chunks: Buffer[], max = 1024 * 1024): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createSseParser((event) => events.push(event), max);
  for (const chunk of chunks) parser.feed(chunk);
  return events;
}

const ROW: RelayRow = {
  id: 7,
  received_at: 1_777_000_000_123,
  method: 'POST',
  path: '/hooks/reviewsense?x=1',
  headers: JSON.stringify([['Content-Type', 'application/json'], ['X-Name', 'Zoë'], ['X-Name', 'b']]),
  raw_headers: JSON.stringify([['Content-Type', 'application/json'], ['X-Name', Buffer.from('Zoë').toString('latin1')], ['X-Name', 'b']]),
  body: Buffer.from([0x7b, 0x00, 0xff, 0x0a, 0x7d]),
  body_size: 5,
  remote_address: '203.0.113.9',
  signature_status: 'invalid',
  response_status: 200,
  rejection: null,
};

describe('the relay protocol', () => {
  it('carries a stored delivery byte-exact: body and header bytes in base64, text headers in order with duplicates', () => {
    const [event] = parseAll([encodeDelivery(ROW, 9)]);
    expect(event).toMatchObject({ event: 'delivery', id: '7' });
    const delivery = decodeDelivery(event?.data ?? '');
    expect(Buffer.from(delivery.bodyBase64 ?? '', 'base64')).toEqual(ROW.body);
    expect(delivery.headers).toEqual([['Content-Type', 'application/json'], ['X-Name', 'Zoë'], ['X-Name', 'b']]);
    expect(delivery.rawHeadersBase64?.map(([name, value]) => [name, Buffer.from(value, 'base64')])).toEqual([
      ['Content-Type', Buffer.from('application/json')],
      ['X-Name', Buffer.from('Zoë', 'utf8')],
      ['X-Name', Buffer.from('b')],
    ]);
    expect(delivery).toMatchObject({ id: 7, receivedAt: ROW.received_at, path: ROW.path, signature: 'invalid', status: 200, head: 9, remoteAddress: '203.0.113.9' });
  });

  it('carries a refused body as null with its rejection', () => {
    const [event] = parseAll([encodeDelivery({ ...ROW, body: null, raw_headers: null, body_size: 10_000_000, response_status: 413, rejection: 'too large' }, 7)]);
    expect(decodeDelivery(event?.data ?? '')).toMatchObject({ bodyBase64: null, rawHeadersBase64: null, bodySize: 10_000_000, status: 413, rejection: 'too large' });
  });

  it('refuses what it cannot read, naming the field', () => {
    expect(() => decodeHello('{"relay":"r","head":"1","after":0,"heartbeatMs":1000,"oldest":null}')).toThrow(RelayProtocolError);
    expect(() => decodeDelivery('[1]')).toThrow(/not a JSON object/);
    expect(() => decodeDelivery(JSON.stringify({ ...JSON.parse(encodeEventData(ROW)), signature: 'great' }))).toThrow(/signature or status/);
  });

  it.each([
    ['https://relay.example.com', 'https://relay.example.com/relay/v1/stream'],
    ['https://relay.example.com/', 'https://relay.example.com/relay/v1/stream'],
    ['https://relay.example.com/relay/v1/stream', 'https://relay.example.com/relay/v1/stream'],
    ['http://127.0.0.1:8790/team/', 'http://127.0.0.1:8790/team/relay/v1/stream'],
  ])('takes %s as the stream %s', (given, stream) => {
    expect(relayStreamUrl(given)).toBe(stream);
  });

  it.each(['relay.example.com', 'ftp://relay.example.com', 'https://me:pw@relay.example.com'])('refuses %s with a sentence', (given) => {
    expect(() => relayStreamUrl(given)).toThrow(/relay/i);
  });
});

function encodeEventData(row: RelayRow): string {
  return /data: (.*)\n/.exec(encodeDelivery(row, 1).toString())?.[1] ?? '';
}

describe('the event-stream parser', () => {
  it('reads events split anywhere, with CRLF or LF, skipping comments (heartbeats)', () => {
    const text = Buffer.from(`retry: 2000\r\n${encodeEvent('hello', { a: 1 }).toString()}: heartbeat\n\nevent: gap\r\ndata: {"x":"é"}\r\n\r\n`);
    const oneByOne = parseAll([...text].map((byte) => Buffer.from([byte])));
    expect(oneByOne).toEqual([
      { event: 'hello', data: '{"a":1}', id: null },
      { event: 'gap', data: '{"x":"é"}', id: null },
    ]);
    expect(parseAll([text])).toEqual(oneByOne);
  });

  it('joins data lines, keeps the id, and refuses a line longer than it keeps', () => {
    expect(parseAll([Buffer.from('id: 5\ndata: a\ndata: b\n\n')])).toEqual([{ event: 'message', data: 'a\nb', id: '5' }]);
    expect(() => parseAll([Buffer.from('data: '), Buffer.alloc(2000, 0x61)], 1000)).toThrow(SseLineTooLong);
  });
});
