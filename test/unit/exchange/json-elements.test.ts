import { describe, expect, it } from 'vitest';
import { createJsonElementReader, JsonShapeError, type JsonElement } from '../../../src/main/exchange/json-elements';
import { lines } from '../../../src/main/exchange/lines';

const PATHS = [['deliveries'], ['log', 'entries']] as const;

/** The document fed in chunks of `size` bytes: the elements, or the error's message. */
function read(document: string | Buffer, size: number, maxBytes = 1 << 30): (JsonElement | string)[] {
  const reader = createJsonElementReader(PATHS, maxBytes);
  const bytes = Buffer.isBuffer(document) ? document : Buffer.from(document);
  const out: (JsonElement | string)[] = [];
  try {
    for (let at = 0; at < bytes.length; at += size) out.push(...reader.push(bytes.subarray(at, at + size)));
    out.push(...reader.end());
  } catch (error) {
    if (!(error instanceof JsonShapeError)) throw error;
    out.push(error.message);
  }
  return out;
}

const texts = (out: (JsonElement | string)[]) => out.map((entry) => (typeof entry === 'string' ? entry : entry.text));

describe('the elements of an export, read a chunk at a time', () => {
  // Keys and strings holding every character that means something to the scanner.
  const deliveries = [{ a: 'q"\\', b: [1, { c: '}]{[' }], 'k"}': '\\"' }, 2, 's\\"', null, [], {}, 'é ✓ 😀'];
  const document = JSON.stringify({ format: 'hooklens-export', 'deliv\\"eries': { deliveries: [1] }, exportedAt: '[{"', deliveries, tail: true });

  it('gives each element of "deliveries" exactly, whatever the chunk boundaries (every size from 1 byte)', () => {
    const expected = deliveries.map((value) => JSON.stringify(value));
    for (let size = 1; size <= document.length; size++) expect(texts(read(document, size)), `chunks of ${size}`).toEqual(expected);
  });

  it('gives the index of each element, and reads a HAR\'s log.entries', () => {
    const har = JSON.stringify({ log: { version: '1.2', creator: { name: 'x', entries: [9] }, entries: [{ x: 1 }, { y: 'z' }] } });
    expect(read(har, 5)).toEqual([
      { array: 1, index: 0, text: '{"x":1}', bytes: 7 },
      { array: 1, index: 1, text: '{"y":"z"}', bytes: 9 },
    ]);
  });

  it('keeps no element over the limit: it comes out as its size, and the next one is whole', () => {
    const big = { body: 'x'.repeat(1_000) };
    const out = read(JSON.stringify({ deliveries: [big, { small: true }] }), 64, 500);
    expect(out).toEqual([
      { array: 0, index: 0, text: null, bytes: JSON.stringify(big).length },
      { array: 0, index: 1, text: '{"small":true}', bytes: 14 },
    ]);
  });

  it('reads past a byte order mark split across chunks', () => {
    expect(texts(read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"deliveries":[ 1 , true ]}')]), 1))).toEqual(['1', 'true']);
  });

  it.each([
    ['{"deliveries":[{"a":1},{"b":2', ['{"a":1}', 'ends at byte 29, before its JSON does (cut short?)']],
    ['{"deliveries":[1,]}', ['1', 'is not JSON: unexpected "]" at byte 17']],
    ['{"deliveries":[1]}{"b":2}', ['1', 'is not JSON: text after the end of the document at byte 18']],
    ['{"a" 1}', ['is not JSON: ":" expected, "1" found at byte 5']],
    ['{"deliveries":[1}', ['1', 'is not JSON: unexpected "}" at byte 16']],
    ['', ['ends at byte 0, before its JSON does (cut short?)']],
  ])('%s: the elements before the fault, then where it is', (document, expected) => {
    for (const size of [1, 4, 1000]) expect(texts(read(document, size))).toEqual(expected);
  });

  it('a document without the arrays gives nothing', () => {
    expect(read('{"deliveries":{"x":[1]},"log":[]}', 3)).toEqual([]);
  });
});

describe('lines, read a chunk at a time', () => {
  async function* chunks(text: string, size: number) {
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
  }
  const all = async (text: string, size: number, max = 1 << 30) => {
    const out = [];
    for await (const line of lines(chunks(text, size), max)) out.push(line);
    return out;
  };

  it('splits on LF and CRLF, numbers from 1, keeps multi-byte characters across chunks, and a last line without LF', async () => {
    for (const size of [1, 2, 3, 100]) {
      expect(await all('a\r\nbé\n\nlast', size)).toEqual([
        { number: 1, text: 'a', bytes: 2 },
        { number: 2, text: 'bé', bytes: 3 },
        { number: 3, text: '', bytes: 0 },
        { number: 4, text: 'last', bytes: 4 },
      ]);
    }
  });

  it('counts a line over the limit without keeping it', async () => {
    expect(await all(`short\n${'x'.repeat(100)}\nafter\n`, 7, 50)).toEqual([
      { number: 1, text: 'short', bytes: 5 },
      { number: 2, text: null, bytes: 100 },
      { number: 3, text: 'after', bytes: 5 },
    ]);
  });
});
