// @vitest-environment jsdom
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../shared/crawler-api';
import { renderResultsScreen } from '../helpers/render-app';
import { layOutTableScroller } from '../helpers/table-layout';
import { databasePerTest } from '../helpers/temp-db';
import { storeJob } from '../results/stored-job';

/** The page detail's Copy URL, over the real results service and a stored job. */

const env = databasePerTest('results.sqlite');
afterEach(cleanup);
layOutTableScroller();

const URL = 'http://127.0.0.1:9/';

describe('page detail: Copy URL', () => {
  it('says why it could not copy where the browser has no clipboard for the page', async () => {
    // As on a page that is not a secure context: trawl serve --host 0.0.0.0, opened as
    // http://192.168.1.5:4780/. jsdom has no clipboard either.
    expect('clipboard' in navigator).toBe(false);
    renderResultsScreen(env.db, {
      id: storeJob(env.db, [{ url: URL, page: {} }]),
      name: 'f',
    } as JobInfo);
    fireEvent.click(await screen.findByText(URL));
    await screen.findByRole('dialog', { name: URL });
    fireEvent.click(screen.getByRole('button', { name: 'Copy URL' }));
    // Nothing happened: the button said nothing, and the page logged an unhandled TypeError.
    const message = await screen.findByText(
      'Could not copy the URL: the browser lets a page copy only over https or from localhost. ' +
        'Select it above and copy it with Ctrl+C.',
    );
    expect(message.getAttribute('role')).toBe('alert');
    expect(screen.getByRole('button', { name: 'Copy URL' })).toBeTruthy();
  });
});
