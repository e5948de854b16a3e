import { json } from '@codemirror/lang-json';
import { ensureSyntaxTree } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { parseJsonTree, readJson } from '../../../src/renderer/src/lib/json-tree';

/** The tree the composer's editor holds for `text`, after `edits` typed into `start`. */
function editorTree(start: string, edits: { from: number; to?: number; insert: string }[] = []) {
  let state = EditorState.create({ doc: start, extensions: [json(), EditorState.lineSeparator.of('\n')] });
  for (const edit of edits) state = state.update({ changes: edit }).state;
  return { text: state.doc.toString(), tree: ensureSyntaxTree(state, state.doc.length, 5000)! };
}

function errorOf(text: string) {
  const reading = readJson(text);
  if (reading.ok) throw new Error(`expected a syntax error in ${JSON.stringify(text)}`);
  return { at: text.slice(reading.error.from, reading.error.to), from: reading.error.from, message: reading.error.message };
}

describe('readJson', () => {
  it('reads what JSON.parse reads, to the same values', () => {
    const cases = ['{}', '[]', '0', '-1.5e+3', '"a\\u00e9\\n\\"b"', ' {"a": [1, true, false, null, {"b": "c"}]} ', '"\\ud83d\\ude00"', '1e400', '{"__proto__": 1}'];
    for (const text of cases) {
      const reading = readJson(text);
      expect(reading.ok, text).toBe(true);
      if (reading.ok) expect(reading.node.value(), text).toEqual(JSON.parse(text));
    }
  });

  it('takes a lone surrogate in a string, as JSON.parse does, though the grammar takes whole characters only', () => {
    const text = '{"a": "\ud83d", "b": 1}';
    const reading = readJson(text);
    expect(reading.ok).toBe(true);
    if (reading.ok) expect(reading.node.member('b')?.value.from).toBe(text.indexOf('1'));
  });

  it('keeps where keys and values are; a repeated key means its last value, as JSON.parse', () => {
    const text = '{"a": 1, "a": "two", "b": {"c": [1]}}';
    const reading = readJson(text);
    if (!reading.ok) throw new Error('expected JSON');
    const member = reading.node.member('a')!;
    expect(text.slice(member.keyFrom, member.keyTo)).toBe('"a"');
    expect(text.slice(member.value.from, member.value.to)).toBe('"two"');
    expect(reading.node.members().map((m) => m.key)).toEqual(['a', 'a', 'b']);
    const inner = reading.node.member('b')!.value;
    expect(inner.kind).toBe('object');
    expect(inner.member('c')?.value.kind).toBe('array');
    expect(inner.member('c')?.value.members()).toEqual([]);
  });

  it('refuses what JSON.parse refuses, saying where and what', () => {
    const cases: [string, string, string][] = [
      ['', 'The body is empty', ''],
      [' \n\t', 'The body is empty', ''],
      ['{"a": 1,}', 'Trailing comma before }', '}'],
      ['[1, 2,]', 'Trailing comma before ]', ']'],
      ["{'a': 1}", 'Expected a key in double quotes, found "\'"', "'"],
      ["{\"a\": 'b'}", 'Strings need double quotes', "'"],
      ['{"a" 1}', 'Expected : after the key "a"', '1'],
      ['{"a": 1 "b": 2}', 'Expected , or } after the value of "a", found "\\""', '"'],
      ['[1 2]', 'Expected , or ] in the list, found "2"', '2'],
      ['{"a": "line\nbreak"}', 'A control character', '\n'],
      ['{"a\tb": 1}', 'A control character', '\t'],
      ['{"a": "\\x"}', 'Invalid escape \\x', '\\x'],
      ['{"a": "\\u12"}', '\\u must be followed by 4 hex digits', '\\u12"}'],
      ['{"a": "open', 'Unterminated string', '"open'],
      ['{"a": tru}', 'Expected a value (a string, number, object, array, true, false or null), found "t"', 't'],
      ['{"a": -}', 'Expected a value', '-'],
      ['{"type": ', 'Expected a value (a string, number, object, array, true, false or null), found the end of the text', ''],
      ['{"a": 01}', 'Expected , or } after the value of "a"', '1'],
      ['{"a": 1.}', 'Expected , or } after the value of "a", found "."', '.'],
      ['{} extra', 'Unexpected "e" after the end of the JSON value', 'extra'],
      ['{"a":1}}', 'Unexpected "}" after the end of the JSON value', '}'],
    ];
    for (const [text, message, at] of cases) {
      expect(() => JSON.parse(text), text).toThrow();
      const error = errorOf(text);
      expect(error.message, text).toContain(message);
      expect(error.at, text).toBe(at);
    }
  });

  it('refuses deep nesting, at the place the 501st level would start', () => {
    expect(errorOf('['.repeat(20_000))).toEqual({ at: '[', from: 501, message: 'Nested deeper than 500 levels' });
    expect(errorOf(`${'{"a":'.repeat(501)} 1${'}'.repeat(501)}`)).toMatchObject({ from: 501 * 5, message: 'Nested deeper than 500 levels' });
    // Deeper than the limit is refused before a syntax error further on, but not after one before it.
    expect(errorOf(`${'['.repeat(501)}x`).message).toBe('Nested deeper than 500 levels');
    expect(errorOf(`[x, ${'['.repeat(600)}`).message).toContain('Expected a value');
    expect(readJson(`${'['.repeat(501)}${']'.repeat(501)}`).ok).toBe(true);
  });

  it('is exactly as strict as JSON.parse on text made of JSON pieces at random', () => {
    const pieces = ['{', '}', '[', ']', ',', ':', '"a"', '"', '1', '-', '01', '1.5', '1e', 'true', 'tru', 'null', ' ', '\n', "'", 'x', '"\\u12"', '"\\q"', '"\t"', '"\ud83d"'];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 5000; i++) {
      let text = '';
      for (let n = 1 + Math.floor(next() * 10); n > 0; n--) text += pieces[Math.floor(next() * pieces.length)];
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      expect(readJson(text).ok, JSON.stringify(text)).toBe(parses);
    }
  });
});

describe('the editor\'s tree', () => {
  it('is read as a fresh parse of the same text is: values, places and errors', () => {
    const start = '{\n  "id": "evt_1",\n  "type": "webhook.test",\n  "data": {"message": "hi"}\n}';
    const typed = editorTree(start, [
      { from: start.indexOf('"message"'), insert: '"n": 2, ' },
      { from: 1, insert: '\n  "extra": [1, 2],' },
    ]);
    const fromEditor = readJson(typed.text, typed.tree);
    const fresh = readJson(typed.text, parseJsonTree(typed.text));
    if (!fromEditor.ok || !fresh.ok) throw new Error('expected JSON');
    expect(fromEditor.node.value()).toEqual(JSON.parse(typed.text));
    const places = (reading: typeof fresh) => reading.node.member('data')!.value.members().map((m) => [m.key, m.keyFrom, m.value.from, m.value.to]);
    expect(places(fromEditor)).toEqual(places(fresh));

    const broken = editorTree(start, [{ from: start.indexOf(',\n  "data"'), to: start.indexOf(',\n  "data"') + 1, insert: '' }]);
    expect(readJson(broken.text, broken.tree)).toEqual(readJson(broken.text));
    expect(errorOf(broken.text).message).toBe('Expected , or } after the value of "type", found "\\""');
  });
});
