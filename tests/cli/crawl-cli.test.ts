import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { runCli, startCli } from '../helpers/cli';
import { listenLocal } from '../helpers/local-server';
import { processEnv } from '../helpers/process-env';
import type { FixtureSite } from '../helpers/fixture-site';
import { expectNoSurvivors, taggedPids, waitFor } from '../helpers/processes';

const env = processEnv();

function pagesIn(file: string): { url: string; n: number }[] {
  const db = openDatabase(file, { mustExist: true });
  try {
    return db.prepare('SELECT url, count(*) AS n FROM pages GROUP BY url ORDER BY url').all() as {
      url: string;
      n: number;
    }[];
  } finally {
    db.close();
  }
}

/** `trawl crawl` of the fixture site with 2 workers into the test's database. */
function crawlArgs(site: FixtureSite, ...extra: string[]): string[] {
  return ['crawl', `${site.origin}/`, '--workers', '2', '--db', env.dbFile, ...extra];
}

function storedCount(file: string): number {
  try {
    return pagesIn(file).length;
  } catch {
    return 0;
  }
}

describe('trawl crawl', () => {
  it('crawls, prints a JSON summary, lists the job and exports its pages', async () => {
    const site = await env.site({ pages: 60 });
    const crawl = await runCli(crawlArgs(site, '--json'));
    expect(crawl.code).toBe(0);
    const summary = JSON.parse(crawl.stdout.trim());
    expect(summary).toMatchObject({
      jobId: 1,
      status: 'finished',
      pages: site.reachable.length,
      failed: 0,
      blocked: 0,
      workers: 2,
    });
    expect(Object.keys(summary).sort()).toEqual([
      'blocked',
      'failed',
      'jobId',
      'pages',
      'pagesPerSecond',
      'seconds',
      'status',
      'workers',
    ]);

    const jobs = await runCli(['jobs', '--db', env.dbFile, '--json']);
    expect(jobs.code).toBe(0);
    const job = JSON.parse(jobs.stdout.trim());
    expect(job).toMatchObject({
      id: 1,
      status: 'finished',
      pages: site.reachable.length,
      firstStartUrl: `${site.origin}/`,
      startUrlCount: 1,
    });
    expect(new Date(job.startedAt).getTime()).toBeLessThanOrEqual(
      new Date(job.finishedAt).getTime(),
    );

    const out = env.file('pages.ndjson');
    const exported = await runCli([
      'export',
      '1',
      '--db',
      env.dbFile,
      '--format',
      'ndjson',
      '--out',
      out,
    ]);
    expect(exported.code).toBe(0);
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows.map((row) => row.url).sort()).toEqual([...site.reachable].sort());
    const home = rows.find((row) => row.url === `${site.origin}/`);
    expect(home).toMatchObject({ status: 200, title: 'Home', depth: 0 });
    expect(home.workerPid).toBeGreaterThan(0);
  });

  it("keeps a worker's output off stdout, which carries the --json summary", async () => {
    const site = await env.site({ pages: 10 });
    // Loaded into every process of the run; only the workers have an IPC channel.
    const noisy = "data:text/javascript,if(process.send)process.stdout.write('worker-noise;')";
    const crawl = await runCli(crawlArgs(site, '--json'), {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${noisy}`,
    });
    expect(crawl.code).toBe(0);
    expect(crawl.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(crawl.stdout)).toMatchObject({ pages: site.reachable.length, failed: 0 });
    expect(crawl.stderr).toContain('worker-noise;');
  });

  it('resumes after main is killed with SIGKILL: exact pages, none twice, no orphan workers', async () => {
    const site = await env.site({ pages: 300, delayMs: 40 });
    const { child, result } = startCli(crawlArgs(site, '--concurrency', '4'));
    await waitFor(() => storedCount(env.dbFile) >= 50, '50 stored pages');
    const workers = taggedPids(env.tag).filter((pid) => pid !== child.pid);
    expect(workers.length).toBeGreaterThanOrEqual(2);
    child.kill('SIGKILL');
    await result;
    // Workers notice their parent is gone and exit within 2 seconds.
    await expectNoSurvivors(env.tag, 2000);
    expect(storedCount(env.dbFile)).toBeLessThan(site.reachable.length);

    const listed = await runCli(['jobs', '--db', env.dbFile, '--json']);
    expect(JSON.parse(listed.stdout)).toMatchObject({ id: 1, status: 'interrupted' });

    const resuming = startCli(['crawl', '--resume', '1', '--db', env.dbFile, '--json']);
    const before = storedCount(env.dbFile);
    await waitFor(() => storedCount(env.dbFile) > before, 'the resumed crawl to store pages');
    // A second process may not crawl the same job at the same time.
    const second = await runCli(['crawl', '--resume', '1', '--db', env.dbFile]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/job 1 is being crawled by process \d+/);
    const resumed = await resuming.result;
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout).pages).toBe(site.reachable.length);
    const pages = pagesIn(env.dbFile);
    expect(pages.map((page) => page.url)).toEqual([...site.reachable].sort());
    expect(pages.every((page) => page.n === 1)).toBe(true);
  });

  it('stops gracefully on Ctrl-C and resumes to completion', async () => {
    const site = await env.site({ pages: 300, delayMs: 20 });
    const { child, result } = startCli(crawlArgs(site, '--json'));
    await waitFor(() => storedCount(env.dbFile) >= 30, '30 stored pages');
    child.kill('SIGINT');
    const stopped = await result;
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toContain('finishing pages in flight');
    const first = JSON.parse(stopped.stdout);
    // A script (under `timeout`, say) tells a stopped crawl from a finished one.
    expect(first.status).toBe('stopped');
    expect(first.pages).toBeLessThan(site.reachable.length);
    await expectNoSurvivors(env.tag);

    const jobs = await runCli(['jobs', '--db', env.dbFile, '--json']);
    expect(JSON.parse(jobs.stdout)).toMatchObject({ id: 1, status: 'stopped', pages: first.pages });

    const resumed = await runCli(['crawl', '--resume', '1', '--db', env.dbFile, '--json']);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      status: 'finished',
      pages: site.reachable.length,
    });
    expect(pagesIn(env.dbFile).every((page) => page.n === 1)).toBe(true);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'stops gracefully when %s reaches the whole process group (Ctrl-C, docker stop, systemd)',
    async (signal) => {
      const site = await env.site({ pages: 300, delayMs: 200 });
      const { child, result } = startCli(crawlArgs(site, '--json'), {}, { group: true });
      await waitFor(() => storedCount(env.dbFile) >= 10, '10 stored pages');
      process.kill(-child.pid!, signal);
      const stopped = await result;
      expect(stopped.code).toBe(0);
      expect(stopped.stderr).toContain('finishing pages in flight');
      // The workers finished their pages: none was killed, no URL counts a death.
      expect(stopped.stderr).not.toMatch(/was killed|exited/);
      const db = openDatabase(env.dbFile, { mustExist: true });
      expect(db.prepare('SELECT max(worker_deaths) FROM frontier').pluck().get()).toBe(0);
      db.close();
      expect(JSON.parse(stopped.stdout).pages).toBe(storedCount(env.dbFile));
      await expectNoSurvivors(env.tag);
    },
  );

  it('exits at a Ctrl-C while robots.txt is being read, dropping that request', async () => {
    let robotsAsked = false;
    let robotsDropped = false;
    const site = await env.listen((request, response) => {
      // robots.txt never answers (a server that hangs): main's request for it is under way.
      if (request.url === '/robots.txt') {
        robotsAsked = true;
        response.once('close', () => (robotsDropped = true));
      } else response.end('<title>Home</title>');
    });
    const { child, result } = startCli(
      ['crawl', `${site.origin}/`, '--db', env.dbFile, '--json'],
      {},
      { group: true },
    );
    await waitFor(() => robotsAsked, 'robots.txt asked for');
    process.kill(-child.pid!, 'SIGINT');
    const stopped = await result;

    expect(stopped.code).toBe(0);
    expect(JSON.parse(stopped.stdout)).toMatchObject({ status: 'stopped', pages: 0 });
    // Nothing said of a robots.txt the stop gave up waiting for: no URL was judged by it.
    expect(stopped.stderr).not.toContain('unavailable');
    await waitFor(() => robotsDropped, 'the robots.txt request dropped');
    await expectNoSurvivors(env.tag);
  });

  it('says when a start URL redirects out of the scope, which leaves nothing past it crawled', async () => {
    // As example.com does to www.example.com: another host.
    const site = await listenLocal((request, response) => {
      if (request.url === '/robots.txt') response.writeHead(404).end();
      else response.writeHead(301, { location: `http://localhost:${site.port}/home` }).end();
    });
    try {
      const crawl = (...flags: string[]) =>
        runCli(['crawl', `${site.origin}/`, '--db', env.dbFile, '--workers', '1', ...flags]);
      const result = await crawl('--json');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ status: 'finished', pages: 1 });
      expect(result.stderr).toBe(
        `trawl: warn: start URL ${site.origin}/ redirects to http://localhost:${site.port}/home, ` +
          `outside the job's scope (host), so nothing past it was crawled: start from ` +
          `http://localhost:${site.port}/home, or widen --scope\n`,
      );
      const excluded = await crawl('--scope', 'all', '--exclude', '/home$');
      expect(excluded.stderr).toMatch(
        `redirects to http://localhost:${site.port}/home, which --include or --exclude leaves ` +
          `out, so nothing past it was crawled: start from http://localhost:${site.port}/home, ` +
          'or change the patterns\n',
      );
      // A list crawl fetches exactly its URLs: the redirect is its answer, not a warning.
      expect((await crawl('--mode', 'list')).stderr).not.toMatch(/warn/);
    } finally {
      await site.close();
    }
  });

  it('says when a start URL redirects to a URL the patterns or URL traps leave out, judged as the crawl judges it', async () => {
    const targets: Record<string, string> = {
      '/tracked': '/home?utm_source=mail',
      '/trap': '/a/b/a/b/a/b/a/b/',
    };
    const site = await listenLocal((request, response) => {
      const location = targets[request.url ?? ''];
      if (location) return void response.writeHead(301, { location }).end();
      if (request.url === '/robots.txt') return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'text/html' }).end('<title>page</title>');
    });
    try {
      const crawl = (path: string, ...flags: string[]) =>
        runCli(['crawl', site.origin + path, '--db', env.dbFile, '--workers', '1', ...flags]);
      // With the tracking parameter stripped, the target is /home, which the pattern excludes.
      const excluded = await crawl('/tracked', '--strip-tracking', '--exclude', '/home$', '--json');
      expect(JSON.parse(excluded.stdout)).toMatchObject({ pages: 1 });
      expect(excluded.stderr).toBe(
        `trawl: warn: start URL ${site.origin}/tracked redirects to ${site.origin}/home?utm_source=mail, ` +
          'which --include or --exclude leaves out, so nothing past it was crawled: start from ' +
          `${site.origin}/home?utm_source=mail, or change the patterns\n`,
      );
      const trapped = await crawl('/trap', '--json');
      expect(JSON.parse(trapped.stdout)).toMatchObject({ pages: 1 });
      expect(trapped.stderr).toBe(
        `trawl: warn: start URL ${site.origin}/trap redirects to ${site.origin}/a/b/a/b/a/b/a/b/, ` +
          'which the URL-trap limits leave out, so nothing past it was crawled: start from ' +
          `${site.origin}/a/b/a/b/a/b/a/b/, or raise the limit it is past\n`,
      );
    } finally {
      await site.close();
    }
  });

  it('force-stops on a second Ctrl-C', async () => {
    const site = await env.site({ pages: 300, delayMs: 3000 });
    const { child, result } = startCli(crawlArgs(site));
    await waitFor(() => storedCount(env.dbFile) >= 1, 'the first page');
    child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const forcedAt = Date.now();
    child.kill('SIGINT');
    const stopped = await result;
    expect(Date.now() - forcedAt).toBeLessThan(2000);
    expect(stopped.stderr).toContain('force stop');
    expect(stopped.code).toBe(0);
  });
});

