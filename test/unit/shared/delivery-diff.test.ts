import { describe, expect, it } from 'vitest';
import { diffDeliveries, type DiffSide, type JsonChange } from '../../../src/shared/delivery-diff';

/** A side of the diff: these exact bytes, these headers. */
function side(body: string | Buffer | null, headers: [string, string][] = [['Content-Type', 'application/json']]): DiffSide {
  return { bodyBase64: body === null ? null : Buffer.from(body).toString('base64'), headers };
}

const original = {
  id: 'evt_01JQZ8X7Y6W5V4T3S2R1Q0P9N8',
  type: 'review.analysed',
  created_at: '2026-04-24T14:30:00Z',
  api_version: 'v1',
  data: { analysis_id: 'rs_ana_1', review_id: 'wc_rev_1042', sentiment: 'positive', score: 87, topics: ['shipping', 'quality'], draft: 'Thanks!' },
};

function byKind(changes: JsonChange[], kind: JsonChange['kind']): JsonChange[] {
  return changes.filter((change) => change.kind === kind);
}

describe('diffDeliveries: a retry against its original', () => {
  // The retry: score changed, a key added (data.language), one removed (data.draft), the
  // envelope's keys in another order (type before id), and a topic appended.
  const retry = {
    type: 'review.analysed',
    id: 'evt_01JQZ8X7Y6W5V4T3S2R1Q0P9N8',
    created_at: '2026-04-24T14:30:00Z',
    api_version: 'v1',
    data: { analysis_id: 'rs_ana_1', review_id: 'wc_rev_1042', sentiment: 'positive', score: 42, topics: ['shipping', 'quality', 'price'], language: 'en' },
  };
  const result = diffDeliveries(side(JSON.stringify(original)), side(JSON.stringify(retry)));

  it('compares by key, not by text', () => {
    expect(result.json).toBe(true);
    expect(result.sameBytes).toBe(false);
    // Not equal JSON, so no byte note: the changes say what differs.
    expect(result.byteNote).toBeNull();
  });

  it('reports a changed value with before and after', () => {
    expect(byKind(result.changes, 'changed')).toEqual([{ kind: 'changed', path: 'data.score', before: 87, after: 42 }]);
  });

  it('reports an added key and an array element added as added', () => {
    const added = byKind(result.changes, 'added');
    expect(added).toHaveLength(2);
    expect(added).toContainEqual({ kind: 'added', path: 'data.language', after: 'en' });
    expect(added).toContainEqual({ kind: 'added', path: 'data.topics[2]', after: 'price' });
    for (const change of added) expect(change).not.toHaveProperty('before');
  });

  it('reports a removed key with its old value', () => {
    expect(byKind(result.changes, 'removed')).toEqual([{ kind: 'removed', path: 'data.draft', before: 'Thanks!' }]);
    expect(byKind(result.changes, 'removed')[0]).not.toHaveProperty('after');
  });

  it('reports keys in another order as moved, with both orders', () => {
    const moved = byKind(result.changes, 'moved');
    expect(moved).toEqual([
      { kind: 'moved', path: '(root)', before: ['id', 'type', 'created_at', 'api_version', 'data'], after: ['type', 'id', 'created_at', 'api_version', 'data'] },
    ]);
    // `data` lost draft and gained language, but its shared keys kept their order: not moved.
    expect(moved.some((change) => change.path === 'data')).toBe(false);
  });

  it('has exactly these five changes', () => {
    expect(result.changes).toHaveLength(5);
  });

  it('names keys that are not identifiers in bracket notation', () => {
    const left = { data: { 'x-weird key': 1, list: [{ a: 1 }] } };
    const right = { data: { 'x-weird key': 2, list: [{ a: 2 }] } };
    const { changes } = diffDeliveries(side(JSON.stringify(left)), side(JSON.stringify(right)));
    expect(changes.map((change) => change.path).sort()).toEqual(['data.list[0].a', 'data["x-weird key"]']);
  });
});

describe('diffDeliveries: headers side by side', () => {
  const left: [string, string][] = [
    ['Content-Type', 'application/json'],
    ['User-Agent', 'ReviewSense-Webhooks/1.0'],
    ['X-ReviewSense-Signature', 'a'.repeat(64)],
    ['X-Trace', 'one'],
    ['X-Trace', 'two'],
    ['X-Only-Left', 'here'],
  ];
  const right: [string, string][] = [
    ['content-type', 'application/json'],
    ['X-ReviewSense-Signature', 'b'.repeat(64)],
    ['User-Agent', 'ReviewSense-Webhooks/1.0'],
    ['X-Trace', 'one'],
    ['X-Only-Right', 'there'],
  ];
  const { headers } = diffDeliveries(side('{}', left), side('{}', right));
  const row = (name: string) => headers.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());

  it('lists each header name once, matched case-insensitively, in first-seen order', () => {
    expect(headers.map((header) => header.name)).toEqual(['Content-Type', 'User-Agent', 'X-ReviewSense-Signature', 'X-Trace', 'X-Only-Left', 'X-Only-Right']);
  });

  it('marks equal values same, whatever the name case or position', () => {
    expect(row('content-type')).toEqual({ name: 'Content-Type', left: ['application/json'], right: ['application/json'], same: true });
    expect(row('user-agent')?.same).toBe(true);
  });

  it('shows a changed value on both sides', () => {
    expect(row('x-reviewsense-signature')).toEqual({ name: 'X-ReviewSense-Signature', left: ['a'.repeat(64)], right: ['b'.repeat(64)], same: false });
  });

  it('shows a header present on one side only with an empty other side', () => {
    expect(row('x-only-left')).toEqual({ name: 'X-Only-Left', left: ['here'], right: [], same: false });
    expect(row('x-only-right')).toEqual({ name: 'X-Only-Right', left: [], right: ['there'], same: false });
  });

  it('keeps every value of a repeated header, in order', () => {
    expect(row('x-trace')).toEqual({ name: 'X-Trace', left: ['one', 'two'], right: ['one'], same: false });
    const twice: [string, string][] = [
      ['X-Trace', 'one'],
      ['X-Trace', 'two'],
    ];
    const swapped: [string, string][] = [
      ['X-Trace', 'two'],
      ['X-Trace', 'one'],
    ];
    expect(diffDeliveries(side('{}', twice), side('{}', twice)).headers).toEqual([{ name: 'X-Trace', left: ['one', 'two'], right: ['one', 'two'], same: true }]);
    // Order matters for a repeated header (which copy does a handler read?).
    expect(diffDeliveries(side('{}', twice), side('{}', swapped)).headers[0]?.same).toBe(false);
  });
});

