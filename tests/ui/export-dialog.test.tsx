// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { CrawlerApi, ExportOutcome, ExportUpdate } from '../../shared/crawler-api';
import type { ExportRequest } from '../../shared/results';
import { ExportDialog } from '../../renderer/src/results/export-dialog';
import { createAppStore } from '../../renderer/src/store/app-store';
import { AppContext } from '../../renderer/src/store/store-context';

afterEach(cleanup);
// jsdom has no modal dialogs: opening one just sets `open`, as browsers do.
HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
  this.open = true;
};

/** A host whose export waits until the test settles it, reporting progress meanwhile. */
function renderDialog(
  base: Omit<ExportRequest, 'format'> = { jobId: 3 },
  { cancelFailure }: { cancelFailure?: Error } = {},
) {
  const listeners = new Set<(update: ExportUpdate) => void>();
  const requests: ExportRequest[] = [];
  const cancelled: number[] = [];
  let finish!: (outcome: ExportOutcome) => void;
  const api = {
    listJobs: async () => [],
    exportJob: (request: ExportRequest) => {
      requests.push(request);
      return new Promise<ExportOutcome>((resolve) => (finish = resolve));
    },
    cancelExport: async (exportId: number) => {
      cancelled.push(exportId);
      if (cancelFailure) throw cancelFailure;
    },
    onExportProgress: (listener: (update: ExportUpdate) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as CrawlerApi;
  const store = createAppStore(api);
  render(
    <AppContext value={{ store, api }}>
      <ExportDialog base={base} onClose={() => undefined} />
    </AppContext>,
  );
  const report = (update: Partial<ExportUpdate>) =>
    act(() => {
      for (const listener of listeners)
        listener({
          exportId: 7,
          jobId: 3,
          format: 'csv',
          rows: 0,
          total: null,
          done: false,
          ...update,
        });
    });
  return {
    store,
    requests,
    cancelled,
    report,
    finish: (outcome: ExportOutcome) => act(() => finish(outcome)),
  };
}

/** An export the dialog started as a browser download, 1,000 rows written so far. */
async function downloading() {
  const host = renderDialog();
  await userEvent.setup().click(screen.getByRole('button', { name: 'Export' }));
  await host.finish({ kind: 'download', url: 'about:blank', fileName: 'trawl-job-3.csv' });
  host.report({ rows: 1000 });
  return host;
}

describe('export dialog', () => {
  it('shows rows written of the total while the host exports, then where it saved them', async () => {
    const user = userEvent.setup();
    const host = renderDialog();
    await user.click(screen.getByRole('button', { name: 'Export' }));
    expect(host.requests).toMatchObject([{ jobId: 3, format: 'csv' }]);
    expect(screen.getByRole('button', { name: 'Export' })).toHaveProperty('disabled', true);

    host.report({ rows: 2000, total: 5000 });
    const bar = screen.getByLabelText('Exporting');
    expect(bar.getAttribute('value')).toBe('2000');
    expect(bar.getAttribute('max')).toBe('5000');
    expect(screen.getByText(/2,000 of 5,000 rows/)).toBeTruthy();
    // Another job's export is not this dialog's.
    host.report({ jobId: 9, rows: 4000, total: 5000 } as Partial<ExportUpdate>);
    expect(screen.getByText(/2,000 of 5,000 rows/)).toBeTruthy();

    host.report({ rows: 5000, total: 5000, done: true });
    await host.finish({ kind: 'saved', path: '/tmp/trawl-job-3.csv' });
    expect(screen.getByText('Saved to /tmp/trawl-job-3.csv (5,000 rows)')).toBeTruthy();
  });

  it('shows a failure the host reports while a browser download streams', async () => {
    const host = await downloading();
    expect(screen.getByText(/1,000 rows/)).toBeTruthy();
    host.report({ done: true, error: 'disk full' });
    expect(screen.getByText('Export failed: disk full')).toBeTruthy();
  });

  it('says when the connection to trawl serve is lost during a download, instead of exporting for good', async () => {
    const host = await downloading();
    act(() => host.store.getState().setConnection('closed'));
    expect(
      screen.getByText(/^Export failed: the connection to the Trawl host was lost/),
    ).toBeTruthy();
    expect(screen.queryByLabelText('Exporting')).toBeNull();
    expect(screen.getByRole('button', { name: 'Export' })).toHaveProperty('disabled', false);
  });

  it('shows what the host says the file left out', async () => {
    const user = userEvent.setup();
    const host = renderDialog();
    await user.selectOptions(screen.getByLabelText('Format'), 'sitemap');
    await user.click(screen.getByRole('button', { name: 'Export' }));
    const note =
      'left out 2 URLs of 2,048 characters or more: the sitemaps protocol takes shorter ones only';
    host.report({ format: 'sitemap', rows: 40, total: 40, done: true, notes: [note] });
    await host.finish({ kind: 'saved', path: '/tmp/trawl-job-3.xml' });
    expect(screen.getByText('Saved to /tmp/trawl-job-3.xml (40 rows)')).toBeTruthy();
    expect(screen.getByText(note)).toBeTruthy();
  });

  it('cancels the export it started, and only that one', async () => {
    const user = userEvent.setup();
    const host = renderDialog();
    expect(screen.queryByRole('button', { name: 'Cancel export' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Export' }));
    host.report({ rows: 1000, total: 5000 });
    // Another export of the same job and format (another window's) is not this dialog's.
    host.report({ exportId: 8, rows: 4000, total: 5000 });
    expect(screen.getByText(/1,000 of 5,000 rows/)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Cancel export' }));
    expect(host.cancelled).toEqual([7]);
    host.report({ exportId: 8, rows: 5000, total: 5000, done: true });
    expect(screen.getByLabelText('Exporting')).toBeTruthy();
    host.report({ rows: 1000, total: 5000, done: true, cancelled: true });
    expect(screen.getByText('Export cancelled.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Export' })).toHaveProperty('disabled', false);
  });

  it('says so when the host cannot cancel: the failure was an unhandled rejection', async () => {
    const user = userEvent.setup();
    const failure = new Error('Not connected to the Trawl host (reconnecting…): nothing was sent.');
    const host = renderDialog({ jobId: 3 }, { cancelFailure: failure });
    await user.click(screen.getByRole('button', { name: 'Export' }));
    host.report({ rows: 1000, total: 5000 });

    await user.click(screen.getByRole('button', { name: 'Cancel export' }));
    expect(host.cancelled).toEqual([7]);
    await screen.findByText(`Could not cancel the export: ${failure.message}`);
    // It goes on: its progress is still shown, and Cancel can be tried again.
    expect(screen.getByLabelText('Exporting')).toBeTruthy();
    host.report({ rows: 5000, total: 5000, done: true });
    await host.finish({ kind: 'saved', path: '/tmp/trawl-job-3.csv' });
    expect(screen.queryByText(/Could not cancel/)).toBeNull();
  });

  it("exports the view's report in a table format; a sitemap or SQLite copy holds the whole job", async () => {
    const user = userEvent.setup();
    const host = renderDialog({ jobId: 3, report: 'broken-links' });
    const view = /Only what the current view shows/;
    expect(screen.getByLabelText(view)).toHaveProperty('checked', true);
    await user.selectOptions(screen.getByLabelText('Format'), 'sitemap');
    // The host refuses a report in these formats: the dialog does not offer it, and says why.
    expect(screen.queryByLabelText(view)).toBeNull();
    expect(
      screen.getByText("A sitemap lists the job's indexable pages, not a report's rows."),
    ).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Export' }));
    await host.finish({ kind: 'saved', path: '/tmp/trawl-job-3.xml' });
    await user.selectOptions(screen.getByLabelText('Format'), 'json');
    await user.click(screen.getByRole('button', { name: 'Export' }));
    expect(host.requests).toEqual([
      { jobId: 3, format: 'sitemap' },
      { jobId: 3, format: 'json', report: 'broken-links' },
    ]);
  });

  it("exports a sitemap of the URL table's filters, without its sort or columns; a SQLite copy of the whole job", async () => {
    const user = userEvent.setup();
    const view = {
      jobId: 3,
      filters: { depth: { min: 1 }, text: 'shoes' },
      sort: { column: 'bytes', direction: 'desc' },
      columns: ['url', 'status'],
    } satisfies Omit<ExportRequest, 'format'>;
    const host = renderDialog(view);
    await user.selectOptions(screen.getByLabelText('Format'), 'sitemap');
    const filtersOnly = screen.getByLabelText(/Only the pages the current view's filters keep/);
    expect(filtersOnly).toHaveProperty('checked', true);
    await user.click(screen.getByRole('button', { name: 'Export' }));
    await host.finish({ kind: 'saved', path: '/tmp/trawl-job-3.xml' });
    await user.click(filtersOnly);
    await user.click(screen.getByRole('button', { name: 'Export' }));
    await host.finish({ kind: 'saved', path: '/tmp/trawl-job-3.xml' });
    await user.selectOptions(screen.getByLabelText('Format'), 'sqlite');
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(screen.getByText(/A SQLite copy holds the whole job/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Export' }));
    expect(host.requests).toEqual([
      { jobId: 3, format: 'sitemap', filters: view.filters },
      { jobId: 3, format: 'sitemap' },
      { jobId: 3, format: 'sqlite' },
    ]);
  });

  it('asks for formulas to be escaped in a CSV export, and only there', async () => {
    const user = userEvent.setup();
    const host = renderDialog({ jobId: 3, report: 'extracted-values' });
    const escape = /never as formulas/;
    await user.click(screen.getByLabelText(escape));
    await user.click(screen.getByRole('button', { name: 'Export' }));
    await host.finish({ kind: 'saved', path: '/tmp/trawl-job-3-extracted-values.csv' });
    await user.selectOptions(screen.getByLabelText('Format'), 'xlsx');
    expect(screen.queryByLabelText(escape)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Export' }));
    expect(host.requests).toEqual([
      { jobId: 3, format: 'csv', report: 'extracted-values', escapeFormulas: true },
      { jobId: 3, format: 'xlsx', report: 'extracted-values' },
    ]);
  });
});
