/**
 * The first syntax error of a JSON text, said in words at its place, read off the Lezer tree the
 * editor already has. The grammar (@lezer/json) is as strict as JSON.parse; the tree marks where
 * it stopped, and the token before that mark says what was expected there.
 */
import type { SyntaxNode, Tree, TreeCursor } from '@lezer/common';

export interface JsonSyntaxError {
  from: number;
  to: number;
  message: string;
}

/** An event nests a few levels: a hostile body nested deeper is refused before any of it is read. */
const MAX_DEPTH = 500;

const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const SPACE = new Set([' ', '\n', '\r', '\t']);

export function jsonSyntaxError(text: string, tree: Tree): JsonSyntaxError | null {
  if (/^[ \n\r\t]*$/.test(text)) return { from: 0, to: 0, message: 'The body is empty: an event is a JSON object' };
  const { errorAt, tooDeepAt } = scan(tree.cursor());
  // At the same place, the depth is refused first: nothing is read that deep.
  if (tooDeepAt !== null && (errorAt === null || tooDeepAt <= errorAt)) return at(text, tooDeepAt, `Nested deeper than ${MAX_DEPTH} levels`);
  if (errorAt === null) return null;
  let pos = errorAt;
  while (SPACE.has(text[pos] ?? '')) pos++;
  return describe(text, tree, pos);
}

/** Where the tree first marks an error, and where a value would sit deeper than MAX_DEPTH. */
function scan(cursor: TreeCursor): { errorAt: number | null; tooDeepAt: number | null } {
  let depth = 0;
  let tooDeepAt: number | null = null;
  for (;;) {
    if (cursor.type.isError) return { errorAt: cursor.from, tooDeepAt };
    const container = cursor.name === 'Object' || cursor.name === 'Array';
    if (container && depth === MAX_DEPTH && tooDeepAt === null) tooDeepAt = firstValueAt(cursor.node);
    if (cursor.firstChild()) {
      if (container) depth++;
      continue;
    }
    while (!cursor.nextSibling()) {
      if (!cursor.parent()) return { errorAt: null, tooDeepAt };
      if (cursor.name === 'Object' || cursor.name === 'Array') depth--;
    }
  }
}

/** Where a container's first value starts: an array's first item, or just past an object's first ':'. */
function firstValueAt(container: SyntaxNode): number | null {
  if (container.name === 'Array') {
    for (let child = container.firstChild; child; child = child.nextSibling) if (child.name !== '[' && child.name !== ']') return child.from;
    return null;
  }
  return container.getChild('Property')?.getChild(':')?.to ?? null;
}

function found(text: string, pos: number): string {
  return pos >= text.length ? 'the end of the text' : JSON.stringify(text[pos]);
}

function at(text: string, from: number, message: string, to = Math.min(text.length, from + 1)): JsonSyntaxError {
  return { from, to: Math.max(from, to), message };
}

/** What was expected at `pos`, from the token before it. */
function describe(text: string, tree: Tree, pos: number): JsonSyntaxError {
  let before = pos - 1;
  while (before >= 0 && SPACE.has(text[before] as string)) before--;
  if (before < 0) return valueExpected(text, pos);
  const token = tree.resolveInner(before, 1);
  switch (token.name) {
    case ':':
    case '[':
      return valueExpected(text, pos);
    case '{':
      return keyExpected(text, pos);
    case ',':
      if (token.parent?.name === 'Object') return text[pos] === '}' ? at(text, pos, 'Trailing comma before }: remove it') : keyExpected(text, pos);
      return text[pos] === ']' ? at(text, pos, 'Trailing comma before ]: remove it') : valueExpected(text, pos);
    case 'PropertyName':
      return at(text, pos, `Expected : after the key "${keyOf(text, token)}"`);
  }
  // Otherwise a value ended there: a scalar token, or the bracket closing an object or list.
  const value = token.name === '}' || token.name === ']' ? token.parent : token;
  const holder = value?.parent;
  if (holder?.name === 'Property') {
    const key = holder.getChild('PropertyName');
    return at(text, pos, `Expected , or } after the value of "${key ? keyOf(text, key) : ''}", found ${found(text, pos)}`);
  }
  if (holder?.name === 'Array') return at(text, pos, `Expected , or ] in the list, found ${found(text, pos)}`);
  return at(text, pos, `Unexpected ${found(text, pos)} after the end of the JSON value`, text.length);
}

function keyOf(text: string, name: SyntaxNode): string {
  return JSON.parse(text.slice(name.from, name.to)) as string;
}

function valueExpected(text: string, pos: number): JsonSyntaxError {
  const broken = text[pos] === '"' ? stringError(text, pos) : null;
  if (broken) return broken;
  if (text[pos] === "'") return at(text, pos, 'Strings need double quotes (") in JSON');
  return at(text, pos, `Expected a value (a string, number, object, array, true, false or null), found ${found(text, pos)}`);
}

function keyExpected(text: string, pos: number): JsonSyntaxError {
  return (text[pos] === '"' ? stringError(text, pos) : null) ?? at(text, pos, `Expected a key in double quotes, found ${found(text, pos)}`);
}

/** Why the string starting at `start` is no JSON string (the grammar only says that it is not). */
function stringError(text: string, start: number): JsonSyntaxError | null {
  for (let pos = start + 1; pos < text.length; pos++) {
    const char = text[pos] as string;
    if (char === '"') return null;
    if (char.charCodeAt(0) < 0x20) return at(text, pos, 'A control character (such as a line break) inside a string: escape it, e.g. \\n');
    if (char !== '\\') continue;
    const next = text[pos + 1] ?? '';
    if (next === 'u') {
      if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) return at(text, pos, '\\u must be followed by 4 hex digits', pos + 6);
      pos += 5;
    } else if (ESCAPES.has(next)) {
      pos++;
    } else {
      return at(text, pos, `Invalid escape \\${next}: JSON knows \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX`, pos + 2);
    }
  }
  return at(text, start, 'Unterminated string: a closing " is missing', text.length);
}
