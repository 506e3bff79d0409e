import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureSite, type FixtureSite } from '../helpers/fixture-site';
import { waitFor } from '../helpers/processes';
import { servePerFile } from '../helpers/serve';

/**
 * Reload and back/forward in Chromium against `trawl serve`: the address
 * names the screen, so F5 shows the same one (it used to show the start
 * screen) and the token never comes back into the address.
 */

const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'e2e');
const CHROMIUM = process.env.TRAWL_CHROMIUM ?? '/usr/bin/chromium';
/** Generous for a busy 2-core machine: never a timing assertion. */
const STEP_MS = 30_000;

const env = servePerFile();
let site: FixtureSite;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // Slow answers keep the crawl running while the page reloads.
  site = await startFixtureSite({ pages: 40, delayMs: 200 });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(STEP_MS);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** The address now: the origin, then only the fragment, never the token. */
function address(): string {
  const url = page.url();
  expect(url).not.toContain(env.serve.token);
  return url.slice(env.serve.origin.length);
}

const status = () => page.getByTestId('job-status').innerText();
const pagesDone = async () =>
  Number((await page.getByTestId('counter-pages-done').innerText()).replace(/,/g, ''));
const rows = () => page.getByTestId('result-row');
const foot = () => page.locator('.table-foot').innerText();
const allRows = () => `${site.reachable.length} of ${site.reachable.length} rows loaded`;
const reload = () => page.reload({ waitUntil: 'domcontentloaded' });

describe('reload and back/forward in Chromium against trawl serve', { timeout: 180_000 }, () => {
  it('keeps the dashboard of a running job across a reload, live', async () => {
    // The printed URL with a screen after it: the token is traded, the screen kept.
    await page.goto(`${env.serve.url}#/new`);
    await page.getByRole('heading', { name: 'New crawl' }).waitFor();
    expect(address()).toBe('/#/new');
    await page.getByLabel('Start URLs').fill(`${site.origin}/`);
    await page.getByLabel('Worker processes').fill('1');
    await page.getByLabel('Requests in flight per worker').fill('2');
    await page.getByRole('button', { name: 'Start crawl' }).click();
    await expect.poll(status, { timeout: STEP_MS }).toBe('running');
    expect(address()).toBe('/#/jobs/1/dashboard');

    await reload();
    await page.getByRole('heading', { name: /^Job 1: / }).waitFor();
    expect(address()).toBe('/#/jobs/1/dashboard');
    const before = await waitFor(
      async () => ((await status()) === 'running' ? await pagesDone() : false),
      'the live figures after the reload',
      STEP_MS,
    );
    await waitFor(async () => (await pagesDone()) > before, 'the counter to rise', STEP_MS);
    await expect.poll(status, { timeout: 120_000 }).toBe('finished');
  });

  it('keeps the results, their filters and report across a reload', async () => {
    await page.getByRole('button', { name: 'Results', exact: true }).click();
    await expect.poll(foot).toBe(allRows());
    await page.getByRole('checkbox', { name: '4xx' }).check();
    await expect.poll(() => rows().allInnerTexts()).toEqual([expect.stringContaining('/missing')]);
    expect(address()).toBe('/#/jobs/1/results?status=4xx');

    await reload();
    await expect.poll(() => rows().allInnerTexts()).toEqual([expect.stringContaining('/missing')]);
    expect(await page.getByRole('checkbox', { name: '4xx' }).isChecked()).toBe(true);

    await page.getByLabel('View').selectOption('broken-links');
    await page.getByRole('region', { name: 'Broken links' }).waitFor();
    await reload();
    await page.getByRole('region', { name: 'Broken links' }).waitFor();
    expect(await page.getByLabel('View').inputValue()).toBe('broken-links');
    expect(address()).toBe('/#/jobs/1/results/broken-links?status=4xx');
  });

  it('walks back and forward through screens and filters', async () => {
    await page.goBack();
    await expect.poll(() => rows().allInnerTexts()).toEqual([expect.stringContaining('/missing')]);
    await page.goBack();
    await expect.poll(foot).toBe(allRows());
    expect(address()).toBe('/#/jobs/1/results');
    await page.goBack();
    await page.getByRole('heading', { name: /^Job 1: / }).waitFor();
    expect(address()).toBe('/#/jobs/1/dashboard');
    await page.goForward();
    await expect.poll(foot).toBe(allRows());
    expect(await page.getByRole('checkbox', { name: '4xx' }).isChecked()).toBe(false);
  });

  it('says so when the address names a job that does not exist, with a way back', async () => {
    await page.goto(`${env.serve.origin}/#/jobs/99/results`);
    await page.getByText('There is no job 99: it was deleted, or the address is wrong.').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'missing-job.png') });
    await page.getByRole('button', { name: 'Go to the jobs list' }).click();
    await page.getByRole('button', { name: 'Results of job 1' }).waitFor();
    expect(address()).toBe('/#/jobs');
  });
});
