// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  CrawlerApi,
  ExtractionPreview,
  ExtractionPreviewRequest,
} from '../../shared/crawler-api';
import { HostError } from '../../renderer/src/api/ws-client';
import { NewCrawlForm } from '../../renderer/src/crawl-form/new-crawl-form';
import { createAppStore } from '../../renderer/src/store/app-store';
import { AppContext } from '../../renderer/src/store/store-context';

/** The New crawl form's "Test on a URL" control, over a host that records each request. */

let requests: ExtractionPreviewRequest[];
let answer: ExtractionPreview | string;

beforeEach(() => {
  requests = [];
  localStorage.clear();
  sessionStorage.clear(); // the form's draft
});
afterEach(cleanup);

function renderForm() {
  const api = {
    previewExtraction: async (request: ExtractionPreviewRequest) => {
      requests.push(request);
      if (typeof answer === 'string') throw new HostError({ name: 'UserError', message: answer });
      return answer;
    },
    listJobs: async () => [],
  } as unknown as CrawlerApi;
  render(
    <AppContext value={{ store: createAppStore(api), api }}>
      <NewCrawlForm coreCount={2} />
    </AppContext>,
  );
}

async function fillRules(user: ReturnType<typeof userEvent.setup>, rules: string) {
  // Pasted: typing would read `[]` and `{…}` as key names.
  await user.click(screen.getByLabelText('Extraction rules'));
  await user.paste(rules);
}

describe('Test on a URL', () => {
  it("sends the form's settings and shows each rule's values as text, never HTML", async () => {
    answer = {
      finalUrl: 'https://example.com/bugs',
      status: 200,
      contentType: 'text/html',
      html: true,
      values: [
        { name: 'bugs', value: ['<b>Crash</b>', 'Slow export'] },
        { name: 'price', value: '<img src=x onerror=alert(1)>' },
        { name: 'missing', value: null },
      ],
    };
    const user = userEvent.setup();
    renderForm();
    await user.type(screen.getByLabelText('Headers'), 'X-Team: bugs');
    await fillRules(user, 'bugs[]=css:li\nprice=regex:Price (\\d+)\nmissing=css:.none');
    await user.type(screen.getByLabelText('Test on a URL'), 'https://example.com/old');
    await user.click(screen.getByRole('button', { name: 'Test rules' }));

    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      url: 'https://example.com/old',
      settings: {
        startUrls: ['https://example.com/old'],
        headers: { 'X-Team': 'bugs' },
        extract: [{ name: 'bugs', all: true }, { name: 'price' }, { name: 'missing' }],
      },
    });
    const table = await screen.findByRole('table', { name: 'Values extracted by each rule' });
    const bugs = within(table).getByRole('row', { name: /^bugs/ });
    expect(
      within(bugs)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['<b>Crash</b>', 'Slow export']);
    expect(within(table).getByRole('row', { name: /^price/ }).textContent).toContain(
      '<img src=x onerror=alert(1)>',
    );
    // Shown as text: no element came out of the values.
    expect(table.querySelector('b, img')).toBeNull();
    expect(within(table).getByRole('row', { name: /^missing/ }).textContent).toContain('no match');
    expect(screen.getByText(/HTTP 200, text\/html, from https:\/\/example.com\/bugs/)).toBeTruthy();
  });

  it('tests the first start URL when no URL is given, and shows the host error', async () => {
    answer = 'could not fetch https://example.com/: ECONNREFUSED';
    const user = userEvent.setup();
    renderForm();
    await user.type(screen.getByLabelText('Start URLs'), 'https://example.com/');
    await fillRules(user, 'title=css:title');
    // Enter in the URL field runs the test and does not start the crawl.
    await user.type(screen.getByLabelText('Test on a URL'), '{enter}');
    expect(requests.map((request) => request.url)).toEqual(['https://example.com/']);
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Test failed: could not fetch https://example.com/: ECONNREFUSED',
    );
  });

  it('names the problem without asking the host when the rules are missing or bad', async () => {
    const user = userEvent.setup();
    renderForm();
    await user.type(screen.getByLabelText('Test on a URL'), 'https://example.com/');
    await user.click(screen.getByRole('button', { name: 'Test rules' }));
    expect(screen.getByRole('alert').textContent).toBe(
      'Test failed: add an extraction rule to test',
    );
    await fillRules(user, 'price=xpath://p');
    await user.click(screen.getByRole('button', { name: 'Test rules' }));
    expect(screen.getByRole('alert').textContent).toMatch(
      /^Test failed: Extraction rules: .*NAME=css:SELECTOR/,
    );
    expect(requests).toEqual([]);
  });
});
