// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../shared/crawler-api';
import { finishedJob, reloadableApp } from '../helpers/render-app';
import { databasePerTest } from '../helpers/temp-db';
import { storeJob } from '../results/stored-job';

/** Two crawls of a site compared in the app, over the host's real comparison of the stored jobs. */

const env = databasePerTest('compare.sqlite');
const O = 'http://127.0.0.1:9';
let jobs: JobInfo[] = [];

beforeEach(() => {
  history.replaceState(null, '', '/');
  const before = storeJob(env.db, [
    { url: `${O}/`, page: { title: 'Home' } },
    { url: `${O}/pricing`, page: { title: 'Pricing' } },
    { url: `${O}/old`, page: {} },
  ]);
  const after = storeJob(env.db, [
    { url: `${O}/`, page: { title: 'Home' } },
    { url: `${O}/pricing`, page: { title: 'Plans and pricing' } },
    { url: `${O}/new`, page: {} },
  ]);
  jobs = [after, before].map((id) => finishedJob(id, `crawl ${id}`, `${O}/`, 3));
});
/** The app as `main.tsx` starts it: a second start is a reload. */
const app = reloadableApp(
  () => env.db,
  (service) => ({
    listJobs: async () => jobs,
    compareJobs: async (request: unknown) => service.call('compareJobs', [request]),
  }),
);
afterEach(app.stop);

const changes = async () =>
  (await screen.findAllByTestId('compare-row')).map((row) =>
    within(row)
      .getAllByRole('cell')
      .map((cell) => cell.textContent),
  );

describe('comparing two jobs in the app', () => {
  it('lists what was added, removed and changed, and keeps the comparison across a reload', async () => {
    const user = userEvent.setup();
    const [after, before] = jobs.map((job) => job.id);
    app.start();
    await user.click(
      await screen.findByRole('link', { name: `Compare job ${after} with another` }),
    );
    await screen.findByRole('heading', { name: `Compare job ${after}: crawl ${after}` });
    expect(location.hash).toBe(`#/jobs/${after}/compare`);
    await user.selectOptions(screen.getByLabelText('with the earlier job'), String(before));
    expect(await changes()).toEqual([
      ['added', `${O}/new`, ''],
      ['removed', `${O}/old`, ''],
      ['changed', `${O}/pricing`, 'title "Pricing" -> "Plans and pricing"'],
    ]);
    expect(screen.getByTestId('compare-summary').textContent).toBe(
      '1 added, 1 removed, 1 changed, 1 unchanged',
    );
    expect(location.hash).toBe(`#/jobs/${after}/compare/${before}`);

    app.start();
    expect(await changes()).toHaveLength(3);
    expect(screen.getByLabelText('with the earlier job')).toHaveProperty('value', String(before));
  });
});
