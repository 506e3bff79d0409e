import { writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChromium, STEP_MS } from '../helpers/chromium';
import { runCli } from '../helpers/cli';
import { startFixtureSite, type FixtureSite } from '../helpers/fixture-site';
import { servePerFile } from '../helpers/serve';

/**
 * The New crawl form in Chromium against `trawl serve` keeps what was typed
 * across a reload and back/forward, until the crawl starts.
 */

const env = servePerFile();
let site: FixtureSite;
let browser: Browser;
let page: Page;
/** 6.4 million characters of URLs on the site: more than Chromium keeps for a tab (5 million). */
let longList: string;

beforeAll(async () => {
  site = await startFixtureSite({ pages: 5 });
  longList = Array.from(
    { length: 200_000 },
    (_, i) => `${site.origin}/p/${String(i).padStart(6, '0')}`,
  ).join('\n');
  ({ browser, page } = await openChromium({ viewport: { width: 1400, height: 1000 } }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

const STEP = { timeout: STEP_MS };
const LABELS = ['Start URLs', 'Include patterns', 'Extraction rules', 'Worker processes'];
const fields = () => Promise.all(LABELS.map((label) => page.getByLabel(label).inputValue()));
const reload = async () => {
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.getByRole('heading', { name: 'New crawl' }).waitFor({ timeout: STEP_MS });
};

describe('the New crawl form across a reload in Chromium', { timeout: 180_000 }, () => {
  it('finds every field as typed after a reload and Back, and empty once the crawl started', async () => {
    await page.goto(`${env.serve.url}#/new`);
    await page.getByRole('heading', { name: 'New crawl' }).waitFor({ timeout: STEP_MS });
    const defaults = await fields();
    const typed = [`${site.origin}/`, '/p/', 'heading=css:h1', '1'];
    for (const [index, label] of LABELS.entries()) await page.getByLabel(label).fill(typed[index]!);

    await reload();
    expect(await fields()).toEqual(typed);

    await page.getByRole('button', { name: 'Jobs', exact: true }).click();
    await page.getByRole('heading', { name: 'New crawl' }).waitFor({ state: 'detached' });
    await page.goBack();
    await page.getByRole('heading', { name: 'New crawl' }).waitFor();
    expect(await fields()).toEqual(typed);

    await page.getByRole('button', { name: 'Start crawl' }).click();
    await page.getByRole('heading', { name: /^Job 1: / }).waitFor({ timeout: STEP_MS });
    await page.goBack();
    await page.getByRole('heading', { name: 'New crawl' }).waitFor();
    expect(await fields()).toEqual(defaults);
    await reload();
    expect(await fields()).toEqual(defaults);
  });

  it("keeps the other fields of a list longer than the tab's storage takes, and says so", async () => {
    await page
      .getByLabel('Import URL list…')
      .setInputFiles({ name: 'urls.txt', mimeType: 'text/plain', buffer: Buffer.from(longList) });
    await page.getByLabel('Include patterns').fill('/p/');
    await page.getByText(/This list is too long to keep if the page reloads/).waitFor();

    await reload();
    await page
      .getByText('The 200,000 start URLs you had were too many to keep across the reload')
      .waitFor();
    expect(await fields()).toEqual(['', '/p/', '', '2']);
  });

  it("reads a job's list longer than the tab's storage takes from the job again after a reload", async () => {
    const listFile = env.temp.file('urls.txt');
    writeFileSync(listFile, longList);
    const dbFile = env.temp.file('serve.sqlite');
    const args = ['--list', listFile, '--max-pages', '1', '--workers', '1', '--db', dbFile];
    const crawl = await runCli(['crawl', ...args]);
    expect(crawl.code, crawl.stderr).toBe(0);

    await page.goto(`${env.serve.origin}/#/jobs`);
    await page.getByRole('button', { name: 'New crawl from the settings of job 2' }).click();
    await page.getByText(/This list is too long for the tab to keep; a reload reads it/).waitFor();
    await page.getByLabel('Exclude patterns').fill('/p/0001');

    await reload();
    const urls = page.getByLabel('Start URLs');
    await expect.poll(async () => (await urls.inputValue()) === longList, STEP).toBe(true);
    expect(await page.getByLabel('Exclude patterns').inputValue()).toBe('/p/0001');
    await page.getByText(/^Filled from the settings of job 2/).waitFor();
  });
});
