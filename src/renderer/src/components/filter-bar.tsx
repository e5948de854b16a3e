import { forwardRef, useEffect, useState } from 'react';
import type { DuplicateFilter } from '../../../shared/delivery';
import { EVENT_DESCRIPTIONS, EVENT_TYPES, SIGNATURE_STATUSES, type SignatureStatus } from '../../../shared/reviewsense/event-types';
import { isFiltered, TIME_RANGES, type TimeRange } from '../store/feed-filter';
import { useApp } from './context';
import { FilterMenu } from './filter-menu';

const SEARCH_DEBOUNCE_MS = 150;

function toggled<T>(list: T[], value: T): T[] {
  return list.includes(value) ? list.filter((item) => item !== value) : [...list, value];
}

export const FilterBar = forwardRef<HTMLInputElement>(function FilterBar(_props, searchRef) {
  const filter = useApp((s) => s.filter);
  const setFilter = useApp((s) => s.setFilter);
  const clearFilter = useApp((s) => s.clearFilter);
  const unseen = useApp((s) => s.unseenWhileSearching);
  const loadFeed = useApp((s) => s.loadFeed);
  const [text, setText] = useState(filter.text);

  useEffect(() => setText(filter.text), [filter.text]);
  useEffect(() => {
    if (text === filter.text) return;
    const timer = setTimeout(() => setFilter({ text }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, filter.text, setFilter]);

  return (
    <div className="filter-bar">
      <input
        ref={searchRef}
        type="search"
        className="search"
        placeholder="Search payloads  ( / )"
        aria-label="Search payloads"
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      <FilterMenu label="Type" chosen={filter.types.length}>
        <div className="filter-options" role="group" aria-label="Event types">
          {EVENT_TYPES.map((type) => (
            <label key={type} title={EVENT_DESCRIPTIONS[type]}>
              <input type="checkbox" checked={filter.types.includes(type)} onChange={() => setFilter({ types: toggled(filter.types, type) })} />
              {type}
            </label>
          ))}
        </div>
      </FilterMenu>
      <FilterMenu label="Signature" chosen={filter.signatures.length}>
        <div className="filter-options" role="group" aria-label="Signature statuses">
          {SIGNATURE_STATUSES.map((status) => (
            <label key={status}>
              <input type="checkbox" checked={filter.signatures.includes(status)} onChange={() => setFilter({ signatures: toggled<SignatureStatus>(filter.signatures, status) })} />
              {status}
            </label>
          ))}
        </div>
      </FilterMenu>
      <select aria-label="Duplicates" value={filter.duplicates} onChange={(event) => setFilter({ duplicates: event.target.value as DuplicateFilter })}>
        <option value="all">All deliveries</option>
        <option value="exclude">First deliveries only</option>
        <option value="only">Duplicates only</option>
      </select>
      <select aria-label="Time range" value={filter.range} onChange={(event) => setFilter({ range: event.target.value as TimeRange })}>
        {Object.entries(TIME_RANGES).map(([value, { label }]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      {isFiltered(filter) && (
        <button type="button" className="button small" onClick={clearFilter} title="Clear filters (Esc)">
          Clear
        </button>
      )}
      {unseen > 0 && (
        <button type="button" className="button small accent" onClick={() => void loadFeed()}>
          {unseen} new — refresh search
        </button>
      )}
    </div>
  );
});
