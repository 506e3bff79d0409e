// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../shared/crawler-api';
import { layOutTableScroller } from '../helpers/table-layout';
import { databasePerTest } from '../helpers/temp-db';
import { renderResultsScreen } from '../helpers/render-app';
import { storeJob } from '../results/stored-job';

/** "Go to row N" in the results toolbar, over the real results service and a stored job. */

const env = databasePerTest('results.sqlite');
afterEach(cleanup);

const ROWS = 500;
layOutTableScroller();

function renderResults() {
  const jobId = storeJob(
    env.db,
    Array.from({ length: ROWS }, (_, n) => ({
      url: `http://127.0.0.1:9/p/${n}`,
      page: { title: `Page ${String(n).padStart(3, '0')}` },
    })),
  );
  renderResultsScreen(env.db, { id: jobId, name: 'fixture' } as JobInfo);
}

const firstRow = () => screen.getAllByTestId('result-row')[0]!;

describe('results table: go to row N', () => {
  it('restarts the table at the row typed, in the sort shown, and back at row 1', async () => {
    const user = userEvent.setup();
    renderResults();
    await screen.findByText(`200 of ${ROWS} rows loaded`);
    await user.click(screen.getByRole('button', { name: /^Title/ }));
    await screen.findByText(`200 of ${ROWS} rows loaded`);

    const input = screen.getByRole('textbox', { name: 'Row' });
    await user.type(input, '321{Enter}');
    await screen.findByText(`Rows 321–500 of ${ROWS} loaded (go to row 1 for the rows above)`);
    expect(firstRow().getAttribute('aria-rowindex')).toBe('322'); // the header is row 1
    expect(firstRow().textContent).toContain('Page 320');

    await user.clear(input);
    await user.type(input, '1{Enter}');
    await screen.findByText(`200 of ${ROWS} rows loaded`);
    expect(firstRow().textContent).toContain('Page 000');
  });

  it('says why a row number cannot be reached, next to the field', async () => {
    const user = userEvent.setup();
    renderResults();
    await screen.findByText(`200 of ${ROWS} rows loaded`);
    const input = screen.getByRole('textbox', { name: 'Row' });
    await user.type(input, '501{Enter}');
    expect(screen.getByRole('alert').textContent).toBe(`This view has ${ROWS} rows`);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    await user.clear(input);
    await user.type(input, 'x');
    await user.click(screen.getByRole('button', { name: 'Go' }));
    expect(screen.getByRole('alert').textContent).toBe('Enter a row number from 1');
    await waitFor(() => expect(screen.getByText(`200 of ${ROWS} rows loaded`)).toBeTruthy());
  });
});
