import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readEnvelope } from '../../../src/main/profile/envelope';

const envelope = { id: 'evt_1', type: 'webhook.test', created_at: '2026-04-24T14:30:00Z', api_version: 'v1', data: {} };
const limit = 1024 * 1024;

describe('readEnvelope', () => {
  it('reads id and type of a ReviewSense envelope', () => {
    const reading = readEnvelope(Buffer.from(JSON.stringify(envelope)), null, limit);
    expect(reading).toMatchObject({ eventId: 'evt_1', eventType: 'webhook.test', problem: null });
    expect(reading.text).toContain('evt_1');
  });

  it('explains an empty body, invalid JSON, non-UTF-8 bytes and a non-object', () => {
    expect(readEnvelope(Buffer.alloc(0), null, limit).problem).toMatch(/empty/);
    expect(readEnvelope(Buffer.from('{"id":'), null, limit).problem).toMatch(/not valid JSON/);
    expect(readEnvelope(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), null, limit).problem).toMatch(/not valid UTF-8/);
    expect(readEnvelope(Buffer.from('[1,2]'), null, limit).problem).toMatch(/not an object/);
  });

  it('reads an id or type only when it is a string, as the catalogue types them', () => {
    expect(readEnvelope(Buffer.from(JSON.stringify({ ...envelope, id: 7, type: ['webhook.test'] })), null, limit)).toMatchObject({ eventId: null, eventType: null, problem: null });
    expect(readEnvelope(Buffer.from(JSON.stringify({ ...envelope, id: 'no-prefix', type: 'made.up' })), null, limit)).toMatchObject({ eventId: 'no-prefix', eventType: 'made.up' });
  });

  it('names the envelope fields that are missing', () => {
    expect(readEnvelope(Buffer.from('{"id":"evt_2"}'), null, limit)).toMatchObject({ eventId: 'evt_2', problem: expect.stringMatching(/"type", "created_at", "api_version", "data"/) });
  });

  it('reads through a gzip Content-Encoding and explains one that does not decode', () => {
    const gz = gzipSync(JSON.stringify(envelope));
    expect(readEnvelope(gz, 'gzip', limit)).toMatchObject({ eventId: 'evt_1', problem: null });
    expect(readEnvelope(Buffer.from('plain'), 'gzip', limit).problem).toMatch(/does not decode/);
    expect(readEnvelope(Buffer.from('x'), 'zstd', limit).problem).toMatch(/cannot decode/);
  });

  it('refuses a decompression bomb beyond the limit', () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20));
    expect(readEnvelope(bomb, 'gzip', limit).problem).toMatch(/does not decode/);
  });
});
