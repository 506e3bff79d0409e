import { parse } from 'csv-parse/sync';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { migrations } from '../../electron/engine/store/migrations';
import { PAGE_COLUMNS } from '../../shared/results';
import { outlinkColumns } from '../../shared/outlinks';
import { runCli, runCliOnTerminal, startCli } from '../helpers/cli';
import { databaseAt } from '../helpers/old-database';
import { processEnv } from '../helpers/process-env';
import { waitFor } from '../helpers/processes';
import { storeJob } from './stored-job';

const env = processEnv();

/** Crawls the site at `origin` into the test's database; returns the job id. */
async function crawl(origin: string): Promise<number> {
  const result = await runCli([
    'crawl',
    `${origin}/`,
    '--workers',
    '2',
    '--db',
    env.dbFile,
    '--json',
  ]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return (JSON.parse(result.stdout) as { jobId: number }).jobId;
}

async function cli(...args: string[]): Promise<string> {
  const result = await runCli([...args, '--db', env.dbFile]);
  if (result.code !== 0) throw new Error(`trawl ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

const jsonLines = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));

describe('results of a real crawl through the trawl CLI', () => {
  it('reports, exports, compares, renames and deletes', { timeout: 120_000 }, async () => {
    let site = await env.site({ pages: 30 });
    const o = site.origin;
    const first = await crawl(o);

    // The fixture's home links to /missing (404) and /old (301 to /p/1).
    const broken = jsonLines(await cli('report', String(first), 'broken-links', '--json'));
    expect(broken).toContainEqual({
      url: `${o}/missing`,
      status: 404,
      finalStatus: 404,
      error: null,
      linkedFrom: `${o}/`,
      anchor: 'broken',
    });
    const statuses = jsonLines(await cli('report', String(first), 'status-codes', '--json'));
    expect(statuses).toContainEqual({ status: '404', urls: 1 });
    // /old is counted by its own answer, and its target is in the sitemap, not it.
    expect(statuses).toContainEqual({ status: '301', urls: 1 });
    expect(statuses.reduce((sum: number, row: { urls: number }) => sum + row.urls, 0)).toBe(
      site.reachable.length,
    );
    const table = await cli('report', String(first), 'depth-distribution');
    expect(table.split('\n')[0]).toBe('depth\turls\tpages\tfailed\tblocked\tqueued');

    const csvFile = env.file('pages.csv');
    await cli('export', String(first), '--format', 'csv', '--out', csvFile);
    const rows = parse(readFileSync(csvFile), { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => row.url).sort()).toEqual([...site.reachable].sort());
    expect(rows.find((row) => row.url === `${o}/old`)).toMatchObject({
      status: '301',
      finalUrl: `${o}/p/1`,
      finalStatus: '200',
    });
    expect(rows.find((row) => row.url === `${o}/p/3`)).toMatchObject({
      status: '200',
      finalStatus: '200',
      title: 'Page 3 & more',
      h1: 'Page 3',
    });
    // The URL table as a view: its columns in their order, its rows sorted (NULLs last, descending).
    const [header, ...view] = parse(
      await cli(
        'export',
        String(first),
        '--format',
        'csv',
        '--columns',
        'title,url',
        '--sort',
        'title:desc',
      ),
    ) as string[][];
    expect(header).toEqual(['title', 'url']);
    const titles = view.map(([title]) => title!);
    const named = titles.filter(Boolean).sort().reverse();
    expect(named.length).toBeGreaterThan(20);
    expect(titles).toEqual([...named, ...titles.filter((title) => !title)]);
    expect(view.map(([, url]) => url).sort()).toEqual([...site.reachable].sort());
    const sitemap = await cli('export', String(first), '--format', 'sitemap');
    expect(sitemap).toContain(`<loc>${o}/p/3</loc>`);
    expect(sitemap).not.toContain('/missing');
    expect(sitemap).not.toContain(`<loc>${o}/old</loc>`);
    expect(sitemap).toContain(`<loc>${o}/p/1</loc>`);

    // The site changes between two crawls, at the same origin: one more page.
    await site.close();
    site = await env.site({ pages: 31, port: Number(new URL(o).port) });
    const second = await crawl(o);
    const [head, ...diff] = jsonLines(
      await cli('compare', String(first), String(second), '--json'),
    );
    expect(head.summary).toMatchObject({
      added: 1,
      removed: 0,
      unchanged: site.reachable.length - 1 - head.summary.changed,
    });
    expect(diff.filter((row: { change: string }) => row.change === 'added')).toEqual([
      { url: `${o}/p/30`, change: 'added', fields: [] },
    ]);

    await cli('jobs', 'rename', String(first), 'before the redesign');
    const listed = jsonLines(await cli('jobs', '--json'));
    expect(listed.map((job: { name: string }) => job.name)).toEqual([
      'before the redesign',
      new URL(o).host,
    ]);
    // An empty name gives back the default one: the first start URL's host.
    await cli('jobs', 'rename', String(first), '');
    expect(jsonLines(await cli('jobs', '--json')).map((job: { name: string }) => job.name)).toEqual(
      [new URL(o).host, new URL(o).host],
    );
    await cli('jobs', 'delete', String(first));
    expect(jsonLines(await cli('jobs', '--json')).map((job: { id: number }) => job.id)).toEqual([
      second,
    ]);
    const db = openDatabase(env.dbFile, { mustExist: true });
    expect(db.prepare('SELECT count(*) FROM pages WHERE job_id = ?').pluck().get(first)).toBe(0);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const unknown = await runCli(['report', String(first), 'broken-links', '--db', env.dbFile]);
    expect(unknown.stderr).toMatch(new RegExp(`no job with id ${first}`));
    const badReport = await runCli(['report', String(second), 'nonsense', '--db', env.dbFile]);
    expect(badReport.stderr).toMatch(/unknown report "nonsense"/);
  });

  it('refuses, in one line, what an export or a rename cannot take, and a file that is no database', async () => {
    const db = openDatabase(env.dbFile);
    const jobId = String(storeJob(db, [{ url: 'http://127.0.0.1:9/', page: {} }]));
    db.close();
    const refusals: [string[], string][] = [
      [
        ['export', jobId, '--format', 'sitemap', '--report', 'broken-links'],
        "--report: a sitemap export holds the job's pages, not a report: choose csv, json, ndjson or xlsx",
      ],
      [
        ['export', jobId, '--format', 'sqlite', '--report', 'broken-links', '--out', env.file('r')],
        "--report: a sqlite export holds the job's pages, not a report: choose csv, json, ndjson or xlsx",
      ],
      [
        ['export', jobId, '--format', 'ndjson', '--bom'],
        '--bom: a byte order mark is for csv only',
      ],
      [
        ['export', jobId, '--format', 'json', '--escape-formulas'],
        '--escape-formulas: escaping formulas is for csv only (xlsx cells are never formulas)',
      ],
      [
        ['export', jobId, '--columns', 'url,shoeSize'],
        `unknown column "shoeSize" (columns: ${PAGE_COLUMNS.join(', ')})`,
      ],
      [['export', jobId, '--columns', 'url,status,url'], '--columns: url is named twice'],
      [
        ['export', jobId, '--sort', 'bytes:down'],
        '--sort takes COLUMN or COLUMN:desc, such as bytes:desc, not "bytes:down"',
      ],
      [
        ['export', jobId, '--format', 'sitemap', '--sort', 'bytes'],
        "--columns and --sort are for the URL table: a sitemap export holds the job's pages",
      ],
      [
        ['export', jobId, '--report', 'broken-links', '--sort', 'bytes'],
        '--sort: a report has its own order: sort is for the URL table',
      ],
      [
        ['export', jobId, '--format', 'csv', '--sitemap-base', 'https://example.com/'],
        '--sitemap-base is for --format sitemap only',
      ],
      [
        ['export', jobId, '--format', 'sitemap', '--sitemap-base', 'example.com'],
        'the sitemap base "example.com" is not an absolute http(s) URL (such as https://example.com/maps/)',
      ],
      [
        ['export', jobId, '--format', 'csv', '--out', env.dbFile],
        `cannot write ${env.dbFile}: it is the database the job is exported from`,
      ],
      // Listed a job a line on a terminal: no line breaks or escape codes in a name.
      [
        ['jobs', 'rename', jobId, 'two\nlines \u001b[31mred'],
        'a job name cannot hold line breaks, tabs or other control characters',
      ],
      [['jobs', 'rename', jobId, 'W'.repeat(201)], 'a job name has at most 200 characters'],
    ];
    for (const [args, message] of refusals) {
      const result = await runCli([...args, '--db', env.dbFile]);
      expect(result.stderr).toBe(`trawl: error: ${message}\n`);
      expect(result.code).toBe(1);
    }
    expect(jsonLines(await cli('jobs', '--json')).map((job: { id: number }) => job.id)).toEqual([
      Number(jobId),
    ]);

    const empty = env.file('empty.sqlite');
    writeFileSync(empty, '');
    for (const args of [['jobs'], ['export', '1'], ['report', '1', 'status-codes']]) {
      const result = await runCli([...args, '--db', empty]);
      expect(result.stderr).toBe(
        `trawl: error: database ${empty} is an empty file, not a Trawl database\n`,
      );
      expect(statSync(empty).size).toBe(0);
    }
  });

  it('writes the external-links checkedAt as ISO 8601 in every report format', async () => {
    const db = openDatabase(env.dbFile);
    const away = 'https://away.invalid/';
    const outlinks = outlinkColumns([{ url: away, text: 'away', rel: null, internal: false }]);
    const jobId = storeJob(db, [{ url: 'http://127.0.0.1:9/', page: { outlinks } }]);
    db.prepare(
      'INSERT INTO external_urls (job_id, url, status, checked_at) VALUES (?, ?, 200, ?)',
    ).run(jobId, away, 1_700_000_000_123);
    db.close();
    const checkedAt = '2023-11-14T22:13:20.123Z';
    const id = String(jobId);

    const tsv = (await cli('report', id, 'external-links')).trimEnd().split('\n');
    expect(tsv).toEqual([
      'url\tlinks\tstatus\terror\tcheckedAt',
      `${away}\t1\t200\t-\t${checkedAt}`,
    ]);
    const json = jsonLines(await cli('report', id, 'external-links', '--json'));
    expect(json).toEqual([{ url: away, links: 1, status: 200, error: null, checkedAt }]);
    const csv = parse(await cli('export', id, '--report', 'external-links', '--format', 'csv'), {
      columns: true,
    });
    expect(csv).toEqual([{ url: away, links: '1', status: '200', error: '', checkedAt }]);
    const exported = JSON.parse(
      await cli('export', id, '--report', 'external-links', '--format', 'json'),
    );
    expect(exported).toEqual([{ url: away, links: 1, status: 200, error: null, checkedAt }]);
  });

  it('prints a report as tab-separated rows that tabs and line breaks in values cannot split', async () => {
    const db = openDatabase(env.dbFile);
    const robots = 'noindex,\tnofollow\r\nsee C:\\robots';
    const jobId = storeJob(db, [{ url: 'http://127.0.0.1:9/', page: { metaRobots: robots } }]);
    db.close();
    const lines = (await cli('report', String(jobId), 'non-indexable')).split('\n');
    expect(lines.at(-1)).toBe(''); // ends with a line break
    const [head, row, ...rest] = lines.slice(0, -1).map((line) => line.split('\t'));
    expect(rest).toEqual([]);
    expect(row).toHaveLength(head!.length);
    expect(row![head!.indexOf('metaRobots')]).toBe('noindex,\\tnofollow\\r\\nsee C:\\\\robots');
  });

  it('prints a crawled title holding terminal control sequences escaped, never raw', async () => {
    // ESC and BEL by character reference, a C1 CSI (U+009B) as it is: the title of a hostile site.
    const site = await env.listen((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        '<title>A&#27;]0;PWNED&#7;&#27;[31mred\u009b2J</title><a href="/b">b</a><a href="/c">c</a>',
      );
    });
    const id = String(await crawl(site.origin));
    const output = await cli('report', id, 'duplicate-titles');
    // eslint-disable-next-line no-control-regex
    expect(output).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    const titles = output
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t')[0]);
    expect(titles).toEqual(Array(3).fill('A\\x1b]0;PWNED\\x07\\x1b[31mred\\x9b2J'));
  });

  it('compares jobs whose titles hold terminal control sequences, printing them escaped', async () => {
    const db = openDatabase(env.dbFile);
    const url = 'http://127.0.0.1:9/';
    const before = storeJob(db, [{ url, page: { title: 'plain' } }]);
    // DEL and a C1 CSI (U+009B): JSON.stringify leaves both as they are.
    const after = storeJob(db, [{ url, page: { title: 'red\u009b31m\u007f\u001b[2J' } }]);
    db.close();
    const output = await cli('compare', String(before), String(after));
    // eslint-disable-next-line no-control-regex
    expect(output).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(output).toBe(`changed  ${url}  title "plain" -> "red\\x9b31m\\x7f\\u001b[2J"\n`);
  });

  it('exports rows to a terminal with their control characters escaped, and to a pipe as stored', async () => {
    const db = openDatabase(env.dbFile);
    const title = 'A\u001b]0;PWNED\u0007\u001b[31mred\u009b2J\u007f';
    const id = String(storeJob(db, [{ url: 'http://127.0.0.1:9/', page: { title } }]));
    db.close();
    // JSON writes C0 as \u00XX itself, but not DEL and C1.
    const shownTitles = {
      csv: 'A\\x1b]0;PWNED\\x07\\x1b[31mred\\x9b2J\\x7f',
      ndjson: 'A\\u001b]0;PWNED\\u0007\\u001b[31mred\\x9b2J\\x7f',
    };
    for (const [format, escaped] of Object.entries(shownTitles)) {
      const args = ['export', id, '--format', format, '--columns', 'url,title', '--db', env.dbFile];
      const shown = await runCliOnTerminal(args);
      expect(shown.code).toBe(0);
      // eslint-disable-next-line no-control-regex
      expect(shown.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u000c\u000e-\u001f\u007f-\u009f]/);
      expect(shown.stdout).toContain(escaped);
      // Into a file or another program, the title stays exactly as stored.
      const piped = await cli(...args.slice(0, -2));
      expect(piped).toContain(format === 'csv' ? title : JSON.stringify(title).slice(1, -1));
    }
  });

  it('says it is upgrading a database an earlier Trawl wrote, once', async () => {
    // A new database says nothing (crawl() above expects an empty stderr).
    const latest = migrations.length;
    // As the build before the last migration left it.
    const file = env.file('older.sqlite');
    databaseAt(file, latest - 1).close();
    const upgraded = await runCli(['jobs', '--db', file]);
    expect(upgraded.code).toBe(0);
    const notice = `trawl: info: upgrading ${file} from schema ${latest - 1} to ${latest} (once; a large database takes a while)`;
    expect(upgraded.stderr.split('\n')[0]).toBe(notice);
    expect((await runCli(['jobs', '--db', file])).stderr).not.toMatch(/upgrading/);
  });

  it('says that a job another process is still crawling is exported, reported and compared as stored so far', async () => {
    // The pages under /p/ wait, so the crawl runs until the test lets it end.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const site = await env.site({
      pages: 5,
      hold: (path) => (path.startsWith('/p/') ? held : undefined),
    });
    const crawling = startCli(['crawl', `${site.origin}/`, '--db', env.dbFile, '--workers', '1']);
    env.onCleanup(async () => {
      release();
      await crawling.result;
    });
    const stored = () => {
      const db = openDatabase(env.dbFile, { mustExist: true });
      try {
        const home = 'SELECT 1 FROM pages WHERE job_id = 1 AND url = ?';
        return db.prepare(home).get(`${site.origin}/`) !== undefined;
      } finally {
        db.close();
      }
    };
    // Once a page under /p/ is asked for, the database is made; the home page's row follows.
    await waitFor(() => site.hits.has('/p/0') && stored(), 'the home page');
    const note = `trawl: info: job 1 is still being crawled by process ${crawling.child.pid}: this holds what it stored so far\n`;

    const file = env.file('partial.csv');
    const exportCsv = () =>
      runCli(['export', '1', '--format', 'csv', '--out', file, '--db', env.dbFile]);
    expect(await exportCsv()).toMatchObject({ code: 0, stderr: note });
    const rows = parse(readFileSync(file), { columns: true }) as Record<string, string>[];
    const urls = rows.map((row) => row.url);
    expect(urls).toContain(`${site.origin}/`);
    expect(urls).not.toContain(`${site.origin}/p/0`);
    const reported = await runCli(['report', '1', 'status-codes', '--db', env.dbFile]);
    expect(reported.code).toBe(0);
    expect(reported.stderr.startsWith(note)).toBe(true);
    const compared = await runCli(['compare', '1', '1', '--json', '--db', env.dbFile]);
    expect(compared).toMatchObject({ code: 0, stderr: note });

    release();
    expect((await crawling.result).code).toBe(0);
    expect(await exportCsv()).toMatchObject({ code: 0, stderr: '' });
  });

  it('takes --out - for stdout, as --list - and --config - take standard input', async () => {
    const db = openDatabase(env.dbFile);
    const jobId = String(storeJob(db, [{ url: 'http://127.0.0.1:9/', page: {} }]));
    db.close();
    const folder = env.file('here');
    mkdirSync(folder);
    const args = ['export', jobId, '--format', 'csv', '--columns', 'url', '--out', '-'];
    const run = (...more: string[]) =>
      startCli([...args, ...more, '--db', env.dbFile], {}, { cwd: folder }).result;
    expect(await run()).toMatchObject({ code: 0, stdout: 'url\r\nhttp://127.0.0.1:9/\r\n' });
    expect(await run('--format', 'xlsx')).toMatchObject({
      code: 1,
      stderr: 'trawl: error: --format xlsx needs --out FILE, a file (not stdout)\n',
    });
    expect(readdirSync(folder)).toEqual([]);
  });

  it('refuses an empty --out (an unset variable in a script) instead of writing to stdout', async () => {
    const db = openDatabase(env.dbFile);
    const jobId = String(storeJob(db, [{ url: 'http://127.0.0.1:9/', page: {} }]));
    db.close();
    const result = await runCli(['export', jobId, '--out', '', '--db', env.dbFile]);
    expect(result).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'trawl: error: --out is empty: give a file name, or - for stdout\n',
    });
  });
});
