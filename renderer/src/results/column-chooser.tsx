import { PAGE_COLUMNS, type PageColumn } from '../../../shared/results';
import { COLUMN_LABELS } from './cell-text';

/** Which columns the URL table shows (at least the URL). */
export function ColumnChooser({
  columns,
  onChange,
}: {
  columns: PageColumn[];
  onChange: (columns: PageColumn[]) => void;
}) {
  const shown = new Set(columns);
  const toggle = (column: PageColumn) => {
    const next = new Set(shown);
    if (next.has(column)) next.delete(column);
    else next.add(column);
    next.add('url');
    onChange(PAGE_COLUMNS.filter((name) => next.has(name)));
  };
  return (
    <details className="column-chooser">
      <summary>Columns ({columns.length})</summary>
      <fieldset>
        <legend className="visually-hidden">Columns shown</legend>
        {PAGE_COLUMNS.map((column) => (
          <label key={column}>
            <input
              type="checkbox"
              checked={shown.has(column)}
              disabled={column === 'url'}
              onChange={() => toggle(column)}
            />
            {COLUMN_LABELS[column]}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
