import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { migrations } from '../../electron/engine/store/migrations';
import { JobAdmin } from '../../electron/engine/store/job-admin';
import { JobStore } from '../../electron/engine/store/job-store';
import { jobSettingsSchema } from '../../shared/job-settings';
import type { PageFilters } from '../../shared/results';
import { iteratePages } from '../../electron/engine/store/page-reader';
import { pageDetail, queryLinks } from '../../electron/engine/results/page-detail';
import { queryPages } from '../../electron/engine/results/page-query';
import { runReport } from '../../electron/engine/results/reports';
import { UserError } from '../../electron/engine/user-error';
import { FrontierStore } from '../../electron/engine/store-writer/frontier-store';
import { fetchedPage } from '../results/stored-job';
import { databaseAt } from '../helpers/old-database';
import { tempDir } from '../helpers/temp-db';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => (temp = tempDir()));
afterEach(() => temp.cleanup());

/** A database at `version` (7 or later) holding job 1 of http://127.0.0.1:9/, in `status`. */
function databaseWithJob(file: string, version: number, status: string): Database.Database {
  const raw = databaseAt(file, version);
  raw
    .prepare(
      `INSERT INTO jobs (id, name, status, settings, first_start_url, start_url_count, created_at)
       VALUES (1, 'old', ?, '{"workers": 1}', 'http://127.0.0.1:9/', 1, 1)`,
    )
    .run(status);
  return raw;
}

/** A database at `version` holding finished job 1, and a statement adding its crawled URLs (id, url). */
function finishedJobAt(file: string, version: number) {
  const raw = databaseWithJob(file, version, 'finished');
  const frontier = raw.prepare(
    'INSERT INTO frontier (id, job_id, url, depth, state) VALUES (?, 1, ?, 0, 2)',
  );
  return { raw, frontier };
}

const SETTINGS = JSON.stringify({ startUrls: ['http://127.0.0.1:9/'], workers: 1 });

