import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { openChromium, STEP_MS } from '../helpers/chromium';
import { startFixtureSite, type FixtureSite } from '../helpers/fixture-site';
import { expectNoSurvivors, tagProcesses, waitFor } from '../helpers/processes';
import { startServe, type ServeProcess } from '../helpers/serve';
import { tempDir } from '../helpers/temp-db';

/** Screenshots land here for a person to look at (CI keeps the folder as an artifact). */
const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'e2e');

let site: FixtureSite;
let serve: ServeProcess;
let browser: Browser;
let page: Page;
let temp: ReturnType<typeof tempDir>;
let dbFile: string;
let tag: string;

beforeAll(async () => {
  tag = tagProcesses();
  temp = tempDir();
  dbFile = temp.file('e2e.sqlite');
  mkdirSync(ARTIFACTS, { recursive: true });
  // Slow answers keep the crawl going long enough to watch, resize and stop it.
  site = await startFixtureSite({ pages: 120, delayMs: 150 });
  serve = await startServe(['--db', dbFile]);
  ({ browser, page } = await openChromium({
    acceptDownloads: true,
    viewport: { width: 1400, height: 1000 },
  }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  const end = await serve?.stop();
  await site?.close();
  expect(end?.code).toBe(0);
  await expectNoSurvivors(tag, 10_000);
  temp.cleanup();
});

function readDb<T>(read: (db: ReturnType<typeof openDatabase>) => T): T {
  const db = openDatabase(dbFile, { mustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const jobStatus = () =>
  readDb(
    (db) => (db.prepare('SELECT status FROM jobs WHERE id = 1').get() as { status: string }).status,
  );
const storedUrls = (jobId = 1) =>
  readDb(
    (db) =>
      db
        .prepare('SELECT url FROM pages WHERE job_id = ? ORDER BY url')
        .pluck()
        .all(jobId) as string[],
  );

async function counter(name: string): Promise<number> {
  return Number((await page.getByTestId(`counter-${name}`).innerText()).replace(/,/g, ''));
}

async function workerRows(): Promise<string[]> {
  return page.getByTestId('worker-row').allInnerTexts();
}

describe('the UI in Chromium against trawl serve', { timeout: 180_000 }, () => {
  it('starts a crawl with 2 workers and shows it live', async () => {
    await page.goto(serve.url);
    // The token was traded for a cookie: the address bar shows only the screen.
    expect(page.url()).toBe(`${serve.origin}/#/jobs`);
    await page.getByRole('button', { name: 'New crawl' }).click();
    await page.getByLabel('Start URLs').fill(`${site.origin}/`);
    await page.getByLabel('Worker processes').fill('2');
    await page.getByLabel('Requests in flight per worker').fill('2');
    await page.getByLabel('Requests per host at once').fill('2');
    await page.getByRole('button', { name: 'Start crawl' }).click();

    await expect
      .poll(() => page.getByTestId('job-status').innerText(), { timeout: STEP_MS })
      .toBe('running');
    expect(await page.getByTestId('job-start').innerText()).toBe(`${site.origin}/`);
    const first = await waitFor(
      async () => {
        const done = await counter('pages-done');
        return done > 0 ? done : false;
      },
      'pages to be counted',
      STEP_MS,
    );
    await waitFor(
      async () => (await counter('pages-done')) > first,
      'the counter to rise',
      STEP_MS,
    );
    const rows = await waitFor(
      async () => {
        const texts = await workerRows();
        return texts.filter((text) => /running/.test(text)).length === 2 ? texts : false;
      },
      'two running workers',
      STEP_MS,
    );
    expect(rows.map((text) => text.split(/\s/)[0])).toEqual(['worker-1', 'worker-2']);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
  });

  it('shrinks the pool to 1 worker while running', async () => {
    await page.getByLabel('Workers', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Resize pool' }).click();
    await waitFor(async () => (await workerRows()).length === 1, 'one worker left', STEP_MS);
    expect(await page.getByTestId('job-status').innerText()).toBe('running');
  });

  it('stops gracefully, then resumes to completion', async () => {
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('job-status').innerText(), { timeout: STEP_MS })
      .toBe('stopped');
    expect(jobStatus()).toBe('stopped');
    expect(storedUrls().length).toBeLessThan(site.reachable.length);

    // Resume offers the size the pool was resized to, and takes another.
    const workers = page.getByLabel('Workers', { exact: true });
    await expect.poll(() => workers.inputValue(), { timeout: STEP_MS }).toBe('1');
    await workers.fill('2');
    await page.getByRole('button', { name: 'Resume' }).click();
    await waitFor(
      async () => (await workerRows()).filter((text) => /running/.test(text)).length === 2,
      'two running workers after the resume',
      STEP_MS,
    );
    await expect
      .poll(() => page.getByTestId('job-status').innerText(), { timeout: 120_000 })
      .toBe('finished');
    expect(jobStatus()).toBe('finished');
    expect(storedUrls()).toEqual([...site.reachable].sort());
    expect(await counter('pages-done')).toBe(site.reachable.length);
  });

  it('filters the results and opens a page detail', async () => {
    await page.getByRole('button', { name: 'Results', exact: true }).click();
    const rows = page.getByTestId('result-row');
    await expect.poll(() => rows.count(), { timeout: STEP_MS }).toBeGreaterThan(10);
    await expect
      .poll(() => page.locator('.table-foot').innerText())
      .toMatch(new RegExp(`of ${site.reachable.length} rows loaded`));

    await page.getByRole('checkbox', { name: '4xx' }).check();
    await expect
      .poll(() => rows.allInnerTexts(), { timeout: STEP_MS })
      .toEqual([expect.stringContaining(`${site.origin}/missing`)]);
    await page.getByRole('checkbox', { name: '4xx' }).uncheck();
    // /old 301s to /p/1 and /away 302s out of the site: the redirects they are, under 3xx.
    await page.getByRole('checkbox', { name: '3xx' }).check();
    await expect
      .poll(async () => (await rows.allInnerTexts()).sort(), { timeout: STEP_MS })
      .toEqual([
        expect.stringMatching(new RegExp(`^${site.origin}/away\\spage\\s302\\s`)),
        expect.stringMatching(new RegExp(`^${site.origin}/old\\spage\\s301\\s`)),
      ]);
    await rows.filter({ hasText: `${site.origin}/old` }).click();
    const redirect = page.getByRole('dialog', { name: `${site.origin}/old` });
    const redirectFields = redirect.getByTestId('detail-fields');
    await expect
      .poll(() => redirectFields.getByRole('row', { name: /^Status/ }).innerText())
      .toMatch(/\b301$/);
    await expect
      .poll(() => redirectFields.getByRole('row', { name: /^Final status/ }).innerText())
      .toMatch(/\b200$/);
    await expect
      .poll(() => redirect.locator('ol.chain li').allInnerTexts())
      .toEqual([`301 ${site.origin}/old → /p/1`, `200 ${site.origin}/p/1`]);
    await redirect.getByRole('button', { name: 'Close page detail' }).click();
    await page.getByRole('checkbox', { name: '3xx' }).uncheck();
    await page.getByLabel('Search').fill('Page 77');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => rows.allInnerTexts(), { timeout: STEP_MS })
      .toEqual([expect.stringContaining(`${site.origin}/p/77`)]);

    await rows.first().click();
    const drawer = page.getByRole('dialog', { name: `${site.origin}/p/77` });
    const fields = drawer.getByTestId('detail-fields');
    await expect
      .poll(() => fields.getByRole('row', { name: /^Title/ }).innerText())
      .toContain('Page 77 & more');
    await expect
      .poll(() => fields.getByRole('row', { name: /^Status/ }).innerText())
      .toContain('200');
    // Its parent links to it; its links include the external one, shown as text.
    await expect.poll(() => drawer.innerText()).toContain(`${site.origin}/p/38`);
    await page.screenshot({ path: join(ARTIFACTS, 'results.png'), fullPage: true });
    await drawer.getByRole('button', { name: 'Close page detail' }).click();

    // Go to row N: the whole view again, restarted two rows before its end.
    await page.getByLabel('Search').fill('');
    await page.getByRole('button', { name: 'Apply' }).click();
    const total = site.reachable.length;
    const rowField = page.getByRole('textbox', { name: 'Row' });
    await rowField.fill(String(total - 1));
    await rowField.press('Enter');
    await expect
      .poll(() => page.locator('.table-foot').innerText(), { timeout: STEP_MS })
      .toBe(`Rows ${total - 1}–${total} of ${total} loaded (go to row 1 for the rows above)`);
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().getAttribute('aria-rowindex')).toBe(String(total)); // header: row 1
    await page.screenshot({ path: join(ARTIFACTS, 'results-go-to-row.png') });
  });

  it('exports the URL table as CSV, row for row what the database holds', async () => {
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export job 1' });
    await dialog.getByLabel('Format').selectOption('csv');
    await dialog.getByLabel(/Only what the current view shows/).uncheck();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('trawl-job-1.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    const [header, ...records] = parseCsv(csv);
    const column = (name: string) => header!.indexOf(name);
    expect(column('url')).toBeGreaterThanOrEqual(0);
    const stored = readDb(
      (db) =>
        db.prepare('SELECT url, status, title FROM pages WHERE job_id = 1 ORDER BY url').all() as {
          url: string;
          status: number;
          title: string | null;
        }[],
    );
    const exported = records
      .map((record) => ({
        url: record[column('url')],
        status: Number(record[column('status')]),
        title: record[column('title')] || null,
      }))
      .sort((a, b) => (a.url! < b.url! ? -1 : 1));
    expect(exported).toEqual(stored);
    // The host's progress reached the dialog: it counts the rows it wrote.
    await dialog
      .getByText(`Downloaded trawl-job-1.csv (${stored.length.toLocaleString('en-US')} rows)`)
      .waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('runs the job again from the jobs list: a new job that stores the same pages', async () => {
    await page.getByRole('button', { name: 'Jobs', exact: true }).click();
    await expect.poll(() => page.getByTestId('job-start').innerText()).toBe(`${site.origin}/`);
    await page.getByRole('button', { name: 'Run job 1 again with the same settings' }).click();
    await page.getByRole('heading', { name: /^Job 2: / }).waitFor();
    await expect
      .poll(() => page.getByTestId('job-status').innerText(), { timeout: 120_000 })
      .toBe('finished');
    expect(storedUrls(2)).toEqual([...site.reachable].sort());
    expect(await counter('pages-done')).toBe(site.reachable.length);
  });

  it('keeps the jobs list and the dashboard inside the window with a long job name', async () => {
    const name = 'W'.repeat(200); // the longest a name may be, with no place to break
    await page.getByRole('button', { name: 'Jobs', exact: true }).click();
    page.once('dialog', (dialog) => void dialog.accept(name));
    await page.getByRole('button', { name: 'Rename job 2' }).click();
    await expect
      .poll(() => page.getByTestId('job-row').allInnerTexts())
      .toContainEqual(expect.stringContaining(name));
    const overflow = () =>
      page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    await page.screenshot({ path: join(ARTIFACTS, 'jobs-long-name.png') });
    // It was 13,000 px wider than the window, every job's actions out of sight.
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.getByRole('link', { name: 'Dashboard of job 2' }).click();
    await page.getByRole('heading', { name: /^Job 2: W+/ }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
  });
});

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}