describe('trawl errors', () => {
  it.each([
    [['crawl', 'http://127.0.0.1:1/', '--workers', '0'], /--workers.*from 1 to 64/],
    [['crawl', 'http://127.0.0.1:1/', '--workers', 'many'], /--workers.*whole number/],
    [['crawl', 'ftp://example.invalid/'], /not an absolute http\(s\) URL/],
    [['crawl'], /at least one start URL/],
    [['crawl', '--resume', '1', '--max-depth', '2'], /--max-depth cannot change when resuming/],
    [['crawl', '--bogus'], /unknown option '--bogus'/],
    [['export', '1', '--format', 'pdf'], /unknown export format "pdf"/],
  ])('%j gives one clear line and a non-zero exit', async (args, message) => {
    const result = await runCli([...args, '--db', env.dbFile]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports an unreachable start URL as unreachable, whether or not its robots.txt was asked for first', async () => {
    const crawl = (...flags: string[]) =>
      runCli(['crawl', 'http://127.0.0.1:9/', '--db', env.dbFile, '--workers', '1', ...flags]);
    const blocked = await crawl();
    expect(blocked.code).toBe(1);
    expect(blocked.stderr.trim().split('\n')).toEqual([
      'trawl: warn: http://127.0.0.1:9/robots.txt is unavailable (connect ECONNREFUSED 127.0.0.1:9); ' +
        'RFC 9309 reads that as disallowing the whole host: its URLs are recorded as blocked ' +
        '(--robots-unavailable allow crawls them anyway)',
      'trawl: error: cannot reach http://127.0.0.1:9/: connect ECONNREFUSED 127.0.0.1:9 ' +
        '(asking for its robots.txt)',
    ]);
    // The jobs list gives a script the same counters: the URL is blocked, not failed.
    const listed = await runCli(['jobs', '--db', env.dbFile, '--json']);
    expect(JSON.parse(listed.stdout)).toMatchObject({ id: 1, pages: 0, failed: 0, blocked: 1 });

    const result = await crawl('--ignore-robots');
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^trawl: error: cannot reach http:\/\/127\.0\.0\.1:9\/: .*ECONNREFUSED/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    // And so does its text: blocked and failed beside the pages.
    const text = await runCli(['jobs', '--db', env.dbFile]);
    expect(text.stdout).toMatch(/^ {3}1 .* 0 pages +0 failed +1 blocked {2}/m);
    expect(text.stdout).toMatch(/^ {3}2 .* 0 pages +1 failed +0 blocked {2}/m);
  });

  it('says once why a job failed', async () => {
    const site = await env.site({ pages: 2 });
    const result = await runCli([
      ...['crawl', `${site.origin}/`, '--mode', 'sitemap', '--db', env.dbFile, '--workers', '1'],
    ]);
    expect(result.code).toBe(1);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('trawl: error:'));
    expect(errors).toEqual([
      'trawl: error: sitemap mode found no URLs to crawl ' +
        '(sitemaps read: 1, failed: 1; see the log above)',
    ]);
    expect(result.stderr).toMatch(/^trawl: warn: sitemap .*\/sitemap\.xml failed: HTTP 404/);
  });

  it('reports a database file that is not a database, and leaves it untouched', async () => {
    writeFileSync(env.dbFile, 'this is not sqlite, but somebody cares about it');
    for (const args of [['jobs'], ['crawl', 'http://127.0.0.1:9/'], ['export', '1']]) {
      const result = await runCli([...args, '--db', env.dbFile]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /trawl: error: cannot open database .*crawl\.sqlite: file is not a database/,
      );
    }
    expect(readFileSync(env.dbFile, 'utf8')).toBe(
      'this is not sqlite, but somebody cares about it',
    );
  });

  it('reports a missing database and an unknown job', async () => {
    const missing = env.file('nope.sqlite');
    for (const args of [['jobs'], ['crawl', '--resume', '1'], ['crawl', '--rerun', '1']]) {
      const result = await runCli([...args, '--db', missing]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`trawl: error: database ${missing} does not exist\n`);
    }
    expect(existsSync(missing)).toBe(false);
    const site = await env.site({ pages: 2 });
    await runCli(['crawl', `${site.origin}/`, '--db', env.dbFile, '--workers', '1']);
    expect((await runCli(['export', '7', '--db', env.dbFile])).stderr).toMatch(/no job with id 7/);
    expect((await runCli(['crawl', '--resume', '7', '--db', env.dbFile])).stderr).toMatch(
      /no job with id 7/,
    );
  });

  it('refuses a new job with bad settings before it creates the database or its folder', async () => {
    const file = env.file('new-folder/crawl.sqlite');
    for (const [args, message] of [
      [['ftp://example.com/'], 'startUrls.0: "ftp://example.com/" is not an absolute http(s) URL'],
      [['https://example.com/', '--include', '('], 'include.0: '],
    ] as const) {
      const result = await runCli(['crawl', ...args, '--db', file]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`trawl: error: invalid job settings: ${message}`);
    }
    expect(existsSync(dirname(file))).toBe(false);
  });

  it('lists, browses and deletes a job whose settings are unreadable, and refuses to run it', async () => {
    const site = await env.site({ pages: 3 });
    for (let run = 0; run < 2; run++) {
      await runCli(['crawl', `${site.origin}/`, '--db', env.dbFile, '--workers', '1']);
    }
    // Edited by hand (or written by a newer Trawl): job 1's settings no longer validate.
    const other = openDatabase(env.dbFile);
    other.prepare(`UPDATE jobs SET settings = '{"workers": "many"}' WHERE id = 1`).run();
    other.close();
    const db = ['--db', env.dbFile];

    const listed = await runCli(['jobs', ...db, '--json']);
    expect(listed.code).toBe(0);
    expect(
      listed.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toMatchObject([
      {
        id: 1,
        pages: site.reachable.length,
        problem: 'unreadable settings: workers: must be a number',
      },
      { id: 2, pages: site.reachable.length, problem: null },
    ]);
    const text = await runCli(['jobs', ...db]);
    expect(text.stdout).toMatch(/^ {3}1 .*127\.0\.0\.1:\d+ \(unreadable settings: workers: .*\)$/m);
    for (const args of [
      ['crawl', '--resume', '1'],
      ['crawl', '--rerun', '1'],
      ['export', '1'],
    ]) {
      const refused = await runCli([...args, ...db]);
      expect(refused.stderr).toBe(
        'trawl: error: job 1 has unreadable settings: workers: must be a number\n',
      );
      expect(refused.code).toBe(1);
    }
    // Its pages are still there to export as a table.
    const csv = await runCli(['export', '1', '--format', 'csv', ...db]);
    expect(csv.code).toBe(0);
    expect(csv.stdout.trim().split('\n')).toHaveLength(site.reachable.length + 1);
    expect((await runCli(['jobs', 'delete', '1', ...db])).code).toBe(0);
    const left = await runCli(['jobs', ...db, '--json']);
    expect(JSON.parse(left.stdout)).toMatchObject({ id: 2 });
  });

  it('prints the JSON line of a job that failed, with what it stored, and resumes it exactly', async () => {
    let release!: () => void;
    const locked = new Promise<void>((r) => (release = r));
    const site = await env.site({
      pages: 30,
      hold: (path) => (path.startsWith('/p/') ? locked : undefined),
    });
    const crawl = startCli(crawlArgs(site, '--json'));
    await waitFor(() => site.hits.has('/p/0'), 'the home page crawled');
    // Another program takes the write lock mid-crawl, past the 5 s a write waits for it.
    const other = openDatabase(env.dbFile);
    other.exec('BEGIN IMMEDIATE');
    let stderr = '';
    crawl.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      release();
      await waitFor(() => stderr.includes('is locked'), 'the write given up', 30_000);
    } finally {
      // Free again: the job's end is stored.
      other.exec('ROLLBACK');
      other.close();
    }
    const failed = await crawl.result;
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`database ${env.dbFile} is locked`);
    const listed = JSON.parse((await runCli(['jobs', '--db', env.dbFile, '--json'])).stdout);
    expect(listed).toMatchObject({ status: 'failed', pages: storedCount(env.dbFile) });
    expect(JSON.parse(failed.stdout)).toMatchObject({
      jobId: 1,
      status: 'failed',
      pages: listed.pages,
      failed: 0,
    });

    const resumed = await runCli(['crawl', '--resume', '1', '--db', env.dbFile, '--json']);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      status: 'finished',
      pages: site.reachable.length,
    });
    expect(pagesIn(env.dbFile)).toEqual([...site.reachable].sort().map((url) => ({ url, n: 1 })));
  }, 60_000);

  it('says so when another program keeps the database locked, and changes nothing', async () => {
    const site = await env.site({ pages: 2 });
    await runCli(['crawl', `${site.origin}/`, '--db', env.dbFile, '--workers', '1']);
    // Another program (a database browser with unsaved edits) holds the write lock.
    const other = openDatabase(env.dbFile);
    other.exec('BEGIN IMMEDIATE');
    try {
      for (const args of [
        ['crawl', `${site.origin}/`],
        ['jobs', 'rename', '1', 'Renamed'],
      ]) {
        const result = await runCli([...args, '--db', env.dbFile]);
        expect(result.code).toBe(1);
        expect(result.stderr).toBe(
          `trawl: error: database ${env.dbFile} is locked: another program has been writing ` +
            'to it for more than 5 s; let it finish or close it, then try again\n',
        );
      }
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const jobs = await runCli(['jobs', '--json', '--db', env.dbFile]);
    expect(
      jobs.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toMatchObject([
      { id: 1, status: 'finished', pages: site.reachable.length, name: new URL(site.origin).host },
    ]);
  }, 60_000);
});
