import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { STATUS_CLASSES } from '../../shared/results';
import { outlinkColumns } from '../../shared/outlinks';
import { runCli } from '../helpers/cli';
import { processEnv } from '../helpers/process-env';
import { storeJob } from './stored-job';

const env = processEnv();
const O = 'http://127.0.0.1:9';
const AWAY = 'https://away.invalid/';
const ELSEWHERE = 'https://elsewhere.invalid/';

/**
 * A job with a URL of each kind the filters tell apart, in crawl order
 * (stored depth by depth, as a crawl stores them), and two checked external
 * links; `price` is its one extraction rule.
 */
function storeShop(): string {
  const db = openDatabase(env.dbFile);
  try {
    const outlinks = outlinkColumns(
      [AWAY, ELSEWHERE].map((url) => ({ url, text: 'x', rel: null, internal: false })),
    );
    const jobId = storeJob(
      db,
      [
        {
          url: `${O}/`,
          page: { title: 'Home of red shoes', extracted: { price: '9.99' }, outlinks },
        },
        {
          url: `${O}/shoes/red`,
          depth: 1,
          page: { title: 'Red shoes', extracted: { price: '19.99' } },
        },
        { url: `${O}/shoes/blue`, depth: 1, page: { title: 'Blue shoes', metaRobots: 'noindex' } },
        { url: `${O}/private`, depth: 1, blocked: true },
        { url: `${O}/missing`, depth: 2, page: { status: 404, title: 'Not found' } },
        { url: `${O}/boom`, depth: 2, page: { status: 500, title: 'Server error' } },
        {
          url: `${O}/guide.pdf`,
          depth: 2,
          page: { contentType: 'application/pdf', title: null, headers: {} },
        },
        { url: `${O}/gone`, depth: 3, failed: 'timeout' },
      ],
      { extract: [{ name: 'price', kind: 'css', expression: '.price' }] },
    );
    const checked = db.prepare(
      'INSERT INTO external_urls (job_id, url, status, checked_at) VALUES (?, ?, ?, 0)',
    );
    checked.run(jobId, AWAY, 404);
    checked.run(jobId, ELSEWHERE, 200);
    return String(jobId);
  } finally {
    db.close();
  }
}

async function exported(...args: string[]): Promise<string> {
  const result = await runCli(['export', ...args, '--db', env.dbFile]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

/** The URLs (paths on the test site) an NDJSON export with these filters holds, in order. */
async function urls(jobId: string, ...filters: string[]): Promise<string[]> {
  const out = await exported(jobId, '--columns', 'url', ...filters);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { url: string }).url.replace(O, ''));
}

