import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChromium, STEP_MS } from '../helpers/chromium';
import { startFixtureSite, type FixtureSite } from '../helpers/fixture-site';
import { waitFor } from '../helpers/processes';
import { servePerFile } from '../helpers/serve';

/**
 * Reload and back/forward in Chromium against `trawl serve`: the address
 * names the screen, so F5 shows the same one (it used to show the start
 * screen) and the token never comes back into the address.
 */

const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'e2e');

const env = servePerFile();
let site: FixtureSite;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // Slow answers keep the crawl running while the page reloads.
  site = await startFixtureSite({ pages: 40, delayMs: 200 });
  ({ browser, page } = await openChromium({
    acceptDownloads: true,
    viewport: { width: 1400, height: 1000 },
  }));
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

  it("shows a finished job's stored figures after a reload, as the live view ended", async () => {
    const names = ['pages-done', 'failed', 'blocked', 'elapsed', 'rate'];
    const figures = () =>
      Promise.all(names.map((name) => page.getByTestId(`counter-${name}`).innerText()));
    const live = await figures();
    await reload();
    await page.getByText('This job is not running: these are the figures it stored.').waitFor();
    expect(await figures()).toEqual(live);
    expect(await page.getByTestId('counter-workers').innerText()).toBe('1');
    expect(await page.getByRole('figure').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'finished-dashboard.png') });
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

  it("keeps the table's sort, columns and page detail across a reload, and exports that view", async () => {
    await page.goto(`${env.serve.origin}/#/jobs/1/results`);
    await expect.poll(foot).toBe(allRows());
    await page.getByRole('button', { name: 'Title', exact: true }).click();
    await page.getByRole('button', { name: 'Title ▲' }).click();
    await page.getByText(/^Columns \(/).click();
    await page.getByRole('checkbox', { name: 'Kind' }).uncheck();
    await page.getByRole('checkbox', { name: 'Content type' }).uncheck();
    await page.getByText(/^Columns \(/).click();
    const shownUrls = () =>
      rows().evaluateAll((elements) =>
        elements.map((element) => element.firstElementChild!.textContent),
      );
    await expect.poll(foot).toBe(allRows());
    const sorted = await shownUrls();
    expect(sorted).not.toEqual([...sorted].sort());
    await rows().first().click();
    await page.getByRole('dialog', { name: sorted[0]! }).waitFor();
    const cols = 'url,status,depth,bytes,responseMs,title,indexable';
    expect(address()).toBe(`/#/jobs/1/results?sort=-title&cols=${cols}&page=${sorted[0]}`);

    await reload();
    const detail = page.getByRole('dialog', { name: sorted[0]! });
    await detail.waitFor();
    await expect.poll(foot).toBe(allRows());
    expect(await shownUrls()).toEqual(sorted);
    const headers = await page
      .getByRole('table', { name: 'Crawled URLs' })
      .getByRole('columnheader')
      .allInnerTexts();
    expect(headers.map((text) => text.trim())).toEqual([
      'URL',
      'Status',
      'Depth',
      'Size',
      'Response (ms)',
      'Title ▼',
      'Indexable',
    ]);
    await detail.getByRole('button', { name: 'Close page detail' }).click();
    expect(address()).toBe(`/#/jobs/1/results?sort=-title&cols=${cols}`);

    // "Current view": the table's rows in its order, its columns in theirs, and no others.
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export job 1' });
    await dialog.getByLabel('Format').selectOption('csv');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    const [header, ...records] = readFileSync((await download.path())!, 'utf8')
      .trimEnd()
      .split('\r\n')
      .map((line) => line.split(','));
    expect(header).toEqual(cols.split(','));
    // The table puts only the rows in view (and a few more) on the page: those come first.
    expect(records).toHaveLength(site.reachable.length);
    expect(records.map((record) => record[0]).slice(0, sorted.length)).toEqual(sorted);
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('links each job to its screens: a new tab opens them, a plain click shows them in place', async () => {
    await page.goto(`${env.serve.origin}/#/jobs`);
    const link = page.getByRole('link', { name: 'Dashboard of job 1' });
    expect(await link.getAttribute('href')).toBe('#/jobs/1/dashboard');
    expect(await page.getByRole('link', { name: 'Results of job 1' }).getAttribute('href')).toBe(
      '#/jobs/1/results',
    );
    const [tab] = await Promise.all([
      page.context().waitForEvent('page'),
      link.click({ modifiers: ['ControlOrMeta'] }),
    ]);
    await tab.getByRole('heading', { name: /^Job 1: / }).waitFor();
    expect(tab.url()).toBe(`${env.serve.origin}/#/jobs/1/dashboard`);
    await tab.close();
    expect(address()).toBe('/#/jobs');
    await link.click();
    await page.getByRole('heading', { name: /^Job 1: / }).waitFor();
    expect(address()).toBe('/#/jobs/1/dashboard');
  });

  it('says what is wrong with a refused name, and a blank one gives back the default', async () => {
    await page.goto(`${env.serve.origin}/#/jobs`);
    const rename = page.getByRole('button', { name: 'Rename job 1' });
    const name = () =>
      page.getByTestId('job-row').filter({ has: rename }).locator('td').first().innerText();
    page.once('dialog', (dialog) => void dialog.accept('W'.repeat(201)));
    await rename.click();
    await expect
      .poll(() => page.getByRole('alert').innerText())
      .toBe('Could not rename job 1: a job name has at most 200 characters');
    page.once('dialog', (dialog) => void dialog.accept('Before launch'));
    await rename.click();
    await expect.poll(name).toMatch(/^Before launch/);
    page.once('dialog', (dialog) => void dialog.accept('   '));
    await rename.click();
    await expect.poll(name).toMatch(new RegExp(`^${new URL(site.origin).host}`));
  });

  it('says so when the address names a job that does not exist, with a way back', async () => {
    await page.goto(`${env.serve.origin}/#/jobs/99/results`);
    await page.getByText('There is no job 99: it was deleted, or the address is wrong.').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'missing-job.png') });
    await page.getByRole('button', { name: 'Go to the jobs list' }).click();
    await page.getByRole('link', { name: 'Results of job 1' }).waitFor();
    expect(address()).toBe('/#/jobs');
  });
});
