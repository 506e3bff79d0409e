import type { Db } from '../store/database';
import { JobStore } from '../store/job-store';
import {
  DEFAULT_PAGE_COLUMNS,
  type PageColumn,
  type PageFilters,
  type PageQuery,
  type PageQueryResult,
  type PageRow,
  type StatusClass,
} from '../../../shared/results';
import { keptSources, type RowSource } from '../../../shared/filter-row-sources';
import { COLUMN_SQL, SOURCE_SQL, displayValue } from './page-columns';
import { decodeCursor, encodeCursor, type SortValue } from './keyset-cursor';

export const DEFAULT_LIMIT = 100;

type Params = Record<string, string | number>;

const HTTP_CLASSES: Partial<Record<StatusClass, [number, number]>> = {
  '1xx': [100, 199],
  '2xx': [200, 299],
  '3xx': [300, 399],
  '4xx': [400, 499],
  '5xx': [500, 599],
};

/** A LIKE pattern that matches `text` literally (escape character `\`). */
export const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** What the full-text index splits words on: a "word" without these holds none. */
const HAS_WORD_CHARACTER = /[\p{L}\p{N}]/u;

/** Every word must match as a prefix; quoting keeps FTS5 syntax out of user text. */
export const ftsQuery = (text: string) =>
  text
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => `"${word.replace(/"/g, '""')}"*`)
    .join(' ');

/** The status classes' condition on a kind of row that can have one of them (see keptSources). */
function statusCondition(source: RowSource, classes: readonly StatusClass[]): string {
  const ranges = classes.flatMap((name) => {
    const range = HTTP_CLASSES[name];
    return range ? [range] : [];
  });
  const status = COLUMN_SQL[source].status;
  const parts = ranges.map(([low, high]) => `${status} BETWEEN ${low} AND ${high}`);
  if (source === 'unanswered') {
    parts.length = 0;
    if (classes.includes('failed')) parts.push('f.state = 3');
    if (classes.includes('blocked')) parts.push('f.state = 4');
  }
  if (source === 'external' && classes.includes('failed')) {
    parts.push('(e.status IS NULL AND e.error IS NOT NULL)');
  }
  return `(${parts.join(' OR ')})`;
}

/** The WHERE conditions of one row source the filters can keep (see keptSources). */
function sourceConditions(source: RowSource, filters: PageFilters, params: Params): string[] {
  const columns = COLUMN_SQL[source];
  const where = [SOURCE_SQL[source].job];
  if (filters.statusClasses) where.push(statusCondition(source, filters.statusClasses));
  if (filters.contentType !== undefined) {
    params.contentType = `${likeLiteral(filters.contentType.toLowerCase())}%`;
    where.push("lower(p.content_type) LIKE @contentType ESCAPE '\\'");
  }
  if (filters.depth) {
    if (filters.depth.min !== undefined) {
      params.depthMin = filters.depth.min;
      where.push(`${columns.depth} >= @depthMin`);
    }
    if (filters.depth.max !== undefined) {
      params.depthMax = filters.depth.max;
      where.push(`${columns.depth} <= @depthMax`);
    }
  }
  // Failed and blocked URLs are all not indexable: no condition on them.
  if (filters.indexable !== undefined && source === 'pages') {
    where.push(`p.indexable = ${filters.indexable ? 1 : 0}`);
  }
  if (filters.text !== undefined) {
    const words = filters.text.toLowerCase().split(/\s+/).filter(Boolean);
    if (source === 'pages') {
      // The full-text index holds words: punctuation alone ("?", "&") is matched as text.
      const indexed = words.filter((word) => HAS_WORD_CHARACTER.test(word));
      if (indexed.length > 0) {
        params.fts = ftsQuery(indexed.join(' '));
        where.push('p.id IN (SELECT rowid FROM pages_fts WHERE pages_fts MATCH @fts)');
      }
      words
        .filter((word) => !HAS_WORD_CHARACTER.test(word))
        .forEach((mark, index) => {
          params[`mark${index}`] = mark;
          const fields = ['p.url', 'p.final_url', 'p.title', 'p.meta_description', 'p.h1'];
          where.push(
            `(${fields.map((field) => `instr(lower(coalesce(${field}, '')), @mark${index}) > 0`).join(' OR ')})`,
          );
        });
    } else {
      words.forEach((word, index) => {
        params[`word${index}`] = word;
        where.push(`instr(lower(${columns.url}), @word${index}) > 0`);
      });
    }
  }
  if (filters.extraction) {
    const { name, op, value } = filters.extraction;
    params.xName = name;
    if (value !== undefined) params.xValue = value;
    const matching = {
      equals: 'SELECT page_id FROM extractions WHERE name = @xName AND value = @xValue',
      contains: 'SELECT page_id FROM extractions WHERE name = @xName AND instr(value, @xValue) > 0',
      present: 'SELECT page_id FROM extractions WHERE name = @xName',
      absent: 'SELECT page_id FROM extractions WHERE name = @xName',
    }[op];
    where.push(`p.id ${op === 'absent' ? 'NOT IN' : 'IN'} (${matching})`);
  }
  return where;
}

/**
 * The WHERE conditions (on `pages p`) and parameters that keep a job's
 * fetched pages the filters keep, or null when none can match: a view of
 * the pages alone, such as a sitemap's.
 */
export function pageConditions(
  jobId: number,
  filters: PageFilters,
): { where: string[]; params: Params } | null {
  if (!keptSources(filters).includes('pages')) return null;
  const params: Params = { jobId };
  return { where: sourceConditions('pages', filters, params), params };
}

