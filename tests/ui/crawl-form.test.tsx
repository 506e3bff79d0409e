// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CrawlerApi, JobInfo, JobStartInput } from '../../shared/crawler-api';
import type { JobSettingsAndUrls } from '../../shared/results';
import { HostError } from '../../renderer/src/api/ws-client';
import {
  crawlFormSchema,
  defaultCrawlForm,
  firstLine,
  impliedRobotsAgent,
  lineCount,
  lines,
  readCrawlForm,
  type CrawlForm,
} from '../../renderer/src/crawl-form/form-model';
import { NewCrawlForm } from '../../renderer/src/crawl-form/new-crawl-form';
import { PresetBar } from '../../renderer/src/crawl-form/preset-bar';
import { loadPresets, savePreset } from '../../renderer/src/crawl-form/presets';
import { createAppStore } from '../../renderer/src/store/app-store';
import { AppContext } from '../../renderer/src/store/store-context';
import { parseStartUrl, storedJobSettingsSchema } from '../../shared/job-settings';
import { jobStartSchema } from '../../shared/crawler-api-schemas';
import { MAX_URL_LENGTH } from '../../shared/limits';

const form = (patch: Partial<CrawlForm>): CrawlForm => ({ ...defaultCrawlForm(4), ...patch });

// Each start URL's check, counted: a long list is not checked at each keystroke in it.
vi.mock(import('../../shared/job-settings'), async (importOriginal) => {
  const actual = await importOriginal();
  return { ...actual, parseStartUrl: vi.fn(actual.parseStartUrl) };
});

// jsdom's Blob lacks arrayBuffer(), which every browser has: read it the older way.
Blob.prototype.arrayBuffer ??= function (this: Blob) {
  return new Promise<ArrayBuffer>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as ArrayBuffer);
    reader.onerror = () => reject(reader.error);
    reader.readAsArrayBuffer(this);
  });
};

