// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../shared/crawler-api';
import { outlinkColumns } from '../../shared/outlinks';
import { renderResultsScreen } from '../helpers/render-app';
import { layOutTableScroller } from '../helpers/table-layout';
import { databasePerTest } from '../helpers/temp-db';
import { storeJob } from '../results/stored-job';

/** The page detail's inlinks and outlinks, over the real results service and a stored job. */

const env = databasePerTest('results.sqlite');
afterEach(cleanup);
layOutTableScroller();

const HOME = 'http://127.0.0.1:9/';
const PAGES = 250;

/** A home page that links to every page, and every page links back to it. */
function renderResults() {
  const pages = Array.from({ length: PAGES }, (_, n) => `${HOME}p/${n}`);
  const link = (url: string) => ({ url, text: url, rel: null, internal: true });
  const jobId = storeJob(env.db, [
    { url: HOME, page: { outlinks: outlinkColumns(pages.map(link)), linkCount: PAGES } },
    ...pages.map((url) => ({
      url,
      depth: 1,
      page: { outlinks: outlinkColumns([link(HOME)]), linkCount: 1 },
    })),
  ]);
  renderResultsScreen(env.db, { id: jobId, name: 'fixture' } as JobInfo);
}

/** The links a section of the open detail lists, and its Load more button if it has one. */
function section(title: RegExp) {
  const heading = screen.getByRole('heading', { name: title });
  const element = heading.closest('section')!;
  return {
    rows: () => within(element).queryAllByRole('row').length - 1, // less the header
    more: () => within(element).queryByRole('button', { name: 'Load more' }),
  };
}

describe('page detail: inlinks and outlinks', () => {
  it('lists every link a batch at a time: only the first 200 were shown', async () => {
    const user = userEvent.setup();
    renderResults();
    const home = await screen.findByText(HOME);
    await user.click(home);
    await screen.findByRole('dialog', { name: HOME });
    const inlinks = section(/^Inlinks \(250\)/);
    const outlinks = section(/^Outlinks \(250\)/);
    await waitFor(() => expect(inlinks.rows()).toBe(200));
    expect(outlinks.rows()).toBe(200);

    await user.click(inlinks.more()!);
    await waitFor(() => expect(inlinks.rows()).toBe(PAGES));
    expect(inlinks.more()).toBeNull();
    expect(outlinks.rows()).toBe(200);
    await user.click(outlinks.more()!);
    await waitFor(() => expect(outlinks.rows()).toBe(PAGES));
    expect(outlinks.more()).toBeNull();
    // Each link once, in document order.
    const first = screen.getByRole('heading', { name: /^Outlinks/ }).closest('section')!;
    const targets = within(first)
      .getAllByRole('row')
      .slice(1)
      .map((row) => row.firstChild?.textContent);
    expect(targets).toEqual(Array.from({ length: PAGES }, (_, n) => `${HOME}p/${n}`));
  });
});
