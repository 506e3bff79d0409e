import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/processes';
import { engineEnv } from './engine-env';
import { routedSite } from './routed-site';

/** A page's depth is the shortest path the crawl found to it, however late that path turns up. */

const env = engineEnv();

/**
 * / links /slow and /b; /b -> /c -> /x; /slow -> /x, answering after /x and
 * what is below it were crawled through /c. Below /x: /y (answers later
 * still, so it is in flight when /slow's answer comes), /r (a 301 to /t),
 * and /deep, by a nofollow link only; /t refreshes to /z and links /deep.
 */
const ROUTES: Record<string, string> = {
  '/': '<a href="/slow">slow</a> <a href="/b">b</a>',
  '/slow': '<a href="/x">x</a>',
  '/b': '<a href="/c">c</a>',
  '/c': '<a href="/x">x</a>',
  '/x': '<a href="/y">y</a> <a href="/r">r</a> <a rel="nofollow" href="/deep">deep</a>',
  '/r': 'redirect:301:/t',
  '/t': '<meta http-equiv="refresh" content="0; url=/z"><a href="/deep">deep</a>',
  '/y': '<a href="/w">w</a>',
  '/z': '<title>Z</title>',
  '/deep': '<title>Deep</title>',
  '/w': '<title>W</title>',
};
const FIRST_ANSWER_DELAYS_MS: Record<string, number> = { '/slow': 1500, '/y': 3000 };

/** Depths through /slow: /x is two links deep, not three as through /b and /c. */
const SHORTEST: Record<string, number> = {
  '/': 0,
  '/b': 1,
  '/slow': 1,
  '/c': 2,
  '/x': 2,
  '/y': 3,
  '/r': 3,
  '/t': 4,
  '/w': 4,
  '/z': 5,
  // Through /t, not through /x's nofollow link (which would make it 3).
  '/deep': 5,
};

const lateShortcutSite = () => routedSite(env, ROUTES, FIRST_ANSWER_DELAYS_MS);

const start = (origin: string) =>
  env.service().start({ startUrls: [`${origin}/`], workers: 1, hostConcurrency: 4 });

/** Path, page depth, frontier depth and the page its path goes through, of every stored page. */
function storedDepths(jobId: number, origin: string) {
  const rows = env.db
    .prepare(
      `SELECT p.url, p.depth AS pageDepth, f.depth AS rowDepth, via.url AS foundOn
       FROM pages p JOIN frontier f ON f.id = p.frontier_id
       LEFT JOIN frontier via ON via.id = f.found_on
       WHERE p.job_id = ? ORDER BY p.url`,
    )
    .all(jobId) as { url: string; pageDepth: number; rowDepth: number; foundOn: string | null }[];
  const path = (url: string | null) => (url === null ? null : url.slice(origin.length) || '/');
  return rows.map((row) => ({ ...row, url: path(row.url), foundOn: path(row.foundOn) }));
}

function expectShortestDepths(jobId: number, origin: string): void {
  const stored = storedDepths(jobId, origin);
  // Every page once.
  expect(stored.map(({ url }) => url)).toEqual(Object.keys(SHORTEST).sort());
  expect(stored.map(({ url, pageDepth, rowDepth }) => [url, pageDepth, rowDepth])).toEqual(
    stored.map(({ url }) => [url, SHORTEST[url!], SHORTEST[url!]]),
  );
  expect(stored.find(({ url }) => url === '/x')?.foundOn).toBe('/slow');
  const rows = env.db
    .prepare('SELECT count(*) AS rows, sum(state <> 2) AS notDone FROM frontier WHERE job_id = ?')
    .get(jobId);
  expect(rows).toEqual({ rows: Object.keys(SHORTEST).length, notDone: 0 });
}

describe('a shorter path found to a page already crawled', () => {
  it('lowers its depth and that of every page below it, without --max-depth', async () => {
    const { origin, hits } = await lateShortcutSite();
    const summary = await (await start(origin)).finished;
    expect(summary.status).toBe('finished');
    expectShortestDepths(summary.jobId, origin);
    // /x was crawled before /slow answered: found through /c first, fetched once.
    expect(hits.get('/x')).toBe(1);
    expect(hits.get('/w')).toBe(1);
  });

  it('is kept when the job stops before the pages in flight below it answer, and resumes from it', async () => {
    const { origin } = await lateShortcutSite();
    const crawler = env.service();
    const job = await start(origin);
    // /slow's answer is stored, /y's still on its way: its lowered depth waits in SQLite.
    const stored = env.db.prepare('SELECT 1 FROM pages WHERE job_id = ? AND url = ?');
    await waitFor(() => stored.get(job.id, `${origin}/slow`) !== undefined, '/slow stored', 10_000);
    expect(stored.get(job.id, `${origin}/y`)).toBeUndefined();
    const stopped = await job.stop({ force: true });
    expect(stopped.status).toBe('stopped');
    const resumed = await (await crawler.resume(job.id)).finished;
    expect(resumed.status).toBe('finished');
    expectShortestDepths(job.id, origin);
  });
});
