import { describe, expect, it } from 'vitest';
import { queryPages } from '../../electron/engine/results/page-query';
import { seekPages } from '../../electron/engine/results/page-seek';
import { QueryService } from '../../electron/engine/results/query-service';
import type { PageColumn, PageFilters } from '../../shared/results';
import { databasePerTest } from '../helpers/temp-db';
import { storeJob, type UrlOutcome } from './stored-job';

const env = databasePerTest('results.sqlite');

/** 120 URLs with ties and NULLs in the sorted columns, some failed and blocked (three row sources). */
const outcomes = Array.from({ length: 120 }, (_, n): UrlOutcome => {
  const url = `http://127.0.0.1:9/p/${n}`;
  if (n % 23 === 5) return { url, depth: n % 3, failed: 'ECONNRESET: socket hang up' };
  if (n % 19 === 7) return { url, depth: n % 3, blocked: true };
  return {
    url,
    depth: n % 3,
    page: {
      status: [200, 200, 404, 301][n % 4]!,
      title: n % 6 === 0 ? null : `Title ${n % 5}`,
      responseMs: (n * 37) % 41,
    },
  };
});

describe('go to row N (seekPages)', () => {
  it('starts queryPages at row N for every sort, direction and a filter', () => {
    const jobId = storeJob(env.db, outcomes);
    storeJob(env.db, outcomes.slice(0, 30)); // another job in the same file must not shift positions
    const views: {
      sort?: { column: PageColumn; direction: 'asc' | 'desc' };
      filters?: PageFilters;
    }[] = [
      {},
      { sort: { column: 'title', direction: 'asc' } },
      { sort: { column: 'title', direction: 'desc' } },
      { sort: { column: 'responseMs', direction: 'desc' } },
      {
        sort: { column: 'status', direction: 'asc' },
        filters: { statusClasses: ['2xx', 'failed'] },
      },
    ];
    for (const view of views) {
      const whole = queryPages(env.db, { jobId, ...view, limit: 500, withTotal: true });
      const urls = whole.rows.map((row) => row.url);
      for (const row of [1, 2, 37, urls.length]) {
        const { cursor } = seekPages(env.db, { jobId, ...view, row });
        const screen = queryPages(env.db, { jobId, ...view, limit: 5, ...(cursor && { cursor }) });
        expect(
          screen.rows.map((r) => r.url),
          `${JSON.stringify(view)} row ${row}`,
        ).toEqual(urls.slice(row - 1, row + 4));
      }
    }
  });

  it('refuses a row past the end, saying how many rows the view has', () => {
    const jobId = storeJob(env.db, outcomes);
    const filters: PageFilters = { statusClasses: ['blocked'] };
    const blocked = outcomes.filter((outcome) => 'blocked' in outcome).length;
    expect(() => seekPages(env.db, { jobId, filters, row: blocked + 1 })).toThrow(
      `there is no row ${blocked + 1}: this view has ${blocked} rows`,
    );
    expect(seekPages(env.db, { jobId, filters, row: blocked }).cursor).not.toBeNull();
    expect(seekPages(env.db, { jobId, filters, row: 1 })).toEqual({ cursor: null });
  });

  it('checks its arguments where requests enter (the results service)', () => {
    const jobId = storeJob(env.db, outcomes);
    const service = new QueryService(env.db, () => undefined);
    expect(() => service.call('seekPages', [{ jobId, row: 0 }])).toThrow(
      /bad seekPages request: .*row/,
    );
    expect(() => service.call('seekPages', [{ jobId, row: 3, limit: 5 }])).toThrow(
      /bad seekPages request/,
    );
    const { cursor } = service.call('seekPages', [{ jobId, row: 3 }]) as { cursor: string };
    expect(queryPages(env.db, { jobId, limit: 1, cursor }).rows).toEqual(
      queryPages(env.db, { jobId, limit: 3 }).rows.slice(2),
    );
  });
});
