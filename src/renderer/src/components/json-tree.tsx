import { createContext, useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import { plural } from '../../../shared/plural';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Children shown per branch before "show more": a 30,000-item array must not freeze the UI. */
const PAGE = 100;
const ROOT = '[]';

interface TreeState {
  /** The one item in the Tab order (roving tabindex): the last one focused. */
  active: string;
  isOpen: (path: string, byDefault: boolean) => boolean;
  toggle: (path: string, byDefault: boolean) => void;
}

const TreeContext = createContext<TreeState | null>(null);

function useTree(): TreeState {
  const tree = useContext(TreeContext);
  if (!tree) throw new Error('JsonNode outside a JsonTree');
  return tree;
}

const ITEM = '[role="treeitem"]';

/** The branch an item belongs to: the one that owns the group it is in. */
function owner(item: HTMLElement): HTMLElement | null {
  const group = item.closest('[role="group"]');
  return group ? document.querySelector<HTMLElement>(`[aria-owns="${CSS.escape(group.id)}"]`) : null;
}

/**
 * Collapsible JSON as an ARIA tree (tree → treeitem → group): one Tab stop, ↑/↓ move between the
 * items shown, → opens a branch or enters it, ← closes it or goes up to its parent, Home/End, and
 * Enter or Space opens and closes. Every value is rendered as text: a hostile payload stays inert.
 */
export function JsonTree({ value, label = 'Payload JSON' }: { value: Json; label?: string }) {
  const element = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(ROOT);
  // Only what the user opened or closed; every other branch is as it starts.
  const [toggled, setToggled] = useState<ReadonlyMap<string, boolean>>(new Map());
  const isOpen = useCallback((path: string, byDefault: boolean) => toggled.get(path) ?? byDefault, [toggled]);
  const toggle = useCallback((path: string, byDefault: boolean) => setToggled((map) => new Map(map).set(path, !(map.get(path) ?? byDefault))), []);
  const tree = useMemo(() => ({ active, isOpen, toggle }), [active, isOpen, toggle]);

  // The item in the Tab order went away (its branch was closed with the mouse): the root takes it.
  useEffect(() => {
    if (!element.current?.querySelector(`${ITEM}[tabindex="0"]`)) setActive(ROOT);
  });

  const focus = (item: Element | null | undefined) => {
    if (!(item instanceof HTMLElement)) return;
    item.focus();
    setActive(item.dataset.path ?? ROOT);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const item = (event.target as HTMLElement).closest<HTMLElement>(ITEM);
    const root = element.current;
    if (!item || !root) return;
    // Every item in the DOM is shown: a closed branch renders no children.
    const items = Array.from(root.querySelectorAll<HTMLElement>(ITEM));
    const at = items.indexOf(item);
    const path = item.dataset.path ?? ROOT;
    const branch = item.getAttribute('aria-expanded');
    const byDefault = item.dataset.open === 'true';
    switch (event.key) {
      case 'ArrowDown':
        focus(items[at + 1]);
        break;
      case 'ArrowUp':
        focus(items[at - 1]);
        break;
      case 'Home':
        focus(items[0]);
        break;
      case 'End':
        focus(items.at(-1));
        break;
      case 'ArrowRight':
        if (branch === 'false') toggle(path, byDefault);
        else if (branch === 'true') focus(document.getElementById(item.getAttribute('aria-owns') ?? '')?.querySelector(`:scope > ${ITEM}`));
        break;
      case 'ArrowLeft':
        if (branch === 'true') toggle(path, byDefault);
        else focus(owner(item));
        break;
      case 'Enter':
      case ' ':
        if (branch !== null) toggle(path, byDefault);
        else if (item.dataset.more !== undefined) {
          // The next page shows where "show more" was; focus goes to its first item.
          flushSync(() => item.click());
          focus(root.querySelectorAll(ITEM)[at]);
        } else return;
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <TreeContext.Provider value={tree}>
      <div
        className="json-tree mono"
        role="tree"
        aria-label={label}
        ref={element}
        onKeyDown={onKeyDown}
        // A click focuses an item too: the keyboard goes on from there.
        onFocus={(event) => {
          const item = (event.target as HTMLElement).closest<HTMLElement>(ITEM);
          if (item?.dataset.path && item.dataset.path !== active) setActive(item.dataset.path);
        }}
      >
        <JsonNode name={null} value={value} depth={0} path={[]} place={{ at: 1, of: 1 }} />
      </div>
    </TreeContext.Provider>
  );
}

/**
 * One item. Its level and its place among its siblings are said outright: a long branch shows
 * its children a page at a time, and "item 5 of 250" must count the ones not shown yet.
 */
function JsonNode({ name, value, depth, path, place }: { name: string | null; value: Json; depth: number; path: string[]; place: { at: number; of: number } }) {
  const tree = useTree();
  const groupId = useId();
  const [shown, setShown] = useState(PAGE);
  const key = JSON.stringify(path);
  const tabIndex = key === tree.active ? 0 : -1;
  const label = name === null ? null : <span className="json-key">{JSON.stringify(name)}: </span>;
  const position = { 'aria-level': depth + 1, 'aria-posinset': place.at, 'aria-setsize': place.of };
  if (value === null || typeof value !== 'object') {
    return (
      <div className="json-leaf" role="treeitem" {...position} tabIndex={tabIndex} data-path={key}>
        {label}
        <span className={`json-${value === null ? 'null' : typeof value}`}>{JSON.stringify(value)}</span>
      </div>
    );
  }
  const entries: [string, Json][] = Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
  const byDefault = depth < 3 && entries.length <= PAGE;
  const open = tree.isOpen(key, byDefault);
  const [openMark, closeMark] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  const more = entries.length - shown;
  const moreKey = `${key}+more`;
  // The item is only its own line; its children's group follows it in the page and is its child
  // by aria-owns, so the item's name is its line ("data": {), not every value under it.
  return (
    <>
      <div className="json-branch" role="treeitem" {...position} aria-expanded={open} aria-owns={open ? groupId : undefined} tabIndex={tabIndex} data-path={key} data-open={byDefault}>
        {/* For the mouse; the keyboard opens and closes with ←/→, Enter or Space. */}
        <span className="json-toggle" aria-hidden="true" onClick={() => tree.toggle(key, byDefault)}>
          {open ? '▾' : '▸'}
        </span>
        {label}
        {openMark}
        {!open && (
          <>
            <span className="json-summary"> {Array.isArray(value) ? plural(entries.length, 'item', 'items') : plural(entries.length, 'key', 'keys')} </span>
            {closeMark}
          </>
        )}
      </div>
      {open && (
        <div className="json-children" role="group" id={groupId}>
          {entries.slice(0, shown).map(([child, item], index) => (
            <JsonNode key={child} name={Array.isArray(value) ? null : child} value={item} depth={depth + 1} path={[...path, child]} place={{ at: index + 1, of: entries.length }} />
          ))}
          {more > 0 && (
            <div className="json-more" role="treeitem" aria-level={depth + 2} tabIndex={moreKey === tree.active ? 0 : -1} data-path={moreKey} data-more="" onClick={() => setShown(shown + PAGE * 10)}>
              Show {Math.min(PAGE * 10, more)} more of {more}
            </div>
          )}
          <div className="json-close" aria-hidden="true">
            {closeMark}
          </div>
        </div>
      )}
    </>
  );
}
