// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExportRuns } from '../../electron/engine/export/export-runs';
import { QueryService } from '../../electron/engine/results/query-service';
import type { ProcessLauncher } from '../../electron/engine/process-launcher';
import { openDatabase, type Db } from '../../electron/engine/store/database';
import { CrawlerHost } from '../../electron/serve/crawler-host';
import { dispatchRequest } from '../../electron/serve/request-dispatch';
import {
  filledFormProblems,
  formFromSettings,
  hiddenSettings,
  nextJobName,
  readCrawlForm,
} from '../../renderer/src/crawl-form/form-model';
import type { CrawlerApi, JobInfo, JobStartInput } from '../../shared/crawler-api';
import { NewCrawlForm } from '../../renderer/src/crawl-form/new-crawl-form';
import { createAppStore } from '../../renderer/src/store/app-store';
import { AppContext } from '../../renderer/src/store/store-context';
import { parseExtractionSpec } from '../../shared/extraction';
import { jobSettingsSchema, storedJobSettingsSchema } from '../../shared/job-settings';
import { fromJsonText } from '../../shared/json-text';
import type { ResultsAnswers } from '../../shared/results';
import { databaseAt } from '../helpers/old-database';
import { renderApp } from '../helpers/render-app';
import { tempDir } from '../helpers/temp-db';

/** The New crawl form filled from a stored job ("New crawl from these settings"). */

/** Extraction rules of every form, as the CLI and the form write them. */
const RULES = [
  'price=css:.price',
  'links[]=css:a@href',
  'body=css:main@html',
  'ids[]=regex:id="(\\d+)"',
];
// Every setting the form shows away from its default, and some it does not show.
const STORED = jobSettingsSchema.parse({
  startUrls: ['https://example.com/', 'https://example.com/docs/'],
  mode: 'sitemap',
  scope: 'site',
  include: ['/docs/', '/blog/'],
  exclude: ['\\?print='],
  ignoreRobots: true,
  robotsUnavailable: 'allow',
  honourNofollow: false,
  extract: RULES.map(parseExtractionSpec),
  headers: { 'X-Token': 'xyz', Cookie: 'a=b' },
  hostConcurrency: 4,
  hostDelayMs: 250,
  maxRequestsPerSecond: 0.5,
  checkExternal: true,
  stripTrackingParams: true,
  stripParams: ['jsessionid', 'sid'],
  sortQueryParams: true,
  maxQueryParams: 3,
  maxUrlLength: 300,
  cookies: true,
  ignoreTlsErrors: true,
  basicAuth: [{ host: 'example.com', username: 'ann', password: 'se:cret' }],
  proxy: 'http://proxy.local:3128',
  workers: 3,
  concurrency: 8,
  maxPages: 500,
  maxDepth: 4,
  userAgent: 'MyBot/2.0',
  robotsUserAgent: 'Googlebot',
  timeoutMs: 15_000,
  // Not in the form:
  maxRedirects: 3,
  connectTimeoutMs: 3000,
  retries: 5,
});
const { startUrls: _, ...STORED_WITHOUT_URLS } = STORED;