describe('diffDeliveries: bytes against JSON', () => {
  const compact = JSON.stringify(original);

  it('equal JSON with other whitespace: a byte note and no changes', () => {
    const pretty = JSON.stringify(original, null, 2);
    const result = diffDeliveries(side(compact), side(pretty));
    expect(result).toMatchObject({ json: true, sameBytes: false, changes: [] });
    expect(result.byteNote).toContain(`${Buffer.byteLength(compact)} vs ${Buffer.byteLength(pretty)} bytes`);
    expect(result.byteNote).toMatch(/whitespace or escaping/);
    expect(result.byteNote).toMatch(/signature/);
  });

  it('equal JSON with other escaping: a byte note', () => {
    const escaped = compact.replace('Thanks!', '\\u0054hanks!');
    expect(escaped).not.toBe(compact);
    const result = diffDeliveries(side(compact), side(escaped));
    expect(result).toMatchObject({ json: true, sameBytes: false, changes: [] });
    expect(result.byteNote).toMatch(/whitespace or escaping/);
  });

  it('equal JSON with keys in another order: a byte note, and changes holding only moves', () => {
    // The envelope's keys reversed, and data's score before sentiment: the same JSON, other bytes.
    const { analysis_id, review_id, sentiment, score, topics, draft } = original.data;
    const reordered = JSON.stringify({
      data: { analysis_id, review_id, score, sentiment, topics, draft },
      api_version: original.api_version,
      created_at: original.created_at,
      type: original.type,
      id: original.id,
    });
    expect(JSON.parse(reordered)).toEqual(original);
    const result = diffDeliveries(side(compact), side(reordered));
    expect(result.json).toBe(true);
    expect(result.sameBytes).toBe(false);
    expect(result.changes.length).toBeGreaterThan(0);
    expect(result.changes.every((change) => change.kind === 'moved')).toBe(true);
    expect(result.changes.map((change) => change.path).sort()).toEqual(['(root)', 'data']);
    expect(result.byteNote).toMatch(/keys in another order/);
  });

  it('identical bytes: sameBytes, no note, no changes', () => {
    const result = diffDeliveries(side(compact), side(compact));
    expect(result).toMatchObject({ json: true, sameBytes: true, byteNote: null, changes: [] });
  });

  it('identical binary bytes are sameBytes too', () => {
    const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x7f]);
    expect(diffDeliveries(side(bytes), side(Buffer.from(bytes)))).toMatchObject({ json: false, sameBytes: true, byteNote: null, changes: [] });
    expect(diffDeliveries(side(bytes), side(Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x7e]))).sameBytes).toBe(false);
  });

  it('bodies of different lengths are not sameBytes even when one is a prefix of the other', () => {
    expect(diffDeliveries(side('{"a":1}'), side('{"a":1} ')).sameBytes).toBe(false);
  });
});

describe('diffDeliveries: bodies that are not JSON', () => {
  it('text that does not parse: json false, no changes, no note', () => {
    const result = diffDeliveries(side('hello=world'), side('hello=there'));
    expect(result).toMatchObject({ json: false, changes: [], sameBytes: false, byteNote: null });
  });

  it('one side JSON, the other not: json false', () => {
    expect(diffDeliveries(side('{"a":1}'), side('{"a":1')).json).toBe(false);
    expect(diffDeliveries(side('not json'), side('{"a":1}')).json).toBe(false);
  });

  it('bytes that are not UTF-8 (JSON-looking or not): json false', () => {
    const binary = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    expect(diffDeliveries(side(binary), side('{"a":"x"}')).json).toBe(false);
  });

  it('a JSON scalar is not compared by key', () => {
    expect(diffDeliveries(side('1'), side('2'))).toMatchObject({ json: false, sameBytes: false });
    expect(diffDeliveries(side('null'), side('{}')).json).toBe(false);
  });

  it('no body (a rejected delivery) against no body: same bytes, not JSON', () => {
    expect(diffDeliveries(side(null), side(null))).toMatchObject({ json: false, sameBytes: true, changes: [], byteNote: null });
    expect(diffDeliveries(side(null), side('{}'))).toMatchObject({ json: false, sameBytes: false });
  });
});
