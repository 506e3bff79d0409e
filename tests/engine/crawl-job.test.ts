import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  ChildProcessLauncher,
  defaultWorkerEntry,
} from '../../electron/engine/child-process-launcher';
import type { CrawlJob } from '../../electron/engine/crawl-job';
import { JobStore } from '../../electron/engine/store/job-store';
import type { FixtureSite } from '../helpers/fixture-site';
import { expectNoSurvivors, taggedPids, waitFor } from '../helpers/processes';
import { engineEnv } from './engine-env';

const env = engineEnv();
const { logs, service, storedUrls } = env;
let site: FixtureSite;

function workerPids(jobId: number): number[] {
  return (
    env.db.prepare('SELECT DISTINCT worker_pid AS pid FROM pages WHERE job_id = ?').all(jobId) as {
      pid: number;
    }[]
  ).map((row) => row.pid);
}

/** The pid of a worker with pages in flight, once `pages` pages are done. */
function busyWorker(job: CrawlJob, pages: number): Promise<number> {
  return waitFor(() => {
    const snapshot = job.snapshot();
    return (
      snapshot.pagesDone >= pages &&
      (snapshot.workers.find((worker) => worker.inFlight > 0)?.pid ?? undefined)
    );
  }, 'a busy worker');
}

/**
 * Never repeated: each URL requested once; /p/1 also as the target of /old's
 * redirect, unless its row was stored from that response (it was not yet
 * crawled nor in flight then): the row is then that fetch, at the same time,
 * with the same duration.
 */
function expectEachFetchedOnce(fixture: FixtureSite, robotsFetches = 1): void {
  const expected = new Map(fixture.reachable.map((url) => [url.slice(fixture.origin.length), 1]));
  const storedFromRedirect = env.db
    .prepare(
      `SELECT count(*) FROM pages target JOIN pages redirect
         ON (redirect.fetched_at, redirect.response_ms, redirect.worker_pid)
          = (target.fetched_at, target.response_ms, target.worker_pid)
       WHERE target.url = ? AND redirect.url = ?`,
    )
    .pluck()
    .get(`${fixture.origin}/p/1`, `${fixture.origin}/old`);
  expected.set('/p/1', storedFromRedirect ? 1 : 2);
  // robots.txt is read once per run of a job.
  expected.set('/robots.txt', robotsFetches);
  expect(Object.fromEntries([...fixture.hits].sort())).toEqual(
    Object.fromEntries([...expected].sort()),
  );
}

