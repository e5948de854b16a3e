import { readJson } from './json-tree';

/** The envelope fields that make an event new; the rest of a body is the event itself. */
const FRESH_KEYS = ['id', 'created_at'] as const;

/**
 * `body` with the `id` and `created_at` of `fresh` (a new envelope from the core), changed in
 * place so the rest of the text (edits, formatting) stays as it was. When `body` has neither to
 * replace (not JSON, not an object), `fresh` itself.
 */
export function withFreshId(body: string, fresh: string): string {
  const parsedBody = readJson(body);
  const parsedFresh = readJson(fresh);
  if (!parsedBody.ok || !parsedFresh.ok) return fresh;
  const edits: { from: number; to: number; text: string }[] = [];
  for (const key of FRESH_KEYS) {
    const target = parsedBody.node.member(key)?.value;
    const source = parsedFresh.node.member(key)?.value;
    if (target && source) edits.push({ from: target.from, to: target.to, text: fresh.slice(source.from, source.to) });
  }
  if (edits.length === 0) return fresh;
  // Right to left, so earlier offsets stay valid.
  return edits.sort((a, b) => b.from - a.from).reduce((text, edit) => text.slice(0, edit.from) + edit.text + text.slice(edit.to), body);
}
