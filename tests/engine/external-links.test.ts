import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ExternalChecker } from '../../electron/engine/external-checker';
import { HostLimits } from '../../electron/engine/host-limits';
import { createMainFetch } from '../../electron/engine/main-fetch';
import { JobStore } from '../../electron/engine/store/job-store';
import { StoreWriter } from '../../electron/engine/store-writer/store-writer';
import { jobSettingsSchema, type JobSettingsInput } from '../../shared/job-settings';
import { outlinkColumns } from '../../shared/outlinks';
import { DEFAULT_URL_RULES } from '../../shared/url-normalize';
import { fetchedPage } from '../results/stored-job';
import { minGap } from './counting-site';
import { engineEnv } from './engine-env';

const env = engineEnv();
/** Requests the external server got, as "METHOD /path". */
const external: string[] = [];
const listen = (handler: http.RequestListener) => {
  external.length = 0;
  return env.listen(handler);
};

/**
 * A checkExternal job of `pages` start URLs and its writer thread, each URL
 * leased; `write(urls)` stores the next as a page linking to each of `urls`.
 */
async function externalLinksJob(pages: number) {
  const startUrls = Array.from({ length: pages }, (_, i) => `http://127.0.0.1:9/${i}`);
  const settings = jobSettingsSchema.parse({ startUrls, workers: 1, checkExternal: true });
  const job = new JobStore(env.db).create(settings);
  const writer = new StoreWriter(
    env.db,
    {
      jobId: job.id,
      maxDepth: 0,
      robotsAgent: 'Trawl',
      scope: { scope: 'host', startUrls, include: [], exclude: [] },
      recordExternal: true,
      urls: DEFAULT_URL_RULES,
      honourNofollow: true,
    },
    () => undefined,
  );
  await writer.seedStartUrls();
  const tasks = await writer.lease(pages);
  const write = (urls: string[]) => {
    const task = tasks.shift()!;
    const links = urls.map((url) => ({ url, text: 'x', rel: null, internal: false }));
    const page = fetchedPage(task.url, { outlinks: outlinkColumns(links) });
    return writer.write({ pages: [{ task, workerPid: 1, page }], failures: [] });
  };
  return { settings, writer, write };
}

/** A checkExternal crawl of a one-page site that links to `paths` of `other`. */
async function crawlLinking(other: string, paths: string[], settings: Partial<JobSettingsInput>) {
  const links = paths.map((path) => `<a href="${other}${path}">x</a>`).join('');
  const site = await listen((request, response) => {
    if (request.url === '/robots.txt') return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'text/html' }).end(links);
  });
  return env
    .service()
    .start({ startUrls: [`${site}/`], workers: 1, checkExternal: true, ...settings });
}

