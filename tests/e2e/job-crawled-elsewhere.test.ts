import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { openChromium, STEP_MS } from '../helpers/chromium';
import { startCli, type CliResult } from '../helpers/cli';
import { startFixtureSite, type FixtureSite } from '../helpers/fixture-site';
import { waitFor } from '../helpers/processes';
import { servePerFile } from '../helpers/serve';

/**
 * A job that `trawl crawl` runs in the database `trawl serve` shows: only the
 * CLI's process can stop or resize it, and the dashboard says so.
 */

const env = servePerFile();
let site: FixtureSite;
let browser: Browser;
let page: Page;
let release: () => void;
let cli: { child: { pid?: number }; result: Promise<CliResult> } | undefined;

beforeAll(async () => {
  // Every page but the home page waits, so the CLI's crawl runs until the test lets it end.
  const held = new Promise<void>((resolve) => (release = resolve));
  site = await startFixtureSite({
    pages: 20,
    hold: (path) => (path.startsWith('/p/') ? held : undefined),
  });
  ({ browser, page } = await openChromium({ viewport: { width: 1400, height: 1000 } }));
}, 180_000);

afterAll(async () => {
  release?.();
  await cli?.result;
  await browser?.close();
  await site?.close();
});

function jobStatus(): string | undefined {
  const db = openDatabase(env.temp.file('serve.sqlite'), { mustExist: true });
  try {
    return db.prepare('SELECT status FROM jobs WHERE id = 1').pluck().get() as string | undefined;
  } finally {
    db.close();
  }
}

describe(
  'a job that trawl crawl runs, on the dashboard of trawl serve',
  { timeout: 180_000 },
  () => {
    it('offers no Stop or Resize that cannot work, and names the process that can', async () => {
      const dbFile = env.temp.file('serve.sqlite');
      cli = startCli(['crawl', `${site.origin}/`, '--db', dbFile, '--workers', '1']);
      await waitFor(
        () => site.hits.size > 1 && jobStatus() === 'running',
        'the CLI crawl',
        STEP_MS,
      );

      await page.goto(`${env.serve.url}#/jobs/1/dashboard`);
      await page.getByRole('heading', { name: /^Job 1: / }).waitFor();
      expect(await page.getByTestId('job-status').innerText()).toBe('running');
      // They answered "job 1 is not running" beside its running badge.
      for (const name of ['Stop', 'Force stop', 'Resize pool'])
        expect(await page.getByRole('button', { name, exact: true }).count()).toBe(0);
      await page.getByText(`Process ${cli.child.pid} (trawl crawl, or another Trawl)`).waitFor();

      release();
      expect((await cli.result).code).toBe(0);
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect
        .poll(() => page.getByTestId('job-status').innerText(), { timeout: STEP_MS })
        .toBe('finished');
      expect(await page.getByText(/is crawling this job/).count()).toBe(0);
    });
  },
);