describe('filling the form from stored settings', () => {
  it('fills every field, and reads back exactly the settings the job had', () => {
    const form = formFromSettings(STORED_WITHOUT_URLS, STORED.startUrls.join('\n'), 4);
    expect(form).toMatchObject({
      startUrls: 'https://example.com/\nhttps://example.com/docs/',
      extract: 'price=css:.price\nlinks[]=css:a@href\nbody=css:main@html\nids[]=regex:id="(\\d+)"',
      headers: 'X-Token: xyz\nCookie: a=b',
      basicAuth: 'example.com=ann:se:cret',
      maxRequestsPerSecond: '0.5',
      obeyRobots: false,
      followNofollow: true,
    });
    const read = readCrawlForm(form, 4, STORED_WITHOUT_URLS);
    expect(read.ok && jobSettingsSchema.parse(read.input)).toEqual(STORED);
  });

  it('keeps the settings the form does not show, and names those that are not defaults', () => {
    const form = formFromSettings(STORED_WITHOUT_URLS, STORED.startUrls.join('\n'), 4);
    expect(hiddenSettings(STORED_WITHOUT_URLS)).toEqual([
      'maxRedirects: 3',
      'connectTimeoutMs: 3000',
      'retries: 5',
    ]);
    // Without the job to keep them from, a new job's defaults.
    const fresh = readCrawlForm(form, 4);
    expect(fresh.ok && jobSettingsSchema.parse(fresh.input)).toMatchObject({
      maxRedirects: 10,
      connectTimeoutMs: 10_000,
      retries: 2,
    });
  });

  it('names the settings the form cannot hold as they were, and only those', () => {
    expect(filledFormProblems(STORED_WITHOUT_URLS, 4)).toEqual({ errors: {}, changed: [] });
    // From a job file: a pattern a line would read as a comment, one rule the syntax cannot write.
    const job = {
      ...STORED_WITHOUT_URLS,
      workers: 16,
      exclude: ['#respond'],
      extract: [
        {
          name: 'odd',
          kind: 'css' as const,
          expression: 'a',
          take: 'attribute' as const,
          attribute: 'html',
          all: false,
        },
      ],
    };
    expect(filledFormProblems(job, 4)).toEqual({ errors: {}, changed: ['exclude', 'extract'] });
    // A header an older Trawl took and a new job cannot is marked under its field at once.
    expect(
      filledFormProblems({ ...STORED_WITHOUT_URLS, headers: { Host: 'example.org' } }, 4).errors,
    ).toEqual({ headers: expect.stringMatching(/Host/) });
  });

  it("offers at most this machine's cores for the pool", () => {
    expect(formFromSettings({ ...STORED_WITHOUT_URLS, workers: 16 }, '', 4).workers).toBe('4');
  });

  it('fills an older job, stored with few settings, with the defaults it crawled with', () => {
    const old = storedJobSettingsSchema.parse({ mode: 'list', workers: 3, maxPages: 7 });
    const form = formFromSettings(old, 'http://127.0.0.1:9/a', 4);
    expect(form).toMatchObject({
      startUrls: 'http://127.0.0.1:9/a',
      mode: 'list',
      maxPages: '7',
      maxDepth: '',
      // A job stored before this setting crawled such a host as if it allowed everything.
      robotsUnavailable: 'allow',
      stripParams: '',
      maxRequestsPerSecond: '',
      maxUrlLength: '2048',
    });
    expect(hiddenSettings(old)).toEqual([]);
  });

  it('names the new job after the old one, numbered past the names taken', () => {
    expect(nextJobName('Blog audit', ['Blog audit'])).toBe('Blog audit (2)');
    expect(nextJobName('Blog audit (2)', ['Blog audit', 'Blog audit (2)'])).toBe('Blog audit (3)');
    expect(nextJobName('x'.repeat(200), [])).toHaveLength(200);
  });
});

describe('the settings the form does not show', () => {
  afterEach(cleanup);

  it('are kept from the job unless the user asks for the defaults', async () => {
    const user = userEvent.setup();
    const started: JobStartInput[] = [];
    const api = {
      startJob: async (input: JobStartInput) => {
        started.push(input);
        throw new Error('not this time');
      },
    } as unknown as CrawlerApi;
    const store = createAppStore(api);
    store.setState({
      formSource: {
        jobId: 5,
        name: 'docs',
        settings: STORED_WITHOUT_URLS,
        startUrls: STORED.startUrls.join('\n'),
      },
    });
    render(
      <AppContext value={{ store, api }}>
        <NewCrawlForm coreCount={4} />
      </AppContext>,
    );
    const start = screen.getByRole('button', { name: 'Start crawl' });
    await screen.findByText(/^Kept from job 5, not shown in this form:/);
    await user.click(start);
    await user.click(screen.getByRole('button', { name: 'Use the defaults instead' }));
    screen.getByText(/^A new job’s defaults instead of job 5/);
    await user.click(start);
    await user.click(screen.getByRole('button', { name: 'Keep job 5’s' }));
    await user.click(start);
    expect(
      started.map(({ retries, maxRedirects, maxDepth }) => ({ retries, maxRedirects, maxDepth })),
    ).toEqual([
      { retries: 5, maxRedirects: 3, maxDepth: 4 },
      { retries: undefined, maxRedirects: undefined, maxDepth: 4 },
      { retries: 5, maxRedirects: 3, maxDepth: 4 },
    ]);
  });
});

