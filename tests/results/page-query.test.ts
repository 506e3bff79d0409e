import { describe, expect, it } from 'vitest';
import { buildPageQuery, queryPages } from '../../electron/engine/results/page-query';
import { JobAdmin } from '../../electron/engine/store/job-admin';
import { JobStore } from '../../electron/engine/store/job-store';
import { PAGE_COLUMNS, type PageColumn, type PageQuery, type PageRow } from '../../shared/results';
import { databasePerTest } from '../helpers/temp-db';
import { storeJob, type UrlOutcome } from './stored-job';

const env = databasePerTest('results.sqlite');

const ORIGIN = 'http://127.0.0.1:9';

/** 300 URLs with many ties and NULLs in the sorted columns, some failed and blocked. */
function varied(): UrlOutcome[] {
  return Array.from({ length: 300 }, (_, n): UrlOutcome => {
    const url = `${ORIGIN}/p/${n}`;
    const depth = n % 4;
    if (n % 29 === 5) return { url, depth, failed: 'ECONNRESET: socket hang up' };
    if (n % 31 === 7) return { url, depth, blocked: true };
    return {
      url,
      depth,
      page: {
        status: [200, 200, 200, 301, 404, 500][n % 6]!,
        title: n % 5 === 0 ? null : `Title ${n % 7}`,
        responseMs: n % 3 === 0 ? 50 : (n * 37) % 101,
        bytes: n % 11,
        contentType: n % 13 === 0 ? 'application/pdf' : 'text/html; charset=utf-8',
        metaRobots: n % 17 === 0 ? 'noindex' : null,
        h1: n % 9 === 0 ? 'Shoes for runners' : 'Other heading',
      },
    };
  });
}

/** Pages through the whole result with small screens. */
function pageThrough(query: PageQuery, limit: number): PageRow[] {
  const rows: PageRow[] = [];
  let cursor: string | undefined;
  for (let screens = 0; screens < 1000; screens++) {
    const result = queryPages(env.db, { ...query, limit, ...(cursor && { cursor }) });
    rows.push(...result.rows);
    if (result.nextCursor === null) return rows;
    cursor = result.nextCursor;
  }
  throw new Error('paging did not end');
}

