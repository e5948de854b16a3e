/**
 * The composer's body: the JSON editor and, under it, the line that sums up the event check.
 * Loaded with CodeMirror when the composer first opens, so the check and the Lezer tree it reads
 * stay out of the UI's first load too.
 */
import type { Tree } from '@lezer/common';
import { useCallback, useDeferredValue, useMemo, useRef } from 'react';
import type { EventType } from '../../../shared/reviewsense/event-types';
import { checkEvent, summarize } from '../lib/event-check';
import { eventTypeOf } from '../lib/event-text';
import { parseJsonTree } from '../lib/json-tree';
import { JsonEditor } from './json-editor';

export interface ComposerEditorProps {
  body: string;
  /** The type whose `data` is expected; null: the body's own type (a replay). */
  checkType: EventType | null;
  onChange: (body: string) => void;
  onSubmit: () => void;
  autoFocus: boolean;
}

export function ComposerEditor({ body, checkType, onChange, onSubmit, autoFocus }: ComposerEditorProps) {
  const deferredBody = useDeferredValue(body);
  // The editor's tree of the text it last reported: a cache, so the line under the editor does not
  // parse a long body again on every key (a body set from outside is parsed here once).
  const edited = useRef<{ text: string; tree: Tree | null } | null>(null);
  const summary = useMemo(() => {
    const tree = (edited.current?.text === deferredBody ? edited.current.tree : null) ?? parseJsonTree(deferredBody);
    return summarize(checkEvent(deferredBody, checkType, tree), checkType ?? eventTypeOf(deferredBody));
  }, [deferredBody, checkType]);
  const check = useCallback((text: string, tree: Tree | null) => checkEvent(text, checkType, tree ?? undefined), [checkType]);
  const change = useCallback(
    (text: string, tree: Tree | null) => {
      edited.current = { text, tree };
      onChange(text);
    },
    [onChange],
  );

  return (
    <>
      <JsonEditor value={body} onChange={change} check={check} checkKey={checkType ?? ''} onSubmit={onSubmit} label="Event JSON" autoFocus={autoFocus} />
      <p className={`event-check ${summary.ok ? 'ok' : 'warn'}`} data-testid="event-check">
        {summary.ok ? '✓ ' : '⚠ '}
        {summary.text}
      </p>
    </>
  );
}

export default ComposerEditor;
