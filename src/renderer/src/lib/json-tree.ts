/**
 * A JSON text read off its Lezer tree: the one @codemirror/lang-json keeps for the editor, or a
 * fresh parse for text outside it. Each value keeps its place (UTF-16 offsets, as the editor
 * counts), so a check can point at the exact key or value it complains about; only what a check
 * looks at is read, so a 5 MB body costs a walk of its tree, not a copy of it.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@lezer/json';
import { jsonSyntaxError, type JsonSyntaxError } from './json-syntax-error';

export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

export interface JsonMember {
  key: string;
  keyFrom: number;
  keyTo: number;
  value: JsonNode;
}

export type JsonReading = { ok: true; node: JsonNode } | { ok: false; error: JsonSyntaxError };

const KINDS: Readonly<Record<string, JsonKind>> = { Object: 'object', Array: 'array', String: 'string', Number: 'number', True: 'boolean', False: 'boolean', Null: 'null' };

/** One value of an error-free tree. */
export class JsonNode {
  readonly kind: JsonKind;
  readonly from: number;
  readonly to: number;

  constructor(
    private readonly text: string,
    private readonly node: SyntaxNode,
  ) {
    this.kind = KINDS[node.name] as JsonKind;
    this.from = node.from;
    this.to = node.to;
  }

  /** The value as JSON.parse gives it; the tree has vouched that this span is valid JSON. */
  value(): unknown {
    return JSON.parse(this.text.slice(this.from, this.to));
  }

  /** An object's members in their order, a repeated key each time; none for other kinds. */
  members(): JsonMember[] {
    if (this.kind !== 'object') return [];
    return this.node.getChildren('Property').map((property) => {
      // A Property is its PropertyName, ':' and the value.
      const name = property.firstChild as SyntaxNode;
      return { key: JSON.parse(this.text.slice(name.from, name.to)) as string, keyFrom: name.from, keyTo: name.to, value: new JsonNode(this.text, property.lastChild as SyntaxNode) };
    });
  }

  /** The member of this object by key: the last one, as JSON.parse keeps. */
  member(key: string): JsonMember | undefined {
    return this.members().findLast((member) => member.key === key);
  }
}

// JSON.parse takes a lone surrogate inside a string; the grammar takes only whole characters.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/** The tree of `text` when no editor holds one. */
export function parseJsonTree(text: string): Tree {
  // U+FFFD is one UTF-16 unit too, so every offset in the tree is still one of `text`.
  return parser.parse(text.replace(LONE_SURROGATES, '\ufffd'));
}

/**
 * `text` as JSON (strict, as JSON.parse), or its first syntax error in words. `editorTree`, when
 * given, is the editor's tree of `text`, parsed to its end.
 */
export function readJson(text: string, editorTree?: Tree): JsonReading {
  const tree = editorTree && !LONE_SURROGATE.test(text) ? editorTree : parseJsonTree(text);
  const error = jsonSyntaxError(text, tree);
  if (error) return { ok: false, error };
  // Error-free, so JsonText holds exactly one value.
  return { ok: true, node: new JsonNode(text, tree.topNode.firstChild as SyntaxNode) };
}
