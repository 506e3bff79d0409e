import { closeSync, openSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChildProcessLauncher } from '../../electron/engine/child-process-launcher';
import { CrawlService } from '../../electron/engine/crawl-service';
import { openDatabase, type Db } from '../../electron/engine/store/database';
import { canMount, mountTmpfs, tmpfsFolder } from '../helpers/tmpfs';
import { engineEnv } from './engine-env';

/** A crawl whose database sits on a file system that fills up (tmpfs.ts). */
const env = engineEnv();
const PAGES = 3000;

let mounted: ReturnType<typeof tmpfsFolder> | undefined;
let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
  mounted?.remove();
  mounted = undefined;
});

/** Page n links to the next 40 pages, each with a long anchor: rows pile up fast. */
function linkedPages(origin: string): (n: number) => string {
  return (n) => {
    const links = Array.from({ length: 40 }, (_, i) => n + 1 + i)
      .filter((k) => k < PAGES)
      .map((k) => `<a href="${origin}/p/${k}">page ${k} ${'of a listing '.repeat(8)}</a>`);
    return `<!doctype html><title>Page ${n}</title><h1>Page ${n}</h1>${links.join('')}`;
  };
}

describe.skipIf(!canMount)('a crawl whose disk fills up (needs mount rights)', () => {
  it('ends as failed saying the disk is full, keeps every stored page, and resumes exactly once there is room', async () => {
    let page: (n: number) => string = () => '';
    const origin = await env.listen((request, response) => {
      const index =
        request.url === '/' ? 0 : Number(/^\/p\/(\d+)$/.exec(request.url ?? '')?.[1] ?? -1);
      if (index < 0 || index >= PAGES) return response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'text/html' }).end(page(index));
    });
    page = linkedPages(origin);

    mounted = tmpfsFolder(2);
    db = openDatabase(join(mounted.dir, 'trawl.sqlite'));
    const service = new CrawlService({
      db,
      launcher: new ChildProcessLauncher(),
      logger: (level, message) => env.logs.push(`${level}: ${message}`),
    });

    const failed = await (await service.start({ startUrls: [`${origin}/`], workers: 2 })).finished;
    expect(failed.status).toBe('failed');
    expect(failed.error).toContain(`the disk holding ${db.name} is full`);
    expect(failed.error).toContain('free some space, then resume the job');
    expect(db.prepare('SELECT status FROM jobs WHERE id = ?').get(failed.jobId)).toEqual({
      status: 'failed',
    });
    // The room held for that last write is given back with the job.
    expect(readdirSync(mounted.dir).sort()).toEqual([
      'trawl.sqlite',
      'trawl.sqlite-shm',
      'trawl.sqlite-wal',
    ]);
    const stored = () =>
      (
        db!.prepare('SELECT url FROM pages WHERE job_id = ? ORDER BY url').all(failed.jobId) as {
          url: string;
        }[]
      ).map((row) => row.url);
    const storedWhenFull = stored();
    expect(storedWhenFull.length).toBeGreaterThan(0);
    expect(storedWhenFull.length).toBeLessThan(PAGES);
    // The summary counts what is stored, not batches the failed write took back with it.
    expect(failed.pages).toBe(storedWhenFull.length);

    // Room again: the same file, nothing committed lost, and the rest is crawled once.
    expect(mountTmpfs(mounted.dir, 256, true)).toBe(true);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const resumed = await (await service.resume(failed.jobId)).finished;
    expect(resumed.status).toBe('finished');
    const all = stored();
    expect(all).toEqual(expect.arrayContaining(storedWhenFull));
    expect(all).toEqual(
      [`${origin}/`, ...Array.from({ length: PAGES - 1 }, (_, k) => `${origin}/p/${k + 1}`)].sort(),
    );
  }, 120_000);

  it('says plainly what a new crawl on a full disk kept, and a job that stored nothing resumes', async () => {
    const origin = await env.listen((request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(request.url === '/' ? '<a href="/a">a</a>' : 'a');
    });
    const full = () => `the disk holding ${db!.name} is full (database or disk is full); `;
    // How much room is left decides what fits (nothing, the job's row, its start): each is said
    // as it is. (A crawl cut off after some pages is the test above.)
    const cases = ['no job', 'not started', 'nothing was crawled'];
    const seen = new Set<string>();
    for (let freeKb = 4; freeKb <= 64 && cases.some((c) => !seen.has(c)); freeKb += 4) {
      mounted = tmpfsFolder(1);
      db = openDatabase(join(mounted.dir, 'trawl.sqlite'));
      const service = new CrawlService({ db, launcher: new ChildProcessLauncher() });
      fillDisk(mounted.dir, freeKb);
      const started = await service
        .start({ startUrls: [`${origin}/`], workers: 1, ignoreRobots: true })
        .catch((error: Error) => error);
      const jobIds = db.prepare('SELECT id FROM jobs').pluck().all() as number[];
      let resumable: number | null = null;
      if (started instanceof Error && jobIds.length === 0) {
        seen.add('no job');
        expect(started.message).toBe(
          `${full()}no job was stored: free some space, then start the crawl again`,
        );
      } else if (started instanceof Error) {
        seen.add('not started');
        expect(started.message).toBe(
          `${full()}job ${jobIds[0]} could not start, nothing was crawled: free some space, then resume it`,
        );
        resumable = jobIds[0]!;
      } else {
        const summary = await started.finished;
        expect(summary.status).toBe('failed');
        const crawled = db
          .prepare('SELECT count(*) FROM frontier WHERE job_id = ? AND state > 1')
          .pluck()
          .get(summary.jobId) as number;
        const kept = crawled > 0 ? 'what was stored is kept' : 'nothing was crawled';
        seen.add(kept);
        expect(summary.error).toBe(`${full()}${kept}: free some space, then resume the job`);
        if (crawled === 0) resumable = summary.jobId;
      }
      if (resumable !== null) {
        // Room again: the job crawls from its start URLs.
        expect(mountTmpfs(mounted.dir, 64, true)).toBe(true);
        const resumed = await (await service.resume(resumable)).finished;
        expect(resumed).toMatchObject({ status: 'finished', pages: 2 });
      }
      db.close();
      db = undefined;
      mounted.remove();
      mounted = undefined;
    }
    expect(cases.filter((c) => !seen.has(c))).toEqual([]);
  }, 120_000);
});

/** Fills the file system at `dir` until about `freeKb` KB are left. */
function fillDisk(dir: string, freeKb: number): void {
  const spacer = join(dir, 'spacer');
  writeFileSync(spacer, Buffer.alloc(freeKb * 1024, 1));
  const filler = openSync(join(dir, 'filler'), 'w');
  const block = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(filler, block);
  } catch {
    // ENOSPC: full.
  } finally {
    closeSync(filler);
  }
  rmSync(spacer);
}
