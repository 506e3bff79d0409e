import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExportRuns } from '../../electron/engine/export/export-runs';
import { URLS_PER_SITEMAP } from '../../electron/engine/export/sitemap-writer';
import type { ExportUpdate } from '../../shared/crawler-api';
import type { ExportFormat } from '../../shared/results';
import { databasePerTest } from '../helpers/temp-db';
import { storeJob } from './stored-job';

const env = databasePerTest('export.sqlite');

const storePages = (count: number) =>
  storeJob(
    env.db,
    Array.from({ length: count }, (_, n) => ({ url: `http://127.0.0.1:9/${n}`, page: {} })),
  );

/** Cancels each export whose id `cancelAt` names once it has reported that many rows. */
function cancelling(runs: ExportRuns, cancelAt: Map<number, number>): ExportUpdate[] {
  const updates: ExportUpdate[] = [];
  runs.onUpdate((update) => {
    updates.push(update);
    const at = cancelAt.get(update.exportId);
    if (at !== undefined && update.rows >= at) runs.cancel(update.exportId);
  });
  return updates;
}

describe('cancelling an export', () => {
  it.each<ExportFormat>(['csv', 'xlsx', 'json', 'ndjson'])(
    '%s: stops at the next row, removes the partial file and reports it cancelled; another export goes on',
    async (format) => {
      const jobId = storePages(3500);
      const runs = new ExportRuns();
      // The first export started gets id 1; the other, started with it, id 2.
      const updates = cancelling(runs, new Map([[1, 1000]]));
      const [cancelled, kept] = await Promise.all([
        runs.run(env.db, { jobId, format }, { file: env.temp.file(`cancelled.${format}`) }),
        runs.run(env.db, { jobId, format }, { file: env.temp.file(`kept.${format}`) }),
      ]);

      expect(cancelled).toBeNull();
      expect(existsSync(env.temp.file(`cancelled.${format}`))).toBe(false);
      const first = updates.filter((update) => update.exportId === 1);
      expect(first[0]).toMatchObject({ rows: 0, done: false });
      expect(first.at(-1)).toMatchObject({ rows: 1000, done: true, cancelled: true });
      expect(first.filter((update) => update.done)).toHaveLength(1);

      expect(kept).toMatchObject({ rows: 3500 });
      expect(readFileSync(env.temp.file(`kept.${format}`)).length).toBeGreaterThan(0);
      expect(updates.filter((update) => update.exportId === 2).at(-1)).toMatchObject({
        rows: 3500,
        done: true,
      });
      runs.cancel(2); // an export that ended: nothing to stop, nothing removed
      expect(existsSync(env.temp.file(`kept.${format}`))).toBe(true);
    },
  );

  it('a split sitemap cancelled in its second file leaves none of its files', async () => {
    const jobId = storePages(URLS_PER_SITEMAP + 3);
    const runs = new ExportRuns();
    const updates = cancelling(runs, new Map([[1, URLS_PER_SITEMAP]]));
    const result = await runs.run(
      env.db,
      { jobId, format: 'sitemap' },
      { file: env.temp.file('maps/../sitemap.xml') },
    );
    expect(result).toBeNull();
    expect(readdirSync(env.temp.dir).filter((name) => name.startsWith('sitemap'))).toEqual([]);
    expect(updates.at(-1)).toMatchObject({ done: true, cancelled: true });
  }, 60_000);
});