describe('schema migrations', () => {
  it.each(migrations.map((_, index) => index + 1))(
    'migration %i applies on a fresh database, then opening brings it to the latest version',
    (version) => {
      const file = temp.file(`v${version}.sqlite`);
      const raw = databaseAt(file, version);
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(raw.pragma('foreign_key_check')).toEqual([]);
      raw.close();
      const db = openDatabase(file, { mustExist: true });
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    },
  );

  it('a version 1 database with a crawl in it opens in this build with every row kept', () => {
    const file = temp.file('old.sqlite');
    const raw = databaseAt(file, 1);
    raw
      .prepare(
        `INSERT INTO jobs (id, name, status, settings, created_at, pages) VALUES (1, 'old', 'finished', ?, 1, 2)`,
      )
      .run(SETTINGS);
    const frontier = raw.prepare(
      'INSERT INTO frontier (id, job_id, url, depth, state, error) VALUES (?, 1, ?, ?, ?, ?)',
    );
    frontier.run(1, 'http://127.0.0.1:9/', 0, 2, null);
    frontier.run(2, 'http://127.0.0.1:9/shoes', 1, 2, null);
    frontier.run(3, 'http://127.0.0.1:9/dead', 1, 3, 'ECONNRESET');
    const page = raw.prepare(
      `INSERT INTO pages (id, job_id, frontier_id, url, final_url, depth, status, content_type, bytes,
         response_ms, title, link_count, worker_pid, fetched_at) VALUES (?, 1, ?, ?, ?, ?, 200, 'text/html', 10, 5, ?, 1, 7, 1000)`,
    );
    page.run(1, 1, 'http://127.0.0.1:9/', 'http://127.0.0.1:9/', 0, 'Home');
    page.run(2, 2, 'http://127.0.0.1:9/shoes', 'http://127.0.0.1:9/shoes', 1, 'Running shoes');
    raw.prepare("INSERT INTO extractions VALUES (2, 'price', 0, '10')").run();
    raw.close();

    const db = openDatabase(file, { mustExist: true });
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(new JobStore(db).get(1)).toMatchObject({ name: 'old', status: 'finished', pages: 2 });
    expect(
      [
        ...iteratePages(db, 1, [
          { name: 'price', kind: 'regex', expression: 'x', take: 'text', all: false },
        ]),
      ].map((p) => [p.url, p.title, p.extracted]),
    ).toEqual([
      ['http://127.0.0.1:9/', 'Home', { price: null }],
      ['http://127.0.0.1:9/shoes', 'Running shoes', { price: '10' }],
    ]);
    // Old rows are searchable (the full-text index was built from them) and get the new columns' defaults.
    expect(
      queryPages(db, { jobId: 1, filters: { text: 'shoes' }, columns: ['title', 'h1Count'] }).rows,
    ).toEqual([
      { url: 'http://127.0.0.1:9/shoes', kind: 'page', title: 'Running shoes', h1Count: 0 },
    ]);
    expect(
      queryPages(db, { jobId: 1, filters: { statusClasses: ['failed'] }, columns: ['error'] }).rows,
    ).toEqual([{ url: 'http://127.0.0.1:9/dead', kind: 'failed', error: 'ECONNRESET' }]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('a version 3 database keeps every link when link targets are interned (migration 4)', () => {
    const file = temp.file('v3.sqlite');
    const raw = databaseAt(file, 3);
    raw
      .prepare(
        `INSERT INTO jobs (id, name, status, settings, created_at, pages) VALUES (1, 'old', 'finished', ?, 1, 2)`,
      )
      .run(SETTINGS);
    const home = 'http://127.0.0.1:9/';
    const shoes = 'http://127.0.0.1:9/shoes';
    const away = 'http://elsewhere.invalid/';
    raw
      .prepare(
        'INSERT INTO frontier (id, job_id, url, depth, state) VALUES (1, 1, ?, 0, 2), (2, 1, ?, 1, 2)',
      )
      .run(home, shoes);
    const page = raw.prepare(
      `INSERT INTO pages (id, job_id, frontier_id, url, final_url, depth, status, content_type, bytes,
         response_ms, title, link_count, worker_pid, fetched_at) VALUES (?, 1, ?, ?, ?, ?, 200, 'text/html', 10, 5, ?, 1, 7, 1000)`,
    );
    page.run(1, 1, home, home, 0, 'Home');
    page.run(2, 2, shoes, shoes, 1, 'Shoes');
    const link = raw.prepare(
      'INSERT INTO links (id, job_id, from_page, to_url, anchor, rel, internal) VALUES (?, 1, ?, ?, ?, ?, ?)',
    );
    link.run(10, 1, shoes, 'Shoes', null, 1);
    link.run(11, 1, away, 'Away', 'nofollow', 0);
    link.run(12, 2, home, 'Home', null, 1);
    link.run(13, 2, shoes, 'Self', null, 1);
    raw.close();

    const db = openDatabase(file, { mustExist: true });
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    // The old shape still reads (a view), row for row.
    expect(db.prepare('SELECT * FROM links ORDER BY id').all()).toEqual([
      { id: 10, job_id: 1, from_page: 1, to_url: shoes, anchor: 'Shoes', rel: null, internal: 1 },
      {
        id: 11,
        job_id: 1,
        from_page: 1,
        to_url: away,
        anchor: 'Away',
        rel: 'nofollow',
        internal: 0,
      },
      { id: 12, job_id: 1, from_page: 2, to_url: home, anchor: 'Home', rel: null, internal: 1 },
      { id: 13, job_id: 1, from_page: 2, to_url: shoes, anchor: 'Self', rel: null, internal: 1 },
    ]);
    expect(db.prepare('SELECT count(*) FROM link_targets').pluck().get()).toBe(3);
    expect(pageDetail(db, { jobId: 1, url: shoes })).toMatchObject({
      inlinkCount: 2,
      outlinkCount: 2,
    });
    expect(
      queryLinks(db, { jobId: 1, url: shoes, direction: 'in' }).rows.map((row) => row.anchor),
    ).toEqual(['Shoes', 'Self']);
    expect(runReport(db, { jobId: 1, name: 'external-links' }).rows).toMatchObject([
      { url: away, links: 1 },
    ]);
    // Deleting the job takes its links and link targets with it.
    db.prepare('DELETE FROM jobs WHERE id = 1').run();
    expect(
      db
        .prepare('SELECT (SELECT count(*) FROM page_links) + (SELECT count(*) FROM link_targets)')
        .pluck()
        .get(),
    ).toBe(0);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('a version 5 database keeps its search index, and pages written after the upgrade join it (migration 6)', () => {
    const file = temp.file('v5.sqlite');
    const raw = databaseAt(file, 5);
    raw
      .prepare(
        `INSERT INTO jobs (id, name, status, settings, created_at) VALUES (1, 'old', 'stopped', ?, 1)`,
      )
      .run(SETTINGS);
    raw
      .prepare(
        `INSERT INTO frontier (id, job_id, url, depth, state) VALUES
           (1, 1, 'http://127.0.0.1:9/', 0, 2), (2, 1, 'http://127.0.0.1:9/boots', 1, 0)`,
      )
      .run();
    // Indexed by the old per-row trigger.
    raw
      .prepare(
        `INSERT INTO pages (job_id, frontier_id, url, final_url, depth, status, bytes, response_ms,
           title, link_count, worker_pid, fetched_at)
         VALUES (1, 1, 'http://127.0.0.1:9/', 'http://127.0.0.1:9/', 0, 200, 10, 5, 'Home of shoes', 0, 7, 1000)`,
      )
      .run();
    raw.close();

    const db = openDatabase(file, { mustExist: true });
    const store = new FrontierStore(db, 1, { maxDepth: null, robotsAgent: 'Trawl' });
    const [task] = store.lease(10);
    store.write({
      pages: [
        { task: task!, page: fetchedPage(task!.url, { title: 'Boots and shoes' }), workerPid: 8 },
      ],
      failures: [],
    });
    const found = (text: string) =>
      queryPages(db, { jobId: 1, filters: { text }, columns: [] }).rows.map((row) => row.url);
    expect(found('shoes')).toEqual(['http://127.0.0.1:9/', 'http://127.0.0.1:9/boots']);
    expect(found('boots')).toEqual(['http://127.0.0.1:9/boots']);
    db.prepare("INSERT INTO pages_fts (pages_fts, rank) VALUES ('integrity-check', 1)").run();
    db.close();
  });

  it("a version 6 database moves each job's start URLs to their own table, in order (migration 7)", () => {
    const file = temp.file('v6.sqlite');
    const raw = databaseAt(file, 6);
    const list = ['http://127.0.0.1:9/c', 'http://127.0.0.1:9/a', 'http://127.0.0.1:9/b'];
    const job = raw.prepare(
      `INSERT INTO jobs (id, name, status, settings, created_at) VALUES (?, 'old', 'stopped', ?, 1)`,
    );
    job.run(1, JSON.stringify({ startUrls: list, mode: 'list', workers: 3, maxPages: 7 }));
    job.run(2, '{"startUrls": ["http://127.0.0.1:9/"');
    job.run(3, '{"startUrls": [], "workers": 1}');
    raw.close();

    const db = openDatabase(file, { mustExist: true });
    const jobs = new JobStore(db);
    expect(jobs.get(1)).toMatchObject({
      firstStartUrl: list[0],
      startUrlCount: 3,
      settings: { mode: 'list', workers: 3, maxPages: 7 },
    });
    expect(jobs.settings(1)).toMatchObject({ startUrls: list, mode: 'list', workers: 3 });
    // The row no longer carries the list.
    expect(db.prepare('SELECT settings FROM jobs WHERE id = 1').pluck().get()).toBe(
      '{"mode":"list","workers":3,"maxPages":7}',
    );
    // A row whose settings were not JSON is kept as it was, listed with the problem, and not run.
    expect(jobs.get(2)).toMatchObject({ settings: null, problem: 'unreadable settings: not JSON' });
    expect(() => jobs.settings(2)).toThrow('job 2 has unreadable settings: not JSON');
    expect(db.prepare('SELECT settings FROM jobs WHERE id = 2').pluck().get()).toBe(
      '{"startUrls": ["http://127.0.0.1:9/"',
    );
    expect(jobs.get(3)).toMatchObject({ problem: 'unreadable settings: no start URLs' });
    db.close();
  });

  it('never gives a job the id of a deleted one, in an old database too (migration 8)', async () => {
    const file = temp.file('v7.sqlite');
    const raw = databaseAt(file, 7);
    const job = raw.prepare(
      `INSERT INTO jobs (id, name, status, settings, first_start_url, start_url_count, created_at)
       VALUES (?, 'old', 'stopped', '{"workers": 1}', 'http://127.0.0.1:9/', 1, 1)`,
    );
    for (const id of [1, 2, 5]) job.run(id);
    raw.close();

    const db = openDatabase(file, { mustExist: true });
    const jobs = new JobStore(db);
    const settings = jobSettingsSchema.parse({ startUrls: ['http://127.0.0.1:9/'], workers: 1 });
    expect(jobs.create(settings).id).toBe(6);
    // The newest job deleted: its id was given to the next job, and `trawl export 6` reached it.
    await new JobAdmin(db).delete(6);
    expect(jobs.create(settings).id).toBe(7);
    await new JobAdmin(db).delete(5);
    expect(jobs.create(settings).id).toBe(8);
    expect(jobs.list().map((one) => one.id)).toEqual([1, 2, 7, 8]);
    db.close();
  });

  it("keeps a job's earlier crawl time unknown unless it never ran (migration 9)", () => {
    const file = temp.file('v8.sqlite');
    const raw = databaseAt(file, 8);
    const job = raw.prepare(
      `INSERT INTO jobs (id, name, status, settings, first_start_url, start_url_count, created_at, started_at)
       VALUES (?, 'old', 'stopped', '{"workers": 1}', 'http://127.0.0.1:9/', 1, 1, ?)`,
    );
    job.run(1, 5);
    job.run(2, null);
    raw.close();

    const db = openDatabase(file, { mustExist: true });
    // started_at to finished_at would count the pauses between runs: not crawl time.
    expect(db.prepare('SELECT id, crawl_ms FROM jobs ORDER BY id').all()).toEqual([
      { id: 1, crawl_ms: null },
      { id: 2, crawl_ms: 0 },
    ]);
    db.close();
  });

  it('marks the pages of URLs that redirected as not indexable (migration 10)', () => {
    const file = temp.file('v9.sqlite');
    const { raw, frontier } = finishedJobAt(file, 9);
    // As an older Trawl stored them: the redirect indexable when its target was.
    const page = raw.prepare(
      `INSERT INTO pages (id, job_id, frontier_id, url, final_url, depth, status, content_type, bytes,
         response_ms, link_count, worker_pid, fetched_at, redirect_count, indexable)
       VALUES (?, 1, ?, ?, 'http://127.0.0.1:9/', 0, 200, 'text/html', 10, 5, 0, 7, 1000, ?, 1)`,
    );
    for (const [id, url, hops] of [
      [1, 'http://127.0.0.1:9/', 0],
      [2, 'http://127.0.0.1:9/old', 1],
    ] as const) {
      frontier.run(id, url);
      page.run(id, id, url, hops);
    }
    raw.close();

    const db = openDatabase(file, { mustExist: true });
    expect(db.prepare('SELECT url, indexable, indexability FROM pages ORDER BY url').all()).toEqual(
      [
        { url: 'http://127.0.0.1:9/', indexable: 1, indexability: null },
        { url: 'http://127.0.0.1:9/old', indexable: 0, indexability: 'redirected' },
      ],
    );
    db.close();
  });

  it('gives a redirect its own status, keeps the final one, and finds it by its own URL (migration 12)', async () => {
    const file = temp.file('v11.sqlite');
    const { raw, frontier } = finishedJobAt(file, 11);
    // As an older Trawl stored them: the final response's status, the own one in redirects.
    const page = raw.prepare(
      `INSERT INTO pages (id, job_id, frontier_id, url, final_url, depth, status, content_type, bytes,
         response_ms, title, link_count, worker_pid, fetched_at, redirect_count, indexable, indexability)
       VALUES (?, 1, ?, ?, ?, 0, ?, 'text/html', 10, 5, ?, 0, 7, 1000, ?, ?, ?)`,
    );
    const O = 'http://127.0.0.1:9';
    for (const [id, url, finalUrl, status, title, hops] of [
      [1, `${O}/`, `${O}/`, 200, 'Home', 0],
      [2, `${O}/spring-sale`, `${O}/offers`, 200, 'Offers', 1],
      [3, `${O}/gone-away`, `${O}/vanished`, 404, 'Not found', 2],
      // Not followed (out of the scope): the 3xx is its own and final answer.
      [4, `${O}/elsewhere`, `${O}/elsewhere`, 301, null, 0],
    ] as const) {
      frontier.run(id, url);
      page.run(
        id,
        id,
        url,
        finalUrl,
        status,
        title,
        hops,
        hops || status !== 200 ? 0 : 1,
        hops ? 'redirected' : null,
      );
    }
    const hop = raw.prepare(
      'INSERT INTO redirects (frontier_id, hop, url, status, location) VALUES (?, ?, ?, ?, ?)',
    );
    hop.run(2, 0, `${O}/spring-sale`, 301, '/offers');
    hop.run(3, 0, `${O}/gone-away`, 302, '/moved');
    hop.run(3, 1, `${O}/moved`, 308, '/vanished');
    // Indexed as the writer of that version did: by the final URL only.
    raw.exec(
      `INSERT INTO pages_fts (rowid, url, title, meta_description, h1)
       SELECT id, final_url, title, meta_description, h1 FROM pages`,
    );
    raw.close();

    const db = openDatabase(file, { mustExist: true });
    expect(db.prepare('SELECT url, status, final_status FROM pages ORDER BY id').all()).toEqual([
      { url: `${O}/`, status: 200, final_status: 200 },
      { url: `${O}/spring-sale`, status: 301, final_status: 200 },
      { url: `${O}/gone-away`, status: 302, final_status: 404 },
      { url: `${O}/elsewhere`, status: 301, final_status: 301 },
    ]);
    const table = (filters: PageFilters) =>
      queryPages(db, { jobId: 1, filters, columns: ['status', 'finalStatus'] }).rows;
    expect(table({ statusClasses: ['3xx'] })).toEqual([
      { url: `${O}/spring-sale`, kind: 'page', status: 301, finalStatus: 200 },
      { url: `${O}/gone-away`, kind: 'page', status: 302, finalStatus: 404 },
      { url: `${O}/elsewhere`, kind: 'page', status: 301, finalStatus: 301 },
    ]);
    expect(table({ statusClasses: ['4xx'] })).toEqual([]);
    const found = (text: string) => table({ text }).map((row) => row.url);
    expect(found('spring sale')).toEqual([`${O}/spring-sale`]);
    expect(found('offers')).toEqual([`${O}/spring-sale`]);
    expect(found('vanished')).toEqual([`${O}/gone-away`]);
    expect(found('elsewhere')).toEqual([`${O}/elsewhere`]);
    db.prepare("INSERT INTO pages_fts (pages_fts, rank) VALUES ('integrity-check', 1)").run();
    // Deleting the job takes every row out of the index again, leaving it whole.
    await new JobAdmin(db).delete(1);
    db.prepare("INSERT INTO pages_fts (pages_fts, rank) VALUES ('integrity-check', 1)").run();
    expect(db.prepare('SELECT count(*) FROM pages_fts_docsize').pluck().get()).toBe(0);
    db.close();
  });

  it('rewrites stored URLs with percent-escapes in canonical form, never fetching or losing a page twice (migration 13)', () => {
    const file = temp.file('v12.sqlite');
    const raw = databaseWithJob(file, 12, 'interrupted');
    const at = (path: string) => `http://127.0.0.1:9${path}`;
    // As an interrupted crawl of the previous build left it: state 2 done, 0 queued.
    const frontier = raw.prepare(
      'INSERT INTO frontier (id, job_id, url, depth, state) VALUES (?, 1, ?, 1, ?)',
    );
    const rows: [number, string, number][] = [
      [1, '/', 2],
      [2, '/%7Euser', 2], // fetched, alone: renamed
      [3, '/%7equeued?a=%2f', 0], // queued, alone: renamed
      [4, '/%7Etwice', 2], // fetched, and /~twice queued: /~twice dropped, this one renamed
      [5, '/~twice', 0],
      [6, '/%7Eboth', 2], // both spellings fetched: both pages kept
      [7, '/~both', 2],
      [8, '/%7Ewaiting', 0], // both queued: one is kept
      [9, '/%7ewaiting', 0],
    ];
    const page = raw.prepare(
      `INSERT INTO pages (id, job_id, frontier_id, url, final_url, depth, status, content_type, bytes,
         response_ms, link_count, worker_pid, fetched_at, canonical, hreflang)
       VALUES (?, 1, ?, ?, ?, 0, 200, 'text/html', 10, 5, 0, 7, 1000, ?, ?)`,
    );
    for (const [id, path, state] of rows) {
      frontier.run(id, at(path), state);
      if (state === 2)
        page.run(
          id,
          id,
          at(path),
          at(path),
          at(path),
          JSON.stringify([{ lang: 'de', url: at(path) }]),
        );
    }
    const target = raw.prepare(
      'INSERT INTO link_targets (id, job_id, url, internal) VALUES (?, 1, ?, 1)',
    );
    target.run(1, at('/%7Euser'));
    target.run(2, at('/~user'));
    target.run(3, at('/a%2fb'));
    const link = raw.prepare('INSERT INTO page_links (from_page, target, anchor) VALUES (1, ?, ?)');
    link.run(1, 'escaped');
    link.run(2, 'plain');
    link.run(3, 'slash');
    // Indexed for search as the previous build's writer indexed every page it stored.
    raw.prepare("INSERT INTO pages_fts (pages_fts) VALUES ('rebuild')").run();
    raw.close();

    const db = openDatabase(file, { mustExist: true });
    expect(db.prepare('SELECT id, url FROM frontier ORDER BY id').all()).toEqual(
      [
        [1, '/'],
        [2, '/~user'],
        [3, '/~queued?a=%2F'],
        [4, '/~twice'],
        [6, '/%7Eboth'],
        [7, '/~both'],
        [8, '/~waiting'],
      ].map(([id, path]) => ({ id, url: at(path as string) })),
    );
    // Every stored page is kept, named as its frontier row now is.
    expect(
      db
        .prepare(
          'SELECT p.url = f.url AS same, p.url, p.canonical, p.hreflang FROM pages p JOIN frontier f ON f.id = p.frontier_id ORDER BY p.id',
        )
        .all(),
    ).toEqual(
      ['/', '/~user', '/~twice', '/%7Eboth', '/~both'].map((path) => ({
        same: 1,
        url: at(path),
        canonical: at(path === '/%7Eboth' ? '/~both' : path),
        hreflang: JSON.stringify([{ lang: 'de', url: at(path === '/%7Eboth' ? '/~both' : path) }]),
      })),
    );
    // The two spellings of /~user are one link target, with both links.
    expect(db.prepare('SELECT to_url, anchor FROM links ORDER BY id').all()).toEqual([
      { to_url: at('/~user'), anchor: 'escaped' },
      { to_url: at('/~user'), anchor: 'plain' },
      { to_url: at('/a%2Fb'), anchor: 'slash' },
    ]);
    expect(db.prepare('SELECT count(*) FROM link_targets').pluck().get()).toBe(2);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // A renamed page is found by its new URL, and the index stays whole.
    const search = (text: string) =>
      db
        .prepare(
          'SELECT p.url FROM pages_fts JOIN pages p ON p.id = pages_fts.rowid WHERE pages_fts MATCH ? ORDER BY p.id',
        )
        .pluck()
        .all(text);
    expect(search('user')).toEqual([at('/~user')]);
    db.prepare("INSERT INTO pages_fts (pages_fts, rank) VALUES ('integrity-check', 1)").run();
    db.close();
  });

  it("builds the inlinks index from a version 13 database's links and reads them the same, its target foreign key gone (migration 14)", async () => {
    const file = temp.file('v13.sqlite');
    const raw = databaseWithJob(file, 13, 'finished');
    const at = (path: string) => `http://127.0.0.1:9${path}`;
    raw
      .prepare(
        'INSERT INTO frontier (id, job_id, url, depth, state, in_sitemap) VALUES (1, 1, ?, 0, 2, 1), (2, 1, ?, 1, 2, 1), (3, 1, ?, 1, 2, 1)',
      )
      .run(at('/'), at('/gone'), at('/alone'));
    const page = raw.prepare(
      `INSERT INTO pages (id, job_id, frontier_id, url, final_url, depth, status, final_status,
         content_type, bytes, response_ms, link_count, worker_pid, fetched_at)
       VALUES (?, 1, ?, ?, ?, 0, ?, ?, 'text/html', 10, 5, 0, 7, 1000)`,
    );
    page.run(1, 1, at('/'), at('/'), 200, 200);
    page.run(2, 2, at('/gone'), at('/gone'), 404, 404);
    page.run(3, 3, at('/alone'), at('/alone'), 200, 200);
    raw
      .prepare(
        "INSERT INTO link_targets (id, job_id, url, internal) VALUES (1, 1, ?, 1), (2, 1, ?, 1), (3, 1, 'https://x.invalid/', 0)",
      )
      .run(at('/gone'), at('/'));
    const link = raw.prepare(
      'INSERT INTO page_links (id, from_page, target, anchor) VALUES (?, ?, ?, ?)',
    );
    link.run(10, 1, 1, 'gone from home');
    link.run(11, 1, 3, 'away');
    link.run(12, 2, 2, 'home');
    link.run(13, 3, 1, 'gone from alone');
    link.run(14, 3, 3, 'away again');
    raw.prepare("INSERT INTO pages_fts (pages_fts) VALUES ('rebuild')").run();
    raw.close();

    const db = openDatabase(file, { mustExist: true });
    expect(db.prepare('SELECT * FROM link_inlinks').raw().all()).toEqual([
      [1, 10],
      [1, 13],
      [2, 12],
      [3, 11],
      [3, 14],
    ]);
    expect(db.prepare('SELECT upto FROM link_inlinks_upto').pluck().all()).toEqual([14]);
    expect(
      db.prepare("SELECT name FROM sqlite_schema WHERE name = 'page_links_target'").get(),
    ).toBeUndefined();
    // Only from_page's: a job's deletion no longer scans page_links once a target.
    expect(db.pragma('foreign_key_list(page_links)')).toMatchObject([
      { table: 'pages', from: 'from_page' },
    ]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');

    expect(pageDetail(db, { jobId: 1, url: at('/gone') }).inlinkCount).toBe(2);
    expect(
      queryLinks(db, { jobId: 1, url: at('/gone'), direction: 'in' }).rows.map((row) => row.anchor),
    ).toEqual(['gone from home', 'gone from alone']);
    expect(runReport(db, { jobId: 1, name: 'broken-links' }).rows).toMatchObject([
      { url: at('/gone'), linkedFrom: at('/'), anchor: 'gone from home' },
      { url: at('/gone'), linkedFrom: at('/alone'), anchor: 'gone from alone' },
    ]);
    expect(runReport(db, { jobId: 1, name: 'sitemap-not-linked' }).rows).toMatchObject([
      { url: at('/alone') },
    ]);
    expect(runReport(db, { jobId: 1, name: 'external-links' }).rows).toMatchObject([
      { url: 'https://x.invalid/', links: 2 },
    ]);
    expect(
      db.prepare('SELECT id FROM inlinks WHERE job_id = 1 AND to_url = ?').pluck().all(at('/')),
    ).toEqual([12]);

    // Run again (a file whose user_version was lowered), it changes nothing.
    db.pragma('user_version = 13');
    db.close();
    const again = openDatabase(file, { mustExist: true });
    expect(again.prepare('SELECT * FROM link_inlinks').raw().all()).toHaveLength(5);
    expect(again.prepare('SELECT upto FROM link_inlinks_upto').pluck().all()).toEqual([14]);

    // Deleting the job takes its entries with its link targets.
    await new JobAdmin(again).delete(1);
    expect(again.prepare('SELECT count(*) FROM link_inlinks').pluck().get()).toBe(0);
    again.close();
  });

  it('an old database opened read-only gets a clear error and is left as it was', () => {
    const file = temp.file('old-ro.sqlite');
    const raw = databaseAt(file, 1);
    raw
      .prepare(
        `INSERT INTO jobs (name, status, settings, created_at) VALUES ('kept', 'finished', ?, 1)`,
      )
      .run(SETTINGS);
    raw.close();
    expect(() => openDatabase(file, { readonly: true })).toThrow(
      /needs an upgrade but was opened read-only/,
    );
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(1);
    expect(check.prepare('SELECT name FROM jobs').pluck().all()).toEqual(['kept']);
    check.close();
  });

  it('a corrupt file gets one clear error and is not modified', () => {
    const file = temp.file('corrupt.sqlite');
    const garbage = Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(8192, 0xab)]);
    writeFileSync(file, garbage);
    let error: unknown;
    try {
      openDatabase(file, { mustExist: true });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      /^cannot open database .*corrupt\.sqlite: .*(malformed|not a database)/,
    );
    expect(readFileSync(file).equals(garbage)).toBe(true);
  });

  it("another program's database is refused by name, and left as it was (not even WAL)", () => {
    for (const [name, version, table] of [
      ['notes.sqlite', 0, 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)'],
      // Its own jobs table, and a schema version of its own.
      ['tasks.sqlite', 3, 'CREATE TABLE jobs (id INTEGER PRIMARY KEY, title TEXT)'],
    ] as const) {
      const file = temp.file(name);
      const raw = new Database(file);
      raw.exec(table);
      raw.pragma(`user_version = ${version}`);
      raw.close();
      const before = readFileSync(file);
      for (const options of [{}, { mustExist: true }]) {
        expect(() => openDatabase(file, options)).toThrow(
          new UserError(
            `database ${file} is not a Trawl database: it holds another program's tables`,
          ),
        );
      }
      expect(readFileSync(file).equals(before)).toBe(true);
    }
  });
});
