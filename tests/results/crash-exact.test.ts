import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { runCli, startCli } from '../helpers/cli';
import { inlinksState } from '../helpers/inlinks-state';
import { processEnv } from '../helpers/process-env';
import { waitFor } from '../helpers/processes';

const env = processEnv({ survivorsMs: 10_000 });

const KILLS = 8;

/** What a finished crawl stored, in a form two runs can be compared by (ids and times aside). */
function storedResults(file: string) {
  const db = openDatabase(file, { mustExist: true });
  try {
    const all = (sql: string) => db.prepare(sql).all();
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      job: db.prepare('SELECT status, pages, failed, blocked FROM jobs WHERE id = 1').get(),
      pages: all(
        `SELECT url, final_url, status, final_status, content_type, title, h1, canonical, content_hash, link_count, indexable
         FROM pages ORDER BY url`,
      ),
      counts: db
        .prepare(
          `SELECT (SELECT count(*) FROM pages) AS pages, (SELECT count(DISTINCT url) FROM pages) AS distinctPages,
             (SELECT count(*) FROM frontier WHERE state = 3) AS failed, (SELECT count(*) FROM frontier) AS urls,
             (SELECT count(*) FROM frontier WHERE state IN (0, 1)) AS unfinished`,
        )
        .get(),
      links: all(
        `SELECT src.url AS fromUrl, l.to_url, l.anchor, l.rel, l.internal FROM links l
         JOIN pages src ON src.id = l.from_page ORDER BY src.url, l.id`,
      ),
      redirects: all(
        'SELECT f.url, r.hop, r.url AS hopUrl, r.status FROM redirects r JOIN frontier f ON f.id = r.frontier_id ORDER BY f.url, r.hop',
      ),
      search: db
        .prepare("SELECT count(*) FROM pages_fts WHERE pages_fts MATCH 'page'")
        .pluck()
        .get(),
      inlinks: inlinksState(db),
    };
  } finally {
    db.close();
  }
}

function pageCount(file: string): number {
  // The crawl creates its database empty and writes the schema a moment later.
  if (!existsSync(file) || statSync(file).size === 0) return 0;
  const db = openDatabase(file, { mustExist: true });
  try {
    return db.prepare('SELECT count(*) FROM pages').pluck().get() as number;
  } finally {
    db.close();
  }
}

/** A small deterministic generator, so a failing run can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('crash-exact resume', () => {
  it(
    `kill -9 of trawl crawl ${KILLS} times at random moments, then resume, stores exactly what an uninterrupted crawl stores`,
    { timeout: 300_000 },
    async () => {
      // With /moved, whose target /moved/ is a page only through the redirect.
      // Large enough for every kill: a kill comes up to a second after the pages it waits
      // for, which the writer commits about twice a second.
      const site = await env.site({ pages: 1200, delayMs: 25, moved: true });
      const args = (file: string) => ['--workers', '2', '--db', file, '--json'];
      // A setting the job keeps: given when it starts, refused on --resume.
      const settings = ['--host-concurrency', '4'];

      const reference = env.file('reference.sqlite');
      const whole = await runCli(['crawl', `${site.origin}/`, ...settings, ...args(reference)]);
      expect(whole.code).toBe(0);
      // Its row comes from the response /moved was answered with: it is fetched once.
      expect(site.hits.get('/moved/')).toBe(1);

      const seed = Date.now();
      const next = random(seed);
      const crashed = env.file('crashed.sqlite');
      let kills = 0;
      let runs = 0;
      const storedAtKill: number[] = [];
      for (let finished = false; !finished; runs++) {
        if (runs > KILLS + 20) throw new Error(`no end after ${runs} runs (seed ${seed})`);
        const command =
          runs === 0 ? ['crawl', `${site.origin}/`, ...settings] : ['crawl', '--resume', '1'];
        const { child, result } = startCli([...command, ...args(crashed)]);
        let exited = false;
        void result.then(() => (exited = true));
        if (kills < KILLS) {
          // Kill once a random number of further pages is stored, plus a random moment more
          // (anywhere in the writer's half-second transaction): inside a batch's writes,
          // between batches, in a commit, with pages in flight.
          const target = pageCount(crashed) + 5 + Math.floor(next() * 25);
          await waitFor(() => exited || pageCount(crashed) >= target, 'pages to be stored', 60_000);
          await new Promise((resolve) => setTimeout(resolve, next() * 500));
          child.kill('SIGKILL');
        }
        const outcome = await result;
        if (outcome.signal === 'SIGKILL') {
          kills++;
          storedAtKill.push(pageCount(crashed));
          // The watermark committed with the entries it promises, whatever the moment.
          if (existsSync(crashed) && statSync(crashed).size > 0) {
            const db = openDatabase(crashed, { mustExist: true });
            expect(inlinksState(db).exact, `seed ${seed}`).toBe(1);
            db.close();
          }
        } else {
          expect(outcome.stderr, `seed ${seed}`).toBe('');
          expect(outcome.code, `seed ${seed}`).toBe(0);
          // A finished job cannot be killed any more: the site must be slow enough for every kill.
          expect(kills, `the crawl ended before kill ${kills + 1} (seed ${seed})`).toBe(KILLS);
          finished = true;
        }
      }
      // Most kills must land mid-crawl (pages stored, more to come), not only during startup.
      const midCrawl = storedAtKill.filter((n) => n > 0 && n < site.reachable.length);
      expect(
        midCrawl.length,
        `pages stored at each kill: ${storedAtKill.join(', ')}`,
      ).toBeGreaterThanOrEqual(KILLS / 2);
      const expected = storedResults(reference);
      const actual = storedResults(crashed);
      expect(actual.integrity).toBe('ok');
      expect(actual.counts, `seed ${seed}`).toEqual(expected.counts);
      expect(actual.job, `seed ${seed}`).toEqual(expected.job);
      expect(actual.pages, `seed ${seed}`).toEqual(expected.pages);
      expect(actual.links, `seed ${seed}`).toEqual(expected.links);
      expect(actual.redirects, `seed ${seed}`).toEqual(expected.redirects);
      expect(actual.search).toBe(expected.search);
      // A job that is not running has every link in the inlinks index.
      expect(actual.inlinks).toEqual({ tail: 0, exact: 1 });
      expect(expected.inlinks).toEqual({ tail: 0, exact: 1 });
      expect(expected.counts).toMatchObject({ pages: site.reachable.length, unfinished: 0 });
      expect(expected.pages).toContainEqual(
        expect.objectContaining({ url: `${site.origin}/moved/`, status: 200, link_count: 2 }),
      );
    },
  );
});
