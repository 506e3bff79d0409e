import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { openChromium, STEP_MS } from '../helpers/chromium';
import { runCli } from '../helpers/cli';
import { startFixtureSite, type FixtureSite } from '../helpers/fixture-site';
import { servePerFile } from '../helpers/serve';

/** A job action clicked twice before the host answers, in Chromium against trawl serve. */

const env = servePerFile();
let site: FixtureSite;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  site = await startFixtureSite({ pages: 10 });
  const crawl = await runCli(['crawl', `${site.origin}/`, '--db', env.temp.file('serve.sqlite')]);
  expect(crawl.code).toBe(0);
  ({ browser, page } = await openChromium({ viewport: { width: 1400, height: 1000 } }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

const jobIds = () => {
  const db = openDatabase(env.temp.file('serve.sqlite'), { mustExist: true });
  try {
    return db.prepare('SELECT id FROM jobs ORDER BY id').pluck().all();
  } finally {
    db.close();
  }
};

describe('a job action clicked twice', { timeout: 180_000 }, () => {
  it('runs once: a double click on Run again started two crawls', async () => {
    await page.goto(`${env.serve.url}#/jobs`);
    await page.getByRole('button', { name: 'Run job 1 again with the same settings' }).dblclick();
    await page.getByRole('heading', { name: /^Job 2: / }).waitFor();
    await expect
      .poll(() => page.getByTestId('job-status').innerText(), { timeout: STEP_MS })
      .toBe('finished');
    expect(jobIds()).toEqual([1, 2]);
  });
});
