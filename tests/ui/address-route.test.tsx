// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FIRST_RESULTS_VIEW,
  formatRoute,
  parseRoute,
  type Route,
} from '../../renderer/src/store/route';
import type { JobInfo } from '../../shared/crawler-api';
import { finishedJob, reloadableApp } from '../helpers/render-app';
import { layOutTableScroller } from '../helpers/table-layout';
import { databasePerTest } from '../helpers/temp-db';
import { storeJob } from '../results/stored-job';

/** The screen lives in the address: a reload shows it again, back/forward walk through it. */

const env = databasePerTest('results.sqlite');
layOutTableScroller();
let jobId = 0;
/** What the host lists: a test may add a job made after the page loaded. */
let listed: JobInfo[] = [];

beforeEach(() => {
  history.replaceState(null, '', '/');
  jobId = storeJob(env.db, [
    { url: 'http://127.0.0.1:9/', page: {} },
    { url: 'http://127.0.0.1:9/missing', page: { status: 404 } },
    { url: 'http://127.0.0.1:9/p/1', page: {} },
  ]);
});
/** The app as `main.tsx` starts it: a fresh store, so a second start is a reload. */
const app = reloadableApp(
  () => env.db,
  (service) => {
    listed = [finishedJob(jobId, 'fixture', 'http://127.0.0.1:9/', 3)];
    return {
      listJobs: async () => listed,
      queryPages: async (query: unknown) => service.call('queryPages', [query]),
      pageDetail: async (request: unknown) => service.call('pageDetail', [request]),
      queryLinks: async (query: unknown) => service.call('queryLinks', [query]),
      runReport: async (request: unknown) => service.call('runReport', [request]),
    };
  },
);
afterEach(app.stop);

const tableFoot = (text: string) =>
  screen.findByText(text, { selector: '.table-foot *, .table-foot' });
const resultsHeading = () =>
  screen.findByRole('heading', { name: `Results of job ${jobId}: fixture` });

