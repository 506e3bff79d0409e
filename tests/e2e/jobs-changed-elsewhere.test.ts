import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { STEP_MS } from '../helpers/chromium';
import { chromiumOnServe } from '../helpers/serve-chromium';

/**
 * Two windows side by side on one trawl serve: a job renamed or deleted in
 * one shows in the other at once, without the user going back to it (the
 * focus re-read is for the CLI, which no host hears).
 */

const ui = chromiumOnServe({ pages: 5 }, { crawled: true });

const jobNames = (page: Page) =>
  page
    .getByTestId('job-row')
    .evaluateAll((rows) => rows.map((row) => row.querySelector('td')?.textContent ?? ''));

describe('a job changed in another window', { timeout: 180_000 }, () => {
  it('shows in this one at once: it showed only once the window had the focus again', async () => {
    const watching = ui.page;
    await watching.goto(`${ui.serve.url}#/jobs`);
    await expect.poll(() => jobNames(watching), { timeout: STEP_MS }).toHaveLength(1);
    // Nothing but the host may tell this page: the events that re-read the list do nothing.
    await watching.evaluate(`{
      const stop = (event) => event.stopImmediatePropagation();
      window.addEventListener('focus', stop, true);
      document.addEventListener('visibilitychange', stop, true);
    }`);

    const other = await watching.context().browser()!.newPage();
    await other.goto(`${ui.serve.url}#/jobs`);
    other.once('dialog', (dialog) => void dialog.accept('Side by side'));
    await other.getByRole('button', { name: 'Rename job 1' }).click();
    await expect
      .poll(() => jobNames(watching), { timeout: STEP_MS })
      .toEqual([expect.stringMatching(/^Side by side/)]);

    await other.getByRole('button', { name: 'Run job 1 again with the same settings' }).click();
    await expect.poll(() => jobNames(watching), { timeout: STEP_MS }).toHaveLength(2);

    await other.getByRole('heading', { name: /^Job 2: / }).waitFor();
    await expect
      .poll(() => other.getByTestId('job-status').innerText(), { timeout: STEP_MS })
      .toBe('finished');
    await other.goto(`${ui.serve.url}#/jobs`);
    other.once('dialog', (dialog) => void dialog.accept());
    await other.getByRole('button', { name: 'Delete job 1' }).click();
    await expect.poll(() => jobNames(watching), { timeout: STEP_MS }).toHaveLength(1);
    await other.close();
  });
});
