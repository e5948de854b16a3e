import { json } from '@codemirror/lang-json';
import { ensureSyntaxTree } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../../../src/main/profile/samples';
import { checkEvent, summarize } from '../../../src/renderer/src/lib/event-check';
import { eventTypeOf } from '../../../src/renderer/src/lib/event-text';
import { withFreshId } from '../../../src/renderer/src/lib/fresh-id';
import { describeSchema } from '../../../src/renderer/src/lib/schema-words';
import { EVENT_DATA, EVENT_TYPES } from '../../../src/shared/reviewsense/catalogue';

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/** The text each problem points at, with its severity and message. */
function located(text: string, type: Parameters<typeof checkEvent>[1] = null) {
  return checkEvent(text, type).map((problem) => ({ at: text.slice(problem.from, problem.to), severity: problem.severity, message: problem.message }));
}

describe('checkEvent', () => {
  it('finds nothing to say about the events ReviewSense sends, of every type', () => {
    for (const type of EVENT_TYPES) {
      expect(checkEvent(pretty(sampleEvent(type)), type), type).toEqual([]);
      expect(checkEvent(JSON.stringify(sampleEvent(type)), null), type).toEqual([]);
    }
    expect(summarize([], 'review.flagged')).toEqual({ ok: true, text: 'Looks like a review.flagged event ReviewSense would send.' });
  });

  it('a syntax error is an error, at its place', () => {
    const text = '{\n  "id": "evt_1",\n  "type": "webhook.test"\n  "data": {}\n}';
    expect(located(text)).toEqual([{ at: '"', severity: 'error', message: 'Expected , or } after the value of "type", found "\\""' }]);
  });

  it('checks the envelope: missing fields, their types, id prefix, api_version, unknown type', () => {
    const event = { id: 'abc', type: 'review.unknown', created_at: 'yesterday', api_version: 'v2', extra: 1 };
    const text = pretty(event);
    expect(located(text)).toEqual([
      { at: '{', severity: 'warning', message: 'Missing "data" (an object).' },
      { at: '"abc"', severity: 'warning', message: 'ReviewSense event ids start with "evt_".' },
      { at: '"review.unknown"', severity: 'warning', message: expect.stringContaining('Unknown event type: ReviewSense sends review.analysed, review.flagged') },
      { at: '"yesterday"', severity: 'warning', message: '"created_at" should be an ISO 8601 time such as "2026-04-24T14:30:00Z", not a string ("yesterday").' },
      { at: '"v2"', severity: 'warning', message: 'ReviewSense sends "api_version": "v1".' },
      { at: '"extra"', severity: 'info', message: '"extra" is not a field ReviewSense sends in its envelope (handlers should ignore unknown fields).' },
    ]);
    expect(located('[1]')).toEqual([{ at: '[1]', severity: 'warning', message: expect.stringContaining('A ReviewSense event is a JSON object') }]);
    expect(located(pretty({ ...sampleEvent('webhook.test'), data: [] }))).toEqual([{ at: '[]', severity: 'warning', message: '"data" should be an object, not a list.' }]);
  });

  it('checks data against the typed event of the chosen type: kinds, enums, ranges, nulls, missing and unknown fields', () => {
    const event = sampleEvent('review.analysed');
    const data: Record<string, unknown> = { ...event.data, score: '87', sentiment: 'happy', topics: ['a', 2], response_draft: null, bonus: true };
    delete data.review_id;
    const text = JSON.stringify({ ...event, data });
    expect(located(text, 'review.analysed')).toEqual([
      { at: '{', severity: 'warning', message: 'Missing "data.review_id" (a string).' },
      { at: '"happy"', severity: 'warning', message: '"data.sentiment" should be one of "positive", "neutral", "negative", "mixed", not a string ("happy").' },
      { at: '"87"', severity: 'warning', message: '"data.score" should be a number from 0 to 100, not a string ("87").' },
      { at: '["a",2]', severity: 'warning', message: '"data.topics" should be a list of strings, not a list.' },
      { at: '"bonus"', severity: 'info', message: '"data.bonus" is not a field ReviewSense sends in review.analysed.' },
    ]);
    // The first "{" reported is data's own brace, not the envelope's.
    const missing = checkEvent(text, 'review.analysed')[0]!;
    expect(missing.from).toBe(text.indexOf('{', text.indexOf('"data"')));

    const flagged = pretty({ ...sampleEvent('review.flagged'), data: { ...sampleEvent('review.flagged').data, confidence: 1.5 } });
    expect(located(flagged, 'review.flagged').map((p) => p.message)).toEqual(['"data.confidence" should be a number from 0 to 1, not a number (1.5).']);
    const quota = pretty({ ...sampleEvent('quota.warning'), data: { ...sampleEvent('quota.warning').data, usage: 80.5 } });
    expect(located(quota, null).map((p) => p.message)).toEqual(['"data.usage" should be a whole number of 0 or more, not a number (80.5).']);
  });

  it('checks every field the catalogue declares: each one left out is named, with its words, at data\'s brace', () => {
    for (const type of EVENT_TYPES) {
      const shape = EVENT_DATA[type].shape as Record<string, Parameters<typeof describeSchema>[0]>;
      for (const key of Object.keys(shape)) {
        const event = sampleEvent(type);
        const data: Record<string, unknown> = { ...event.data };
        delete data[key];
        const text = pretty({ ...event, data });
        expect(located(text, type), `${type} ${key}`).toEqual([{ at: '{', severity: 'warning', message: `Missing "data.${key}" (${describeSchema(shape[key]!)}).` }]);
        expect(checkEvent(text, type)[0]!.from).toBe(text.indexOf('{', text.indexOf('"data"')));
      }
    }
  });

  it('says when the body is of another type than the one chosen, and checks data against the chosen one', () => {
    const text = pretty(sampleEvent('webhook.test'));
    const messages = checkEvent(text, 'quota.exceeded').map((problem) => problem.message);
    expect(messages[0]).toBe('"type" is webhook.test, but the event type chosen is quota.exceeded.');
    expect(messages).toContain('"data.message" is not a field ReviewSense sends in quota.exceeded.');
  });

  it('reads the editor\'s own tree to the same problems at the same places, each rule pointing at its node', () => {
    const event = sampleEvent('review.flagged');
    const start = pretty({ ...event, id: 'abc', api_version: 'v2', extra: true, data: { ...event.data, confidence: 'high', bonus: 1 } });
    // Typed into the editor: one key of data removed, so the tree is the incrementally parsed one.
    const excerpt = start.indexOf('    "excerpt"');
    let state = EditorState.create({ doc: start, extensions: [json(), EditorState.lineSeparator.of('\n')] });
    state = state.update({ changes: { from: excerpt, to: start.indexOf('\n', excerpt) + 1 } }).state;
    const text = state.doc.toString();
    const tree = ensureSyntaxTree(state, text.length, 5000)!;
    const problems = checkEvent(text, 'review.flagged', tree);
    expect(problems).toEqual(checkEvent(text, 'review.flagged'));
    expect(problems.map((problem) => [text.slice(problem.from, problem.to), problem.severity])).toEqual([
      ['"abc"', 'warning'],
      ['"v2"', 'warning'],
      ['{', 'warning'],
      ['"high"', 'warning'],
      ['"bonus"', 'info'],
      ['"extra"', 'info'],
    ]);
    expect(problems[2]!.message).toBe('Missing "data.excerpt" (a string).');
  });

  it('duplicate keys are a warning', () => {
    expect(located('{"id": "evt_1", "id": "evt_2"}').find((problem) => problem.message.startsWith('Duplicate'))).toEqual({
      at: '"id"',
      severity: 'warning',
      message: 'Duplicate key "id": most parsers keep only the last one.',
    });
  });

  it('summarizes: the count of problems and the first, notes do not count', () => {
    const problems = checkEvent(pretty({ ...sampleEvent('webhook.test'), id: 'x', extra: 1 }));
    expect(summarize(problems, 'webhook.test')).toEqual({ ok: false, text: '1 problem: ReviewSense event ids start with "evt_".' });
    const notes = checkEvent(pretty({ ...sampleEvent('webhook.test'), extra: 1 }));
    expect(summarize(notes, 'webhook.test')).toEqual({ ok: true, text: 'Looks like a webhook.test event ReviewSense would send (1 note).' });
  });
});

describe('event text', () => {
  it('New id swaps id and created_at in place, keeping edits and formatting', () => {
    const body = '{\n  "id": "evt_OLD",\n  "type": "webhook.test",\n  "created_at": "2020-01-01T00:00:00Z",\n  "data": {"message": "edited by hand"}\n}';
    const fresh = pretty({ ...sampleEvent('webhook.test', { id: 'evt_NEW', now: Date.UTC(2026, 3, 24, 14, 30) }) });
    expect(withFreshId(body, fresh)).toBe(body.replace('evt_OLD', 'evt_NEW').replace('2020-01-01T00:00:00Z', '2026-04-24T14:30:00Z'));
    // Nothing to keep: the fresh event itself.
    expect(withFreshId('not json', fresh)).toBe(fresh);
    expect(withFreshId('[1, 2]', fresh)).toBe(fresh);
  });

  it('reads the body type when it is a known one', () => {
    expect(eventTypeOf(pretty(sampleEvent('quota.warning')))).toBe('quota.warning');
    expect(eventTypeOf('{"type": "made.up"}')).toBeNull();
    expect(eventTypeOf('{"type": ')).toBeNull();
  });
});
