import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { STEP_MS } from '../helpers/chromium';
import { chromiumOnServe } from '../helpers/serve-chromium';

/** A job action clicked twice before the host answers, in Chromium against trawl serve. */

const ui = chromiumOnServe({ pages: 10 }, { crawled: true });

const jobIds = () => {
  const db = openDatabase(ui.dbFile(), { mustExist: true });
  try {
    return db.prepare('SELECT id FROM jobs ORDER BY id').pluck().all();
  } finally {
    db.close();
  }
};

describe('a job action clicked twice', { timeout: 180_000 }, () => {
  it('runs once: a double click on Run again started two crawls', async () => {
    await ui.page.goto(`${ui.serve.url}#/jobs`);
    await ui.page
      .getByRole('button', { name: 'Run job 1 again with the same settings' })
      .dblclick();
    await ui.page.getByRole('heading', { name: /^Job 2: / }).waitFor();
    await expect
      .poll(() => ui.page.getByTestId('job-status').innerText(), { timeout: STEP_MS })
      .toBe('finished');
    expect(jobIds()).toEqual([1, 2]);
  });
});