/** The condition "after the cursor" in the sort order (NULLs first ascending, last descending). */
function afterCursor(
  sortSql: string | null,
  keySql: string,
  descending: boolean,
  value: SortValue,
): string {
  const after = descending ? '<' : '>';
  if (sortSql === null) return `${keySql} ${after} @cursorKey`;
  if (value === null) {
    return descending
      ? `(${sortSql} IS NULL AND ${keySql} < @cursorKey)`
      : `((${sortSql} IS NULL AND ${keySql} > @cursorKey) OR ${sortSql} IS NOT NULL)`;
  }
  const beyond = `(${sortSql}, ${keySql}) ${after} (@cursorValue, @cursorKey)`;
  return descending ? `(${beyond} OR ${sortSql} IS NULL)` : beyond;
}

interface BuiltQuery {
  sql: string;
  countSql: string | null;
  params: Params;
  sortId: string;
  columns: readonly PageColumn[];
}

/** Builds the keyset query: one SELECT per row source that can match, merged in sort order. */
export function buildPageQuery(query: PageQuery): BuiltQuery {
  const params: Params = { jobId: query.jobId };
  const columns = [
    ...new Set<PageColumn>(['url', 'kind', ...(query.columns ?? DEFAULT_PAGE_COLUMNS)]),
  ];
  const sortColumn = query.sort?.column ?? null;
  const descending = query.sort?.direction === 'desc';
  const sortId = `${sortColumn ?? 'key'}:${descending ? 'desc' : 'asc'}`;
  const position = query.cursor ? decodeCursor(query.cursor, sortId) : null;
  if (position) {
    params.cursorKey = position.key;
    if (position.value !== null) params.cursorValue = position.value;
  }
  const arms: string[] = [];
  const counts: string[] = [];
  const filters = query.filters ?? {};
  for (const source of keptSources(filters)) {
    const where = sourceConditions(source, filters, params);
    const sql = COLUMN_SQL[source];
    const { from, key } = SOURCE_SQL[source];
    const sortSql = sortColumn === null ? null : sql[sortColumn];
    counts.push(`(SELECT count(*) FROM ${from} WHERE ${where.join(' AND ')})`);
    if (position) where.push(afterCursor(sortSql, key, descending, position.value));
    const select = columns.map((column) => `${sql[column]} AS "${column}"`);
    select.push(`${sortSql ?? 'NULL'} AS _s`, `${key} AS _k`);
    arms.push(`SELECT ${select.join(', ')} FROM ${from} WHERE ${where.join(' AND ')}`);
  }
  if (arms.length === 0) return { sql: '', countSql: null, params, sortId, columns };
  const direction = descending ? 'DESC' : 'ASC';
  const order = sortColumn === null ? `_k ${direction}` : `_s ${direction}, _k ${direction}`;
  params.limit = (query.limit ?? DEFAULT_LIMIT) + 1;
  return {
    sql: `${arms.join(' UNION ALL ')} ORDER BY ${order} LIMIT @limit`,
    countSql: `SELECT ${counts.join(' + ')} AS n`,
    params,
    sortId,
    columns,
  };
}

type RawRow = Record<string, string | number | null> & { _s: SortValue; _k: string | number };

/** One screen of the URL table: rows after the cursor in sort order, and the next cursor. */
export function queryPages(db: Db, query: PageQuery): PageQueryResult {
  // A clear error for an unknown or half-deleted job, as reports give: an empty
  // table said "No URLs match these filters" for a job deleted in another window.
  new JobStore(db).whole(query.jobId);
  const built = buildPageQuery(query);
  const limit = query.limit ?? DEFAULT_LIMIT;
  if (built.sql === '') return { rows: [], nextCursor: null, ...(query.withTotal && { total: 0 }) };
  const raw = db.prepare(built.sql).all(built.params) as RawRow[];
  const more = raw.length > limit;
  const screen = more ? raw.slice(0, limit) : raw;
  const rows = screen.map((row) => {
    const out: Record<string, unknown> = {};
    for (const column of built.columns) out[column] = displayValue(column, row[column] ?? null);
    return out as PageRow;
  });
  const last = screen.at(-1);
  const result: PageQueryResult = {
    rows,
    nextCursor:
      more && last ? encodeCursor({ sort: built.sortId, value: last._s, key: last._k }) : null,
  };
  if (query.withTotal) result.total = countRows(db, built);
  return result;
}

/**
 * Every row of a filtered, sorted URL table, streamed from one statement
 * (exports: never all in memory). Values as the table shows them.
 */
export function iteratePageRows(
  db: Db,
  query: Omit<PageQuery, 'limit' | 'cursor' | 'withTotal'>,
): { columns: readonly PageColumn[]; rows: Generator<PageRow>; total: () => number } {
  const built = buildPageQuery({ ...query, limit: -2 }); // LIMIT -1: no limit
  function* rows(): Generator<PageRow> {
    if (built.sql === '') return;
    for (const row of db.prepare(built.sql).iterate(built.params) as IterableIterator<RawRow>) {
      const out: Record<string, unknown> = {};
      for (const column of built.columns) out[column] = displayValue(column, row[column] ?? null);
      yield out as PageRow;
    }
  }
  return { columns: built.columns, rows: rows(), total: () => countRows(db, built) };
}

/** Rows in the whole filtered set, wherever the cursor is. */
export function countRows(db: Db, built: BuiltQuery): number {
  if (!built.countSql) return 0;
  const { limit: _limit, cursorKey: _key, cursorValue: _value, ...params } = built.params;
  return (db.prepare(built.countSql).get(params) as { n: number }).n;
}
