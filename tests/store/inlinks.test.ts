import { describe, expect, it } from 'vitest';
import { copyJobToSqlite } from '../../electron/engine/export/sqlite-copy';
import { pageDetail, queryLinks } from '../../electron/engine/results/page-detail';
import { iterateReport } from '../../electron/engine/results/reports';
import { openDatabase, type Db } from '../../electron/engine/store/database';
import { JobAdmin } from '../../electron/engine/store/job-admin';
import { FrontierStore } from '../../electron/engine/store-writer/frontier-store';
import { outlinkColumns, type Outlink } from '../../shared/outlinks';
import { inlinksState } from '../helpers/inlinks-state';
import { databasePerTest } from '../helpers/temp-db';
import { storeJob, type UrlOutcome } from '../results/stored-job';

const env = databasePerTest('inlinks.sqlite');

const O = 'http://127.0.0.1:9';
const PAGES = 2500;
const link = (url: string, internal = true): Outlink => ({ url, text: url, rel: null, internal });

/**
 * A job of 2,500 pages with 32 links each, written in batches of 512 pages:
 * the fourth batch brings the links to 65,536 and they are indexed, the
 * fifth's 14,464 are past the watermark. Links to pages, to 404 pages, to
 * failed URLs and to external URLs fall on both sides; /s/early is linked
 * only from the first page (indexed), /s/late only from the last (not yet).
 */
function storeSite(site = O): number {
  const outcomes: UrlOutcome[] = [];
  for (let i = 0; i < PAGES; i++) {
    const links = [
      ...Array.from({ length: 24 }, (_, k) => link(`${site}/p/${(i * 7 + k * 13) % PAGES}`)),
      ...Array.from({ length: 3 }, (_, k) => link(`${site}/dead/${(i + k) % 40}`)),
      ...Array.from({ length: 4 }, (_, k) => link(`https://x${(i + k) % 30}.invalid/`, false)),
      link(i === 0 ? `${site}/s/early` : i === PAGES - 1 ? `${site}/s/late` : `${site}/p/1`),
    ];
    outcomes.push({
      url: `${site}/p/${i}`,
      page: { status: i % 97 === 0 ? 404 : 200, outlinks: outlinkColumns(links) },
    });
  }
  for (let i = 0; i < 40; i++) outcomes.push({ url: `${site}/dead/${i}`, failed: 'ECONNRESET' });
  for (const name of ['early', 'late', 'alone'])
    outcomes.push({ url: `${site}/s/${name}`, page: {} });
  const jobId = storeJob(env.db, outcomes);
  env.db
    .prepare(`UPDATE frontier SET in_sitemap = 1 WHERE job_id = ? AND url GLOB '*/[sp]/*[0-9ey]'`)
    .run(jobId);
  return jobId;
}

/**
 * What every reader by link target answers for the job, and the same read
 * from a copy of its `links` rows with an index by target URL, as the
 * readers read `links` before the inlinks index.
 */
