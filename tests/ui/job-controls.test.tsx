// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { JobControls } from '../../renderer/src/dashboard/job-controls';
import { createAppStore } from '../../renderer/src/store/app-store';
import { AppContext } from '../../renderer/src/store/store-context';
import type { CrawlerApi } from '../../shared/crawler-api';
import type { JobStatus } from '../../shared/progress';

/** The pool size of a running job, on its dashboard. */

afterEach(cleanup);

function renderControls(workers: number, status: JobStatus = 'running') {
  const resized: number[] = [];
  const resumed: unknown[] = [];
  const api = {
    listJobs: async () => [],
    resizePool: async (_jobId: number, size: number) => void resized.push(size),
    resumeJob: async (_jobId: number, options?: { workers?: number }) => void resumed.push(options),
  } as unknown as CrawlerApi;
  render(
    <AppContext value={{ store: createAppStore(api), api }}>
      <JobControls
        jobId={1}
        status={status}
        workers={workers}
        coreCount={2}
        crawledElsewhereBy={null}
      />
    </AppContext>,
  );
  return { resized, resumed };
}

describe('Resize pool', () => {
  it('says which sizes it takes: a size past them only disabled the button', async () => {
    const user = userEvent.setup();
    const { resized } = renderControls(2);
    const field = screen.getByRole('spinbutton', { name: 'Workers' });
    const resize = screen.getByRole('button', { name: 'Resize pool' });
    expect(screen.getByRole('alert').textContent).toBe('');

    await user.clear(field);
    await user.type(field, '3');
    expect(resize).toHaveProperty('disabled', true);
    expect(screen.getByRole('alert').textContent).toBe('choose 1 to 2 (the CPU cores detected)');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').id).toBe(field.getAttribute('aria-describedby'));

    await user.clear(field);
    await user.type(field, '1');
    expect(screen.getByRole('alert').textContent).toBe('');
    await user.click(resize);
    await waitFor(() => expect(resized).toEqual([1]));
  });

  it('takes up to the pool a job runs with beyond the cores (a job file)', async () => {
    const user = userEvent.setup();
    renderControls(6);
    const field = screen.getByRole('spinbutton', { name: 'Workers' });
    await user.clear(field);
    await user.type(field, '7');
    expect(screen.getByRole('alert').textContent).toBe('choose 1 to 6');
  });
});

describe('Resume', () => {
  it('takes a pool size, offering the one the job last ran with: it always resumed with that', async () => {
    const user = userEvent.setup();
    const { resumed } = renderControls(2, 'stopped');
    const field = screen.getByRole('spinbutton', { name: 'Workers' });
    const resume = screen.getByRole('button', { name: 'Resume' });
    expect(field).toHaveProperty('value', '2');

    await user.clear(field);
    await user.type(field, '3');
    expect(resume).toHaveProperty('disabled', true);
    expect(screen.getByRole('alert').textContent).toBe('choose 1 to 2 (the CPU cores detected)');

    await user.clear(field);
    await user.type(field, '1');
    await user.click(resume);
    await waitFor(() => expect(resumed).toEqual([{ workers: 1 }]));
    expect(screen.queryByRole('button', { name: 'Resize pool' })).toBeNull();
  });
});