describe('reading the New crawl form', () => {
  it('turns a valid form into job settings', () => {
    const result = readCrawlForm(
      form({
        startUrls: 'https://example.com/\n\n# a comment\nhttps://example.com/docs/',
        maxPages: '500',
        workers: '3',
        obeyRobots: false,
        headers: 'Cookie: a=b\nX-Token:  xyz ',
        include: '/docs/',
        extract: 'price=css:.price\nlinks[]=css:a@href',
      }),
      4,
    );
    expect(result).toMatchObject({
      ok: true,
      input: {
        startUrls: ['https://example.com/', 'https://example.com/docs/'],
        maxPages: 500,
        maxDepth: null,
        workers: 3,
        ignoreRobots: true,
        headers: { Cookie: 'a=b', 'X-Token': 'xyz' },
        include: ['/docs/'],
        extract: [
          { name: 'price', kind: 'css', expression: '.price', all: false },
          {
            name: 'links',
            kind: 'css',
            expression: 'a',
            take: 'attribute',
            attribute: 'href',
            all: true,
          },
        ],
      },
    });
  });

  it('names a job after the first URL of its list, as the whole list is read: blank and comment lines skipped', () => {
    for (const text of [
      '',
      '\n  \n# only comments\n',
      'https://example.com/',
      '# staging list\r\n\r\n   https://example.com/docs/  \r\nhttps://example.com/b',
      '#x\n\t#y\n \n  https://a.test/#frag\n',
    ]) {
      expect(firstLine(text)).toBe(lines(text)[0]);
    }
  });

  it("counts a list's start URLs as the whole list is read: blank and comment lines skipped", () => {
    for (const text of [
      '',
      '\n  \n# only comments\n',
      'https://example.com/',
      '# staging list\r\n\r\n   https://example.com/docs/  \r\nhttps://example.com/b\n',
      '#x\n\t#y\n \r\n\u00a0# z\n\u3000https://a.test/#frag\n\u2028\nhttps://b.test/\n\n',
    ]) {
      expect(lineCount(text)).toBe(lines(text).length);
    }
  });

  it('reads the request settings: timeout, proxy, basic auth, cookies, TLS, external checks', () => {
    const result = readCrawlForm(
      form({
        startUrls: 'https://example.com/',
        timeoutMs: '5000',
        proxy: ' http://proxy.local:3128 ',
        basicAuth: 'example.com=ann:se:cret\nstaging.example.com:8080=bob:pw',
        cookies: true,
        ignoreTlsErrors: true,
        checkExternal: true,
      }),
      4,
    );
    expect(result).toMatchObject({
      ok: true,
      input: {
        timeoutMs: 5000,
        proxy: 'http://proxy.local:3128',
        basicAuth: [
          { host: 'example.com', username: 'ann', password: 'se:cret' },
          { host: 'staging.example.com:8080', username: 'bob', password: 'pw' },
        ],
        cookies: true,
        ignoreTlsErrors: true,
        checkExternal: true,
      },
    });
    const bad = readCrawlForm(
      form({ startUrls: 'https://example.com/', proxy: 'socks5://x:1', basicAuth: 'nohost' }),
      4,
    );
    expect(bad).toMatchObject({
      ok: false,
      errors: {
        proxy: '"socks5://x:1" is not an absolute http(s) URL',
        basicAuth: '"nohost" is not of the form "host=user:password"',
      },
    });
  });

  it('says what a number out of range must be, in words', () => {
    const result = readCrawlForm(
      form({
        startUrls: 'https://example.com/',
        maxPages: '99999999999999999999',
        concurrency: '0',
        timeoutMs: '5000000',
      }),
      4,
    );
    expect(result).toMatchObject({
      ok: false,
      errors: {
        // zod's own words were "Too big: expected int to be <=9007199254740991" and the like.
        maxPages: 'is too large',
        concurrency: 'must be at least 1',
        timeoutMs: 'must be at most 600,000',
      },
    });
  });

  it('names the least a number field takes for a negative number: "-5" said "enter a whole number"', () => {
    const result = readCrawlForm(
      form({
        startUrls: 'https://example.com/',
        maxPages: '-5',
        maxDepth: '-1',
        workers: '-2',
        concurrency: '-1',
        hostDelayMs: '-100',
        timeoutMs: '-1',
        maxQueryParams: '-3',
        maxUrlLength: '-20',
        maxRequestsPerSecond: '-0.5',
      }),
      4,
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        maxPages: 'must be at least 1',
        maxDepth: 'must be at least 0',
        workers: 'choose 1 to 4 (the CPU cores detected)',
        concurrency: 'must be at least 1',
        hostDelayMs: 'must be at least 0',
        timeoutMs: 'must be at least 100',
        maxQueryParams: 'must be at least 0',
        maxUrlLength: 'must be at least 20',
        maxRequestsPerSecond: 'must be at least 0.01',
      },
    });
  });

  it('names each bad field with a clear message', () => {
    const result = readCrawlForm(
      form({
        startUrls: 'javascript:alert(1)',
        maxPages: 'lots',
        workers: '9',
        include: '(unclosed',
        headers: 'no colon here',
        extract: 'price=xpath://p',
      }),
      4,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.startUrls).toBe('"javascript:alert(1)" is not an absolute http(s) URL');
    expect(result.errors.maxPages).toBe('enter a whole number');
    expect(result.errors.workers).toBe('choose 1 to 4 (the CPU cores detected)');
    expect(result.errors.include).toMatch(/^bad regular expression \/\(unclosed\//);
    expect(result.errors.headers).toBe('"no colon here" is not of the form "Name: value"');
    expect(result.errors.extract).toMatch(/is not of the form NAME=css:SELECTOR/);
  });

  it('refuses a header given twice or one Trawl sets, as the CLI and job files do', () => {
    const headersError = (headers: string) => {
      const result = readCrawlForm(form({ startUrls: 'https://example.com/', headers }), 4);
      return result.ok ? null : result.errors.headers;
    };
    expect(headersError('X-A: 1\nx-a: 2')).toBe(
      '"x-a" is given twice (also as "X-A"; header names ignore case)',
    );
    expect(headersError('Host: example.org')).toBe(
      '"Host" cannot be set: Trawl sends each URL its own host',
    );
    expect(headersError('Expect: 100-continue')).toMatch(/^"Expect" cannot be set: /);
  });

  it('reads the robots.txt user-agent: empty for the product token of the User-Agent', () => {
    const read = (patch: Partial<CrawlForm>) =>
      readCrawlForm(form({ startUrls: 'https://example.com/', ...patch }), 4);
    expect(read({ robotsUserAgent: ' Googlebot ' })).toMatchObject({
      ok: true,
      input: { robotsUserAgent: 'Googlebot' },
    });
    expect(read({})).toMatchObject({ ok: true, input: { robotsUserAgent: null } });
    expect(read({ robotsUserAgent: 'Googlebot/2.1' })).toEqual({
      ok: false,
      errors: {
        robotsUserAgent: 'a robots.txt user-agent is one word: letters, digits, "_" and "-"',
      },
    });
    // Presets saved before the field existed read as "derive it".
    const { robotsUserAgent: _, ...older } = defaultCrawlForm(4);
    expect(crawlFormSchema.parse(older).robotsUserAgent).toBe('');
  });

  it('reads what an unavailable robots.txt means: its host blocked unless chosen otherwise', () => {
    const read = (patch: Partial<CrawlForm>) =>
      readCrawlForm(form({ startUrls: 'https://example.com/', ...patch }), 4);
    expect(read({})).toMatchObject({ ok: true, input: { robotsUnavailable: 'disallow' } });
    expect(read({ robotsUnavailable: 'allow' })).toMatchObject({
      ok: true,
      input: { robotsUnavailable: 'allow' },
    });
    // Presets saved before the field existed get the default of a new job.
    const { robotsUnavailable: _, ...older } = defaultCrawlForm(4);
    expect(crawlFormSchema.parse(older).robotsUnavailable).toBe('disallow');
  });

  it('reads the URL rules, the request rate and nofollow as `trawl crawl` takes them', () => {
    const read = (patch: Partial<CrawlForm>) =>
      readCrawlForm(form({ startUrls: 'https://example.com/', ...patch }), 4);
    expect(read({})).toMatchObject({
      ok: true,
      input: {
        stripTrackingParams: false,
        stripParams: [],
        sortQueryParams: false,
        maxQueryParams: null,
        maxUrlLength: 2048,
        maxRequestsPerSecond: null,
        honourNofollow: true,
      },
    });
    expect(
      read({
        stripTrackingParams: true,
        stripParams: ' jsessionid \n# session ids\nPHPSESSID\n',
        sortQueryParams: true,
        maxQueryParams: '2',
        maxUrlLength: ' 300 ',
        maxRequestsPerSecond: '0.5',
        followNofollow: true,
      }),
    ).toMatchObject({
      ok: true,
      input: {
        stripTrackingParams: true,
        stripParams: ['jsessionid', 'PHPSESSID'],
        sortQueryParams: true,
        maxQueryParams: 2,
        maxUrlLength: 300,
        maxRequestsPerSecond: 0.5,
        honourNofollow: false,
      },
    });
    expect(
      read({
        stripParams: 'sid\nsession id',
        maxQueryParams: 'many',
        maxUrlLength: '10',
        maxRequestsPerSecond: 'fast',
      }),
    ).toEqual({
      ok: false,
      errors: {
        stripParams: '"session id": a parameter name is one word without = & ; # / ? or spaces',
        maxQueryParams: 'enter a whole number',
        maxUrlLength: 'must be at least 20',
        maxRequestsPerSecond: 'enter a number, such as 0.5 or 10',
      },
    });
    expect(read({ maxRequestsPerSecond: '0', maxUrlLength: '' })).toEqual({
      ok: false,
      errors: { maxRequestsPerSecond: 'must be at least 0.01' },
    });
  });

  it('reads presets saved before the URL rules existed with the defaults of a new job', () => {
    const {
      maxRequestsPerSecond: _1,
      followNofollow: _2,
      stripTrackingParams: _3,
      stripParams: _4,
      sortQueryParams: _5,
      maxQueryParams: _6,
      maxUrlLength: _7,
      ...older
    } = defaultCrawlForm(4);
    expect(crawlFormSchema.parse(older)).toEqual(defaultCrawlForm(4));
  });

  it('shows which robots.txt token the User-Agent implies', () => {
    expect(impliedRobotsAgent(form({}))).toBe('Trawl');
    expect(impliedRobotsAgent(form({ userAgent: '' }))).toBe('Trawl');
    expect(
      impliedRobotsAgent(form({ userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://x)' })),
    ).toBe('Googlebot');
    expect(impliedRobotsAgent(form({ headers: 'User-Agent: MyBot (+https://x.test/)' }))).toBe(
      'MyBot',
    );
  });

  it("words a start URL list's problem as the job-settings schema does", () => {
    const long = `https://example.com/${'x'.repeat(MAX_URL_LENGTH)}`;
    for (const text of [
      '',
      '# a comment',
      'https://a.test/\nftp://b.test/\nx',
      long,
      'https://a.test/',
    ]) {
      const schema = jobStartSchema.safeParse({ startUrls: lines(text) });
      const issue = schema.error?.issues.find(({ path }) => path[0] === 'startUrls');
      const read = readCrawlForm(form({ startUrls: text }), 4);
      expect(read.ok ? undefined : read.errors.startUrls).toBe(issue?.message);
    }
  });

  it('requires a start URL', () => {
    expect(readCrawlForm(form({ startUrls: '  \n' }), 4)).toEqual({
      ok: false,
      errors: { startUrls: 'at least one start URL is required' },
    });
  });
});

describe('the New crawl screen', () => {
  let started: JobStartInput[];
  let refuse: string | null;
  /** What the host answers for job 5's settings; null: there is no job 5. */
  let job5: JobSettingsAndUrls | null;

  beforeEach(() => {
    started = [];
    refuse = null;
    job5 = null;
    localStorage.clear();
    sessionStorage.clear(); // the form's draft
  });
  afterEach(cleanup);

  /** The screen with a store over a host that records (or refuses) started jobs. */
  function renderForm() {
    const api = {
      startJob: async (input: JobStartInput) => {
        if (refuse !== null) throw new HostError({ name: 'UserError', message: refuse });
        started.push(input);
        return { id: 7, name: 'example.com', status: 'running' } as JobInfo;
      },
      listJobs: async () => [],
      getJobSettings: async () => {
        if (job5 === null) throw new HostError({ name: 'UserError', message: 'there is no job 5' });
        return job5;
      },
    } as unknown as CrawlerApi;
    const store = createAppStore(api);
    render(
      <AppContext value={{ store, api }}>
        <NewCrawlForm coreCount={2} />
      </AppContext>,
    );
    return store;
  }

  /** The form, its Start URLs and Max depth, what shows under a control, and a list pasted. */
  function renderListForm() {
    renderForm();
    const urls = screen.getByLabelText('Start URLs');
    return {
      urls,
      depth: screen.getByLabelText('Max depth'),
      problem: (control: HTMLElement) =>
        document.getElementById(`${control.id}-error`)!.textContent,
      setList: (text: string) => fireEvent.change(urls, { target: { value: text } }),
    };
  }

  it('shows the core count, defaults the pool to all cores, and labels every control', () => {
    renderForm();
    const workers = screen.getByLabelText('Worker processes');
    expect(workers).toHaveProperty('value', '2');
    expect(screen.getByText('1 to 2; 2 CPU cores detected')).toBeTruthy();
    expect(screen.getByLabelText('Obey robots.txt')).toHaveProperty('checked', true);
  });

  it('offers the choice for an unavailable robots.txt only while robots.txt is obeyed', async () => {
    const user = userEvent.setup();
    renderForm();
    const unavailable = screen.getByLabelText('When robots.txt is unavailable');
    expect(unavailable).toHaveProperty('value', 'disallow');
    expect(unavailable).toHaveProperty('disabled', false);
    await user.selectOptions(unavailable, 'allow');
    expect(unavailable).toHaveProperty('value', 'allow');
    await user.click(screen.getByLabelText('Obey robots.txt'));
    expect(unavailable).toHaveProperty('disabled', true);
  });

  it('refuses to start with inline messages, then starts once fixed and opens the dashboard', async () => {
    const user = userEvent.setup();
    const store = renderForm();
    await user.type(screen.getByLabelText('Start URLs'), 'ftp://example.com/');
    await user.click(screen.getByRole('button', { name: 'Start crawl' }));
    const urls = screen.getByLabelText('Start URLs');
    expect(urls.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('"ftp://example.com/" is not an absolute http(s) URL')).toBeTruthy();
    expect(started).toEqual([]);

    await user.clear(urls);
    await user.type(urls, 'https://example.com/');
    // Messages follow the edits once the user has tried to submit.
    expect(urls.getAttribute('aria-invalid')).toBe('false');
    await user.click(screen.getByRole('button', { name: 'Start crawl' }));
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ startUrls: ['https://example.com/'], workers: 2 });
    expect(store.getState().view).toBe('dashboard');
    expect(store.getState().selectedJobId).toBe(7);
  });

  it("marks the list's first bad start URL after a failed submit, as the list and the other fields are edited", async () => {
    const user = userEvent.setup();
    const { urls, depth, problem, setList } = renderListForm();
    setList('https://example.com/a\nftp://example.com/b\nnot a url');
    await user.click(screen.getByRole('button', { name: 'Start crawl' }));
    expect(problem(urls)).toBe('"ftp://example.com/b" is not an absolute http(s) URL');

    // Typing in another field keeps the list's problem beside its own.
    await user.type(depth, 'x');
    expect([problem(urls), problem(depth)]).toEqual([
      '"ftp://example.com/b" is not an absolute http(s) URL',
      'enter a whole number',
    ]);
    setList('https://example.com/a\nnot a url');
    expect(problem(urls)).toBe('"not a url" is not an absolute http(s) URL');
    await user.clear(depth);
    expect([problem(urls), problem(depth)]).toEqual([
      '"not a url" is not an absolute http(s) URL',
      '',
    ]);
    setList('');
    expect(problem(urls)).toBe('at least one start URL is required');
    setList('https://example.com/a\nhttps://example.com/b');
    expect(problem(urls)).toBe('');
    expect(urls.getAttribute('aria-invalid')).toBe('false');
    await user.type(depth, '2');
    expect(problem(urls)).toBe('');
    await user.click(screen.getByRole('button', { name: 'Start crawl' }));
    expect(started).toMatchObject([
      { startUrls: ['https://example.com/a', 'https://example.com/b'], maxDepth: 2 },
    ]);
  });

  it("checks a long list's edits once typing pauses after a failed submit, and never starts a bad one", async () => {
    const user = userEvent.setup();
    const { urls, depth, problem, setList } = renderListForm();
    const start = () => user.click(screen.getByRole('button', { name: 'Start crawl' }));
    const checked = vi.mocked(parseStartUrl);
    // 1.1 million characters: each URL's check would make every keystroke in it slow.
    const list = Array.from({ length: 40_000 }, (_, i) => `https://example.com/p/${i}`).join('\n');
    setList(`${list}\nnot a url`);
    await start();
    expect(problem(urls)).toBe('"not a url" is not an absolute http(s) URL');

    checked.mockClear();
    setList(`${list}\nhttps://example.com/`);
    await user.type(depth, 'x');
    setList(`${list}\nhttps://example.com/x`);
    // The keystrokes checked none of the URLs; the other field's problem shows at once.
    expect(checked).not.toHaveBeenCalled();
    expect(problem(depth)).toBe('enter a whole number');
    // Once typing pauses the list is checked once, and its problem is gone.
    await waitFor(() => expect(problem(urls)).toBe(''), { timeout: 5000 });
    expect(checked).toHaveBeenCalledTimes(40_001);
    expect(problem(depth)).toBe('enter a whole number');

    // A bad URL typed, Start crawl pressed at once: the list is checked, nothing starts.
    await user.clear(depth);
    setList(`https://example.com/\nftp://example.com/\n${list}`);
    await start();
    expect(problem(urls)).toBe('"ftp://example.com/" is not an absolute http(s) URL');
    expect(started).toEqual([]);
    setList(`https://example.com/\n${list}`);
    await waitFor(() => expect(problem(urls)).toBe(''), { timeout: 5000 });
    setList(`${list}\n`);
    await start();
    expect(started).toHaveLength(1);
    expect(started[0]!.startUrls).toHaveLength(40_000);
  });

  it('takes a URL list imported from the desktop menu as a list crawl, and starts it', async () => {
    const user = userEvent.setup();
    const store = renderForm();
    act(() =>
      store.getState().runMenuCommand({
        type: 'import-url-list',
        fileName: 'urls.txt',
        text: 'https://example.com/a\n# a comment\nhttps://example.com/b\n',
      }),
    );
    expect(screen.getByLabelText('Start URLs')).toHaveProperty(
      'value',
      'https://example.com/a\n# a comment\nhttps://example.com/b\n',
    );
    expect(screen.getByLabelText('Mode')).toHaveProperty('value', 'list');
    expect(store.getState().view).toBe('new');
    await user.click(screen.getByRole('button', { name: 'Start crawl' }));
    expect(started).toMatchObject([
      { mode: 'list', startUrls: ['https://example.com/a', 'https://example.com/b'] },
    ]);
  });

  it('imports a URL list file in the browser, and names a binary or too large one', async () => {
    // The file dialog's "All files" lets any file through.
    const user = userEvent.setup({ applyAccept: false });
    renderForm();
    const importer = screen.getByLabelText('Import URL list…');
    const urls = screen.getByLabelText('Start URLs');
    await user.upload(importer, new File([new Uint8Array([0x50, 0x4b, 0, 4])], 'sheet.xlsx'));
    await screen.findByText('sheet.xlsx is not a text file of URLs');
    expect(urls.getAttribute('aria-invalid')).toBe('true');
    const huge = new File([new Uint8Array(65 * 1048576).fill(0x61)], 'huge.txt');
    await user.upload(importer, huge);
    await screen.findByText('huge.txt is 65 MB; a URL list may be at most 64 MB');
    expect(urls).toHaveProperty('value', '');

    await user.upload(importer, new File(['https://example.com/a\nhttps://例え.jp/b\n'], 'u.txt'));
    await waitFor(() =>
      expect(urls).toHaveProperty('value', 'https://example.com/a\nhttps://例え.jp/b\n'),
    );
    expect(urls.getAttribute('aria-invalid')).toBe('false');
    expect(screen.getByLabelText('Mode')).toHaveProperty('value', 'list');
    // Lines that end in a carriage return alone (old Mac exports) are lines too.
    await user.upload(
      importer,
      new File(['https://example.com/c\rhttps://example.com/d\r'], 'mac.txt'),
    );
    await user.click(screen.getByRole('button', { name: 'Start crawl' }));
    expect(started).toMatchObject([
      { mode: 'list', startUrls: ['https://example.com/c', 'https://example.com/d'] },
    ]);
  });

  it("shows the host's refusal", async () => {
    refuse = 'job 3 is being crawled by process 42';
    const user = userEvent.setup();
    renderForm();
    await user.type(screen.getByLabelText('Start URLs'), 'https://example.com/');
    await user.click(screen.getByRole('button', { name: 'Start crawl' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The host refused the job: job 3 is being crawled by process 42',
    );
  });

  it('says when the browser has no room left for a preset, and keeps the others', async () => {
    const user = userEvent.setup();
    savePreset('small', form({ startUrls: 'https://example.com/' }));
    // A long URL list: more than the browser's storage takes (5 MB in jsdom, as in Chromium).
    const list = Array.from({ length: 200_000 }, (_, i) => `https://example.com/p/${i}`).join('\n');
    render(<PresetBar form={form({ startUrls: list })} onLoad={() => undefined} />);
    vi.spyOn(window, 'prompt').mockReturnValue('big');
    await user.click(screen.getByRole('button', { name: 'Save as preset…' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(
      /^Could not save preset "big": /,
    );
    expect(Object.keys(loadPresets())).toEqual(['small']);
  });

  it('starts a crawl with the URL rules filled in, and keeps them in a preset', async () => {
    const user = userEvent.setup();
    renderForm();
    await user.type(screen.getByLabelText('Start URLs'), 'https://example.com/');
    await user.click(screen.getByLabelText(/^Strip tracking parameters/));
    await user.type(screen.getByLabelText('Strip parameters'), 'jsessionid{Enter}sid');
    await user.click(screen.getByLabelText(/^Sort query parameters/));
    await user.type(screen.getByLabelText('Max query parameters'), '3');
    await user.clear(screen.getByLabelText('Max URL length'));
    await user.type(screen.getByLabelText('Max URL length'), '5');
    await user.type(screen.getByLabelText('Requests per second (whole job)'), '2.5');
    await user.click(screen.getByLabelText(/^Follow nofollow links/));
    await user.click(screen.getByRole('button', { name: 'Start crawl' }));
    // The bad field is named where it is, and nothing starts.
    const length = screen.getByLabelText('Max URL length');
    expect(length.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('must be at least 20')).toBeTruthy();
    expect(started).toEqual([]);

    await user.type(length, '00');
    vi.spyOn(window, 'prompt').mockReturnValue('sessions');
    await user.click(screen.getByRole('button', { name: 'Save as preset…' }));
    await user.click(screen.getByRole('button', { name: 'Start crawl' }));
    const rules = {
      stripTrackingParams: true,
      stripParams: ['jsessionid', 'sid'],
      sortQueryParams: true,
      maxQueryParams: 3,
      maxUrlLength: 500,
      maxRequestsPerSecond: 2.5,
      honourNofollow: false,
    };
    expect(started).toMatchObject([rules]);

    // The preset fills every one of them in again on a fresh form.
    cleanup();
    renderForm();
    expect(screen.getByLabelText('Strip parameters')).toHaveProperty('value', '');
    await user.selectOptions(screen.getByLabelText('Preset'), 'sessions');
    expect(screen.getByLabelText('Strip parameters')).toHaveProperty('value', 'jsessionid\nsid');
    expect(screen.getByLabelText('Max URL length')).toHaveProperty('value', '500');
    await user.click(screen.getByRole('button', { name: 'Start crawl' }));
    expect(started[1]).toMatchObject(rules);
  });

  it('asks before a preset replaces or deletes another: both went unasked', async () => {
    const user = userEvent.setup();
    savePreset('docs', form({ startUrls: 'https://example.com/docs/' }));
    savePreset('shop', form({ startUrls: 'https://example.com/shop/' }));
    render(
      <PresetBar form={form({ startUrls: 'https://example.com/' })} onLoad={() => undefined} />,
    );
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    vi.spyOn(window, 'prompt').mockReturnValue('shop');
    await user.click(screen.getByRole('button', { name: 'Save as preset…' }));
    expect(confirm).toHaveBeenLastCalledWith('Replace the preset "shop" with these settings?');
    expect(loadPresets()['shop']!.startUrls).toBe('https://example.com/shop/');
    confirm.mockReturnValue(true);
    await user.click(screen.getByRole('button', { name: 'Save as preset…' }));
    expect(loadPresets()['shop']!.startUrls).toBe('https://example.com/');

    // The preset chosen is saved again under its name without a question.
    confirm.mockClear();
    await user.selectOptions(screen.getByLabelText('Preset'), 'docs');
    vi.spyOn(window, 'prompt').mockReturnValue('docs');
    await user.click(screen.getByRole('button', { name: 'Save as preset…' }));
    expect(confirm).not.toHaveBeenCalled();
    expect(loadPresets()['docs']!.startUrls).toBe('https://example.com/');

    confirm.mockReturnValue(false);
    await user.click(screen.getByRole('button', { name: 'Delete preset' }));
    expect(confirm).toHaveBeenLastCalledWith('Delete the preset "docs"?');
    expect(Object.keys(loadPresets())).toEqual(['docs', 'shop']);
    confirm.mockReturnValue(true);
    await user.click(screen.getByRole('button', { name: 'Delete preset' }));
    expect(Object.keys(loadPresets())).toEqual(['shop']);
  });

  it('saves presets in localStorage and ignores unreadable ones', () => {
    savePreset('docs only', form({ startUrls: 'https://example.com/docs/', scope: 'folder' }));
    expect(loadPresets()['docs only']).toMatchObject({ scope: 'folder' });
    localStorage.setItem('trawl.crawlPresets', '{"broken": {"mode": 3}}');
    expect(loadPresets()).toEqual({});
  });

  describe('across a reload', () => {
    /** The screen as a (re)loaded page shows it: a fresh store over the same tab's sessionStorage. */
    const reload = () => {
      cleanup();
      return renderForm();
    };
    const field = (label: string) =>
      screen.getByLabelText(label) as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    const values = (...labels: string[]) => labels.map((label) => field(label).value);
    const startUrlsHint = () =>
      document.getElementById(`${field('Start URLs').id}-hint`)!.textContent;
    const FIELDS = ['Job name', 'Start URLs', 'Mode', 'Include patterns', 'Extraction rules'];

    it('keeps every field as typed, a wrong one and its problem too, until the crawl starts', async () => {
      const user = userEvent.setup();
      reload();
      await user.type(field('Job name'), 'Docs');
      await user.type(field('Start URLs'), 'https://example.com/');
      await user.selectOptions(field('Mode'), 'list');
      await user.type(field('Include patterns'), '/docs/');
      await user.type(field('Extraction rules'), 'price=css:.price');
      await user.clear(field('Worker processes'));
      await user.type(field('Worker processes'), '9');
      await user.click(screen.getByLabelText('Obey robots.txt'));
      await user.click(screen.getByRole('button', { name: 'Start crawl' }));
      expect(started).toEqual([]);

      reload();
      expect(values(...FIELDS)).toEqual([
        'Docs',
        'https://example.com/',
        'list',
        '/docs/',
        'price=css:.price',
      ]);
      expect(field('Worker processes').value).toBe('9');
      expect(screen.getByText('choose 1 to 2 (the CPU cores detected)')).toBeTruthy();
      expect(screen.getByLabelText('Obey robots.txt')).toHaveProperty('checked', false);

      await user.clear(field('Worker processes'));
      await user.type(field('Worker processes'), '1');
      await user.click(screen.getByRole('button', { name: 'Start crawl' }));
      expect(started).toMatchObject([{ startUrls: ['https://example.com/'], workers: 1 }]);

      reload();
      expect(values(...FIELDS, 'Worker processes')).toEqual(['', '', 'spider', '', '', '2']);
      expect(screen.queryByText(/choose 1 to 2/)).toBeNull();
    });

    it('keeps a form filled from a job with what it keeps from the job', async () => {
      const user = userEvent.setup();
      const store = reload();
      const settings = storedJobSettingsSchema.parse({ workers: 1, retries: 5, maxDepth: 3 });
      store.setState({
        formSource: { jobId: 5, name: 'docs', settings, startUrls: 'https://example.com/' },
      });
      await screen.findByText(/^Kept from job 5, not shown in this form:/);
      await user.clear(field('Max depth'));
      await user.type(field('Max depth'), '4');

      reload();
      screen.getByText(/^Filled from the settings of job 5 \(docs\)/);
      screen.getByText(/^Kept from job 5, not shown in this form:/);
      expect(values('Job name', 'Start URLs', 'Max depth')).toEqual([
        'docs (2)',
        'https://example.com/',
        '4',
      ]);
      await user.click(screen.getByRole('button', { name: 'Start crawl' }));
      expect(started).toMatchObject([{ maxDepth: 4, retries: 5 }]);
    });

    it('Clear form empties every field, problem and note, and a reload shows it empty', async () => {
      const user = userEvent.setup();
      const store = reload();
      const settings = storedJobSettingsSchema.parse({ workers: 1, retries: 5, mode: 'list' });
      store.setState({
        formSource: { jobId: 5, name: 'docs', settings, startUrls: 'https://example.com/' },
      });
      await screen.findByText(/^Filled from the settings of job 5 \(docs\)/);
      await user.type(field('Exclude patterns'), '/tag/');
      await user.type(field('Max depth'), 'x');
      await user.type(field('Test on a URL'), 'https://example.com/t');
      await user.click(screen.getByRole('button', { name: 'Start crawl' }));
      screen.getByText('enter a whole number');
      const empty = ['', '', 'spider', '', '', '2', '', ''];
      const all = [...FIELDS, 'Worker processes', 'Max depth', 'Test on a URL'];
      expect(values(...all)).not.toEqual(empty);

      await user.click(screen.getByRole('button', { name: 'Clear form' }));
      expect(values(...all)).toEqual(empty);
      expect(screen.queryByText(/^Filled from the settings of job 5/)).toBeNull();
      expect(screen.queryByText('Fix the fields marked above.')).toBeNull();
      expect(document.activeElement).toBe(field('Job name'));
      // Problems wait for the next Start crawl again.
      await user.type(field('Max depth'), 'x');
      expect(screen.queryByText('enter a whole number')).toBeNull();
      await user.clear(field('Max depth'));

      reload();
      expect(values(...all)).toEqual(empty);
      expect(screen.queryByText(/^Filled from the settings of job 5/)).toBeNull();
    });

    // 5.8 million characters: over the 5 MB a tab's storage takes (in jsdom, as in Chromium).
    const LONG_LIST = Array.from(
      { length: 200_000 },
      (_, i) => `https://example.com/p/${String(i).padStart(6, '0')}`,
    ).join('\n');

    it("keeps the other fields when the start URLs are more than the tab's storage takes, and says so", async () => {
      const user = userEvent.setup();
      reload();
      const list = LONG_LIST;
      fireEvent.change(field('Start URLs'), { target: { value: list } });
      expect(startUrlsHint()).toMatch(/This list is too long to keep if the page reloads/);
      await user.type(field('Include patterns'), '/p/');

      reload();
      expect(values('Start URLs', 'Include patterns')).toEqual(['', '/p/']);
      expect(startUrlsHint()).toBe(
        'The 200,000 start URLs you had were too many to keep across the reload: paste or import them again.',
      );
      await user.type(field('Start URLs'), 'https://example.com/');
      expect(startUrlsHint()).toBe('One per line; paste a list or import a file.');
      reload();
      expect(values('Start URLs', 'Include patterns')).toEqual(['https://example.com/', '/p/']);
    });

    it("reads a job's list too long to keep from the job again, and says so when it cannot", async () => {
      const user = userEvent.setup();
      const settings = storedJobSettingsSchema.parse({ workers: 1, mode: 'list' });
      job5 = { settings, startUrls: LONG_LIST };
      reload().setState({ formSource: { jobId: 5, name: 'urls', ...job5 } });
      await screen.findByText(/^Filled from the settings of job 5/);
      // The hint follows the draft's first save, a render after the form is filled.
      await waitFor(() =>
        expect(startUrlsHint()).toMatch(
          /too long for the tab to keep; a reload reads it from job 5/,
        ),
      );
      await user.type(field('Include patterns'), '/p/');

      reload();
      await waitFor(() => expect(field('Start URLs').value).toBe(LONG_LIST));
      expect(values('Mode', 'Include patterns')).toEqual(['list', '/p/']);
      screen.getByText(/^Filled from the settings of job 5/);

      job5 = null;
      reload();
      await screen.findByText(
        'The 200,000 start URLs you had were too many to keep across the reload, and job 5 could not be read again (there is no job 5): paste or import them again.',
      );
      expect(values('Start URLs', 'Include patterns')).toEqual(['', '/p/']);
    });

    it.each([
      ['not JSON', '{"version": 1, "form": {'],
      ['from another version', JSON.stringify({ version: 2, form: {} })],
      ['with a field of the wrong kind', JSON.stringify({ version: 1, form: { mode: 3 } })],
    ])('drops a draft %s for an empty form, which a reload keeps again', async (_, text) => {
      const user = userEvent.setup();
      sessionStorage.setItem('trawl.crawlFormDraft', text);
      reload();
      expect(values(...FIELDS, 'Worker processes')).toEqual(['', '', 'spider', '', '', '2']);
      expect(screen.queryByRole('alert')).toBeNull();
      await user.type(field('Start URLs'), 'https://example.com/');
      reload();
      expect(field('Start URLs').value).toBe('https://example.com/');
    });
  });
});
