import { describe, expect, it } from 'vitest';
import { prepareStartUrls } from '../../electron/engine/start-urls';
import { JobStore } from '../../electron/engine/store/job-store';
import { jobSettingsSchema, storedJobSettingsSchema } from '../../shared/job-settings';
import { engineEnv } from './engine-env';

const env = engineEnv();

/** setImmediate turns the event loop takes until `work` settles. */
async function loopTurnsDuring<T>(work: () => Promise<T>): Promise<{ turns: number; value: T }> {
  let turns = 0;
  let counting = true;
  const count = () => {
    if (!counting) return;
    turns++;
    setImmediate(count);
  };
  setImmediate(count);
  try {
    return { value: await work(), turns };
  } finally {
    counting = false;
  }
}

describe('start URLs', () => {
  it('are put in canonical form with the job rules, and reduced to the roots of the scope', async () => {
    const settings = storedJobSettingsSchema.parse({
      stripTrackingParams: true,
      sortQueryParams: true,
      workers: 1,
    });
    const prepared = await prepareStartUrls(
      [
        'HTTP://A.example:80/x#top',
        'http://a.example/y?',
        'https://b.example/?utm_source=mail&b=2&a=1',
        'https://b.example/z',
        // The same pages again, written otherwise: kept once.
        'http://a.example/x#bottom',
        'https://b.example/?a=1&b=2&utm_medium=x',
      ],
      settings,
    );
    expect(prepared).toEqual({
      startUrls: [
        'http://a.example/x',
        'http://a.example/y',
        'https://b.example/?a=1&b=2',
        'https://b.example/z',
      ],
      scopeRoots: ['http://a.example/x', 'https://b.example/?a=1&b=2'],
      problem: null,
    });
  });

  it('that are bad are named by position, the first three and how many more, and no job is stored', async () => {
    const service = env.service();
    await expect(
      service.start({
        startUrls: [
          'http://127.0.0.1:9/',
          'ftp://127.0.0.1/',
          'nope',
          'http://127.0.0.1:9/ok',
          'mailto:someone@example.com',
          'javascript:alert(1)',
        ],
      }),
    ).rejects.toThrow(
      'invalid job settings: startUrls.1: "ftp://127.0.0.1/" is not an absolute http(s) URL; ' +
        'startUrls.2: "nope" is not an absolute http(s) URL; ' +
        'startUrls.4: "mailto:someone@example.com" is not an absolute http(s) URL (and 1 more)',
    );
    // Percent-encoding makes this one longer than a URL may be (1,010 characters given).
    const long = `http://127.0.0.1:9/${'é'.repeat(990)}`;
    await expect(service.start({ startUrls: [long] })).rejects.toThrow(
      'invalid job settings: startUrls.0: URL longer than 2048 characters once percent-encoded',
    );
    await expect(service.start({ startUrls: [] })).rejects.toThrow(
      'invalid job settings: startUrls: at least one start URL is required',
    );
    expect(new JobStore(env.db).list()).toEqual([]);
  });

  it('of a long list are checked while the event loop keeps turning, then seeded and crawled', async () => {
    const site = await env.site({ pages: 20 });
    const list = Array.from({ length: 200_000 }, (_, i) => `${site.origin}/p/${i % 20}?copy=${i}`);
    const { turns, value: job } = await loopTurnsDuring(() =>
      env.service().start({ startUrls: list, mode: 'list', workers: 1, maxPages: 5 }),
    );
    // Checked in one synchronous pass, the loop took no turn until the whole list was done.
    expect(turns).toBeGreaterThanOrEqual(5);
    const summary = await job.finished;
    expect(summary.pages + summary.failed).toBe(5);
    expect(new JobStore(env.db).get(job.id).startUrlCount).toBe(list.length);
    // The writer thread seeded every start URL from the job's stored list.
    const seeded = env.db
      .prepare('SELECT count(*) FROM frontier WHERE job_id = ? AND depth = 0')
      .pluck()
      .get(job.id);
    expect(seeded).toBe(list.length);
  });

  it('of a resumed job are checked again: a list edited into a bad one is refused', async () => {
    const jobs = new JobStore(env.db);
    const { id } = jobs.create(
      jobSettingsSchema.parse({ startUrls: ['http://127.0.0.1:9/'], workers: 1 }),
    );
    env.db
      .prepare('UPDATE job_start_urls SET urls = ? WHERE job_id = ?')
      .run('http://127.0.0.1:9/\nnot a url', id);
    await expect(env.service().resume(id)).rejects.toThrow(
      `job ${id} has unreadable settings: startUrls.1: "not a url" is not an absolute http(s) URL`,
    );
    expect(jobs.get(id).status).toBe('queued');
  });

  it('of a job resumed twice at once start one crawl: the second resume is refused', async () => {
    const site = await env.site({ pages: 5 });
    const jobs = new JobStore(env.db);
    const { id } = jobs.create(
      jobSettingsSchema.parse({ startUrls: [`${site.origin}/`], workers: 1 }),
    );
    const service = env.service();
    const [first, second] = await Promise.allSettled([service.resume(id), service.resume(id)]);
    expect(second).toMatchObject({
      status: 'rejected',
      reason: { message: `job ${id} is already running` },
    });
    if (first.status !== 'fulfilled') throw first.reason;
    expect((await first.value.finished).status).toBe('finished');
    expect(env.storedUrls(id)).toEqual([...site.reachable].sort());
  });
});
