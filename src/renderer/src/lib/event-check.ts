/**
 * Checks an event body against what ReviewSense sends: JSON syntax first, then the envelope
 * (id, type, created_at, api_version, data) and the typed `data` of its event type. Pure, so the
 * editor's linter and the tests call the same function. A deliberately broken event is a fair
 * thing to send (to see a handler refuse it), so only syntax is an error; the rest are warnings.
 */
import {
  API_VERSION,
  EVENT_TYPES,
  type EventDataByType,
  type EventType,
  type FlagReason,
  type Sentiment,
} from '../../../shared/reviewsense/catalogue';
import { parseJson, type JsonMember, type JsonNode } from './json-positions';
import { plural } from '../../../shared/plural';

export type Severity = 'error' | 'warning' | 'info';

/** The shape of @codemirror/lint's Diagnostic, without depending on it. */
export interface Problem {
  from: number;
  to: number;
  severity: Severity;
  message: string;
}

type Rule = { nullable?: true } & (
  | { kind: 'string' | 'timestamp' | 'boolean' | 'string[]' | 'object' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'number'; min?: number; max?: number; integer?: true }
);

const SENTIMENTS = ['positive', 'neutral', 'negative', 'mixed'] as const satisfies readonly Sentiment[];
const FLAG_REASONS = ['spam', 'profanity', 'off_topic', 'personal_data', 'fake_review'] as const satisfies readonly FlagReason[];
// Fails to compile when the catalogue gains a sentiment or reason these lists miss.
const complete: [Exclude<Sentiment, (typeof SENTIMENTS)[number]>, Exclude<FlagReason, (typeof FLAG_REASONS)[number]>] extends [never, never] ? true : never = true;
void complete;

const STRING: Rule = { kind: 'string' };
const TIMESTAMP: Rule = { kind: 'timestamp' };
const QUOTA = {
  plan: STRING,
  usage: { kind: 'number', min: 0, integer: true },
  limit: { kind: 'number', min: 0, integer: true },
  percent: { kind: 'number', min: 0, integer: true },
  period_start: TIMESTAMP,
  period_end: TIMESTAMP,
} as const satisfies Record<string, Rule>;

/** One rule per field of each typed `data` interface: the mapped type makes a missing or extra field a compile error. */
export const DATA_RULES: { [T in EventType]: { [K in keyof EventDataByType[T]]-?: Rule } } = {
  'review.analysed': {
    analysis_id: STRING,
    review_id: STRING,
    sentiment: { kind: 'enum', values: SENTIMENTS },
    score: { kind: 'number', min: 0, max: 100 },
    topics: { kind: 'string[]' },
    response_draft: { kind: 'string', nullable: true },
  },
  'review.flagged': {
    analysis_id: STRING,
    review_id: STRING,
    reason: { kind: 'enum', values: FLAG_REASONS },
    confidence: { kind: 'number', min: 0, max: 1 },
    excerpt: STRING,
  },
  'review.responded': {
    analysis_id: STRING,
    review_id: STRING,
    response_id: STRING,
    response_text: STRING,
    posted_at: TIMESTAMP,
    auto_posted: { kind: 'boolean' },
  },
  'review.response_ready': {
    analysis_id: STRING,
    review_id: STRING,
    draft_id: STRING,
    response_draft: STRING,
    sentiment: { kind: 'enum', values: SENTIMENTS },
  },
  'quota.warning': QUOTA,
  'quota.exceeded': QUOTA,
  'webhook.test': { message: STRING, endpoint_id: STRING },
};

const ENVELOPE: Record<string, Rule> = { id: STRING, type: STRING, created_at: TIMESTAMP, api_version: STRING, data: { kind: 'object' } };
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

function describeRule(rule: Rule): string {
  const base =
    rule.kind === 'enum'
      ? `one of ${rule.values.map((value) => JSON.stringify(value)).join(', ')}`
      : rule.kind === 'number'
        ? `a${rule.integer ? ' whole' : ''} number${rule.min !== undefined && rule.max !== undefined ? ` from ${rule.min} to ${rule.max}` : rule.min !== undefined ? ` of ${rule.min} or more` : ''}`
        : rule.kind === 'timestamp'
          ? 'an ISO 8601 time such as "2026-04-24T14:30:00Z"'
          : rule.kind === 'string[]'
            ? 'a list of strings'
            : rule.kind === 'object'
              ? 'an object'
              : `a ${rule.kind}`;
  return rule.nullable ? `${base} or null` : base;
}

function found(node: JsonNode): string {
  if (node.kind === 'array') return 'a list';
  if (node.kind === 'object') return 'an object';
  if (node.kind === 'null') return 'null';
  return `${node.kind === 'string' ? 'a string' : node.kind === 'number' ? 'a number' : 'a boolean'} (${JSON.stringify(node.value)})`;
}

