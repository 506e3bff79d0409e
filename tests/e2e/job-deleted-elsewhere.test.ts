import { afterAll, describe, expect, it } from 'vitest';
import { STEP_MS } from '../helpers/chromium';
import { runCli, startCli } from '../helpers/cli';
import { waitFor } from '../helpers/processes';
import { chromiumOnServe } from '../helpers/serve-chromium';

/**
 * A job deleted while a tab shows its dashboard (with `trawl jobs delete`, or
 * in another tab): once the user comes back to the tab, it says the job is
 * gone instead of offering to resume it.
 */

// Every page but the home page waits, so the CLI's crawl is still running when it is stopped.
let release = () => {};
const held = new Promise<void>((resolve) => (release = resolve));
const ui = chromiumOnServe({
  pages: 20,
  hold: (path) => (path.startsWith('/p/') ? held : undefined),
});
afterAll(() => release());

describe('the dashboard of a job deleted elsewhere', { timeout: 180_000 }, () => {
  it('says the job is gone once the user comes back to the tab', async () => {
    const dbFile = ui.dbFile();
    const cli = startCli(['crawl', `${ui.site.origin}/`, '--db', dbFile, '--workers', '1']);
    await waitFor(() => ui.site.hits.size > 1, 'the CLI crawl', STEP_MS);
    cli.child.kill('SIGINT');
    release();
    expect((await cli.result).code).toBe(0);

    await ui.page.goto(`${ui.serve.url}#/jobs/1/dashboard`);
    await ui.page.getByRole('heading', { name: /^Job 1: / }).waitFor();
    expect(await ui.page.getByTestId('job-status').innerText()).toBe('stopped');
    await ui.page.getByRole('button', { name: 'Resume' }).waitFor();

    expect((await runCli(['jobs', 'delete', '1', '--db', dbFile])).code).toBe(0);
    // The user comes back to the tab from the terminal: the browser says the window has the focus.
    await ui.page.evaluate("window.dispatchEvent(new Event('focus'))");
    await ui.page
      .getByText('There is no job 1: it was deleted, or the address is wrong.')
      .waitFor();
    expect(await ui.page.getByRole('button', { name: 'Resume' }).count()).toBe(0);
  });
});
