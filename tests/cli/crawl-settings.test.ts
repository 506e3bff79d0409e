import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { runCli, startCli } from '../helpers/cli';
import { processEnv } from '../helpers/process-env';
import type { FixtureSite } from '../helpers/fixture-site';

const env = processEnv();
let site: FixtureSite;
const requests: { path: string; headers: http.IncomingHttpHeaders }[] = [];

async function exportedUrls(jobId = 1): Promise<string[]> {
  const out = env.file('pages.ndjson');
  const result = await runCli(['export', String(jobId), '--db', env.dbFile, '--out', out]);
  expect(result.code).toBe(0);
  return readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line).url as string)
    .sort();
}

/** Job 1: the fixture site's first `pages` pages, with one worker. */
const crawlFirstPages = (pages: number) =>
  runCli([
    'crawl',
    `${site.origin}/`,
    '--db',
    env.dbFile,
    '--workers',
    '1',
    '--max-pages',
    String(pages),
  ]);

beforeEach(async () => {
  requests.length = 0;
  site = await env.site({
    pages: 30,
    onRequest: (path, headers) => requests.push({ path, headers }),
  });
});

describe('trawl crawl settings', () => {
  it('--list fetches exactly the listed URLs and follows nothing; --rerun fetches them again', async () => {
    const list = env.file('urls.txt');
    writeFileSync(
      list,
      `# pages to check\n${site.origin}/p/3\n\n${site.origin}/p/7\n${site.origin}/missing\n`,
    );
    const result = await runCli([
      'crawl',
      '--list',
      list,
      '--db',
      env.dbFile,
      '--workers',
      '1',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const listed = [`${site.origin}/missing`, `${site.origin}/p/3`, `${site.origin}/p/7`];
    expect(await exportedUrls()).toEqual(listed);
    const jobs = await runCli(['jobs', '--db', env.dbFile, '--json']);
    expect(JSON.parse(jobs.stdout)).toMatchObject({
      firstStartUrl: `${site.origin}/p/3`,
      startUrlCount: 3,
      crawlSeconds: JSON.parse(result.stdout).seconds,
    });

    const again = await runCli(['crawl', '--rerun', '1', '--db', env.dbFile, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ jobId: 2, pages: 3, failed: 0 });
    expect(await exportedUrls(2)).toEqual(listed);
  });

  it('--rerun crawls again as a new job with the same settings, flags overriding them; --name names a new job', async () => {
    const first = await runCli([
      ...['crawl', `${site.origin}/`, '--db', env.dbFile, '--workers', '1', '--name', 'Blog audit'],
      ...['--include', '/p/', '--header', 'X-Team: crawlers', '--max-pages', '4', '--json'],
    ]);
    expect(JSON.parse(first.stdout)).toMatchObject({ jobId: 1, pages: 4 });
    requests.length = 0;
    const again = await runCli([
      ...['crawl', '--rerun', '1', '--db', env.dbFile, '--max-pages', '6', '--json'],
      ...['--name', 'Blog audit, deeper'],
    ]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ jobId: 2, pages: 6 });
    // The include pattern and header came from job 1: only /p/ pages after the start.
    const paths = requests.map((request) => request.path).filter((path) => path !== '/robots.txt');
    expect(paths.every((path) => path === '/' || path.startsWith('/p/'))).toBe(true);
    expect(requests.every((request) => request.headers['x-team'] === 'crawlers')).toBe(true);

    const refused = await runCli(['crawl', `${site.origin}/`, '--rerun', '1', '--db', env.dbFile]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/give start URLs \(or --list, --config\) or --rerun, not both/);

    const badName = await runCli([
      'crawl',
      `${site.origin}/`,
      '--db',
      env.dbFile,
      '--name',
      'a\tb',
    ]);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toBe(
      'trawl: error: invalid job name: a job name cannot hold line breaks, tabs or other control characters\n',
    );
    const renaming = await runCli(['crawl', '--resume', '1', '--db', env.dbFile, '--name', 'x']);
    expect(renaming.code).toBe(1);
    expect(renaming.stderr).toMatch(/--name names a new job: rename a job with `trawl jobs rename/);
    const jobs = await runCli(['jobs', '--db', env.dbFile, '--json']);
    const names = jobs.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).name as string);
    // In id order; the refused ones stored nothing.
    expect(names).toEqual(['Blog audit', 'Blog audit, deeper']);
  });

  it('--resume of a finished job says why nothing was crawled; a higher --max-pages continues it', async () => {
    const db = ['--db', env.dbFile];
    const first = await crawlFirstPages(3);
    expect(first.code).toBe(0);
    const limited = await runCli(['crawl', '--resume', '1', ...db]);
    expect(limited.code).toBe(0);
    expect(limited.stderr).toBe(
      'job 1 finished: its page limit is reached (3 pages, 0 failed); resume it with a higher --max-pages to crawl more\n',
    );
    // The time and rate are this run's, said apart from the job's total counts.
    const two = await runCli(['crawl', '--resume', '1', ...db, '--max-pages', '5']);
    expect(two.stderr).toMatch(
      /^job 1 finished: \d+ pages, \d+ failed; this run: 2 URLs in 0:0\d \([\d.]+ pages\/s, 1 workers\)\n$/,
    );
    const more = await runCli(['crawl', '--resume', '1', ...db, '--max-pages', '1000', '--json']);
    expect(JSON.parse(more.stdout)).toMatchObject({ pages: site.reachable.length });
    const done = await runCli(['crawl', '--resume', '1', ...db]);
    expect(done.code).toBe(0);
    expect(done.stderr).toMatch(
      new RegExp(
        `^job 1 finished: nothing was left to crawl \\(${site.reachable.length} pages, \\d+ failed\\); --rerun 1 crawls it again as a new job\n$`,
      ),
    );
  });

  it('--resume refuses a flag for a setting the job keeps, rather than ignoring it', async () => {
    const db = ['--db', env.dbFile];
    expect((await crawlFirstPages(3)).code).toBe(0);
    requests.length = 0;
    const refused = await runCli([
      ...['crawl', '--resume', '1', ...db, '--max-pages', '5'],
      ...['--exclude', '/p/', '--host-delay', '2000', '--ignore-robots'],
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'trawl: error: --exclude, --host-delay and --ignore-robots cannot change when resuming: ' +
        'job 1 keeps the settings it started with (--rerun 1 crawls again as a new job, ' +
        'flags overriding them)\n',
    );
    expect(requests).toEqual([]);
    const resumed = await runCli(['crawl', '--resume', '1', ...db, '--max-pages', '5', '--json']);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ jobId: 1, pages: 5 });
  });

  it('--per-host and --delay-ms (or --host-concurrency and --host-delay) set the host limits', async () => {
    const result = await runCli([
      ...['crawl', `${site.origin}/`, '--db', env.dbFile, '--workers', '1', '--max-pages', '3'],
      ...['--per-host', '3', '--delay-ms', '40', '--json'],
    ]);
    expect(result.code).toBe(0);
    const again = await runCli([
      ...['crawl', '--rerun', '1', '--db', env.dbFile, '--host-concurrency', '5', '--json'],
    ]);
    expect(again.code).toBe(0);
    const db = new Database(env.dbFile, { readonly: true });
    const settings = (id: number) =>
      JSON.parse(db.prepare('SELECT settings FROM jobs WHERE id = ?').pluck().get(id) as string);
    expect(settings(1)).toMatchObject({ hostConcurrency: 3, hostDelayMs: 40 });
    expect(settings(2)).toMatchObject({ hostConcurrency: 5, hostDelayMs: 40 });
    db.close();
  });

  it('--include and --exclude decide which links are followed', async () => {
    const result = await runCli([
      ...['crawl', `${site.origin}/`, '--db', env.dbFile, '--workers', '1'],
      ...['--include', '/p/', '--exclude', '/p/\\d*[13579]$'],
    ]);
    expect(result.code).toBe(0);
    const urls = await exportedUrls();
    // Start URL, then only even-numbered pages (reachable through even parents: 0, 2, 6, 14).
    expect(urls).toContain(`${site.origin}/p/0`);
    expect(urls.every((url) => url === `${site.origin}/` || /\/p\/\d*[02468]$/.test(url))).toBe(
      true,
    );
    expect(urls).not.toContain(`${site.origin}/missing`);
  });

  it('sends the User-Agent and extra headers, also from a job file', async () => {
    const config = env.file('job.json');
    writeFileSync(
      config,
      JSON.stringify({
        startUrls: [`${site.origin}/p/20`],
        mode: 'list',
        // The --header flag below replaces this one: flags override the file, whatever the case.
        headers: { 'X-From-File': 'yes', 'x-team': 'from the file' },
      }),
    );
    const result = await runCli([
      ...['crawl', '--config', config, '--db', env.dbFile, '--workers', '1'],
      ...[
        '--user-agent',
        'TestBot/1.0 (+https://bot.test)',
        '--header',
        'X-Team: crawlers',
        '--header',
        'Cookie: a=b',
      ],
    ]);
    expect(result.code).toBe(0);
    expect(requests.map((request) => request.path)).toEqual(['/robots.txt', '/p/20']);
    expect(requests[1]!.headers).toMatchObject({
      'user-agent': 'TestBot/1.0 (+https://bot.test)',
      'x-team': 'crawlers',
      'x-from-file': 'yes',
      cookie: 'a=b',
    });
  });

  it.each([
    [['--include', '(unclosed'], /bad regular expression \/\(unclosed\//],
    [['--scope', 'planet'], /--scope.*expected one of: host, site, folder, all/],
    [['--mode', 'sitemaps'], /--mode.*expected one of: spider, list, sitemap/],
    [['--auth', 'example.com'], /--auth "example.com" is not of the form "host=user:password"/],
    [['--rps', '0'], /--rps.*expected a number from 0\.01 to 100000/],
    [['--rps', '0.001'], /--rps.*expected a number from 0\.01 to 100000/],
    [['--rps', '1e6'], /--rps.*expected a number from 0\.01 to 100000/],
    [['--host-concurrency', '0'], /--host-concurrency.*expected a whole number from 1 to 1024/],
    [
      ['--per-host', '2', '--host-concurrency', '3'],
      /give --per-host or --host-concurrency, not both/,
    ],
    [['--delay-ms', '-5'], /--delay-ms.*expected a whole number from 0 to 600000/],
    [
      ['--proxy', 'socks5://127.0.0.1:1080'],
      /proxy: "socks5:\/\/127.0.0.1:1080" is not an absolute http\(s\) URL/,
    ],
    [['--header', 'no colon here'], /--header "no colon here" is not of the form "Name: value"/],
    [['--header', 'Bad Name: x'], /not a valid HTTP header name/],
    [
      ['--header', 'X-A: 1', '--header', 'x-a: 2'],
      /--header "x-a" is given twice \(also as "X-A"; header names ignore case\)/,
    ],
    [['--header', 'X-A: 1', '--header', 'X-A: 2'], /--header "X-A" is given twice$/m],
    [['--header', 'Host: example.com'], /--header "Host" cannot be set: Trawl sends each URL/],
    [
      ['--header', 'connection: close'],
      /"connection" cannot be set: Trawl manages its connections/,
    ],
    [['--config', '/nonexistent/job.json'], /cannot read job file \/nonexistent\/job.json/],
    // Endless input is refused at the size limit, not read until memory runs out.
    [['--config', '/dev/zero'], /job file \/dev\/zero is larger than 80 MB/],
    [['--list', '/dev/zero'], /\/dev\/zero is \d+ MB; a URL list may be at most 64 MB/],
    [
      ['--robots-user-agent', 'Googlebot/2.1'],
      /robotsUserAgent: a robots.txt user-agent is one word/,
    ],
  ])('%j is refused with a clear error', async (flags, message) => {
    const result = await runCli(['crawl', 'http://127.0.0.1:9/', '--db', env.dbFile, ...flags]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(requests).toHaveLength(0);
  });

  it('refuses a job file whose headers repeat a name or set one Trawl owns', async () => {
    const config = env.file('job.json');
    const cases: [headers: Record<string, string>, message: string][] = [
      [
        { 'X-A': '1', 'x-a': '2' },
        '"x-a" is given twice (also as "X-A"; header names ignore case)',
      ],
      [
        { 'Transfer-Encoding': 'chunked' },
        '"Transfer-Encoding" cannot be set: requests have no body',
      ],
    ];
    for (const [headers, message] of cases) {
      writeFileSync(config, JSON.stringify({ startUrls: [`${site.origin}/`], headers }));
      const result = await runCli(['crawl', '--config', config, '--db', env.dbFile]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`trawl: error: invalid job settings: headers: ${message}`);
    }
    expect(requests).toHaveLength(0);
  });

  it('resumes a job an earlier Trawl stored with a header it now refuses, as it ran; a re-run names the header', async () => {
    const db = ['--db', env.dbFile];
    const first = await crawlFirstPages(2);
    expect(first.code).toBe(0);
    // What an earlier Trawl, which took any header, stored.
    const file = new Database(env.dbFile);
    file
      .prepare(`UPDATE jobs SET settings = json_set(settings, '$.headers', json(?)) WHERE id = 1`)
      .run(JSON.stringify({ Connection: 'close' }));
    file.close();

    const jobs = await runCli(['jobs', ...db, '--json']);
    expect(JSON.parse(jobs.stdout)).toMatchObject({ id: 1, problem: null });
    requests.length = 0;
    const resumed = await runCli(['crawl', '--resume', '1', ...db, '--max-pages', '4', '--json']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ jobId: 1, pages: 4 });
    expect(requests.length).toBeGreaterThan(0);
    for (const { headers } of requests) expect(headers.connection).toBe('close');

    const rerun = await runCli(['crawl', '--rerun', '1', ...db]);
    expect(rerun.code).toBe(1);
    expect(rerun.stderr).toContain(
      'invalid job settings: headers: "Connection" cannot be set: Trawl manages its connections',
    );
  });

  it('names the lines of a URL list that are not URLs, all in one run', async () => {
    const list = env.file('urls.txt');
    writeFileSync(list, `${site.origin}/p/1\nwww.example.com/no-scheme\n`);
    const result = await runCli(['crawl', '--list', list, '--db', env.dbFile]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `trawl: error: ${list}:2: "www.example.com/no-scheme" is not an absolute http(s) URL\n`,
    );
    const bad = ['# a comment', '', 'ftp://x/', `${site.origin}/p/2`, 'a b', 'c', 'd', ''];
    writeFileSync(list, bad.join('\r\n'));
    const several = await runCli(['crawl', '--list', list, '--db', env.dbFile]);
    expect(several.stderr).toBe(
      `trawl: error: ${list}:3: "ftp://x/" is not an absolute http(s) URL; ` +
        `${list}:5: "a b" is not an absolute http(s) URL; ` +
        `${list}:6: "c" is not an absolute http(s) URL (and 1 more)\n`,
    );
    expect(existsSync(env.dbFile)).toBe(false);
  });

  it('refuses a start URL holding a tab, or two URLs on a line, rather than crawling them as one; a space within a URL is sent as %20', async () => {
    const list = env.file('urls.txt');
    // Two columns copied from a spreadsheet, and two URLs on one line.
    writeFileSync(list, `${site.origin}/p/1\tPrices\n${site.origin}/p/2 ${site.origin}/p/3\n`);
    const result = await runCli(['crawl', '--list', list, '--db', env.dbFile]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `trawl: error: ${list}:1: "${site.origin}/p/1\\tPrices" holds a tab or line break, ` +
        'which a URL cannot (two columns of a spreadsheet?); ' +
        `${list}:2: "${site.origin}/p/2 ${site.origin}/p/3" holds two URLs (give one a line)\n`,
    );
    expect(existsSync(env.dbFile)).toBe(false);
    const argument = await runCli(['crawl', `${site.origin}/a\tb`, '--db', env.dbFile]);
    expect(argument.stderr).toBe(
      `trawl: error: invalid job settings: startUrls.0: "${site.origin}/a\\tb" holds a tab ` +
        'or line break, which a URL cannot (two columns of a spreadsheet?)\n',
    );
    expect(requests).toEqual([]);

    const spaced = await runCli(['crawl', `${site.origin}/p/my page`, '--db', env.dbFile]);
    expect(spaced.code).toBe(0);
    expect(requests.map((request) => request.path)).toContain('/p/my%20page');
    expect(await exportedUrls()).toEqual([`${site.origin}/p/my%20page`]);
  });

  it('reads a URL list whose lines end in a carriage return alone, as old Mac exports do', async () => {
    const list = env.file('urls.txt');
    const listed = [`${site.origin}/p/3`, `${site.origin}/p/4`, `${site.origin}/p/5`];
    writeFileSync(list, `# checked weekly\r${listed.join('\r')}\r`);
    const result = await runCli(['crawl', '--list', list, '--db', env.dbFile, '--json']);
    expect(JSON.parse(result.stdout)).toMatchObject({ jobId: 1, pages: 3, failed: 0 });
    expect(await exportedUrls()).toEqual(listed);
  });

  it('reads a URL list from standard input for --list -, and a job file for --config -', async () => {
    const listed = [`${site.origin}/p/3`, `${site.origin}/p/4`];
    const piped = await startCli(
      ['crawl', '--list', '-', '--db', env.dbFile, '--json'],
      {},
      {
        input: `${listed.join('\n')}\nnot a url\n`,
      },
    ).result;
    expect(piped.stderr).toBe(
      'trawl: error: standard input:3: "not a url" is not an absolute http(s) URL\n',
    );
    const crawled = await startCli(
      ['crawl', '--list', '-', '--db', env.dbFile, '--json'],
      {},
      {
        input: `${listed.join('\n')}\n`,
      },
    ).result;
    expect(JSON.parse(crawled.stdout)).toMatchObject({ jobId: 1, pages: 2, failed: 0 });
    expect(await exportedUrls()).toEqual(listed);
    const job = JSON.stringify({ startUrls: [`${site.origin}/p/5`], mode: 'list' });
    const configured = await startCli(
      ['crawl', '--config', '-', '--db', env.dbFile, '--json'],
      {},
      {
        input: job,
      },
    ).result;
    expect(JSON.parse(configured.stdout)).toMatchObject({ jobId: 2, pages: 1, failed: 0 });
  });

  it('reads a URL list and a job file saved as UTF-16, as Windows PowerShell 5 writes them', async () => {
    const utf16 = (text: string) => Buffer.from(`\uFEFF${text}\r\n`, 'utf16le');
    const list = env.file('urls.txt');
    writeFileSync(list, utf16(`${site.origin}/p/3\r\n${site.origin}/p/4`));
    const listed = await runCli(['crawl', '--list', list, '--db', env.dbFile, '--json']);
    expect(listed.stderr).toBe('');
    expect(JSON.parse(listed.stdout)).toMatchObject({ jobId: 1, pages: 2, failed: 0 });
    const config = env.file('job.json');
    writeFileSync(
      config,
      utf16(JSON.stringify({ startUrls: [`${site.origin}/p/5`], mode: 'list' })),
    );
    const configured = await runCli(['crawl', '--config', config, '--db', env.dbFile, '--json']);
    expect(configured.stderr).toBe('');
    expect(JSON.parse(configured.stdout)).toMatchObject({ jobId: 2, pages: 1, failed: 0 });
  });

  it('reads a job file that starts with a byte order mark, as Windows editors save UTF-8', async () => {
    const config = env.file('job.json');
    const settings = { startUrls: [`${site.origin}/p/20`], mode: 'list' };
    writeFileSync(config, `\uFEFF${JSON.stringify(settings)}`);
    const result = await runCli(['crawl', '--config', config, '--db', env.dbFile, '--json']);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ jobId: 1, pages: 1, failed: 0 });
  });

  it('refuses a job file that is not JSON', async () => {
    const config = env.file('job.json');
    writeFileSync(config, '{ "startUrls": [ ');
    const result = await runCli(['crawl', '--config', config, '--db', env.dbFile]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/job file .*job\.json is not valid JSON/);
  });

  it('refuses a job file with a key that is no setting, naming the one it resembles', async () => {
    const config = env.file('job.json');
    const keys: [key: string, hint: string][] = [
      ['max_depth', '(did you mean "maxDepth"?)'],
      ['depthLimit', '(see "Job files" in the README)'],
      // Names every object has were taken for settings.
      ['__proto__', '(see "Job files" in the README)'],
      ['constructor', '(see "Job files" in the README)'],
    ];
    for (const [key, hint] of keys) {
      writeFileSync(config, JSON.stringify({ startUrls: [`${site.origin}/`], [key]: 1 }));
      const result = await runCli(['crawl', '--config', config, '--db', env.dbFile]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `trawl: error: job file ${config}: unknown setting "${key}" ${hint}\n`,
      );
    }
    expect(requests).toHaveLength(0);
  });
});