function fits(rule: Rule, node: JsonNode): boolean {
  if (node.kind === 'null') return rule.nullable === true;
  switch (rule.kind) {
    case 'string':
      return node.kind === 'string';
    case 'timestamp':
      return node.kind === 'string' && ISO_TIME.test(node.value) && !Number.isNaN(Date.parse(node.value));
    case 'boolean':
      return node.kind === 'boolean';
    case 'string[]':
      return node.kind === 'array' && node.items.every((item) => item.kind === 'string');
    case 'object':
      return node.kind === 'object';
    case 'enum':
      return node.kind === 'string' && rule.values.includes(node.value);
    case 'number':
      return (
        node.kind === 'number' &&
        (rule.min === undefined || node.value >= rule.min) &&
        (rule.max === undefined || node.value <= rule.max) &&
        (!rule.integer || Number.isInteger(node.value))
      );
  }
}

/** Checks an object's members against rules: missing, mistyped, duplicated and unknown keys. */
function checkFields(object: JsonNode & { kind: 'object' }, rules: Record<string, Rule>, path: string, unknownNote: string, problems: Problem[]): void {
  const seen = new Map<string, JsonMember>();
  for (const member of object.members) {
    const name = `${path}${member.key}`;
    if (seen.has(member.key)) {
      problems.push({ from: member.keyFrom, to: member.keyTo, severity: 'warning', message: `Duplicate key "${name}": most parsers keep only the last one.` });
    }
    seen.set(member.key, member);
    const rule = rules[member.key];
    if (!rule) {
      problems.push({ from: member.keyFrom, to: member.keyTo, severity: 'info', message: `"${name}" is not a field ReviewSense sends ${unknownNote}.` });
    } else if (!fits(rule, member.value)) {
      problems.push({ from: member.value.from, to: member.value.to, severity: 'warning', message: `"${name}" should be ${describeRule(rule)}, not ${found(member.value)}.` });
    }
  }
  const missing = Object.keys(rules).filter((key) => !seen.has(key));
  if (missing.length > 0) {
    const list = missing.map((key) => `"${path}${key}" (${describeRule(rules[key] as Rule)})`).join(', ');
    problems.push({ from: object.from, to: object.from + 1, severity: 'warning', message: `Missing ${list}.` });
  }
}

/**
 * The problems of `text` as a ReviewSense event. `expectedType` is the type the composer is set
 * to; null checks `data` against the body's own `type`.
 */
export function checkEvent(text: string, expectedType: EventType | null = null): Problem[] {
  const parsed = parseJson(text);
  if (!parsed.ok) return [{ ...parsed.error, severity: 'error', message: parsed.error.message }];
  const root = parsed.node;
  if (root.kind !== 'object') {
    return [{ from: root.from, to: root.to, severity: 'warning', message: 'A ReviewSense event is a JSON object with id, type, created_at, api_version and data.' }];
  }
  const problems: Problem[] = [];
  checkFields(root, ENVELOPE, '', 'in its envelope (handlers should ignore unknown fields)', problems);

  const members = new Map(root.members.map((member) => [member.key, member.value]));
  const typeNode = members.get('type');
  const bodyType = typeNode?.kind === 'string' ? typeNode.value : null;
  if (typeNode?.kind === 'string' && !isEventType(bodyType)) {
    problems.push({ from: typeNode.from, to: typeNode.to, severity: 'warning', message: `Unknown event type: ReviewSense sends ${EVENT_TYPES.join(', ')}.` });
  } else if (typeNode && expectedType && bodyType !== null && bodyType !== expectedType) {
    problems.push({ from: typeNode.from, to: typeNode.to, severity: 'warning', message: `"type" is ${bodyType}, but the event type chosen is ${expectedType}.` });
  }
  const idNode = members.get('id');
  if (idNode?.kind === 'string' && !idNode.value.startsWith('evt_')) {
    problems.push({ from: idNode.from, to: idNode.to, severity: 'warning', message: 'ReviewSense event ids start with "evt_".' });
  }
  const versionNode = members.get('api_version');
  if (versionNode?.kind === 'string' && versionNode.value !== API_VERSION) {
    problems.push({ from: versionNode.from, to: versionNode.to, severity: 'warning', message: `ReviewSense sends "api_version": "${API_VERSION}".` });
  }

  const dataNode = members.get('data');
  const type = expectedType ?? (isEventType(bodyType) ? bodyType : null);
  if (dataNode?.kind === 'object' && type) {
    checkFields(dataNode, DATA_RULES[type] as Record<string, Rule>, 'data.', `in ${type}`, problems);
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
