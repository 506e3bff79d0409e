import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { PageColumn } from '../../../shared/results';
import { formatCount } from '../common/format';
import type { ResultsTable } from '../store/results-slice';
import { cellText, COLUMN_LABELS, NUMERIC_COLUMNS } from './cell-text';

const ROW_HEIGHT = 32;
/** Fetch more when the last rendered row is this close to the end of what is loaded. */
const PREFETCH_ROWS = 50;

/**
 * The URL table: only the rows in view are in the DOM, so it scrolls through
 * any number of rows; more are fetched (keyset paging) as the end comes near.
 */
export function PagesTable(props: {
  table: ResultsTable;
  onSort: (column: PageColumn) => void;
  onOpen: (url: string) => void;
  onLoadMore: () => void;
}) {
  const { table, onLoadMore } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const columns = table.query.columns;
  const virtualizer = useVirtualizer({
    count: table.rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? -1;
  // One Tab stop for the whole table (the row last focused, else the first in view),
  // and the arrow keys move between rows: Tab went through every row, forever as
  // more were fetched, before reaching anything after the table.
  const [active, setActive] = useState(0);
  const tabStop = items.some((item) => item.index === active) ? active : items[0]?.index;

  useEffect(() => {
    if (table.nextCursor !== null && lastIndex >= table.rows.length - PREFETCH_ROWS) onLoadMore();
  }, [lastIndex, table.rows.length, table.nextCursor, onLoadMore]);

  // A new query or a jump to a row starts other rows: show them from their first.
  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
    setActive(0);
  }, [table.query]);

  const wide = (column: PageColumn) => column === 'url' || column === 'title';
  const template = columns
    .map((column) => (wide(column) ? 'minmax(16rem, 3fr)' : 'minmax(6rem, 1fr)'))
    .join(' ');
  // Header and rows share one width, so their columns line up when the table scrolls sideways.
  const minWidth = `${columns.reduce((sum, column) => sum + (wide(column) ? 16 : 6), 0)}rem`;
  const onRowKey = (event: KeyboardEvent, index: number, url: string) => {
    const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (event.key === 'Enter' || event.key === ' ') props.onOpen(url);
    // The neighbour is rendered (overscan); focusing it scrolls it into view.
    else if (step !== undefined) rowElement(index + step)?.focus();
    else return;
    event.preventDefault();
  };
  const rowElement = (index: number) =>
    scroller.current?.querySelector<HTMLElement>(`[data-index="${index}"]`);

  return (
    <div className="pages-table">
      {/* One scroller for header and rows, so they scroll sideways together; the header sticks. */}
      <div
        ref={scroller}
        className="table-scroller"
        role="table"
        aria-label="Crawled URLs"
        aria-rowcount={table.total ?? -1}
      >
        <div role="rowgroup" className="thead" style={{ minWidth }}>
          <div role="row" className="vrow" style={{ gridTemplateColumns: template }}>
            {columns.map((column) => {
              const sorted =
                table.query.sort?.column === column ? table.query.sort.direction : null;
              return (
                <div
                  key={column}
                  role="columnheader"
                  aria-sort={
                    sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'
                  }
                  className={NUMERIC_COLUMNS.has(column) ? 'num' : undefined}
                >
                  <button type="button" className="sort" onClick={() => props.onSort(column)}>
                    {COLUMN_LABELS[column]}
                    {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                  </button>
                </div>
              );
            })}
          </div>
        </div>
        <div
          role="rowgroup"
          className="tbody"
          style={{ height: virtualizer.getTotalSize(), minWidth }}
        >
          {items.map((item) => {
            const row = table.rows[item.index]!;
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={table.firstRow + item.index + 1}
                tabIndex={item.index === tabStop ? 0 : -1}
                data-index={item.index}
                className="vrow clickable"
                data-testid="result-row"
                style={{
                  gridTemplateColumns: template,
                  transform: `translateY(${item.start}px)`,
                  height: ROW_HEIGHT,
                }}
                onClick={() => props.onOpen(row.url)}
                onFocus={() => setActive(item.index)}
                onKeyDown={(event) => onRowKey(event, item.index, row.url)}
              >
                {columns.map((column) => (
                  <div
                    key={column}
                    role="cell"
                    className={NUMERIC_COLUMNS.has(column) ? 'num' : undefined}
                  >
                    {cellText(column, row[column])}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
      <p className="table-foot" aria-live="polite">
        {table.state === 'loading' && 'Loading…'}
        {table.state === 'error' && (
          <span className="error">Could not load rows: {table.error}</span>
        )}
        {table.state === 'ready' && footText(table)}
      </p>
    </div>
  );
}

function footText(table: ResultsTable): string {
  const total = table.total === null ? '?' : formatCount(table.total);
  if (table.rows.length === 0) return 'No URLs match these filters.';
  const last = table.firstRow + table.rows.length - 1;
  // The end of the rows asked for, and a crawl has stored more since: they come with Refresh.
  const since =
    table.nextCursor === null && table.total !== null && table.total > last
      ? '; Refresh for the rows stored since'
      : '';
  if (table.firstRow === 1)
    return `${formatCount(table.rows.length)} of ${total} rows loaded${since}`;
  return `Rows ${formatCount(table.firstRow)}–${formatCount(last)} of ${total} loaded (go to row 1 for the rows above)${since}`;
}
