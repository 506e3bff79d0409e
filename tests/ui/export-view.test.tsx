// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportRuns } from '../../electron/engine/export/export-runs';
import { QueryService } from '../../electron/engine/results/query-service';
import { dispatchRequest } from '../../electron/serve/request-dispatch';
import { ResultsScreen } from '../../renderer/src/results/results-screen';
import { createAppStore } from '../../renderer/src/store/app-store';
import { AppContext } from '../../renderer/src/store/store-context';
import type { CrawlerApi, HostRequests, JobInfo } from '../../shared/crawler-api';
import type { ExportRequest } from '../../shared/results';
import { layOutTableScroller } from '../helpers/table-layout';
import { databasePerTest } from '../helpers/temp-db';
import { storeJob } from '../results/stored-job';

/** Exports from the results screen, written by the host's real exports on a stored job. */

const env = databasePerTest('export-view.sqlite');
afterEach(cleanup);
layOutTableScroller();
// jsdom has no modal dialogs: opening one just sets `open`, as browsers do.
HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
  this.open = true;
};

const O = 'http://127.0.0.1:9';

/**
 * The results screen over a host that answers as `trawl serve` does: requests
 * checked by its dispatch, pages from the results service, exports written by
 * ExportRuns to `file` (the desktop app's save dialog would pick it).
 */
function renderResults(file: string) {
  const jobId = storeJob(env.db, [
    { url: `${O}/`, page: { title: 'Home' } },
    { url: `${O}/shoes/red`, depth: 1, page: { title: 'Red shoes' } },
    { url: `${O}/shoes/blue`, depth: 1, page: { title: 'Blue shoes', metaRobots: 'noindex' } },
    { url: `${O}/shoes/sold-out`, depth: 1, page: { title: 'Shoes', status: 404 } },
    { url: `${O}/about`, depth: 1, page: { title: 'About us' } },
  ]);
  const service = new QueryService(env.db, () => undefined);
  const runs = new ExportRuns();
  const sent: ExportRequest[] = [];
  const host = {
    queryPages: async (query: unknown) => service.call('queryPages', [query]),
    seekPages: async (request: unknown) => service.call('seekPages', [request]),
    exportJob: async (request: ExportRequest) => {
      sent.push(request);
      const written = await runs.run(env.db, request, { file });
      return written === null ? { kind: 'cancelled' } : { kind: 'saved', path: file };
    },
    cancelExport: async (exportId: number) => runs.cancel(exportId),
    onExportProgress: (listener: Parameters<ExportRuns['onUpdate']>[0]) => runs.onUpdate(listener),
  };
  const api = {
    ...host,
    exportJob: (request: unknown) =>
      dispatchRequest(host as unknown as HostRequests, 'exportJob', [request]),
  } as unknown as CrawlerApi;
  render(
    <AppContext value={{ store: createAppStore(api), api }}>
      <ResultsScreen job={{ id: jobId, name: 'shop' } as JobInfo} />
    </AppContext>,
  );
  return { sent };
}

const locs = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/<loc>(.*?)<\/loc>/g)].map((m) => m[1]!.replace(O, ''));

describe('exporting the current view', () => {
  it("writes a sitemap of only the pages the table's filters keep, and shows a refusal", async () => {
    const user = userEvent.setup();
    const file = env.temp.file('sitemap.xml');
    const host = renderResults(file);
    await screen.findByText('5 of 5 rows loaded');
    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'shoes{Enter}');
    await screen.findByText('3 of 3 rows loaded');

    await user.click(screen.getByRole('button', { name: 'Export…' }));
    await user.selectOptions(screen.getByLabelText('Format'), 'sitemap');
    await user.click(screen.getByRole('button', { name: 'Export' }));
    await screen.findByText(`Saved to ${file} (1 row)`);
    // Of the three URLs the view shows, the one indexable page that answered 200.
    expect(locs(file)).toEqual(['/shoes/red']);
    expect(host.sent).toEqual([
      expect.objectContaining({ format: 'sitemap', filters: { text: 'shoes' } }),
    ]);
    await user.click(screen.getByRole('button', { name: 'Close' }));

    // External URLs are never indexable: the host refuses, and the dialog says why.
    await user.selectOptions(screen.getByRole('combobox', { name: 'Indexable' }), 'true');
    await user.selectOptions(screen.getByRole('combobox', { name: 'URLs' }), 'external');
    await user.click(screen.getByRole('button', { name: 'Export…' }));
    await user.click(screen.getByRole('button', { name: 'Export' }));
    // The message names the filters as the filter bar does ("URLs"), not as the CLI (--scope).
    await screen.findByText(
      'Export failed: filters: the indexable filter and the URLs filter keep no row together: ' +
        'the indexable filter keeps only fetched pages, the URLs filter only checked external URLs',
    );
    expect(host.sent).toHaveLength(1);
  });

  it("says before exporting that the view keeps no page a sitemap lists, and writes the whole job's", async () => {
    const user = userEvent.setup();
    const file = env.temp.file('sitemap.xml');
    const host = renderResults(file);
    await screen.findByText('5 of 5 rows loaded');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Indexable' }), 'false');
    await screen.findByText('2 of 2 rows loaded');

    await user.click(screen.getByRole('button', { name: 'Export…' }));
    await user.selectOptions(screen.getByLabelText('Format'), 'sitemap');
    expect(
      screen.getByText(
        "The view's indexable filter keeps none of the pages a sitemap lists " +
          "(indexable, answered 200): this sitemap lists the whole job's.",
      ),
    ).toBeTruthy();
    expect(screen.queryByRole('checkbox', { name: /^Only the pages/ })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Export' }));
    await screen.findByText(`Saved to ${file} (3 rows)`);
    expect(locs(file)).toEqual(['/', '/shoes/red', '/about']);
    expect(host.sent).toEqual([{ jobId: expect.any(Number), format: 'sitemap' }]);
  });
});