describe('page query (keyset pagination)', () => {
  it('pages through every sort and direction with no row skipped or repeated', () => {
    const jobId = storeJob(env.db, varied());
    storeJob(env.db, varied().slice(0, 50)); // another job in the same file must not leak in
    const sorts: PageColumn[] = [
      'title',
      'status',
      'responseMs',
      'depth',
      'bytes',
      'error',
      'kind',
    ];
    for (const column of sorts) {
      for (const direction of ['asc', 'desc'] as const) {
        const query: PageQuery = { jobId, sort: { column, direction }, columns: [column] };
        const whole = queryPages(env.db, { ...query, limit: 10_000, withTotal: true });
        expect(whole.total).toBe(300);
        expect(whole.rows).toHaveLength(300);
        const paged = pageThrough(query, 7);
        expect(paged.map((row) => row.url)).toEqual(whole.rows.map((row) => row.url));
        expect(new Set(paged.map((row) => row.url)).size).toBe(300);
        // Sorted by the column, NULLs first ascending and last descending.
        const values = paged.map((row) => row[column] as string | number | null);
        const sorted = [...values].sort(
          (a, b) => compareSql(a, b) * (direction === 'asc' ? 1 : -1),
        );
        expect(values).toEqual(sorted);
      }
    }
  });

  it('lists, unsorted, the pages in crawl order and then the URLs that failed or were blocked, as found', () => {
    const jobId = storeJob(env.db, varied());
    const urls = (sql: string) => env.db.prepare(sql).pluck().all(jobId) as string[];
    const crawled = urls('SELECT url FROM pages WHERE job_id = ? ORDER BY fetched_at, id');
    const found = urls('SELECT url FROM frontier WHERE job_id = ? AND state IN (3, 4) ORDER BY id');
    expect(found.length).toBeGreaterThan(0);
    expect(pageThrough({ jobId }, 7).map((row) => row.url)).toEqual([...crawled, ...found]);
  });

  it('filters by status class, depth, content type, indexability and text, across screens', () => {
    const outcomes = varied();
    const jobId = storeJob(env.db, outcomes);
    const expectUrls = (query: Omit<PageQuery, 'jobId'>, predicate: (o: UrlOutcome) => boolean) => {
      const rows = pageThrough(
        { jobId, sort: { column: 'title', direction: 'desc' }, ...query },
        9,
      );
      expect(rows.map((row) => row.url).sort()).toEqual(
        outcomes
          .filter(predicate)
          .map((o) => o.url)
          .sort(),
      );
      expect(queryPages(env.db, { jobId, ...query, withTotal: true }).total).toBe(rows.length);
    };
    const status = (o: UrlOutcome) => ('page' in o ? o.page.status! : null);
    expectUrls({ filters: { statusClasses: ['4xx', '5xx'] } }, (o) => (status(o) ?? 0) >= 400);
    expectUrls({ filters: { statusClasses: ['failed'] } }, (o) => 'failed' in o);
    expectUrls(
      { filters: { statusClasses: ['blocked', '3xx'] } },
      (o) => 'blocked' in o || status(o) === 301,
    );
    expectUrls({ filters: { depth: { min: 1, max: 2 } } }, (o) => o.depth === 1 || o.depth === 2);
    expectUrls(
      { filters: { contentType: 'APPLICATION/pdf' } },
      (o) => 'page' in o && o.page.contentType === 'application/pdf',
    );
    expectUrls(
      { filters: { indexable: true } },
      (o) =>
        'page' in o &&
        status(o) === 200 &&
        o.page.contentType !== 'application/pdf' &&
        !o.page.metaRobots,
    );
    expectUrls(
      { filters: { text: 'shoes RUN' } },
      (o) => 'page' in o && o.page.h1 === 'Shoes for runners',
    );
    expectUrls({ filters: { text: '/p/29' } }, (o) => /\/p\/29\d*$/.test(o.url));
  });

  it('finds punctuation a search is made of, which the word index holds none of', () => {
    const jobId = storeJob(env.db, [
      { url: `${ORIGIN}/a?x=1`, page: { title: 'Fish & chips' } },
      { url: `${ORIGIN}/b`, page: { title: 'Plain' } },
      { url: `${ORIGIN}/c?y`, failed: 'ECONNRESET' },
    ]);
    const found = (text: string) =>
      queryPages(env.db, { jobId, filters: { text } })
        .rows.map((row) => row.url)
        .sort();
    expect(found('?')).toEqual([`${ORIGIN}/a?x=1`, `${ORIGIN}/c?y`]);
    expect(found('&')).toEqual([`${ORIGIN}/a?x=1`]);
    expect(found('FISH &')).toEqual([`${ORIGIN}/a?x=1`]);
    expect(found('plain &')).toEqual([]);
  });

  it('filters by custom extraction values', () => {
    const jobId = storeJob(env.db, [
      { url: `${ORIGIN}/a`, page: { extracted: { price: '10', tags: ['x', 'y'] } } },
      { url: `${ORIGIN}/b`, page: { extracted: { price: '20', tags: [] } } },
      { url: `${ORIGIN}/c`, page: { extracted: { price: null, tags: ['yz'] } } },
    ]);
    const urls = (extraction: NonNullable<PageQuery['filters']>['extraction']) =>
      queryPages(env.db, { jobId, filters: { extraction } }).rows.map((row) => row.url.slice(-1));
    expect(urls({ name: 'price', op: 'equals', value: '20' })).toEqual(['b']);
    expect(urls({ name: 'tags', op: 'contains', value: 'y' })).toEqual(['a', 'c']);
    expect(urls({ name: 'price', op: 'absent' })).toEqual(['c']);
    expect(urls({ name: 'tags', op: 'present' })).toEqual(['a', 'c']);
  });

  it('refuses a cursor from another sort with a clear error', () => {
    const jobId = storeJob(env.db, varied());
    const first = queryPages(env.db, {
      jobId,
      sort: { column: 'title', direction: 'asc' },
      limit: 5,
    });
    expect(() =>
      queryPages(env.db, {
        jobId,
        sort: { column: 'status', direction: 'asc' },
        cursor: first.nextCursor!,
      }),
    ).toThrow(/another sort/);
    expect(() => queryPages(env.db, { jobId, cursor: 'garbage!' })).toThrow(/bad cursor/);
  });

  it('refuses a deleted or half-deleted job with a clear error, not an empty table', async () => {
    const deleted = storeJob(env.db, varied().slice(0, 10));
    const first = queryPages(env.db, { jobId: deleted, limit: 5 });
    await new JobAdmin(env.db).delete(deleted);
    // Another window's table: its next screen, and its Refresh.
    expect(() => queryPages(env.db, { jobId: deleted, cursor: first.nextCursor! })).toThrow(
      `no job with id ${deleted}`,
    );
    expect(() => queryPages(env.db, { jobId: deleted, withTotal: true })).toThrow(
      `no job with id ${deleted}`,
    );
    const halfDeleted = storeJob(env.db, varied().slice(0, 10));
    new JobStore(env.db).markDeleting(halfDeleted);
    expect(() => queryPages(env.db, { jobId: halfDeleted })).toThrow(
      `job ${halfDeleted} is being deleted: delete it again to finish`,
    );
  });

  it("walks an index of the job's pages in every sort, never sorting all of them", () => {
    const jobId = storeJob(env.db, varied());
    // `kind` and `error` are the same for every fetched page: nothing to walk.
    const sortable = PAGE_COLUMNS.filter((column) => column !== 'kind' && column !== 'error');
    for (const column of sortable)
      for (const direction of ['asc', 'desc'] as const) {
        const built = buildPageQuery({ jobId, sort: { column, direction }, limit: 100 });
        const plan = (
          env.db.prepare(`EXPLAIN QUERY PLAN ${built.sql}`).all(built.params) as {
            detail: string;
          }[]
        ).map((step) => step.detail);
        // The fetched pages' arm of the merge (failed and blocked URLs, a few, come after RIGHT).
        const pagesArm = plan.slice(plan.indexOf('LEFT'), plan.indexOf('RIGHT')).join(' | ');
        expect(pagesArm, `${column} ${direction}`).toMatch(/SEARCH p USING (COVERING )?INDEX/);
        expect(pagesArm, `${column} ${direction}`).not.toMatch(/TEMP B-TREE/);
      }
  });
});

/** SQLite's order: NULL < numbers < text. */
function compareSql(a: string | number | null, b: string | number | null): number {
  const rank = (v: unknown) => (v === null ? 0 : typeof v === 'number' ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (a === null || b === null) return 0;
  return a < b ? -1 : a > b ? 1 : 0;
}
