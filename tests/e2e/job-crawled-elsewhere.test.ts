import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { STEP_MS } from '../helpers/chromium';
import { startCli, type CliResult } from '../helpers/cli';
import { waitFor } from '../helpers/processes';
import { chromiumOnServe } from '../helpers/serve-chromium';

/**
 * A job that `trawl crawl` runs in the database `trawl serve` shows: only the
 * CLI's process can stop or resize it, and the dashboard says so.
 */

// Every page but the home page waits, so the CLI's crawl runs until the test lets it end.
let release = () => {};
const held = new Promise<void>((resolve) => (release = resolve));
const ui = chromiumOnServe({
  pages: 20,
  hold: (path) => (path.startsWith('/p/') ? held : undefined),
});
let cli: { child: { pid?: number }; result: Promise<CliResult> } | undefined;

afterAll(async () => {
  release();
  await cli?.result;
});

function jobStatus(): string | undefined {
  const db = openDatabase(ui.dbFile(), { mustExist: true });
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
      const dbFile = ui.dbFile();
      cli = startCli(['crawl', `${ui.site.origin}/`, '--db', dbFile, '--workers', '1']);
      await waitFor(
        () => ui.site.hits.size > 1 && jobStatus() === 'running',
        'the CLI crawl',
        STEP_MS,
      );

      await ui.page.goto(`${ui.serve.url}#/jobs/1/dashboard`);
      await ui.page.getByRole('heading', { name: /^Job 1: / }).waitFor();
      expect(await ui.page.getByTestId('job-status').innerText()).toBe('running');
      // They answered "job 1 is not running" beside its running badge.
      for (const name of ['Stop', 'Force stop', 'Resize pool'])
        expect(await ui.page.getByRole('button', { name, exact: true }).count()).toBe(0);
      await ui.page.getByText(`Process ${cli.child.pid} (trawl crawl, or another Trawl)`).waitFor();

      release();
      expect((await cli.result).code).toBe(0);
      await ui.page.getByRole('button', { name: 'Refresh' }).click();
      await expect
        .poll(() => ui.page.getByTestId('job-status').innerText(), { timeout: STEP_MS })
        .toBe('finished');
      expect(await ui.page.getByText(/is crawling this job/).count()).toBe(0);
    });
  },
);
