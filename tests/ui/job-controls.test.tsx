// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { JobControls } from '../../renderer/src/dashboard/job-controls';
import { createAppStore } from '../../renderer/src/store/app-store';
import { AppContext } from '../../renderer/src/store/store-context';
import type { CrawlerApi } from '../../shared/crawler-api';

/** The pool size of a running job, on its dashboard. */

afterEach(cleanup);

function renderControls(workers: number) {
  const resized: number[] = [];
  const api = {
    listJobs: async () => [],
    resizePool: async (_jobId: number, size: number) => void resized.push(size),
  } as unknown as CrawlerApi;
  render(
    <AppContext value={{ store: createAppStore(api), api }}>
      <JobControls
        jobId={1}
        status="running"
        workers={workers}
        coreCount={2}
        crawledElsewhereBy={null}
      />
    </AppContext>,
  );
  return resized;
}

describe('Resize pool', () => {
  it('says which sizes it takes: a size past them only disabled the button', async () => {
    const user = userEvent.setup();
    const resized = renderControls(2);
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