describe('external link checks', () => {
  it('checks each external URL once for its status, never crawls it, and a resume checks only what is left', async () => {
    const other = await listen((request, response) => {
      external.push(`${request.method} ${request.url}`);
      if (request.url === '/ok') {
        response.writeHead(200, { 'content-type': 'text/html' });
        return void response.end('<a href="/deeper">deeper</a>');
      }
      if (request.url === '/no-head') {
        return void response.writeHead(request.method === 'HEAD' ? 405 : 200).end();
      }
      if (request.url === '/moved') return void response.writeHead(301, { location: '/ok' }).end();
      response.writeHead(404).end();
    });
    const links = ['/ok', '/gone', '/no-head', '/moved'].map((path) => other + path);
    // A port nothing listens on (fetch refuses well-known ports such as 1 outright).
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const refused = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/refused`;
    await new Promise((resolve) => closed.close(resolve));
    const anchors = (hrefs: string[]) => hrefs.map((href) => `<a href="${href}">x</a>`).join('');
    const site = await listen((request, response) => {
      if (request.url === '/robots.txt') return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'text/html' });
      // Both pages link to every external URL: each is still checked once.
      response.end(`<title>${request.url}</title>${anchors([...links, refused, '/second'])}`);
    });

    const service = env.service();
    const job = await service.start({ startUrls: [`${site}/`], workers: 1, checkExternal: true });
    const summary = await job.finished;
    expect(summary.status).toBe('finished');
    expect(summary.pages).toBe(2);

    const checks = () =>
      env.db
        .prepare(
          'SELECT url, status, error, checked_at IS NOT NULL AS checked FROM external_urls WHERE job_id = ? ORDER BY url',
        )
        .all(job.id) as { url: string; status: number | null; error: string | null }[];
    expect(checks()).toEqual(
      [
        { url: `${other}/gone`, status: 404, error: null, checked: 1 },
        { url: `${other}/moved`, status: 301, error: null, checked: 1 },
        { url: `${other}/no-head`, status: 200, error: null, checked: 1 },
        { url: `${other}/ok`, status: 200, error: null, checked: 1 },
        { url: refused, status: null, error: expect.stringMatching(/ECONNREFUSED/), checked: 1 },
      ].sort((a, b) => (a.url < b.url ? -1 : 1)),
    );
    // HEAD only (GET where HEAD is refused), redirects not followed, nothing crawled further.
    expect(external.sort()).toEqual([
      'GET /no-head',
      'HEAD /gone',
      'HEAD /moved',
      'HEAD /no-head',
      'HEAD /ok',
    ]);

    // As if the job had stopped before checking /gone: a resume checks that one alone.
    env.db
      .prepare('UPDATE external_urls SET checked_at = NULL, status = NULL WHERE url = ?')
      .run(`${other}/gone`);
    external.length = 0;
    expect((await (await service.resume(job.id)).finished).status).toBe('finished');
    expect(external).toEqual(['HEAD /gone']);
    expect(checks().find((row) => row.url.endsWith('/gone'))?.status).toBe(404);
  });

  it('spaces the GET after a refused HEAD by --host-delay, as any other request to that host', async () => {
    const starts: number[] = [];
    const other = await listen((request, response) => {
      external.push(`${request.method} ${request.url}`);
      starts.push(Date.now());
      response.writeHead(request.method === 'HEAD' ? 405 : 200).end();
    });
    const job = await crawlLinking(other, ['/a', '/b', '/c'], { hostDelayMs: 300 });
    expect((await job.finished).status).toBe('finished');
    expect(external.toSorted()).toEqual([
      'GET /a',
      'GET /b',
      'GET /c',
      'HEAD /a',
      'HEAD /b',
      'HEAD /c',
    ]);
    // Less 100 ms of jitter on the wire, as in politeness.test.ts.
    expect(minGap(starts)).toBeGreaterThanOrEqual(200);
  });

  it('leaves a host that answers 429 alone for its Retry-After before checking more of its links', async () => {
    const starts: { path: string; at: number }[] = [];
    let busyAt = 0;
    const other = await listen((request, response) => {
      external.push(`${request.method} ${request.url}`);
      starts.push({ path: request.url!, at: Date.now() });
      if (starts.length > 1) return void response.writeHead(200).end();
      busyAt = Date.now();
      response.writeHead(429, { 'retry-after': '2' }).end();
    });
    const paths = ['/a', '/b', '/c', '/d', '/e', '/f'];
    const job = await crawlLinking(other, paths, { hostConcurrency: 1 });
    expect((await job.finished).status).toBe('finished');
    // One check each (a check is not retried), the first answered 429 …
    expect(external.toSorted()).toEqual(paths.map((path) => `HEAD ${path}`));
    // … and the next came once its wait was over, less 100 ms of jitter on the wire.
    expect(starts[1]!.at - busyAt).toBeGreaterThanOrEqual(1900);
    expect(env.logs).toContain(
      `info: ${other} answered HTTP 429: no new request to it for 2 s (Retry-After)`,
    );
  });

  it('records external links without checking them when the setting is off', async () => {
    const other = await listen((request, response) => {
      external.push(`${request.method} ${request.url}`);
      response.writeHead(200).end();
    });
    const site = await listen((request, response) => {
      if (request.url === '/robots.txt') return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<a href="${other}/x">x</a>`);
    });
    const job = await env.service().start({ startUrls: [`${site}/`], workers: 1 });
    await job.finished;
    expect(external).toEqual([]);
    const link = env.db.prepare('SELECT internal FROM links WHERE to_url = ?').get(`${other}/x`);
    expect(link).toEqual({ internal: 0 });
  });

  it('answers which external URLs are left to check after the batches and checks asked for before, in its open transaction or not', async () => {
    const { writer, write } = await externalLinksJob(1);
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((path) => `http://127.0.0.1:8/${path}`);
    try {
      // Asked for at once, as the checker may while a batch is on its way: the writer
      // answers in the order asked, from its open transaction.
      const written = write([c!, a!, d!, b!]);
      const checked = writer.recordCheck(b!, 200, null, Date.now());
      const unchecked = writer.uncheckedExternal('', 10);
      const afterA = writer.uncheckedExternal(a!, 1);
      await written;
      await checked;
      expect(await unchecked).toEqual([a, c, d]);
      expect(await afterA).toEqual([c]);
    } finally {
      await writer.close();
    }
    // All four recorded, b with its check (committed as the writer closed).
    expect(env.db.prepare('SELECT url, status FROM external_urls ORDER BY url').all()).toEqual([
      { url: a, status: null },
      { url: b, status: 200 },
      { url: c, status: null },
      { url: d, status: null },
    ]);
  });

  it('reads the URLs to check through the job writer a batch at a time, one read at once, and a stop waits for a read in flight', async () => {
    const other = await listen((request, response) => {
      external.push(`${request.method} ${request.url}`);
      response.writeHead(204).end();
    });
    const { settings, writer, write } = await externalLinksJob(2);
    const paths = Array.from({ length: 450 }, (_, i) => `/${String(i).padStart(3, '0')}`);
    const reads: string[] = [];
    let reading = 0;
    let mostAtOnce = 0;
    let gate = Promise.resolve();
    let idle = () => {};
    const checker = new ExternalChecker({
      unchecked: async (after, limit) => {
        reads.push(after);
        mostAtOnce = Math.max(mostAtOnce, ++reading);
        try {
          await gate;
          return await writer.uncheckedExternal(after, limit);
        } finally {
          reading--;
        }
      },
      record: (...check) => writer.recordCheck(...check),
      limits: new HostLimits({ hostConcurrency: 4, hostDelayMs: 0, maxRequestsPerSecond: null }),
      fetch: createMainFetch(settings),
      timeoutMs: 10_000,
      retry: { retries: 0, baseDelayMs: 500, maxDelayMs: 30_000 },
      onHostWait: () => undefined,
      logger: () => undefined,
      onIdle: () => idle(),
      onError: (error) => {
        throw error;
      },
    });
    try {
      await write(paths.map((path) => other + path));
      await new Promise<void>((resolve) => {
        idle = resolve;
        checker.notify();
        // Nothing is known to be left until the first read answers.
        expect(checker.idle).toBe(false);
      });
      expect(external.sort()).toEqual(paths.map((path) => `HEAD ${path}`));
      expect(checker.checked).toBe(450);
      // 200 at a time from where the last read ended, then one pass from the start.
      expect(reads).toEqual(['', `${other}/199`, `${other}/399`, `${other}/449`, '']);
      expect(mostAtOnce).toBe(1);

      // A new link, and a stop while the read that finds it waits.
      await write([`${other}/late`]);
      let open = () => {};
      gate = new Promise((resolve) => (open = resolve));
      checker.notify();
      checker.notify();
      checker.pump();
      expect(reading).toBe(1);
      expect(checker.idle).toBe(false);
      let stopped = false;
      const stopping = checker.stop().then(() => (stopped = true));
      await tick();
      expect(stopped).toBe(false);
      open();
      await stopping;
      expect(reading).toBe(0);
      await tick();
      expect(external).toHaveLength(450);
    } finally {
      await writer.close();
    }
  });
});