function readers(db: Db, jobId: number, site = O) {
  const urls = ['/p/1', '/p/2', '/dead/7', '/s/early', '/s/late'].map((path) => site + path);
  const inlinks = (url: string) => {
    const fromUrls: string[] = [];
    let cursor: string | undefined;
    do {
      const screen = queryLinks(db, { jobId, url, direction: 'in', limit: 100, cursor });
      fromUrls.push(...screen.rows.map((row) => row.fromUrl));
      cursor = screen.nextCursor ?? undefined;
    } while (cursor);
    return fromUrls;
  };
  const report = (name: 'broken-links' | 'sitemap-not-linked' | 'external-links') => [
    ...iterateReport(db, jobId, name).rows,
  ];
  const found = {
    counts: urls.map((url) => pageDetail(db, { jobId, url }).inlinkCount),
    lists: urls.map(inlinks),
    broken: report('broken-links'),
    sitemap: report('sitemap-not-linked'),
    external: report('external-links'),
    view: urls.map((url) =>
      db
        .prepare('SELECT * FROM inlinks WHERE job_id = ? AND to_url = ? ORDER BY id')
        .all(jobId, url),
    ),
  };
  db.exec(`CREATE TEMP TABLE truth AS SELECT * FROM links WHERE job_id = ${jobId};
    CREATE INDEX temp.truth_to ON truth (to_url)`);
  try {
    const all = (sql: string) => db.prepare(sql).all({ jobId });
    const fromLinks = {
      counts: urls.map(
        (url) =>
          db.prepare('SELECT count(*) FROM truth WHERE to_url = ?').pluck().get(url) as number,
      ),
      lists: urls.map(
        (url) =>
          db
            .prepare(
              `SELECT src.url FROM truth l JOIN pages src ON src.id = l.from_page
               WHERE l.to_url = ? ORDER BY l.id`,
            )
            .pluck()
            .all(url) as string[],
      ),
      broken: all(
        `WITH broken (url, status, finalStatus, error) AS (
           SELECT p.url, p.status, p.final_status, NULL FROM pages p
           WHERE p.job_id = @jobId AND p.final_status >= 400
           UNION ALL
           SELECT f.url, NULL, NULL, f.error FROM frontier f WHERE f.job_id = @jobId AND f.state = 3)
         SELECT b.url, b.status, b.finalStatus, b.error, src.url AS linkedFrom, l.anchor
         FROM broken b JOIN truth l ON l.to_url = b.url JOIN pages src ON src.id = l.from_page
         ORDER BY b.url, l.id`,
      ),
      sitemap: all(
        `SELECT f.url, p.status, p.indexable FROM frontier f LEFT JOIN pages p ON p.frontier_id = f.id
         WHERE f.job_id = @jobId AND f.in_sitemap = 1
           AND NOT EXISTS (SELECT 1 FROM truth l WHERE l.to_url = f.url)
         ORDER BY f.id`,
      ),
      external: all(
        `SELECT to_url AS url, count(*) AS links, NULL AS status, NULL AS error, NULL AS checkedAt
         FROM truth WHERE internal = 0 GROUP BY to_url ORDER BY to_url`,
      ),
      view: urls.map((url) =>
        db.prepare('SELECT * FROM truth WHERE to_url = ? ORDER BY id').all(url),
      ),
    };
    return { found, fromLinks };
  } finally {
    db.exec('DROP TABLE temp.truth');
  }
}

describe('the inlinks index, built in bulk', () => {
  it('answers every reader by link target as the links themselves, with links past the watermark and after a run ends', () => {
    const jobId = storeSite();
    expect(inlinksState(env.db)).toEqual({ tail: 14_464, exact: 1 });
    const mid = readers(env.db, jobId);
    expect(mid.found).toEqual(mid.fromLinks);
    // Both sides of the watermark are read: the reports find links there.
    expect(mid.found.counts).toEqual([2522, 24, 189, 1, 1]);
    expect(mid.found.sitemap.map((row) => row.url)).toEqual([`${O}/s/alone`]);
    expect(mid.found.broken.length).toBeGreaterThan(7500);

    // A run's end (or start) indexes the rest; the answers stay the same.
    new FrontierStore(env.db, jobId, { maxDepth: null, robotsAgent: 'Trawl' }).release();
    expect(inlinksState(env.db)).toEqual({ tail: 0, exact: 1 });
    expect(readers(env.db, jobId).found).toEqual(mid.found);
  });

  it("a job's deletion takes its entries, and links stored after it are indexed though they take the deleted links' ids", async () => {
    const kept = storeSite();
    const deleted = storeSite('http://127.0.0.1:8');
    new FrontierStore(env.db, deleted, { maxDepth: null, robotsAgent: 'Trawl' }).release();
    const before = readers(env.db, kept);

    await new JobAdmin(env.db).delete(deleted);
    expect(inlinksState(env.db)).toEqual({ tail: 0, exact: 1 });
    expect(readers(env.db, kept).found).toEqual(before.found);

    // A third job's links get ids the deleted job's had, below where the watermark was.
    const third = storeSite('http://127.0.0.1:7');
    new FrontierStore(env.db, third, { maxDepth: null, robotsAgent: 'Trawl' }).release();
    expect(inlinksState(env.db)).toEqual({ tail: 0, exact: 1 });
    const after = readers(env.db, third, 'http://127.0.0.1:7');
    expect(after.found).toEqual(after.fromLinks);
    expect(after.found.counts).toEqual([2522, 24, 189, 1, 1]);
  });

  it('an export of a running job holds a complete index', () => {
    const jobId = storeSite();
    const file = env.temp.file('copy.sqlite');
    copyJobToSqlite(env.db, jobId, file, { onCreated: () => {}, onTable: () => {} });
    const copy = openDatabase(file, { mustExist: true });
    try {
      expect(inlinksState(copy)).toEqual({ tail: 0, exact: 1 });
      expect(readers(copy, jobId).found).toEqual(readers(env.db, jobId).found);
    } finally {
      copy.close();
    }
  });
});
