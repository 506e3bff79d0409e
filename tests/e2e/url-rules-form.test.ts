import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { openChromium, STEP_MS } from '../helpers/chromium';
import { listenLocal, type LocalServer } from '../helpers/local-server';
import { servePerFile } from '../helpers/serve';

/**
 * The New crawl form's URL rules in Chromium against `trawl serve`: a site
 * that hands every visit a new session id in its links is crawled to its
 * three pages, stored without the ids.
 */

const env = servePerFile();
let site: LocalServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  let session = 0;
  site = await listenLocal((request, response) => {
    if (request.url === '/robots.txt') return void response.writeHead(404).end();
    const id = `S${++session}`;
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(
      [`/a;jsessionid=${id}`, `/b?sid=${id}`, `/b?utm_source=feed&sid=${id}`]
        .map((href) => `<a href="${href}">link</a>`)
        .join(''),
    );
  });
  ({ browser, page } = await openChromium({ viewport: { width: 1400, height: 1000 } }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('URL rules from the New crawl form in Chromium', { timeout: 180_000 }, () => {
  it('strips session ids and tracking parameters from the links it stores', async () => {
    await page.goto(`${env.serve.url}#/new`);
    await page.getByLabel('Start URLs').fill(`${site.origin}/`);
    await page.getByLabel('Worker processes').fill('1');
    // A page limit the session ids would reach: the crawl stops short of it.
    await page.getByLabel('Max pages').fill('20');
    await page.getByLabel('Strip parameters').fill('JSESSIONID\nsid');
    await page.getByLabel(/^Strip tracking parameters/).check();
    await page.getByRole('button', { name: 'Start crawl' }).click();
    await expect
      .poll(() => page.getByTestId('job-status').innerText(), { timeout: STEP_MS })
      .toBe('finished');

    const db = openDatabase(env.temp.file('serve.sqlite'), { mustExist: true });
    try {
      const urls = db.prepare('SELECT url FROM pages ORDER BY url').pluck().all();
      expect(urls).toEqual([`${site.origin}/`, `${site.origin}/a`, `${site.origin}/b`]);
    } finally {
      db.close();
    }
  });
});
