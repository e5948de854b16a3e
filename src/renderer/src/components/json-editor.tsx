import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { bracketMatching, ensureSyntaxTree, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { forceLinting, lintGutter, linter, lintKeymap } from '@codemirror/lint';
import { EditorState, Prec } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, keymap, lineNumbers } from '@codemirror/view';
import type { Tree } from '@lezer/common';
import { tags } from '@lezer/highlight';
import { useEffect, useRef } from 'react';
import type { Problem } from '../lib/event-check';

export interface JsonEditorProps {
  value: string;
  /** The text as edited, with the editor's syntax tree of it (null when not parsed to the end in time). */
  onChange: (text: string, tree: Tree | null) => void;
  /** The problems to underline, from the text and its tree; called again when `checkKey` changes. */
  check: (text: string, tree: Tree | null) => Problem[];
  checkKey: string;
  onSubmit: () => void;
  label: string;
  autoFocus?: boolean;
}

// Colours come from the app's CSS variables, which inherit into the shadow root.
const theme = EditorView.theme({
  '&': { height: '100%', backgroundColor: 'var(--bg)', color: 'var(--fg)', fontSize: '12px' },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5', overflow: 'auto' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--fg)' },
  '.cm-gutters': { backgroundColor: 'var(--bg-soft)', color: 'var(--fg-muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'transparent' },
  '&.cm-focused .cm-activeLine': { backgroundColor: 'var(--bg-soft)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--bg-hover)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: 'var(--bg-selected)' },
  '.cm-matchingBracket': { backgroundColor: 'var(--bg-hover)', outline: '1px solid var(--border)' },
  '.cm-tooltip': { backgroundColor: 'var(--bg)', color: 'var(--fg)', border: '1px solid var(--border)', borderRadius: '6px' },
  '.cm-diagnostic': { fontFamily: 'system-ui, sans-serif' },
});

// Typing re-parses only around the edit, but a long body pasted in is parsed whole once.
const PARSE_BUDGET_MS = 1000;

/** The editor's own tree of the whole document: checks read it instead of parsing the text again. */
function wholeTree(state: EditorState): Tree | null {
  return ensureSyntaxTree(state, state.doc.length, PARSE_BUDGET_MS);
}

const highlight = HighlightStyle.define([
  { tag: tags.propertyName, color: 'var(--accent)' },
  { tag: tags.string, color: 'var(--ok)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--warn)' },
  { tag: tags.invalid, color: 'var(--bad)' },
]);

/**
 * A CodeMirror 6 JSON editor. It lives in a shadow root on purpose: there CodeMirror's styles
 * go into a constructed (adopted) stylesheet, which the UI's `style-src 'self'` allows; in the
 * document itself it would add a <style> element, which that policy refuses.
 */
export function JsonEditor({ value, onChange, check, checkKey, onSubmit, label, autoFocus = false }: JsonEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef({ onChange, check, onSubmit });
  latest.current = { onChange, check, onSubmit };

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    // A host keeps its shadow root for life (React may mount this effect twice).
    const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
    const editor = new EditorView({
      root,
      parent: root,
      state: EditorState.create({
        doc: value,
        extensions: [
          // Keep a captured body's \r\n as they are: a replay sends these exact characters.
          EditorState.lineSeparator.of('\n'),
          Prec.highest(
            keymap.of([
              {
                key: 'Mod-Enter',
                run: () => {
                  latest.current.onSubmit();
                  return true;
                },
              },
            ]),
          ),
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightSpecialChars(),
          history(),
          // Less motion asked for: a caret that does not blink.
          drawSelection({ cursorBlinkRate: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : 1200 }),
          indentOnInput(),
          bracketMatching(),
          highlightActiveLine(),
          json(),
          syntaxHighlighting(highlight),
          linter((v) => latest.current.check(v.state.doc.toString(), wholeTree(v.state)), { delay: 250 }),
          lintGutter(),
          keymap.of([...defaultKeymap, ...historyKeymap, ...lintKeymap]),
          // An explicit tab stop: checkers that know no contenteditable see a focusable editor in its scroller.
          EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) latest.current.onChange(update.state.doc.toString(), wholeTree(update.state));
          }),
          theme,
        ],
      }),
    });
    view.current = editor;
    if (autoFocus) editor.focus();
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The document is set once here; later values arrive through the effect below.
  }, [label, autoFocus]);

  // A body set from outside (a new event, a template, New id) replaces the text.
  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const current = editor.state.doc.toString();
    if (current !== value) editor.dispatch({ changes: { from: 0, to: current.length, insert: value } });
  }, [value]);

  useEffect(() => {
    if (view.current) forceLinting(view.current);
  }, [checkKey]);

  return <div className="json-editor" ref={host} data-testid="json-editor" />;
}

export default JsonEditor;