describe('trawl export filters', () => {
  it(
    'keep exactly the rows each filter of the URL table keeps, and all of them combined',
    { timeout: 180_000 },
    async () => {
      const id = storeShop();
      const cases: [string[], string[]][] = [
        [
          [],
          [
            '/',
            '/shoes/red',
            '/shoes/blue',
            '/missing',
            '/boom',
            '/guide.pdf',
            '/private',
            '/gone',
          ],
        ],
        [['--status', '4xx'], ['/missing']],
        [
          ['--status', '4xx,5xx,failed'],
          ['/missing', '/boom', '/gone'],
        ],
        [
          ['--status', ' Blocked , 2XX'],
          ['/', '/shoes/red', '/shoes/blue', '/guide.pdf', '/private'],
        ],
        [
          ['--content-type', 'TEXT/HTML'],
          ['/', '/shoes/red', '/shoes/blue', '/missing', '/boom'],
        ],
        [['--content-type', 'application/'], ['/guide.pdf']],
        [
          ['--depth', '2'],
          ['/missing', '/boom', '/guide.pdf'],
        ],
        [
          ['--depth', '1-2'],
          ['/shoes/red', '/shoes/blue', '/missing', '/boom', '/guide.pdf', '/private'],
        ],
        [
          ['--depth', '2-'],
          ['/missing', '/boom', '/guide.pdf', '/gone'],
        ],
        [
          ['--depth', '-1'],
          ['/', '/shoes/red', '/shoes/blue', '/private'],
        ],
        [['--depth=-0'], ['/']],
        [
          ['--indexable', 'yes'],
          ['/', '/shoes/red'],
        ],
        [
          ['--indexable', 'no'],
          ['/shoes/blue', '/missing', '/boom', '/guide.pdf', '/private', '/gone'],
        ],
        [
          ['--scope', 'external'],
          [AWAY, ELSEWHERE],
        ],
        [
          ['--scope', 'all', '--status', '4xx'],
          ['/missing', AWAY],
        ],
        // External URLs have a status and a URL: these filters hold on them.
        [['--scope', 'external', '--status', '4xx'], [AWAY]],
        [['--scope', 'external', '--search', 'away'], [AWAY]],
        [
          ['--search', 'red shoes'],
          ['/', '/shoes/red'],
        ],
        [
          ['--search', 'shoe'],
          ['/', '/shoes/red', '/shoes/blue'],
        ],
        [['--extracted', 'price=9.99'], ['/']],
        [
          ['--extracted', 'price~9.99'],
          ['/', '/shoes/red'],
        ],
        [
          ['--extracted', 'price'],
          ['/', '/shoes/red'],
        ],
        [
          ['--extracted', '!price'],
          ['/shoes/blue', '/missing', '/boom', '/guide.pdf'],
        ],
        // Combined: every filter must hold.
        [
          ['--content-type', 'text/html', '--indexable', 'no'],
          ['/shoes/blue', '/missing', '/boom'],
        ],
        [
          ['--status', '2xx', '--depth', '1-', '--search', 'shoes'],
          ['/shoes/red', '/shoes/blue'],
        ],
        [
          ['--extracted', '!price', '--depth', '2', '--status', '5xx,2xx'],
          ['/boom', '/guide.pdf'],
        ],
        [
          ['--indexable', 'no', '--depth', '-1', '--sort', 'url:desc'],
          ['/shoes/blue', '/private'],
        ],
      ];
      const kept = [];
      for (const [filters] of cases) kept.push({ filters, urls: await urls(id, ...filters) });
      expect(kept).toEqual(cases.map(([filters, expected]) => ({ filters, urls: expected })));
    },
  );

  it('apply in every table format and to a sitemap', async () => {
    const id = storeShop();
    const ndjson = (await exported(id, '--status', '4xx,failed')).trimEnd().split('\n');
    expect(ndjson.map((line) => JSON.parse(line))).toMatchObject([
      { url: `${O}/missing`, kind: 'page', status: 404, title: 'Not found' },
      { url: `${O}/gone`, kind: 'failed', status: null, error: 'timeout' },
    ]);
    const json = JSON.parse(await exported(id, '--format', 'json', '--indexable', 'yes'));
    expect(json.map((row: { url: string }) => row.url)).toEqual([`${O}/`, `${O}/shoes/red`]);
    const csv = parse(
      await exported(id, '--format', 'csv', '--columns', 'url,status', '--status', '5xx,4xx'),
      { columns: true },
    );
    expect(csv).toEqual([
      { url: `${O}/missing`, status: '404' },
      { url: `${O}/boom`, status: '500' },
    ]);
    const xlsx = env.file('pdf.xlsx');
    await exported(id, '--format', 'xlsx', '--content-type', 'application/pdf', '--out', xlsx);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    const sheet = workbook.getWorksheet('rows')!;
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getCell('A2').value).toBe(`${O}/guide.pdf`);

    const sitemap = async (...filters: string[]) =>
      [
        ...(await exported(id, '--format', 'sitemap', ...filters)).matchAll(/<loc>(.*?)<\/loc>/g),
      ].map((match) => match[1]!.replace(O, ''));
    expect(await sitemap()).toEqual(['/', '/shoes/red']);
    expect(await sitemap('--depth', '1-')).toEqual(['/shoes/red']);
    expect(await sitemap('--search', 'home', '--status', '2xx,4xx')).toEqual(['/']);
    // An empty urlset is invalid (sitemap.xsd needs one url at least): refused, nothing written.
    const empty = env.file('empty.xml');
    const refused = await runCli([
      'export',
      id,
      '--format',
      'sitemap',
      '--extracted',
      '!price',
      '--out',
      empty,
      '--db',
      env.dbFile,
    ]);
    expect(refused).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `trawl: error: no indexable 200 page of job ${id} matches the filters: the sitemap would be empty, which the protocol does not allow\n`,
    });
    expect(existsSync(empty)).toBe(false);
  });

  it(
    'refuse a bad value or a filter the export cannot honor in one line, and write nothing',
    { timeout: 180_000 },
    async () => {
      const id = storeShop();
      const invalid = (flags: string, value: string, why: string) =>
        `option '${flags}' argument '${value}' is invalid. ${why}`;
      const classes = STATUS_CLASSES.join(', ');
      const extracted =
        'expected NAME=VALUE (equals), NAME~VALUE (contains), NAME (has a value) or !NAME (has none)';
      const pages = 'fetched pages';
      const unanswered = 'failed or blocked URLs';
      const external = 'checked external URLs';
      const internal = `${pages} and ${unanswered}`;
      const noRow = (first: string, firstKeeps: string, second: string, secondKeeps: string) =>
        `${first} and ${second} keep no row together: ${first} keeps only ${firstKeeps}, ${second} only ${secondKeeps}`;
      const refusals: [string[], string][] = [
        [
          ['--status', '4xx,6xx'],
          invalid(
            '--status <list>',
            '4xx,6xx',
            `"6xx" is no status class: expected a comma-separated list of ${classes}`,
          ),
        ],
        [
          ['--status', '4xx,'],
          invalid(
            '--status <list>',
            '4xx,',
            `an empty item is no status class: expected a comma-separated list of ${classes}`,
          ),
        ],
        [
          ['--content-type', ' '],
          invalid(
            '--content-type <type>',
            ' ',
            'expected a content type or its start, such as text/html',
          ),
        ],
        [['--content-type', 'x'.repeat(201)], '--content-type: takes at most 200 characters'],
        [
          ['--depth', '3-1'],
          invalid('--depth <range>', '3-1', 'the least depth 3 is above the greatest 1'),
        ],
        [
          ['--depth', 'deep'],
          invalid('--depth <range>', 'deep', 'expected N, MIN-MAX, MIN- or -MAX, such as 0-3'),
        ],
        [
          ['--depth', '-'],
          invalid('--depth <range>', '-', 'expected N, MIN-MAX, MIN- or -MAX, such as 0-3'),
        ],
        [
          ['--depth', '1 2'],
          invalid('--depth <range>', '1 2', 'expected N, MIN-MAX, MIN- or -MAX, such as 0-3'),
        ],
        [['--indexable', 'true'], invalid('--indexable <yes|no>', 'true', 'expected yes or no')],
        [
          ['--scope', 'everything'],
          invalid('--scope <scope>', 'everything', 'expected one of: internal, external, all'),
        ],
        [['--search', '  '], invalid('--search <words>', '  ', 'expected words to search for')],
        [['--extracted', '=9.99'], invalid('--extracted <match>', '=9.99', extracted)],
        [['--extracted', '!price=9.99'], invalid('--extracted <match>', '!price=9.99', extracted)],
        [
          ['--extracted', 'prise~9'],
          `--extracted: job ${id} has no extraction rule "prise" (its rules: price)`,
        ],
        [
          ['--status', '4xx', '--status', '5xx'],
          invalid('--status <list>', '5xx', 'given twice: give it once'),
        ],
        [
          ['--report', 'broken-links', '--depth', '1'],
          '--depth: a report has its own rows: filters are for the URL table',
        ],
        [
          ['--format', 'sqlite', '--search', 'shoes'],
          '--search: a sqlite export copies the whole job: filters are for csv, json, ndjson, xlsx and sitemap',
        ],
        ...(['--status 4xx,5xx', '--indexable no', '--scope external'] as const).map(
          (filter): [string[], string] => [
            ['--format', 'sitemap', '--depth', '1', ...filter.split(' ')],
            `${filter.split(' ')[0]}: a sitemap lists only indexable pages that answered 200, which this filter leaves out`,
          ],
        ),
        // Filters no row can hold together: the export would be empty whatever the job holds.
        [['--scope', 'external', '--depth', '1'], noRow('--depth', internal, '--scope', external)],
        [
          ['--content-type', 'text/html', '--scope', 'external'],
          noRow('--content-type', pages, '--scope', external),
        ],
        [
          ['--scope', 'external', '--indexable', 'yes'],
          noRow('--indexable', pages, '--scope', external),
        ],
        [
          ['--scope', 'external', '--indexable', 'no'],
          noRow('--indexable', internal, '--scope', external),
        ],
        [
          ['--scope', 'external', '--extracted', 'price'],
          noRow('--scope', external, '--extracted', pages),
        ],
        [
          ['--scope', 'external', '--status', 'blocked'],
          noRow('--status', unanswered, '--scope', external),
        ],
        [
          ['--status', 'failed', '--content-type', 'text/html'],
          noRow('--status', `${unanswered} and ${external}`, '--content-type', pages),
        ],
      ];
      // Every refusal at once, so a failure names each one that changed.
      const answers = [];
      for (const [n, [args]] of refusals.entries()) {
        const out = env.file(`out-${n}.csv`);
        const result = await runCli(['export', id, ...args, '--out', out, '--db', env.dbFile]);
        answers.push({ args, stderr: result.stderr, code: result.code, written: existsSync(out) });
      }
      expect(answers).toEqual(
        refusals.map(([args, message]) => ({
          args,
          stderr: `trawl: error: ${message}\n`,
          code: 1,
          written: false,
        })),
      );
      // Nothing stored was touched: the whole table still exports.
      expect(await urls(id)).toHaveLength(8);
    },
  );
});
