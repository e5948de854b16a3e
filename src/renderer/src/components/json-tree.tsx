import { useState } from 'react';
import { plural } from '../../../shared/plural';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Collapsible JSON. Every value is rendered as text: a hostile payload stays inert. */
export function JsonTree({ value }: { value: Json }) {
  return (
    <div className="json-tree mono" role="tree">
      <JsonNode name={null} value={value} depth={0} />
    </div>
  );
}

/** Children shown per branch before "show more": a 30,000-item array must not freeze the UI. */
const PAGE = 100;

function JsonNode({ name, value, depth }: { name: string | null; value: Json; depth: number }) {
  const size = value !== null && typeof value === 'object' ? (Array.isArray(value) ? value.length : Object.keys(value).length) : 0;
  const [open, setOpen] = useState(depth < 3 && size <= PAGE);
  const [shown, setShown] = useState(PAGE);
  const label = name === null ? null : <span className="json-key">{JSON.stringify(name)}: </span>;
  if (value === null || typeof value !== 'object') {
    return (
      <div className="json-leaf" role="treeitem">
        {label}
        <span className={`json-${value === null ? 'null' : typeof value}`}>{JSON.stringify(value)}</span>
      </div>
    );
  }
  const entries: [string, Json][] = Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
  const [openMark, closeMark] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return (
    <div className="json-branch" role="treeitem" aria-expanded={open}>
      <button type="button" className="json-toggle" onClick={() => setOpen(!open)} aria-label={open ? 'Collapse' : 'Expand'}>
        {open ? '▾' : '▸'}
      </button>
      {label}
      {openMark}
      {open ? (
        <div className="json-children">
          {entries.slice(0, shown).map(([key, child]) => (
            <JsonNode key={key} name={Array.isArray(value) ? null : key} value={child} depth={depth + 1} />
          ))}
          {entries.length > shown && (
            <button type="button" className="link" onClick={() => setShown(shown + PAGE * 10)}>
              Show {Math.min(PAGE * 10, entries.length - shown)} more of {entries.length - shown}
            </button>
          )}
        </div>
      ) : (
        <span className="json-summary"> {Array.isArray(value) ? plural(entries.length, 'item', 'items') : plural(entries.length, 'key', 'keys')} </span>
      )}
      {closeMark}
    </div>
  );
}
