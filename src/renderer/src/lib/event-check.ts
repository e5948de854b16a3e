/**
 * Checks an event body against what ReviewSense sends: JSON syntax first, then each field of the
 * catalogue's envelope and of its event type's `data` schema, at the place of the key or value.
 * Pure, so the editor's linter and the tests call the same function. A deliberately broken event
 * is a fair thing to send (to see a handler refuse it), so only syntax is an error; the rest are
 * warnings.
 */
import type { Tree } from '@lezer/common';
import type { z } from 'zod';
import { API_VERSION, ENVELOPE_KEYS_TEXT, EVENT_ID_PREFIX, EVENT_DATA, EVENT_TYPES, envelopeSchema, isEventType, type EventType } from '../../../shared/reviewsense/catalogue';
import { plural } from '../../../shared/plural';
import { readJson, type JsonMember, type JsonNode } from './json-tree';
import { describeSchema } from './schema-words';

export type Severity = 'error' | 'warning' | 'info';

/** The shape of @codemirror/lint's Diagnostic, without depending on it. */
export interface Problem {
  from: number;
  to: number;
  severity: Severity;
  message: string;
}

type Shape = Readonly<Record<string, z.ZodType>>;

function found(node: JsonNode): string {
  if (node.kind === 'array') return 'a list';
  if (node.kind === 'object') return 'an object';
  if (node.kind === 'null') return 'null';
  return `${node.kind === 'string' ? 'a string' : node.kind === 'number' ? 'a number' : 'a boolean'} (${JSON.stringify(node.value())})`;
}

function stringOf(node: JsonNode | undefined): string | null {
  return node?.kind === 'string' ? (node.value() as string) : null;
}

/** Checks an object's members against a schema's fields: missing, mistyped, duplicated and unknown keys. */
function checkFields(object: JsonNode, shape: Shape, path: string, unknownNote: string, problems: Problem[]): void {
  const seen = new Map<string, JsonMember>();
  for (const member of object.members()) {
    const name = `${path}${member.key}`;
    if (seen.has(member.key)) {
      problems.push({ from: member.keyFrom, to: member.keyTo, severity: 'warning', message: `Duplicate key "${name}": most parsers keep only the last one.` });
    }
    seen.set(member.key, member);
    const field = Object.hasOwn(shape, member.key) ? shape[member.key] : undefined;
    if (!field) {
      problems.push({ from: member.keyFrom, to: member.keyTo, severity: 'info', message: `"${name}" is not a field ReviewSense sends ${unknownNote}.` });
    } else if (!field.safeParse(member.value.value()).success) {
      problems.push({ from: member.value.from, to: member.value.to, severity: 'warning', message: `"${name}" should be ${describeSchema(field)}, not ${found(member.value)}.` });
    }
  }
  const missing = Object.keys(shape).filter((key) => !seen.has(key));
  if (missing.length > 0) {
    const list = missing.map((key) => `"${path}${key}" (${describeSchema(shape[key] as z.ZodType)})`).join(', ');
    problems.push({ from: object.from, to: object.from + 1, severity: 'warning', message: `Missing ${list}.` });
  }
}

/**
 * The problems of `text` as a ReviewSense event. `expectedType` is the type the composer is set
 * to; null checks `data` against the body's own `type`. `tree` is the editor's tree of `text`,
 * when it has one.
 */
export function checkEvent(text: string, expectedType: EventType | null = null, tree?: Tree): Problem[] {
  const parsed = readJson(text, tree);
  if (!parsed.ok) return [{ ...parsed.error, severity: 'error', message: parsed.error.message }];
  const root = parsed.node;
  if (root.kind !== 'object') {
    return [{ from: root.from, to: root.to, severity: 'warning', message: `A ReviewSense event is a JSON object with ${ENVELOPE_KEYS_TEXT}.` }];
  }
  const problems: Problem[] = [];
  checkFields(root, envelopeSchema.shape, '', 'in its envelope (handlers should ignore unknown fields)', problems);

  const members = new Map(root.members().map((member) => [member.key, member.value]));
  const typeNode = members.get('type');
  const bodyType = stringOf(typeNode);
  if (typeNode?.kind === 'string' && !isEventType(bodyType)) {
    problems.push({ from: typeNode.from, to: typeNode.to, severity: 'warning', message: `Unknown event type: ReviewSense sends ${EVENT_TYPES.join(', ')}.` });
  } else if (typeNode && expectedType && bodyType !== null && bodyType !== expectedType) {
    problems.push({ from: typeNode.from, to: typeNode.to, severity: 'warning', message: `"type" is ${bodyType}, but the event type chosen is ${expectedType}.` });
  }
  const idNode = members.get('id');
  const id = stringOf(idNode);
  if (idNode && id !== null && !id.startsWith(EVENT_ID_PREFIX)) {
    problems.push({ from: idNode.from, to: idNode.to, severity: 'warning', message: `ReviewSense event ids start with "${EVENT_ID_PREFIX}".` });
  }
  const versionNode = members.get('api_version');
  const version = stringOf(versionNode);
  if (versionNode && version !== null && version !== API_VERSION) {
    problems.push({ from: versionNode.from, to: versionNode.to, severity: 'warning', message: `ReviewSense sends "api_version": "${API_VERSION}".` });
  }

  const dataNode = members.get('data');
  const type = expectedType ?? (isEventType(bodyType) ? bodyType : null);
  if (dataNode?.kind === 'object' && type) {
    checkFields(dataNode, EVENT_DATA[type].shape, 'data.', `in ${type}`, problems);
  }
  return problems.sort((a, b) => a.from - b.from);
}

/** One line for under the editor: fine, or how many problems and the first one. */
export function summarize(problems: readonly Problem[], type: EventType | null): { ok: boolean; text: string } {
  const serious = problems.filter((problem) => problem.severity !== 'info');
  if (serious.length === 0) {
    const notes = problems.length ? ` (${plural(problems.length, 'note', 'notes')})` : '';
    return { ok: true, text: `Looks like a ${type ?? 'ReviewSense'} event ReviewSense would send${notes}.` };
  }
  const first = serious[0] as Problem;
  return { ok: false, text: `${plural(serious.length, 'problem', 'problems')}: ${first.message}` };
}
