/**
 * A strict JSON parser (RFC 8259, as JSON.parse) that keeps where every key and value sits in the
 * text, so a check can point at the exact value it complains about, and a syntax error says
 * where and what in words. Offsets are string indices (UTF-16 units), as the editor counts.
 */

interface Span {
  from: number;
  to: number;
}

export type JsonNode = Span &
  (
    | { kind: 'object'; members: JsonMember[] }
    | { kind: 'array'; items: JsonNode[] }
    | { kind: 'string'; value: string }
    | { kind: 'number'; value: number }
    | { kind: 'boolean'; value: boolean }
    | { kind: 'null' }
  );

export interface JsonMember {
  key: string;
  keyFrom: number;
  keyTo: number;
  value: JsonNode;
}

export type ParseResult = { ok: true; node: JsonNode } | { ok: false; error: Span & { message: string } };

/** Deeper nesting is refused rather than risking the call stack on a hostile body. */
const MAX_DEPTH = 500;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Failure extends Error {
  constructor(
    message: string,
    readonly from: number,
    readonly to: number,
  ) {
    super(message);
  }
}

export function parseJson(text: string): ParseResult {
  let pos = 0;

  const fail = (message: string, from = pos, to = Math.min(text.length, from + 1)): never => {
    throw new Failure(message, from, Math.max(from, to));
  };
  const skipSpace = () => {
    while (pos < text.length && (text[pos] === ' ' || text[pos] === '\n' || text[pos] === '\r' || text[pos] === '\t')) pos++;
  };
  const describe = (at: number) => (at >= text.length ? 'the end of the text' : JSON.stringify(text[at]));

  function parseString(): { value: string; from: number; to: number } {
    const from = pos;
    pos++; // the opening quote
    let value = '';
    for (;;) {
      if (pos >= text.length) fail('Unterminated string: a closing " is missing', from, text.length);
      const char = text[pos] as string;
      if (char === '"') {
        pos++;
        return { value, from, to: pos };
      }
      if (char.charCodeAt(0) < 0x20) fail('A control character (such as a line break) inside a string: escape it, e.g. \\n');
      if (char === '\\') {
        const next = text[pos + 1] ?? '';
        if (next === 'u') {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('\\u must be followed by 4 hex digits', pos, pos + 6);
          value += String.fromCharCode(parseInt(hex, 16));
          pos += 6;
        } else if (next in ESCAPES) {
          value += ESCAPES[next];
          pos += 2;
        } else {
          fail(`Invalid escape \\${next}: JSON knows \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX`, pos, pos + 2);
        }
        continue;
      }
      value += char;
      pos++;
    }
  }

  function parseValue(depth: number): JsonNode {
    if (depth > MAX_DEPTH) fail(`Nested deeper than ${MAX_DEPTH} levels`);
    skipSpace();
    const from = pos;
    const char = text[pos];
    if (char === '{') return parseObject(depth);
    if (char === '[') return parseArray(depth);
    if (char === '"') return { kind: 'string', ...parseString() };
    for (const [word, node] of [
      ['true', { kind: 'boolean', value: true }],
      ['false', { kind: 'boolean', value: false }],
      ['null', { kind: 'null' }],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return { ...node, from, to: pos };
      }
    }
    NUMBER.lastIndex = pos;
    const number = NUMBER.exec(text);
    if (number) {
      pos += number[0].length;
      return { kind: 'number', value: Number(number[0]), from, to: pos };
    }
    if (char === "'") return fail('Strings need double quotes (") in JSON');
    return fail(`Expected a value (a string, number, object, array, true, false or null), found ${describe(pos)}`);
  }

  function parseObject(depth: number): JsonNode {
    const from = pos;
    pos++;
    const members: JsonMember[] = [];
    skipSpace();
    if (text[pos] === '}') {
      pos++;
      return { kind: 'object', members, from, to: pos };
    }
    for (;;) {
      skipSpace();
      if (text[pos] !== '"') fail(text[pos] === '}' ? 'Trailing comma before }: remove it' : `Expected a key in double quotes, found ${describe(pos)}`);
      const key = parseString();
      skipSpace();
      if (text[pos] !== ':') fail(`Expected : after the key "${key.value}"`);
      pos++;
      members.push({ key: key.value, keyFrom: key.from, keyTo: key.to, value: parseValue(depth + 1) });
      skipSpace();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        return { kind: 'object', members, from, to: pos };
      }
      fail(`Expected , or } after the value of "${key.value}", found ${describe(pos)}`);
    }
  }

  function parseArray(depth: number): JsonNode {
    const from = pos;
    pos++;
    const items: JsonNode[] = [];
    skipSpace();
    if (text[pos] === ']') {
      pos++;
      return { kind: 'array', items, from, to: pos };
    }
    for (;;) {
      skipSpace();
      if (text[pos] === ']') fail('Trailing comma before ]: remove it');
      items.push(parseValue(depth + 1));
      skipSpace();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === ']') {
        pos++;
        return { kind: 'array', items, from, to: pos };
      }
      fail(`Expected , or ] in the list, found ${describe(pos)}`);
    }
  }

  try {
    skipSpace();
    if (pos >= text.length) fail('The body is empty: an event is a JSON object', 0, 0);
    const node = parseValue(0);
    skipSpace();
    if (pos < text.length) fail(`Unexpected ${describe(pos)} after the end of the JSON value`, pos, text.length);
    return { ok: true, node };
  } catch (error) {
    if (error instanceof Failure) return { ok: false, error: { message: error.message, from: error.from, to: error.to } };
    throw error;
  }
}

/** A member of an object node by key (the last one, as JSON.parse keeps). */
export function memberOf(node: JsonNode, key: string): JsonMember | undefined {
  if (node.kind !== 'object') return undefined;
  return node.members.findLast((member) => member.key === key);
}
