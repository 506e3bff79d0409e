import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { readFileSync, writeFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { runCli } from '../helpers/cli';
import { processEnv } from '../helpers/process-env';

const PAGES = 12;
const PER_PAGE = 25;
const env = processEnv();
let origin: string;

/** A paginated bug tracker: page n lists bugs n*25+1 … n*25+25 and links to the next page. */
function listing(n: number): string {
  const rows = Array.from({ length: PER_PAGE }, (_, i) => {
    const id = n * PER_PAGE + i + 1;
    return `<tr><td class="id">${id}</td><td class="title">Bug ${id}: crash &amp; burn</td></tr>`;
  });
  const next = n + 1 < PAGES ? `<a href="?page=${n + 1}">next</a>` : '';
  return `<html><head><title>Bugs page ${n}</title></head><body><table>${rows.join('')}</table>${next}
    <p class="slow">${'a'.repeat(28)}b</p></body></html>`;
}

beforeEach(async () => {
  ({ origin } = await env.listen((request, response) => {
    const n = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('page') ?? 0);
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(listing(n));
  }));
});

describe('custom extraction from the command line', () => {
  it('pulls every bug title from a paginated listing with one regex, none skipped or repeated', async () => {
    const db = env.file('bugs.sqlite');
    const crawl = await runCli([
      ...['crawl', `${origin}/bugs?page=0`, '--db', db, '--workers', '2'],
      ...[
        '--extract',
        'titles[]=regex:<td class="title">([^<]+)</td>',
        '--extract',
        'heading=css:title',
      ],
    ]);
    expect(crawl.code).toBe(0);
    const out = env.file('bugs.ndjson');
    expect((await runCli(['export', '1', '--db', db, '--out', out])).code).toBe(0);
    const pages = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(pages).toHaveLength(PAGES);
    const titles = pages.flatMap((row) => row.extracted.titles as string[]);
    const expected = Array.from(
      { length: PAGES * PER_PAGE },
      (_, i) => `Bug ${i + 1}: crash &amp; burn`,
    );
    expect([...titles].sort()).toEqual([...expected].sort());
    expect(pages.find((row) => row.url.endsWith('page=3')).extracted.heading).toBe('Bugs page 3');

    // The values are in the database too, one row per match, for the results views.
    const sqlite = openDatabase(db, { mustExist: true });
    const count = sqlite
      .prepare("SELECT count(*) AS n FROM extractions WHERE name = 'titles'")
      .get();
    sqlite.close();
    expect(count).toEqual({ n: PAGES * PER_PAGE });
  });

  it('exports every extracted value as a row of its own to CSV and XLSX', async () => {
    const db = env.file('bugs.sqlite');
    const crawl = await runCli([
      ...['crawl', `${origin}/bugs?page=0`, '--db', db, '--workers', '2'],
      ...['--extract', 'titles[]=css:td.title', '--extract', 'heading=css:title'],
    ]);
    expect(crawl.code).toBe(0);
    const csvFile = env.file('values.csv');
    const xlsxFile = env.file('values.xlsx');
    for (const [format, out] of [
      ['csv', csvFile],
      ['xlsx', xlsxFile],
    ] as const) {
      const args = ['export', '1', '--report', 'extracted-values', '--format', format];
      const result = await runCli([...args, '--db', db, '--out', out]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
    // Each row as one string, so a value lost, repeated or cut shows in the diff.
    const line = (row: unknown[]) => row.join(' | ');
    const csvRows = (parse(readFileSync(csvFile)) as string[][]).map(line);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsxFile);
    const xlsxRows = workbook
      .getWorksheet('rows')!
      .getSheetValues()
      .slice(1)
      .map((row) => line((row as unknown[]).slice(1)));
    const header = line(['url', 'rule', 'position', 'value']);
    const expected = Array.from({ length: PAGES }, (_, n) => [
      line([`${origin}/bugs?page=${n}`, 'heading', 0, `Bugs page ${n}`]),
      ...Array.from({ length: PER_PAGE }, (_, i) =>
        line([
          `${origin}/bugs?page=${n}`,
          'titles',
          i,
          `Bug ${n * PER_PAGE + i + 1}: crash & burn`,
        ]),
      ),
    ])
      .flat()
      .sort();
    for (const [first, ...rows] of [csvRows, xlsxRows]) {
      expect(first).toBe(header);
      expect(rows.sort()).toEqual(expected);
    }
  });

  it('says what each rule found, and warns of one that matched nothing', async () => {
    const args = ['crawl', `${origin}/bugs?page=0`, '--db', env.file('n.sqlite'), '--workers', '2'];
    const rules = ['titles[]=css:td.title', 'typo=css:td.titel', 'heading=regex:<title>([^<]+)'];
    const crawl = await runCli([...args, ...rules.flatMap((rule) => ['--extract', rule])]);
    expect(crawl.code).toBe(0);
    expect(crawl.stderr.split('\n').slice(1)).toEqual([
      `  titles: ${PAGES * PER_PAGE} values from ${PAGES} of ${PAGES} pages`,
      `  heading: ${PAGES} values from ${PAGES} of ${PAGES} pages`,
      `trawl: warn: extraction rule "typo" matched nothing on any of the ${PAGES} pages`,
      '',
    ]);
    const again = await runCli([...args, '--json', '--extract', 'typo=css:td.titel']);
    expect(JSON.parse(again.stdout).extracted).toEqual([{ rule: 'typo', values: 0, pages: 0 }]);
    expect(again.stderr).toMatch(/^trawl: warn: extraction rule "typo" matched nothing/);
  });

  it('refuses a bad rule before fetching anything', async () => {
    const result = await runCli([
      'crawl',
      `${origin}/`,
      '--db',
      env.file('x.sqlite'),
      '--extract',
      'bad=css:a[',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/rule "bad": bad CSS selector "a\["/);
  });

  it('replaces a worker stuck in a pathological regex and records the page as failed, with why', async () => {
    const job = env.file('job.json');
    writeFileSync(job, JSON.stringify({ workerStallMs: 1000, maxDepth: 0 }));
    const result = await runCli([
      ...[
        'crawl',
        `${origin}/bugs?page=0`,
        '--db',
        env.file('slow.sqlite'),
        '--workers',
        '1',
        '--json',
      ],
      ...['--config', job, '--extract', 'slow=regex:(a+)+$'],
    ]);
    expect(JSON.parse(result.stdout)).toMatchObject({ pages: 0, failed: 1 });
    expect(result.stderr).toMatch(/stopped sending heartbeats/);
    const sqlite = openDatabase(env.file('slow.sqlite'), { mustExist: true });
    const row = sqlite.prepare('SELECT error FROM frontier').get();
    sqlite.close();
    expect(row).toEqual({
      error: 'quarantined: in flight on 3 workers that died (the last stopped sending heartbeats)',
    });
  });
});
