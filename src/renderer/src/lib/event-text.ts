import { isEventType, type EventType } from '../../../shared/reviewsense/catalogue';
import { memberOf, parseJson } from './json-positions';

/** The body's `type` when it is one ReviewSense sends; null otherwise (or when it is not JSON). */
export function eventTypeOf(body: string): EventType | null {
  const parsed = parseJson(body);
  if (!parsed.ok) return null;
  const type = memberOf(parsed.node, 'type')?.value;
  return type?.kind === 'string' && isEventType(type.value) ? type.value : null;
}

/**
 * `body` with the `id` and `created_at` of `fresh` (a new envelope from the core), changed in
 * place so the rest of the text (edits, formatting) stays as it was. When `body` has neither to
 * replace (not JSON, not an object), `fresh` itself.
 */
export function withFreshId(body: string, fresh: string): string {
  const parsedBody = parseJson(body);
  const parsedFresh = parseJson(fresh);
  if (!parsedBody.ok || !parsedFresh.ok) return fresh;
  const edits: { from: number; to: number; text: string }[] = [];
  for (const key of ['id', 'created_at']) {
    const target = memberOf(parsedBody.node, key)?.value;
    const source = memberOf(parsedFresh.node, key)?.value;
    if (target && source) edits.push({ from: target.from, to: target.to, text: fresh.slice(source.from, source.to) });
  }
  if (edits.length === 0) return fresh;
  // Right to left, so earlier offsets stay valid.
  return edits.sort((a, b) => b.from - a.from).reduce((text, edit) => text.slice(0, edit.from) + edit.text + text.slice(edit.to), body);
}