describe('the address names the screen', () => {
  it('shows the same results, view and filters after a reload', async () => {
    const user = userEvent.setup();
    app.start();
    await user.click(await screen.findByRole('link', { name: `Results of job ${jobId}` }));
    await tableFoot('3 of 3 rows loaded');
    await user.click(screen.getByRole('checkbox', { name: '4xx' }));
    await user.type(screen.getByLabelText('Search'), 'missing{Enter}');
    await tableFoot('1 of 1 rows loaded');
    expect(location.hash).toBe(`#/jobs/${jobId}/results?status=4xx&q=missing`);

    app.start();
    await resultsHeading();
    await tableFoot('1 of 1 rows loaded');
    expect(screen.getByRole('checkbox', { name: '4xx' })).toHaveProperty('checked', true);
    expect(screen.getByLabelText('Search')).toHaveProperty('value', 'missing');

    await user.selectOptions(screen.getByLabelText('View'), 'broken-links');
    expect(location.hash).toBe(`#/jobs/${jobId}/results/broken-links?status=4xx&q=missing`);
    app.start();
    await screen.findByRole('region', { name: 'Broken links' });
    expect(screen.getByLabelText('View')).toHaveProperty('value', 'broken-links');
  });

  it('walks back and forward through the screens and filters', async () => {
    const user = userEvent.setup();
    app.start();
    await user.click(await screen.findByRole('link', { name: `Dashboard of job ${jobId}` }));
    await user.click(await screen.findByRole('button', { name: 'Browse results' }));
    await tableFoot('3 of 3 rows loaded');
    await user.click(screen.getByRole('checkbox', { name: '4xx' }));
    await tableFoot('1 of 1 rows loaded');
    const search = screen.getByLabelText('Search');
    await user.type(search, 'missing{Enter}');
    await waitFor(() => expect(location.hash).toBe(`#/jobs/${jobId}/results?status=4xx&q=missing`));

    history.back();
    await waitFor(() => expect(search).toHaveProperty('value', ''));
    expect(location.hash).toBe(`#/jobs/${jobId}/results?status=4xx`);
    history.back();
    await tableFoot('3 of 3 rows loaded');
    expect(screen.getByRole('checkbox', { name: '4xx' })).toHaveProperty('checked', false);
    history.back();
    await screen.findByRole('heading', { name: new RegExp(`^Job ${jobId}: fixture`) });
    history.back();
    await screen.findByRole('heading', { name: 'Jobs' });
    history.forward();
    await screen.findByRole('heading', { name: new RegExp(`^Job ${jobId}: fixture`) });
    history.forward();
    await tableFoot('3 of 3 rows loaded');
    history.forward();
    await tableFoot('1 of 1 rows loaded');
    expect(location.hash).toBe(`#/jobs/${jobId}/results?status=4xx`);
    expect(screen.getByRole('checkbox', { name: '4xx' })).toHaveProperty('checked', true);
  });

  it("keeps the table's sort, its columns and the open page detail across a reload and back", async () => {
    const user = userEvent.setup();
    app.start();
    await user.click(await screen.findByRole('link', { name: `Results of job ${jobId}` }));
    await tableFoot('3 of 3 rows loaded');
    await user.click(screen.getByRole('button', { name: 'Status' }));
    await user.click(screen.getByRole('button', { name: 'Status ▲' }));
    await user.click(screen.getByText(/^Columns \(/));
    await user.click(screen.getByRole('checkbox', { name: 'Kind' }));
    await user.click(screen.getByRole('checkbox', { name: 'Content type' }));
    const urls = () =>
      screen.getAllByTestId('result-row').map((row) => row.firstChild?.textContent);
    await waitFor(() => expect(urls()[0]).toBe('http://127.0.0.1:9/missing'));
    await user.click(screen.getAllByTestId('result-row')[0]!);
    await screen.findByRole('dialog', { name: 'http://127.0.0.1:9/missing' });
    const cols = 'url,status,depth,bytes,responseMs,title,indexable';
    const page = 'http://127.0.0.1:9/missing';
    expect(location.hash).toBe(`#/jobs/${jobId}/results?sort=-status&cols=${cols}&page=${page}`);

    app.start();
    const detail = await screen.findByRole('dialog', { name: 'http://127.0.0.1:9/missing' });
    await tableFoot('3 of 3 rows loaded');
    expect(urls()[0]).toBe('http://127.0.0.1:9/missing');
    expect(screen.getAllByRole('columnheader').map((header) => header.textContent)).toEqual([
      'URL',
      'Status ▼',
      'Depth',
      'Size',
      'Response (ms)',
      'Title',
      'Indexable',
    ]);
    await user.click(within(detail).getByRole('button', { name: 'Close page detail' }));
    expect(location.hash).toBe(`#/jobs/${jobId}/results?sort=-status&cols=${cols}`);
    history.back();
    await screen.findByRole('dialog', { name: 'http://127.0.0.1:9/missing' });
    // Before the detail opened: the same table, no detail.
    history.back();
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(location.hash).toBe(`#/jobs/${jobId}/results?sort=-status&cols=${cols}`);
  });

  it("heads a report's columns in words, as the URL table heads its own", async () => {
    history.replaceState(null, '', `#/jobs/${jobId}/results/depth-distribution`);
    app.start();
    await screen.findByRole('heading', { name: /^URLs per depth/ });
    expect(screen.getAllByRole('columnheader').map((header) => header.textContent)).toEqual([
      'Depth',
      'URLs',
      'Pages',
      'Failed',
      'Blocked',
      'Queued',
    ]);
    history.replaceState(null, '', `#/jobs/${jobId}/results/non-indexable`);
    app.start();
    await screen.findByRole('heading', { name: /^Pages a search engine would not index/ });
    expect(screen.getAllByRole('columnheader').map((header) => header.textContent)).toEqual([
      'URL',
      'Status',
      'Reason',
      'Canonical',
      'Meta robots',
      'X-Robots-Tag',
    ]);
  });

  it('says so when the address names a job that does not exist, with a way back', async () => {
    const user = userEvent.setup();
    history.replaceState(null, '', '#/jobs/99/results');
    app.start();
    await screen.findByText('There is no job 99: it was deleted, or the address is wrong.');
    await user.click(screen.getByRole('button', { name: 'Go to the jobs list' }));
    await screen.findByRole('link', { name: `Results of job ${jobId}` });
    expect(location.hash).toBe('#/jobs');
  });

  it('shows a job made after the page loaded (by the CLI, in another tab) when the address names it', async () => {
    app.start();
    await screen.findByRole('link', { name: `Results of job ${jobId}` });
    const later = storeJob(env.db, [{ url: 'http://127.0.0.1:9/later', page: {} }]);
    listed = [{ ...listed[0]!, id: later, name: 'made later', pages: 1 }, ...listed];
    location.hash = `#/jobs/${later}/results`;
    await screen.findByRole('heading', { name: `Results of job ${later}: made later` });
    await tableFoot('1 of 1 rows loaded');
    expect(screen.queryByText(/There is no job/)).toBeNull();
  });

  it('shows the jobs list for an address it does not know, and says so in the address', async () => {
    history.replaceState(null, '', '/?keep=1#/jobs/12x/results');
    app.start();
    await screen.findByRole('link', { name: `Results of job ${jobId}` });
    // Only the fragment is rewritten: the path and query (the token's place) stay.
    expect(location.search).toBe('?keep=1');
    expect(location.hash).toBe('#/jobs');
  });
});

describe('parseRoute and formatRoute', () => {
  const route = (fields: Partial<Route>): Route => ({
    view: 'jobs',
    jobId: null,
    compareBase: null,
    ...FIRST_RESULTS_VIEW,
    ...fields,
  });

  it('read back every screen they write', () => {
    const routes = [
      route({ view: 'new' }),
      route({ view: 'jobs' }),
      route({ view: 'dashboard' }),
      route({ view: 'dashboard', jobId: 12 }),
      route({ view: 'results', jobId: 12 }),
      route({
        view: 'results',
        jobId: 12,
        tab: 'redirect-chains',
        filters: {
          statusClasses: ['4xx', 'failed'],
          contentType: 'text/html',
          indexable: false,
          scope: 'all',
          text: 'café & co?',
        },
      }),
    ];
    routes.push(
      route({
        view: 'results',
        jobId: 12,
        sort: { column: 'bytes', direction: 'desc' },
        columns: ['title', 'url', 'wordCount'],
        page: 'https://example.com/a?b=1&c=%20#frag',
      }),
      route({ view: 'results', jobId: 12, sort: { column: 'title', direction: 'asc' } }),
      route({ view: 'compare', jobId: 12 }),
      route({ view: 'compare', jobId: 12, compareBase: 9 }),
    );
    for (const each of routes) expect(parseRoute(formatRoute(each))).toEqual(each);
  });

  it('ignore a sort or column they do not know, and keep the URL column', () => {
    const view = (query: string) => parseRoute(`#/jobs/7/results?${query}`);
    expect(view('sort=shoeSize&cols=url,shoeSize,title,title')).toMatchObject({
      sort: null,
      columns: ['url', 'title'],
    });
    expect(view('sort=-&cols=,,')).toMatchObject(FIRST_RESULTS_VIEW);
    expect(view('sort=--title&cols=nothing')).toMatchObject(FIRST_RESULTS_VIEW);
    expect(view('cols=status,title').columns).toEqual(['url', 'status', 'title']);
    expect(view(`page=&q=x`)).toMatchObject({ page: null, filters: { text: 'x' } });
    expect(view(`page=${'x'.repeat(3000)}`).page).toBeNull();
    // The first view writes nothing: addresses stay short.
    expect(formatRoute(route({ view: 'results', jobId: 7 }))).toBe('#/jobs/7/results');
  });

  it('keep what they can of an address typed by hand', () => {
    expect(parseRoute('')).toEqual(route({}));
    expect(parseRoute('#/jobs/7')).toEqual(route({ view: 'dashboard', jobId: 7 }));
    expect(parseRoute('#/jobs/0/results')).toEqual(route({}));
    expect(parseRoute('#/settings')).toEqual(route({}));
    expect(parseRoute('#/jobs/7/compare/0')).toEqual(route({}));
    expect(parseRoute('#/jobs/7/compare/')).toEqual(route({ view: 'compare', jobId: 7 }));
    // A report it does not know is the URL table; a filter with a bad value is dropped alone.
    expect(
      parseRoute('#/jobs/7/results/no-such-report?status=9xx&indexable=maybe&q=shoes&urls=far'),
    ).toEqual(route({ view: 'results', jobId: 7, filters: { text: 'shoes' } }));
  });
});