describe('a crawl of a local site', () => {
  it('stores exactly the reachable pages, fetched by every worker', async () => {
    // The site answers once both workers are up: on a loaded machine the first one
    // could crawl the whole site before the second had started.
    let release!: () => void;
    const bothUp = new Promise<void>((r) => (release = r));
    site = await env.site({ pages: 120, delayMs: 5, hold: () => bothUp });
    const job = await service().start({
      startUrls: [`${site.origin}/`],
      workers: 2,
      concurrency: 4,
    });
    await waitFor(
      () => job.snapshot().workers.filter((worker) => worker.state === 'running').length === 2,
      'two running workers',
    );
    release();
    const summary = await job.finished;

    expect(summary.status).toBe('finished');
    expect(storedUrls(job.id)).toEqual([...site.reachable].sort());
    expect(summary.pages).toBe(site.reachable.length);
    expect(new Set(workerPids(job.id)).size).toBe(2);
    // Never repeated: every URL was requested exactly once.
    expectEachFetchedOnce(site);
    const pdf = env.db
      .prepare("SELECT content_type, title, link_count FROM pages WHERE url LIKE '%/file.pdf'")
      .get();
    expect(pdf).toEqual({ content_type: 'application/pdf', title: null, link_count: 0 });
    const redirected = env.db
      .prepare("SELECT status, final_url, final_status FROM pages WHERE url LIKE '%/old'")
      .get();
    expect(redirected).toEqual({ status: 301, final_url: `${site.origin}/p/1`, final_status: 200 });
    // A redirect off the site is stored as such, never followed.
    const away = env.db
      .prepare("SELECT status, final_url, final_status FROM pages WHERE url LIKE '%/away'")
      .get();
    expect(away).toEqual({ status: 302, final_url: `${site.origin}/away`, final_status: 302 });
    const title = env.db.prepare('SELECT title FROM pages WHERE url = ?').get(`${site.origin}/p/3`);
    expect(title).toEqual({ title: 'Page 3 & more' });
  });

  it('honours --max-pages and --max-depth', async () => {
    site = await env.site({ pages: 200 });
    const limited = await (
      await service().start({
        startUrls: [`${site.origin}/`],
        workers: 2,
        maxPages: 25,
      })
    ).finished;
    expect(limited.pages + limited.failed).toBe(25);
    // A lower limit on resume would crawl nothing: refused, and the job keeps its own.
    await expect(service().resume(limited.jobId, { maxPages: 10 })).rejects.toThrow(
      `job ${limited.jobId} has 25 pages already: --max-pages 10 leaves nothing to crawl`,
    );
    expect(new JobStore(env.db).settings(limited.jobId).maxPages).toBe(25);

    const shallow = await service().start({
      startUrls: [`${site.origin}/`],
      workers: 1,
      maxDepth: 2,
    });
    await shallow.finished;
    const depths = env.db
      .prepare('SELECT max(depth) AS deepest, count(*) AS n FROM pages WHERE job_id = ?')
      .get(shallow.id);
    // depth 0: "/"; depth 1: the 5 distinct links of home; depth 2: /p/1, /p/2 from
    // /p/0. /old, which redirects to /p/1, has no links of its own: /p/1's are at depth 3.
    expect(depths).toEqual({ deepest: 2, n: 8 });
  });

  it('gives each URL its shortest depth, so --max-depth keeps every page within it', async () => {
    // / links /a (slow) and /b; /b -> /c -> /x, and /a -> /x: /x is 2 links deep, /y 3.
    const links: Record<string, string[]> = {
      '/': ['/a', '/b'],
      '/a': ['/x'],
      '/b': ['/c'],
      '/c': ['/x'],
      '/x': ['/y'],
      '/y': [],
    };
    const origin = await env.listen((request, response) => {
      const out = links[request.url ?? ''];
      if (!out) return response.writeHead(404).end();
      const body = out.map((path) => `<a href="${path}">${path}</a>`).join('');
      // By the time /a answers, /x has been found through /c, at depth 3.
      setTimeout(
        () => response.writeHead(200, { 'content-type': 'text/html' }).end(body),
        request.url === '/a' ? 1500 : 0,
      );
    });
    const job = await service().start({ startUrls: [`${origin}/`], workers: 1, maxDepth: 3 });
    await job.finished;
    const depths = env.db
      .prepare('SELECT url, depth FROM frontier WHERE job_id = ? ORDER BY url')
      .all(job.id);
    expect(depths).toEqual(
      ['/', '/a', '/b', '/c', '/x', '/y'].map((path) => ({
        url: `${origin}${path}`,
        depth: { '/': 0, '/a': 1, '/b': 1, '/c': 2, '/x': 2, '/y': 3 }[path],
      })),
    );
    // /y was left out: /x, crawled at depth 3, had its links cut by the limit.
    expect(storedUrls(job.id)).toContain(`${origin}/y`);
  });

  it('replaces a worker killed with SIGKILL and still stores every page', async () => {
    site = await env.site({ pages: 150, delayMs: 20 });
    const job = await service().start({
      startUrls: [`${site.origin}/`],
      workers: 2,
      concurrency: 4,
    });
    const victim = await busyWorker(job, 20);
    process.kill(victim, 'SIGKILL');
    const summary = await job.finished;

    expect(summary.status).toBe('finished');
    expect(storedUrls(job.id)).toEqual([...site.reachable].sort());
    expect(workerPids(job.id)).not.toHaveLength(0);
    expect(logs.some((line) => line.includes('URLs requeued'))).toBe(true);
    expect(job.snapshot().workers.every((worker) => worker.pid !== victim)).toBe(true);
  });

  it('replaces a worker that stops sending heartbeats', async () => {
    // Pages at depth 5 and deeper (/p/15 on) answer once a worker is frozen: on a
    // loaded machine the crawl could end before the test saw a worker with pages in flight.
    let release!: () => void;
    const frozenOne = new Promise<void>((r) => (release = r));
    site = await env.site({
      pages: 80,
      delayMs: 10,
      hold: (path) => (Number(/^\/p\/(\d+)$/.exec(path)?.[1]) >= 15 ? frozenOne : undefined),
    });
    const job = await service().start({
      startUrls: [`${site.origin}/`],
      workers: 2,
      concurrency: 2,
      workerStallMs: 1500,
    });
    const frozen = await busyWorker(job, 10);
    process.kill(frozen, 'SIGSTOP');
    release();
    const summary = await job.finished;

    expect(summary.status).toBe('finished');
    expect(storedUrls(job.id)).toEqual([...site.reachable].sort());
    expect(logs.some((line) => line.includes('stopped sending heartbeats'))).toBe(true);
  });

  it('waits for workers that take longer to start than the heartbeat timeout, as on a busy machine', async () => {
    site = await env.site({ pages: 20 });
    // Each worker process stands still for 2.5 s before it loads, as when other work
    // keeps the machine's cores busy: longer than this job's heartbeat timeout.
    const standStill = 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2500)';
    const entry = defaultWorkerEntry();
    const launcher = new ChildProcessLauncher({
      ...entry,
      execArgv: [
        '--import',
        `data:text/javascript,${encodeURIComponent(standStill)}`,
        ...entry.execArgv,
      ],
    });
    const job = await service(launcher).start({
      startUrls: [`${site.origin}/`],
      workers: 2,
      workerStallMs: 1000,
    });
    const summary = await job.finished;

    expect(summary.status).toBe('finished');
    expect(storedUrls(job.id)).toEqual([...site.reachable].sort());
    expect(logs.filter((line) => line.startsWith('warn') || line.startsWith('error'))).toEqual([]);
  });

  it('quarantines a URL that kills every worker that fetches it, and only that URL', async () => {
    site = await env.site({
      pages: 40,
      delayMs: 50,
      // Whoever asks for /p/5 dies, with the other pages it has in flight.
      onRequest: (path) => {
        if (path === '/p/5') for (const pid of taggedPids(env.tag)) process.kill(pid, 'SIGKILL');
      },
    });
    const job = await service().start({
      startUrls: [`${site.origin}/`],
      workers: 1,
      concurrency: 4,
    });
    const summary = await job.finished;

    expect(summary.status).toBe('finished');
    expect(summary.failed).toBe(1);
    const row = env.db
      .prepare("SELECT state, worker_deaths, error FROM frontier WHERE url LIKE '%/p/5'")
      .get();
    expect(row).toEqual({
      state: 3,
      worker_deaths: 3,
      error: 'quarantined: in flight on 3 workers that died (the last was killed)',
    });
    expect(site.hits.get('/p/5')).toBe(3);
    // Pages that shared the dying worker were retried, not blamed.
    const bystanders = env.db
      .prepare('SELECT count(*) AS n FROM frontier WHERE worker_deaths > 0 AND state = 2')
      .get() as { n: number };
    expect(bystanders.n).toBeGreaterThan(0);
    // /p/5 and the pages only it links to (its subtree: 11, 12, 23 to 26) are not stored.
    const lost = new Set([5, 11, 12, 23, 24, 25, 26].map((n) => `${site.origin}/p/${n}`));
    expect(storedUrls(job.id)).toEqual(site.reachable.filter((url) => !lost.has(url)).sort());
  });

  it("keeps a host's slot for a redirect's task whose worker died while the target's robots.txt was read", async () => {
    let releaseRobots!: () => void;
    const robotsHeld = new Promise<void>((r) => (releaseRobots = r));
    let robotsAsked = false;
    const target = await env.listen((req, res) => {
      if (req.url === '/robots.txt') {
        robotsAsked = true;
        // The Crawl-delay line is logged once main has the file, before the redirect's answer.
        void robotsHeld.then(() => res.end('User-agent: *\nCrawl-delay: 1\n'));
      } else res.end('<title>Moved</title>');
    });
    let releaseSecond!: () => void;
    const secondHeld = new Promise<void>((r) => (releaseSecond = r));
    let redirectRequests = 0;
    let open = 0;
    let mostOpen = 0;
    const origin = await env.listen((req, res) => {
      mostOpen = Math.max(mostOpen, ++open);
      res.on('close', () => open--);
      if (req.url === '/r' && ++redirectRequests === 1) {
        res.writeHead(302, { location: `${target}/moved` }).end();
      } else if (req.url === '/r') {
        void secondHeld.then(() => res.end('<title>Here now</title>'));
      } else if (req.url === '/') {
        res.end('<a href="/r">r</a> <a href="/p1">1</a> <a href="/p2">2</a>');
      } else res.end('<title>Page</title>');
    });
    const job = await service().start({
      startUrls: [`${origin}/`],
      workers: 1,
      hostConcurrency: 1,
      // The other site is in scope, so the worker follows the redirect to it.
      scope: 'all',
    });
    await waitFor(() => robotsAsked, "the target's robots.txt asked for");
    const [asking] = job.snapshot().workers;
    process.kill(asking!.pid!, 'SIGKILL');
    await waitFor(() => redirectRequests === 2, '/r asked again by another worker');
    releaseRobots();
    await waitFor(
      () => logs.some((line) => line.includes('Crawl-delay')),
      "the target's robots.txt",
    );
    // A worker that starts now is offered what the host limits allow.
    job.resize(2);
    await waitFor(
      () => job.snapshot().workers.filter((worker) => worker.state === 'running').length === 2,
      'two running workers',
    );
    // The dead worker's redirect must not have moved /r's slot off its host: /r is asked again there.
    expect(job.snapshot().inFlight).toBe(1);
    releaseSecond();
    const summary = await job.finished;

    expect(summary.status).toBe('finished');
    expect(mostOpen).toBe(1);
    expect(storedUrls(job.id)).toEqual(
      [`${origin}/`, `${origin}/p1`, `${origin}/p2`, `${origin}/r`].sort(),
    );
  });

  it('resizes the pool while running without losing or repeating a page', async () => {
    site = await env.site({ pages: 400, delayMs: 40 });
    const job = await service().start({
      startUrls: [`${site.origin}/`],
      workers: 2,
      concurrency: 4,
    });
    await waitFor(() => job.snapshot().pagesDone >= 30, '30 pages');
    job.resize(1);
    await waitFor(() => job.snapshot().workers.length === 1, 'one worker');
    const pagesAtOne = job.snapshot().pagesDone;
    await waitFor(() => job.snapshot().pagesDone >= pagesAtOne + 30, '30 more pages');
    job.resize(3);
    await waitFor(
      () => job.snapshot().workers.filter((worker) => worker.state === 'running').length === 3,
      'three workers',
    );
    const summary = await job.finished;

    expect(summary.status).toBe('finished');
    expect(storedUrls(job.id)).toEqual([...site.reachable].sort());
    expectEachFetchedOnce(site);
    expect(new Set(workerPids(job.id)).size).toBeGreaterThanOrEqual(3);
    // A resume runs with the size chosen last, and the job's dashboard shows it.
    expect(new JobStore(env.db).settings(job.id).workers).toBe(3);
  });

  it('takes back a worker it shrank away from when the pool grows again at once', async () => {
    // The site answers once the resizes are done: each a new process, a slider dragged
    // back and forth started and killed one after another, a core's second each.
    let release!: () => void;
    const resized = new Promise<void>((r) => (release = r));
    site = await env.site({ pages: 100, delayMs: 5, hold: () => resized });
    const job = await service().start({
      startUrls: [`${site.origin}/`],
      workers: 2,
      concurrency: 2,
    });
    await waitFor(
      () => job.snapshot().workers.filter((worker) => worker.state === 'running').length === 2,
      'two running workers',
    );
    const names = new Set<string>();
    const seen = job.onProgress((snapshot) => snapshot.workers.forEach((w) => names.add(w.name)));
    for (const size of [1, 2, 1, 2, 1, 2]) job.resize(size);
    release();
    const summary = await job.finished;
    seen();

    expect(summary.status).toBe('finished');
    expect([...names].sort()).toEqual(['worker-1', 'worker-2']);
    expect(new Set(workerPids(job.id)).size).toBe(2);
    expect(storedUrls(job.id)).toEqual([...site.reachable].sort());
    expectEachFetchedOnce(site);
  });

  it('starts a large pool a few workers at a time, every one of them, and can shrink it while some start', async () => {
    // The site answers once the pool is resized: on a loaded machine the crawl could end
    // before the last workers were up.
    let release!: () => void;
    const resized = new Promise<void>((r) => (release = r));
    site = await env.site({ pages: 300, delayMs: 20, hold: () => resized });
    const most = 2 * availableParallelism();
    const workers = most + 6;
    const job = await service().start({ startUrls: [`${site.origin}/`], workers, concurrency: 2 });
    let mostStarting = 0;
    await waitFor(() => {
      const states = job.snapshot().workers.map((worker) => worker.state);
      mostStarting = Math.max(mostStarting, states.filter((state) => state === 'starting').length);
      // Started all at once, 64 workers on 2 cores outlasted the heartbeat timeout and failed the job.
      return states.filter((state) => state === 'running').length === workers;
    }, `${workers} running workers`);
    expect(mostStarting).toBeLessThanOrEqual(most);
    expect(logs.filter((line) => line.startsWith('warn:'))).toEqual([]);

    job.resize(workers + most + 3); // some start, 3 wait their turn
    job.resize(2);
    release();
    await waitFor(() => job.snapshot().workers.length === 2, 'two workers');
    const summary = await job.finished;
    expect(summary.status).toBe('finished');
    expect(storedUrls(job.id)).toEqual([...site.reachable].sort());
  });

  it('stops gracefully and resumes to the exact page set', async () => {
    site = await env.site({ pages: 200, delayMs: 10 });
    const crawler = service();
    const job = await crawler.start({ startUrls: [`${site.origin}/`], workers: 2, concurrency: 4 });
    await waitFor(() => job.snapshot().pagesDone >= 40, '40 pages');
    const stopped = await job.stop();
    expect(stopped.status).toBe('stopped');
    expect(stopped.pages).toBeLessThan(site.reachable.length);
    expect(storedUrls(job.id)).toHaveLength(stopped.pages);
    await expectNoSurvivors(env.tag);
    // What the jobs list (and a dashboard opened later) says is left: the live view's last count.
    const end = job.snapshot();
    expect(end.queued).toBeGreaterThan(0);
    expect(new JobStore(env.db).get(job.id)).toMatchObject({
      status: 'stopped',
      pages: end.pagesDone,
      failed: end.failed,
      blocked: end.blocked,
      queued: end.queued,
    });

    const resumed = await (await crawler.resume(job.id)).finished;
    expect(resumed.status).toBe('finished');
    expect(storedUrls(job.id)).toEqual([...site.reachable].sort());
    expectEachFetchedOnce(site, 2);
    expect(new JobStore(env.db).get(job.id).queued).toBeNull();
  });

  it('force stop kills workers at once and the job still resumes exactly', async () => {
    site = await env.site({ pages: 150, delayMs: 200 });
    const crawler = service();
    const job = await crawler.start({
      startUrls: [`${site.origin}/`],
      workers: 2,
      concurrency: 8,
      hostConcurrency: 16,
    });
    await waitFor(
      () => job.snapshot().pagesDone >= 10 && job.snapshot().inFlight > 0,
      'pages in flight',
    );
    const started = Date.now();
    const stopped = await job.stop({ force: true });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(stopped.status).toBe('stopped');

    const resumed = await (await crawler.resume(job.id)).finished;
    expect(resumed.status).toBe('finished');
    expect(storedUrls(job.id)).toEqual([...site.reachable].sort());
  });
});