describe('a setting a new job cannot take as the job had it', () => {
  afterEach(cleanup);

  it('is marked under its field as soon as the form is filled', async () => {
    const api = {} as CrawlerApi;
    const store = createAppStore(api);
    const settings = { ...STORED_WITHOUT_URLS, headers: { Host: 'example.org' } };
    store.setState({
      formSource: { jobId: 5, name: 'docs', settings, startUrls: 'http://a.test/' },
    });
    render(
      <AppContext value={{ store, api }}>
        <NewCrawlForm coreCount={4} />
      </AppContext>,
    );
    const headers = await screen.findByLabelText('Headers');
    expect((headers as HTMLTextAreaElement).value).toBe('Host: example.org');
    expect(headers.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Fix the fields marked above.')).toBeTruthy();
  });
});

describe('New crawl from these settings, in the app', () => {
  let temp: ReturnType<typeof tempDir>;
  let db: Db;
  beforeEach(() => {
    temp = tempDir();
    location.hash = '#/jobs';
  });
  afterEach(() => {
    cleanup();
    db.close();
    temp.cleanup();
  });

  /**
   * A database an older Trawl wrote (schema 6: a list job with three settings,
   * and one whose settings are not JSON), opened as the host opens it.
   */
  function oldDatabase(list: string[]): Db {
    const file = temp.file('old.sqlite');
    const raw = databaseAt(file, 6);
    const job = raw.prepare(
      `INSERT INTO jobs (id, name, status, settings, created_at) VALUES (?, ?, 'finished', ?, 1)`,
    );
    job.run(
      1,
      'old list',
      JSON.stringify({ startUrls: list, mode: 'list', workers: 3, maxPages: 7 }),
    );
    job.run(2, 'broken', '{"startUrls": [');
    raw.close();
    return openDatabase(file, { mustExist: true });
  }

  /** The app over the host's own answers on the old database, checked as trawl serve checks each request; starting is recorded. */
  function renderOverOldDatabase(list: string[]) {
    db = oldDatabase(list);
    const service = new QueryService(db, () => undefined);
    const host = new CrawlerHost({
      db,
      launcher: {} as ProcessLauncher,
      version: '0.1.0',
      results: {
        getJobSettings: async (jobId: number) => service.call('getJobSettings', [jobId]),
      } as ResultsAnswers,
      exportJob: async () => ({ kind: 'cancelled' }),
      exports: new ExportRuns(),
    });
    const started: unknown[][] = [];
    const call =
      (method: string) =>
      (...args: unknown[]) =>
        dispatchRequest(host, method, args);
    renderApp({
      listJobs: call('listJobs'),
      // As the transports pass it on: the host answers with JSON text.
      getJobSettings: async (...args: unknown[]) =>
        fromJsonText(await call('getJobSettings')(...args)),
      startJob: async (...args: unknown[]) => {
        await dispatchRequest({ startJob: async () => undefined } as never, 'startJob', args);
        started.push(args);
        return { ...(await host.listJobs())[1]!, id: 3, status: 'running' } as JobInfo;
      },
      onProgress: () => () => {},
    });
    return { host, started };
  }

  it("fills the form with an older job's settings and defaults, and starts a new job from them", async () => {
    const user = userEvent.setup();
    const list = ['http://127.0.0.1:9/c', 'http://127.0.0.1:9/a', 'http://127.0.0.1:9/b'];
    const { host, started } = renderOverOldDatabase(list);

    // A job whose settings cannot be read offers no form to fill.
    const broken = await screen.findByRole('button', {
      name: 'New crawl from the settings of job 2',
    });
    expect(broken).toHaveProperty('disabled', true);
    expect(broken.getAttribute('title')).toMatch(/^unreadable settings: not JSON/);

    await user.click(screen.getByRole('button', { name: 'New crawl from the settings of job 1' }));
    const form = await screen.findByRole('form', { name: 'New crawl' });
    expect(within(form).getByRole('status').textContent).toBe(
      'Filled from the settings of job 1 (old list). Starting makes a new job; job 1 and its ' +
        'results stay as they are. Job 1 ran with 3 workers; this machine has 2 cores.',
    );
    const field = (label: string) => within(form).getByLabelText(label) as HTMLInputElement;
    expect(field('Start URLs').value).toBe(list.join('\n'));
    expect(field('Mode').value).toBe('list');
    expect(field('Max pages').value).toBe('7');
    expect(field('Max depth').value).toBe('');
    expect(field('Worker processes').value).toBe('2');
    expect(field('When robots.txt is unavailable').value).toBe('allow');
    expect(field('Max URL length').value).toBe('2048');
    expect(field('Job name').value).toBe('old list (2)');

    await user.clear(field('Max pages'));
    await user.type(field('Max pages'), '10');
    await user.click(within(form).getByRole('button', { name: 'Start crawl' }));
    expect(started).toEqual([
      [
        expect.objectContaining({
          startUrls: list,
          mode: 'list',
          maxPages: 10,
          workers: 2,
          robotsUnavailable: 'allow',
          maxRedirects: 10,
        }),
        { name: 'old list (2)' },
      ],
    ]);
    // The old job is as it was.
    expect(fromJsonText(await host.getJobSettings(1))).toMatchObject({
      settings: { maxPages: 7 },
      startUrls: list.join('\n'),
    });
  });

  it("offers it on a finished job's dashboard", async () => {
    const user = userEvent.setup();
    location.hash = '#/jobs/1/dashboard';
    renderOverOldDatabase(['http://127.0.0.1:9/a']);
    await user.click(await screen.findByRole('button', { name: 'New crawl from these settings' }));
    const form = await screen.findByRole('form', { name: 'New crawl' });
    expect((within(form).getByLabelText('Start URLs') as HTMLTextAreaElement).value).toBe(
      'http://127.0.0.1:9/a',
    );
    expect((within(form).getByLabelText('Job name') as HTMLInputElement).value).toBe(
      'old list (2)',
    );
  });
});