describe('robots.txt', () => {
  const robots = `User-agent: *\nDisallow: /p/1\n\nUser-agent: TestBot\nDisallow: /p/2\n`;

  async function crawlWithRobots(dbFile: string, ...flags: string[]) {
    await site.close();
    requests.length = 0;
    site = await env.site({
      pages: 12,
      robotsTxt: robots,
      onRequest: (path, headers) => requests.push({ path, headers }),
    });
    return runCli(['crawl', `${site.origin}/`, '--db', dbFile, '--workers', '1', ...flags]);
  }

  it('records disallowed URLs as blocked and never fetches them', async () => {
    const result = await crawlWithRobots(env.dbFile);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/blocked by robots\.txt/);
    const paths = requests.map((request) => request.path);
    expect(paths.filter((path) => path === '/robots.txt')).toHaveLength(1);
    // "Disallow: /p/1" is a prefix: /p/1 and /p/11 are blocked. The worker asks main before
    // following /old's redirect to /p/1 and never requests it; /old is recorded as blocked,
    // not stored, so /p/1's children (and /p/10 below them) are never discovered.
    expect(paths.filter((path) => /^\/p\/1\d?$/.test(path))).toEqual([]);
    const db = openDatabase(env.dbFile, { mustExist: true });
    const blocked = db
      .prepare('SELECT url, error FROM frontier WHERE state = 4 ORDER BY url')
      .all();
    db.close();
    expect(blocked).toEqual([
      {
        url: `${site.origin}/old`,
        error: `redirected to ${site.origin}/p/1, which robots.txt blocks`,
      },
      ...['/p/1', '/p/11'].map((path) => ({
        url: `${site.origin}${path}`,
        error: 'blocked by robots.txt',
      })),
    ]);
  });

  it('matches rules against the job User-Agent, and --ignore-robots fetches everything', async () => {
    await crawlWithRobots(env.dbFile, '--user-agent', 'TestBot/2.0');
    expect(requests.map((request) => request.path)).not.toContain('/p/2');
    expect(requests.map((request) => request.path)).toContain('/p/10');

    await crawlWithRobots(env.file('ignored.sqlite'), '--ignore-robots');
    const paths = requests.map((request) => request.path);
    expect(paths).not.toContain('/robots.txt');
    expect(paths).toContain('/p/10');
  });

  it('--robots-user-agent names the group to obey; without it, the product token of the User-Agent does', async () => {
    await crawlWithRobots(env.dbFile, '--user-agent', 'Mozilla/5.0 (compatible; TestBot/2.1)');
    expect(requests.map((request) => request.path)).not.toContain('/p/2');

    await crawlWithRobots(
      env.file('explicit.sqlite'),
      ...['--user-agent', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0.0.0 Safari/537.36'],
      ...['--robots-user-agent', 'TestBot'],
    );
    const paths = requests.map((request) => request.path);
    expect(paths).not.toContain('/p/2');
    expect(paths).toContain('/p/10');
    expect(requests[1]!.headers['user-agent']).toMatch(/^Mozilla\/5\.0 \(X11/);
  });
});
