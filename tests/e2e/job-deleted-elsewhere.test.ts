import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChromium, STEP_MS } from '../helpers/chromium';
import { runCli, startCli } from '../helpers/cli';
import { startFixtureSite, type FixtureSite } from '../helpers/fixture-site';
import { waitFor } from '../helpers/processes';
import { servePerFile } from '../helpers/serve';

/**
 * A job deleted while a tab shows its dashboard (with `trawl jobs delete`, or
 * in another tab): once the user comes back to the tab, it says the job is
 * gone instead of offering to resume it.
 */

const env = servePerFile();
let site: FixtureSite;
let browser: Browser;
let page: Page;
let release: () => void;

beforeAll(async () => {
  // Every page but the home page waits, so the CLI's crawl is still running when it is stopped.
  const held = new Promise<void>((resolve) => (release = resolve));
  site = await startFixtureSite({
    pages: 20,
    hold: (path) => (path.startsWith('/p/') ? held : undefined),
  });
  ({ browser, page } = await openChromium({ viewport: { width: 1400, height: 1000 } }));
}, 180_000);

afterAll(async () => {
  release?.();
  await browser?.close();
  await site?.close();
});

describe('the dashboard of a job deleted elsewhere', { timeout: 180_000 }, () => {
  it('says the job is gone once the user comes back to the tab', async () => {
    const dbFile = env.temp.file('serve.sqlite');
    const cli = startCli(['crawl', `${site.origin}/`, '--db', dbFile, '--workers', '1']);
    await waitFor(() => site.hits.size > 1, 'the CLI crawl', STEP_MS);
    cli.child.kill('SIGINT');
    release();
    expect((await cli.result).code).toBe(0);

    await page.goto(`${env.serve.url}#/jobs/1/dashboard`);
    await page.getByRole('heading', { name: /^Job 1: / }).waitFor();
    expect(await page.getByTestId('job-status').innerText()).toBe('stopped');
    await page.getByRole('button', { name: 'Resume' }).waitFor();

    expect((await runCli(['jobs', 'delete', '1', '--db', dbFile])).code).toBe(0);
    // The user comes back to the tab from the terminal: the browser says the window has the focus.
    await page.evaluate("window.dispatchEvent(new Event('focus'))");
    await page.getByText('There is no job 1: it was deleted, or the address is wrong.').waitFor();
    expect(await page.getByRole('button', { name: 'Resume' }).count()).toBe(0);
  });
});
