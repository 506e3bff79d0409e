import { beforeEach, describe, expect, it } from 'vitest';
import { iteratePages } from '../../electron/engine/store/page-reader';
import { parseRetryAfter, retryDelay } from '../../shared/retry-policy';
import { waitFor } from '../helpers/processes';
import { engineEnv } from './engine-env';

const env = engineEnv();
let origin: string;
const hits = new Map<string, number[]>();

beforeEach(async () => {
  hits.clear();
  // /flaky fails twice with 503, /busy asks once to come back in 1 s, /down always fails.
  origin = await env.listen((request, response) => {
    const path = request.url ?? '/';
    const times = [...(hits.get(path) ?? []), Date.now()];
    hits.set(path, times);
    const ok = () => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<title>${path} ok</title>`);
    };
    if (path === '/flaky' && times.length <= 2) return void response.writeHead(503).end();
    if (path === '/busy' && times.length === 1)
      return void response.writeHead(429, { 'retry-after': '1' }).end();
    if (path === '/down') return void response.writeHead(500).end();
    if (path === '/reset') return void request.socket.destroy();
    if (path === '/later' && times.length === 1)
      return void response.writeHead(429, { 'retry-after': '30' }).end();
    ok();
  });
});

describe('retries', () => {
  it('retries 5xx, 429 (after Retry-After) and dropped connections, and stores each attempt', async () => {
    const job = await env.service().start({
      startUrls: ['/flaky', '/busy', '/down', '/reset', '/fine'].map((path) => origin + path),
      mode: 'list',
      workers: 1,
      retries: 2,
      retryBaseDelayMs: 20,
    });
    const summary = await job.finished;
    expect(summary).toMatchObject({ pages: 4, failed: 1 });

    const pages = new Map(
      [...iteratePages(env.db, job.id)].map((page) => [new URL(page.url).pathname, page]),
    );
    expect(pages.get('/flaky')).toMatchObject({
      status: 200,
      attempts: 3,
      retryReasons: ['HTTP 503', 'HTTP 503'],
    });
    expect(pages.get('/busy')).toMatchObject({
      status: 200,
      attempts: 2,
      retryReasons: ['HTTP 429'],
    });
    expect(pages.get('/down')).toMatchObject({
      status: 500,
      attempts: 3,
      retryReasons: ['HTTP 500', 'HTTP 500'],
    });
    expect(pages.get('/fine')).toMatchObject({ status: 200, attempts: 1, retryReasons: [] });
    // Retry-After: 1 was honoured.
    const busy = hits.get('/busy')!;
    expect(busy[1]! - busy[0]!).toBeGreaterThanOrEqual(950);

    const reset = env.db.prepare("SELECT error FROM frontier WHERE url LIKE '%/reset'").get() as {
      error: string;
    };
    expect(reset.error).toMatch(/ECONNRESET.*\(after 3 attempts: .*ECONNRESET.*ECONNRESET/);
    expect(hits.get('/reset')).toHaveLength(3);
  });

  it('stops without waiting out a retry delay: the URL goes back to the queue, and resumes', async () => {
    const service = env.service();
    const job = await service.start({
      startUrls: [`${origin}/later`],
      mode: 'list',
      workers: 1,
      maxRetryDelayMs: 30_000,
    });
    await waitFor(() => hits.has('/later'), 'the first answer (429, Retry-After: 30)');
    // A stop waited the 30 s out, then fetched the URL again.
    const stopped = await (async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      void job.stop();
      return job.finished;
    })();
    expect(stopped).toMatchObject({ status: 'stopped', pages: 0, failed: 0 });
    expect(hits.get('/later')).toHaveLength(1);
    const row = env.db
      .prepare('SELECT state, worker_deaths AS deaths FROM frontier WHERE job_id = ?')
      .get(job.id);
    expect(row).toEqual({ state: 0, deaths: 0 }); // queued, and no worker blamed

    const resumed = await (await service.resume(job.id)).finished;
    expect(resumed).toMatchObject({ status: 'finished', pages: 1 });
    expect(hits.get('/later')).toHaveLength(2);
  });
});

describe('retryDelay', () => {
  const policy = { retries: 3, baseDelayMs: 100, maxDelayMs: 5000 };
  const half = () => 0.5; // no jitter

  it('backs off exponentially for transient failures while retries are left', () => {
    expect(retryDelay({ status: 503, retryAfter: null }, 1, policy, half)).toBe(100);
    expect(retryDelay({ status: 502, retryAfter: null }, 2, policy, half)).toBe(200);
    expect(
      retryDelay({ error: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }, 3, policy, half),
    ).toBe(400);
    expect(retryDelay({ status: 503, retryAfter: null }, 4, policy, half)).toBeNull();
  });

  it('does not retry what another attempt cannot fix', () => {
    expect(retryDelay({ status: 404, retryAfter: null }, 1, policy)).toBeNull();
    expect(retryDelay({ status: 200, retryAfter: null }, 1, policy)).toBeNull();
    expect(
      retryDelay({ error: Object.assign(new Error('x'), { code: 'ENOTFOUND' }) }, 1, policy),
    ).toBeNull();
    expect(retryDelay({ error: new Error('body larger than 10 bytes') }, 1, policy)).toBeNull();
  });

  it('honours Retry-After in seconds or as a date, capped', () => {
    expect(retryDelay({ status: 429, retryAfter: '2' }, 1, policy)).toBe(2000);
    expect(retryDelay({ status: 429, retryAfter: '3600' }, 1, policy)).toBe(5000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});
