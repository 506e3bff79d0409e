import { useState, type FormEvent } from 'react';
import { STATUS_CLASSES, type PageFilters, type StatusClass } from '../../../shared/results';

/**
 * Filters of the URL table: status classes, content type, indexability,
 * internal/external, and full-text search (applied with Enter or Apply).
 */
export function FilterBar({
  filters,
  onChange,
}: {
  filters: PageFilters;
  onChange: (filters: PageFilters) => void;
}) {
  const [text, setText] = useState(filters.text ?? '');
  const [contentType, setContentType] = useState(filters.contentType ?? '');
  // Back/forward can change the applied filters under the fields: they then show those.
  const [shown, setShown] = useState(filters);
  if (shown.text !== filters.text || shown.contentType !== filters.contentType) {
    setShown(filters);
    setText(filters.text ?? '');
    setContentType(filters.contentType ?? '');
  }
  const classes = new Set(filters.statusClasses ?? []);

  const toggleClass = (name: StatusClass) => {
    const next = new Set(classes);
    if (next.has(name)) next.delete(name);
    else next.add(name);
    onChange({
      ...filters,
      statusClasses: next.size === 0 ? undefined : STATUS_CLASSES.filter((c) => next.has(c)),
    });
  };
  const applyText = (event: FormEvent) => {
    event.preventDefault();
    onChange({
      ...filters,
      text: text.trim() || undefined,
      contentType: contentType.trim() || undefined,
    });
  };

  return (
    <form className="filter-bar" onSubmit={applyText} role="search" aria-label="Filter results">
      <label>
        Search{' '}
        <input
          type="search"
          value={text}
          onChange={(event) => setText(event.target.value)}
          placeholder="URL, title, description, h1"
        />
      </label>
      <label>
        Content type{' '}
        <input
          value={contentType}
          onChange={(event) => setContentType(event.target.value)}
          placeholder="text/html"
          size={12}
        />
      </label>
      <button type="submit">Apply</button>
      <fieldset className="status-classes">
        <legend>Status</legend>
        {STATUS_CLASSES.map((name) => (
          <label key={name} className="chip">
            <input type="checkbox" checked={classes.has(name)} onChange={() => toggleClass(name)} />
            {name}
          </label>
        ))}
      </fieldset>
      <label>
        Indexable{' '}
        <select
          value={filters.indexable === undefined ? '' : String(filters.indexable)}
          onChange={(event) =>
            onChange({
              ...filters,
              indexable: event.target.value === '' ? undefined : event.target.value === 'true',
            })
          }
        >
          <option value="">any</option>
          <option value="true">yes</option>
          <option value="false">no</option>
        </select>
      </label>
      <label>
        URLs{' '}
        <select
          value={filters.scope ?? 'internal'}
          onChange={(event) =>
            onChange({ ...filters, scope: event.target.value as PageFilters['scope'] })
          }
        >
          <option value="internal">internal</option>
          <option value="external">external</option>
          <option value="all">all</option>
        </select>
      </label>
    </form>
  );
}
