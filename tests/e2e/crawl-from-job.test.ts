import { writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { openChromium, STEP_MS } from '../helpers/chromium';
import { runCli } from '../helpers/cli';
import { listenLocal, type LocalServer } from '../helpers/local-server';
import { servePerFile } from '../helpers/serve';

/**
 * "New crawl from these settings" in Chromium against `trawl serve`: a job
 * crawled by `trawl crawl` (with settings the form does not show, from a job
 * file) fills the New crawl form; one setting changed, the new job crawls
 * with it and keeps the others, and the old job is left as it was.
 */

const env = servePerFile();
let site: LocalServer;
let browser: Browser;
let page: Page;

const LINKS: Record<string, string[]> = {
  '/': ['/a', '/skip'],
  '/a': ['/deep'],
  '/skip': [],
  '/deep': [],
};

beforeAll(async () => {
  site = await listenLocal((request, response) => {
    const links = LINKS[request.url ?? ''];
    if (links === undefined) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(
      `<h1>Page ${request.url}</h1>` + links.map((href) => `<a href="${href}">x</a>`).join(''),
    );
  });
  ({ browser, page } = await openChromium({ viewport: { width: 1400, height: 1000 } }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('New crawl from these settings in Chromium', { timeout: 240_000 }, () => {
  it('fills the form from the job, starts a new job with a changed setting, and keeps the old one', async () => {
    const dbFile = env.temp.file('serve.sqlite');
    const config = env.temp.file('job.json');
    writeFileSync(config, JSON.stringify({ retries: 4, maxRedirects: 5 }));
    const first = await runCli([
      'crawl',
      `${site.origin}/`,
      '--db',
      dbFile,
      '--config',
      config,
      '--workers',
      '1',
      '--max-depth',
      '1',
      '--exclude',
      '/skip',
      '--extract',
      'heading=css:h1',
      '--json',
    ]);
    expect(first.code, first.stderr).toBe(0);

    await page.goto(`${env.serve.url}#/jobs`);
    await page.getByRole('button', { name: 'New crawl from the settings of job 1' }).click();
    const form = page.getByRole('form', { name: 'New crawl' });
    await expect
      .poll(() => form.getByLabel('Start URLs').inputValue(), { timeout: STEP_MS })
      .toBe(`${site.origin}/`);
    expect(await form.getByLabel('Max depth').inputValue()).toBe('1');
    expect(await form.getByLabel('Exclude patterns').inputValue()).toBe('/skip');
    expect(await form.getByLabel('Extraction rules').inputValue()).toBe('heading=css:h1');
    expect(await form.getByLabel('Worker processes').inputValue()).toBe('1');
    const host = new URL(site.origin).host;
    expect(await form.getByLabel('Job name').inputValue()).toBe(`${host} (2)`);
    expect(await form.getByRole('status').innerText()).toContain(
      'Kept from job 1, not shown in this form: maxRedirects: 5, retries: 4.',
    );
    await page.screenshot({ path: 'test-artifacts/e2e/crawl-from-job.png', fullPage: true });

    await form.getByLabel('Max depth').fill('2');
    await form.getByRole('button', { name: 'Start crawl' }).click();
    await expect
      .poll(() => page.getByTestId('job-status').innerText(), { timeout: STEP_MS })
      .toBe('finished');

    const db = openDatabase(dbFile, { mustExist: true });
    try {
      const job = (id: number) => {
        const row = db.prepare('SELECT name, settings FROM jobs WHERE id = ?').get(id) as {
          name: string;
          settings: string;
        };
        const urls = db
          .prepare('SELECT url FROM pages WHERE job_id = ? ORDER BY url')
          .pluck()
          .all(id) as string[];
        return { name: row.name, settings: JSON.parse(row.settings), urls };
      };
      const old = job(1);
      const next = job(2);
      expect(old.settings).toMatchObject({ maxDepth: 1, retries: 4, maxRedirects: 5 });
      expect(old.urls).toEqual([`${site.origin}/`, `${site.origin}/a`]);
      expect(next.name).toBe(`${host} (2)`);
      expect(next.settings).toMatchObject({
        maxDepth: 2,
        exclude: ['/skip'],
        extract: [{ name: 'heading', kind: 'css', expression: 'h1' }],
        retries: 4,
        maxRedirects: 5,
        workers: 1,
      });
      expect(next.urls).toEqual([`${site.origin}/`, `${site.origin}/a`, `${site.origin}/deep`]);
      const headings = db
        .prepare(
          `SELECT value FROM extractions JOIN pages ON pages.id = extractions.page_id
           WHERE pages.job_id = 2 ORDER BY value`,
        )
        .pluck()
        .all();
      expect(headings).toEqual(['Page /', 'Page /a', 'Page /deep']);
    } finally {
      db.close();
    }
  });
});
