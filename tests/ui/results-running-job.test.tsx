// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { FrontierStore } from '../../electron/engine/store-writer/frontier-store';
import { JobStore } from '../../electron/engine/store/job-store';
import type { JobInfo } from '../../shared/crawler-api';
import { jobSettingsSchema } from '../../shared/job-settings';
import { fetchedPage } from '../results/stored-job';
import { renderResultsScreen } from '../helpers/render-app';
import { layOutTableScroller } from '../helpers/table-layout';
import { databasePerTest } from '../helpers/temp-db';

/**
 * The URL table of a job that is still crawling, over the real results
 * service: the crawl stores rows after the table counted them.
 */

const env = databasePerTest('results.sqlite');
afterEach(cleanup);
layOutTableScroller();

const URLS = Array.from({ length: 500 }, (_, n) => `http://127.0.0.1:9/p/${n}`);

/** A running job with its 500 URLs queued; `crawl(n)` stores n more of them as its writer does. */
function runningJob(): { job: JobInfo; crawl: (pages: number) => void } {
  const jobs = new JobStore(env.db);
  const created = jobs.create(jobSettingsSchema.parse({ startUrls: [URLS[0]], workers: 1 }));
  const frontier = new FrontierStore(env.db, created.id, { maxDepth: null, robotsAgent: 'Trawl' });
  frontier.seed(URLS);
  const crawl = (pages: number) =>
    frontier.write({
      pages: frontier
        .lease(pages)
        .map((task) => ({ task, page: fetchedPage(task.url), workerPid: 4242 })),
      failures: [],
    });
  return { job: { ...jobs.get(created.id), status: 'running' }, crawl };
}

/** The table's foot once it says `text` (a failure shows what it says instead). */
const footSays = (text: string) =>
  waitFor(() => expect(document.querySelector('.table-foot')?.textContent).toBe(text));

/** Scrolls the table to the end of the rows it holds, which fetches the next ones. */
function scrollToEnd() {
  const scroller = screen.getByRole('table', { name: 'Crawled URLs' });
  scroller.scrollTop = scroller.scrollHeight || 32 * 1000;
  fireEvent.scroll(scroller);
}

describe('the URL table of a running job', () => {
  it('counts the rows again as it fetches more: it said "500 of 300 rows loaded"', async () => {
    const { job, crawl } = runningJob();
    crawl(300);
    renderResultsScreen(env.db, job, [job]);
    await footSays('200 of 300 rows loaded');
    crawl(200);
    scrollToEnd();
    await footSays('500 of 500 rows loaded');
    // Go to row reaches the rows stored since the table opened.
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Row' }), '450{Enter}');
    await footSays('Rows 450–500 of 500 loaded (go to row 1 for the rows above)');
  });

  it('says when a sorted view has rows stored before its end, and Refresh shows them', async () => {
    const { job, crawl } = runningJob();
    crawl(300);
    renderResultsScreen(env.db, job, [job]);
    await footSays('200 of 300 rows loaded');
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: /^URL/ }));
    await user.click(screen.getByRole('button', { name: /^URL/ }));
    await screen.findByRole('columnheader', { name: 'URL ▼' });
    await footSays('200 of 300 rows loaded');
    // /p/300 to /p/499 sort above the rows loaded: scrolling on never reaches them.
    crawl(200);
    scrollToEnd();
    await footSays('300 of 500 rows loaded; Refresh for the rows stored since');
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    // From the first row again (jsdom scrolls no further, so the rest follow at once).
    await footSays('500 of 500 rows loaded');
  });
});
