/**
 * The elements of chosen arrays inside one JSON document, read from a stream one element at a
 * time: a 600 MB export takes the memory of its largest element, never of the file. Only the
 * document's structure is followed here (brackets, strings, keys); each element's own text is
 * left to JSON.parse. An element over `maxBytes` is not kept: it comes out as its size alone.
 */

/** The document is not JSON (or ends early); says where, as the end of a sentence naming the file. */
export class JsonShapeError extends Error {
  override name = 'JsonShapeError';
}

export interface JsonElement {
  /** Which of the paths asked for this element is in (its position in `paths`). */
  array: number;
  /** Its position in that array, from 0. */
  index: number;
  /** Its text; null when it is over the limit. */
  text: string | null;
  bytes: number;
}

interface Frame {
  kind: 'object' | 'array';
  path: string[];
  /** What comes next: a key, a colon, a value, or a comma (or the closing bracket). */
  expect: 'key' | 'colon' | 'value' | 'comma';
  /** The key of the value being read (objects). */
  key: string;
  /** Values read so far. */
  count: number;
  /** Which asked-for array this is; -1 for any other. */
  array: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MAX_KEY_BYTES = 1024;

const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

export function createJsonElementReader(paths: readonly (readonly string[])[], maxBytes: number) {
  const stack: Frame[] = [];
  let offset = 0;
  let rootDone = false;
  /** Inside a value string, and whether a backslash escapes the next byte. */
  let inString = false;
  let escaped = false;
  /** Inside a key: its bytes so far (kept to know the path; a longer key is no path asked for). */
  let key: number[] | null = null;
  let primitive = false;
  /** The element being read: where it starts in this chunk, its parts so far (null once over the limit). */
  let element: { frame: Frame; parts: Buffer[] | null; bytes: number; start: number } | null = null;
  let out: JsonElement[] = [];

  const fail = (what: string, at: number): never => {
    throw new JsonShapeError(`is not JSON: ${what} at byte ${at}`);
  };
  const unexpected = (byte: number, at: number): never => fail(`unexpected "${String.fromCharCode(byte)}"`, offset + at);

  /** A value inside the top frame (or the root) has ended; `end` is one past its last byte in `chunk`. */
  function valueEnded(chunk: Buffer, end: number): void {
    const frame = stack.at(-1);
    if (!frame) {
      rootDone = true;
      return;
    }
    frame.expect = 'comma';
    frame.count++;
    if (element?.frame !== frame) return;
    element.bytes += end - element.start;
    const kept = element.parts !== null && element.bytes <= maxBytes;
    if (kept) element.parts?.push(chunk.subarray(element.start, end));
    out.push({ array: frame.array, index: frame.count - 1, text: kept ? Buffer.concat(element.parts as Buffer[]).toString('utf8') : null, bytes: element.bytes });
    element = null;
  }

  function startValue(byte: number, at: number): void {
    const parent = stack.at(-1);
    if (parent) {
      if (parent.expect !== 'value') unexpected(byte, at);
      if (parent.array >= 0) element = { frame: parent, parts: [], bytes: 0, start: at };
    } else if (rootDone) fail('text after the end of the document', offset + at);
    if (byte === 0x7b || byte === 0x5b) {
      const path = parent ? [...parent.path, parent.kind === 'object' ? parent.key : '*'] : [];
      const kind = byte === 0x7b ? 'object' : 'array';
      const array = kind === 'array' ? paths.findIndex((wanted) => wanted.length === path.length && wanted.every((part, index) => part === path[index])) : -1;
      stack.push({ kind, path, expect: kind === 'object' ? 'key' : 'value', key: '', count: 0, array });
    } else if (byte === QUOTE) inString = true;
    else primitive = true;
  }

  function close(byte: number, chunk: Buffer, at: number): void {
    const frame = stack.at(-1);
    if (!frame || frame.kind !== (byte === 0x7d ? 'object' : 'array')) return unexpected(byte, at);
    // After a value, or empty: a close right after a comma or a colon is not JSON.
    const empty = frame.count === 0 && frame.expect === (frame.kind === 'object' ? 'key' : 'value');
    if (frame.expect !== 'comma' && !empty) unexpected(byte, at);
    stack.pop();
    valueEnded(chunk, at + 1);
  }

  /** The first bytes, until there are enough to tell a byte order mark (EF BB BF) from the document. */
  let head: Buffer | null = Buffer.alloc(0);

  /** Where the document stopped being JSON: the elements before it still come out first. */
  let broken: JsonShapeError | null = null;

  /** Reads the next bytes; returns the elements they completed (and throws at the next call once broken). */
  function push(next: Buffer): JsonElement[] {
    if (broken) throw broken;
    out = [];
    try {
      read(next);
    } catch (error) {
      if (!(error instanceof JsonShapeError)) throw error;
      broken = error;
    }
    return out;
  }

  function read(next: Buffer): void {
    let chunk = next;
    let i = 0;
    if (head !== null) {
      chunk = Buffer.concat([head, next]);
      if (chunk.length < 3) {
        head = chunk;
        return;
      }
      head = null;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    }
    if (element) element.start = 0;
    const length = chunk.length;
    while (i < length) {
      if (inString) {
        if (escaped) {
          escaped = false;
          i++;
          continue;
        }
        // Jump to the next quote or backslash: most of an export is long strings (base64 bodies).
        const quote = chunk.indexOf(QUOTE, i);
        const slash = quote === -1 ? chunk.indexOf(BACKSLASH, i) : chunk.subarray(i, quote).indexOf(BACKSLASH);
        if (quote === -1 && slash === -1) break;
        if (slash !== -1) {
          escaped = true;
          i = (quote === -1 ? slash : i + slash) + 1;
          continue;
        }
        inString = false;
        i = quote + 1;
        valueEnded(chunk, i);
        continue;
      }
      const byte = chunk[i] as number;
      if (key !== null) {
        if (escaped) escaped = false;
        else if (byte === BACKSLASH) escaped = true;
        else if (byte === QUOTE) {
          const frame = stack.at(-1) as Frame;
          try {
            frame.key = key.length <= MAX_KEY_BYTES ? (JSON.parse(`"${Buffer.from(key).toString('utf8')}"`) as string) : '';
          } catch {
            fail('a key that is not a JSON string', offset + i);
          }
          frame.expect = 'colon';
          key = null;
          i++;
          continue;
        }
        if (key.length <= MAX_KEY_BYTES) key.push(byte);
        i++;
        continue;
      }
      if (primitive) {
        if (!(isSpace(byte) || byte === 0x2c || byte === 0x5d || byte === 0x7d)) {
          i++;
          continue;
        }
        primitive = false;
        valueEnded(chunk, i);
        // The delimiter is read below.
      }
      if (isSpace(byte)) {
        i++;
        continue;
      }
      const frame = stack.at(-1);
      if (byte === 0x7d || byte === 0x5d) close(byte, chunk, i);
      else if (frame?.expect === 'key') {
        if (byte !== QUOTE) fail(`a key expected, "${String.fromCharCode(byte)}" found`, offset + i);
        key = [];
      } else if (frame?.expect === 'colon') {
        if (byte !== 0x3a) fail(`":" expected, "${String.fromCharCode(byte)}" found`, offset + i);
        frame.expect = 'value';
      } else if (frame?.expect === 'comma') {
        if (byte !== 0x2c) fail(`"," expected, "${String.fromCharCode(byte)}" found`, offset + i);
        frame.expect = frame.kind === 'object' ? 'key' : 'value';
      } else startValue(byte, i);
      i++;
    }
    if (element) {
      element.bytes += length - element.start;
      if (element.parts && element.bytes <= maxBytes) element.parts.push(chunk.subarray(element.start));
      else element.parts = null;
    }
    offset += length;
  }

  /** The document has ended: throws when it ended early. */
  function end(): JsonElement[] {
    if (broken) throw broken;
    out = [];
    if (head !== null && head.length > 0) {
      const rest = head;
      head = null;
      read(rest);
    }
    if (primitive) {
      primitive = false;
      valueEnded(Buffer.alloc(0), 0);
    }
    if (inString || key !== null || stack.length > 0 || !rootDone) throw new JsonShapeError(`ends at byte ${offset}, before its JSON does (cut short?)`);
    return out;
  }

  return { push, end };
}

/** The elements of the arrays at `paths` in the document `chunks` holds, one at a time. */
export async function* jsonElements(chunks: AsyncIterable<Buffer>, paths: readonly (readonly string[])[], maxBytes: number): AsyncGenerator<JsonElement> {
  const reader = createJsonElementReader(paths, maxBytes);
  for await (const chunk of chunks) yield* reader.push(chunk);
  yield* reader.end();
}
