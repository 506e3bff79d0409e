import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { SaxesParser } from 'saxes';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { exportJob } from '../../electron/engine/export/export-job';
import { URLS_PER_SITEMAP } from '../../electron/engine/export/sitemap-writer';
import { openDatabase } from '../../electron/engine/store/database';
import { JobStore } from '../../electron/engine/store/job-store';
import { queryPages } from '../../electron/engine/results/page-query';
import {
  exportRequestSchema,
  PAGE_COLUMNS,
  type ExportRequest,
  type PageColumn,
  type PageQuery,
  type PageRow,
} from '../../shared/results';
import { outlinkColumns } from '../../shared/outlinks';
import { runCli } from '../helpers/cli';
import { databasePerTest } from '../helpers/temp-db';
import { canMount, tmpfsFolder } from '../helpers/tmpfs';
import { storeJob, type UrlOutcome } from './stored-job';

const env = databasePerTest('export.sqlite');

const O = 'http://127.0.0.1:9';
/** Titles that break naive writers: quotes, commas, line breaks, non-ASCII. */
const TRICKY = ['Comma, "quoted"\r\nand a new line', 'Ünïcödé — 日本語', '=SUM(1)'];

function storeTricky(): number {
  return storeJob(
    env.db,
    [
      ...TRICKY.map((title, n): UrlOutcome => ({
        url: `${O}/t${n}?a=1&b=<2>`,
        page: { title, extracted: { sku: `S${n}` } },
      })),
      { url: `${O}/gone`, page: { status: 404 } },
      { url: `${O}/noindex`, page: { metaRobots: 'noindex' } },
      { url: `${O}/dead`, failed: 'ETIMEDOUT' },
    ],
    { extract: [{ name: 'sku', kind: 'regex', expression: 'x' }] },
  );
}

async function exportTo(request: Omit<ExportRequest, 'jobId'>, jobId: number, name: string) {
  const file = env.temp.file(name);
  const progress: number[] = [];
  const result = await exportJob(
    env.db,
    { jobId, ...request },
    { file },
    {
      onProgress: ({ rows }) => progress.push(rows),
      progressEveryRows: 2,
    },
  );
  return { file, result, progress };
}

describe('exports', () => {
  it('CSV is RFC 4180 UTF-8 that a CSV parser reads back exactly, with an optional BOM', async () => {
    const jobId = storeTricky();
    const { file, result, progress } = await exportTo(
      { format: 'csv', bom: true },
      jobId,
      'pages.csv',
    );
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual([
      'url',
      'kind',
      ...PAGE_COLUMNS.filter((c) => c !== 'url' && c !== 'kind'),
    ]);
    expect(records.map((r) => r.title).slice(0, 3)).toEqual(TRICKY);
    expect(records.map((r) => r.kind)).toEqual(['page', 'page', 'page', 'page', 'page', 'failed']);
    expect(result.rows).toBe(6);
    expect(progress.at(-1)).toBe(6);
    const plain = await exportTo({ format: 'csv', report: 'non-indexable' }, jobId, 'report.csv');
    const text = readFileSync(plain.file, 'utf8');
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(
      (parse(text, { columns: true }) as Record<string, string>[]).map((r) => [r.url, r.reason]),
    ).toEqual([
      [`${O}/gone`, 'status 404'],
      [`${O}/noindex`, 'noindex'],
    ]);
  });

  it('CSV quotes a value holding a lone line feed or carriage return, which ends a record for Excel and Python', async () => {
    const values = ['1 Main St\nSpringfield', 'old\rMac', 'both\r\nends'];
    const jobId = storeJob(
      env.db,
      values.map((value, n) => ({
        url: `${O}/a${n}`,
        page: { title: value, extracted: { address: [value] } },
      })),
      { extract: [{ name: 'address', kind: 'regex', expression: 'x', all: true }] },
    );
    // As Excel and Python's csv module read a file: any line break outside quotes ends a record.
    const read = (file: string) =>
      parse(readFileSync(file), { columns: true, record_delimiter: ['\r\n', '\n', '\r'] });
    const table = await exportTo({ format: 'csv', columns: ['url', 'title'] }, jobId, 'lf.csv');
    expect(read(table.file)).toEqual(values.map((title, n) => ({ url: `${O}/a${n}`, title })));
    const report = await exportTo({ format: 'csv', report: 'extracted-values' }, jobId, 'x.csv');
    expect((read(report.file) as Record<string, string>[]).map((row) => row.value)).toEqual(values);
  });

  it('CSV escapes formulas when asked: a spreadsheet shows such cells as text', async () => {
    const formulas = ['=HYPERLINK("http://x","y")', '+1 to this', '-2 regression', '@SUM(A1)'];
    const plainTitles = ['Plain title', 'a = b'];
    const jobId = storeJob(
      env.db,
      [...formulas, '\tTab first', '＝SUM(1)', ...plainTitles].map((title, n) => ({
        url: `${O}/f${n}`,
        page: { title },
      })),
    );
    const titles = async (escapeFormulas: boolean) => {
      const { file } = await exportTo(
        { format: 'csv', columns: ['title', 'status'], escapeFormulas },
        jobId,
        `f-${escapeFormulas}.csv`,
      );
      return parse(readFileSync(file), { columns: true }) as Record<string, string>[];
    };
    const escaped = await titles(true);
    expect(escaped.map((row) => row.title)).toEqual([
      ...formulas.map((title) => `'${title}`),
      "'\tTab first",
      "'＝SUM(1)",
      ...plainTitles,
    ]);
    expect(escaped.map((row) => row.status)).toEqual(escaped.map(() => '200'));
    expect((await titles(false)).map((row) => row.title)).toEqual([
      ...formulas,
      '\tTab first',
      '＝SUM(1)',
      ...plainTitles,
    ]);
    const xlsx = exportRequestSchema.safeParse({ jobId, format: 'xlsx', escapeFormulas: true });
    expect(xlsx.error?.issues[0]?.message).toMatch(/for csv only/);
  });

  it('JSON and NDJSON parse back; a filtered view exports only its rows', async () => {
    const jobId = storeTricky();
    const json = JSON.parse(
      readFileSync((await exportTo({ format: 'json' }, jobId, 'p.json')).file, 'utf8'),
    );
    expect(json.map((page: { title: string }) => page.title).slice(0, 3)).toEqual(TRICKY);
    expect(json[0].extracted).toEqual({ sku: 'S0' });
    const filtered = await exportTo(
      {
        format: 'ndjson',
        filters: { statusClasses: ['4xx', 'failed'] },
        columns: ['url', 'status'],
      },
      jobId,
      'p.ndjson',
    );
    const lines = readFileSync(filtered.file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { url: `${O}/gone`, status: 404 },
      { url: `${O}/dead`, status: null },
    ]);
    const empty = storeJob(env.db, [{ url: `${O}/x`, failed: 'timeout' }]);
    const none = await exportTo(
      { format: 'json', report: 'duplicate-titles' },
      empty,
      'empty.json',
    );
    expect(JSON.parse(readFileSync(none.file, 'utf8'))).toEqual([]);
  });

  it('NDJSON escapes U+0085, U+2028 and U+2029, so that a reader splitting lines there (Python) gets one record a line', async () => {
    const title = 'Before\u2028line separator\u2029paragraph separator\u0085next line';
    const jobId = storeJob(env.db, [
      { url: `${O}/a`, page: { title } },
      { url: `${O}/b`, page: { title: 'plain' } },
    ]);
    for (const format of ['ndjson', 'json'] as const) {
      const text = readFileSync((await exportTo({ format }, jobId, `s.${format}`)).file, 'utf8');
      expect(text).not.toMatch(/[\u0085\u2028\u2029]/);
      expect(text).toContain(
        'Before\\u2028line separator\\u2029paragraph separator\\u0085next line',
      );
    }
    const text = readFileSync(
      (await exportTo({ format: 'ndjson' }, jobId, 'l.ndjson')).file,
      'utf8',
    );
    // As Python's str.splitlines() splits (its other breaks are control characters JSON escapes).
    const lines = text.split(/\r\n|[\n\r\u0085\u2028\u2029]/).filter(Boolean);
    expect(lines.map((line) => JSON.parse(line).title)).toEqual([title, 'plain']);
  });

  it("a view of the table exports the table's rows in its sort order, exactly its columns in theirs", async () => {
    const jobId = storeTricky();
    const view: Pick<PageQuery, 'sort' | 'filters'> & { columns: PageColumn[] } = {
      sort: { column: 'title', direction: 'desc' },
      filters: { statusClasses: ['2xx', '4xx', 'failed'] },
      columns: ['title', 'url', 'status'],
    };
    // The rows as the URL table pages through them, two at a time with its keyset cursor.
    const shown: PageRow[] = [];
    let cursor: string | undefined;
    do {
      const screen = queryPages(env.db, {
        jobId,
        ...view,
        columns: [...view.columns],
        limit: 2,
        cursor,
      });
      shown.push(...screen.rows);
      cursor = screen.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(shown.map((row) => row.url)).not.toEqual([...shown.map((row) => row.url)].sort());

    const csv = await exportTo({ format: 'csv', ...view }, jobId, 'v.csv');
    const [header, ...records] = parse(readFileSync(csv.file)) as string[][];
    expect(header).toEqual(['title', 'url', 'status']);
    expect(records.map((record) => record[1])).toEqual(shown.map((row) => row.url));
    const ndjson = await exportTo({ format: 'ndjson', ...view }, jobId, 'v.ndjson');
    const lines = readFileSync(ndjson.file, 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual(
      shown.map(({ title, url, status }) => ({ title, url, status })),
    );
    expect(Object.keys(JSON.parse(lines[0]!))).toEqual(['title', 'url', 'status']);
    // A report keeps its own order: a sort with it is refused, not silently dropped.
    const withReport = exportRequestSchema.safeParse({
      jobId,
      format: 'csv',
      report: 'broken-links',
      sort: view.sort,
    });
    expect(withReport.error?.issues[0]?.message).toBe(
      'a report has its own order: sort is for the URL table',
    );
  });

  it('XLSX reads back with exceljs', async () => {
    const jobId = storeTricky();
    const { file } = await exportTo(
      { format: 'xlsx', columns: ['url', 'title', 'indexable'] },
      jobId,
      'p.xlsx',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet('rows')!;
    const values = sheet
      .getSheetValues()
      .slice(1)
      .map((row) => (row as unknown[]).slice(1));
    expect(values[0]).toEqual(['url', 'title', 'indexable']);
    // XML (inside XLSX) stores line breaks as \n.
    expect(values.slice(1, 4).map((row) => row[1])).toEqual(
      TRICKY.map((t) => t.replace('\r\n', '\n')),
    );
    expect(values[4]).toEqual([`${O}/gone`, `Title of ${O}/gone`, false]);
  });

  it('XLSX keeps a literal _xHHHH_ in a cell: Excel would read it as an escaped character', async () => {
    const titles = [
      'Code _x0041_ and _x00e9_', // Excel would show "Code A and é"
      '__x0041__',
      '_\u0001x0041_', // the control character's escape does not join the underscore
      '_x0041\u0001', // nor the digits before it
      'Plain _x41_ and _xZZZZ_ title',
    ];
    const jobId = storeJob(
      env.db,
      titles.map((title, n) => ({ url: `${O}/x${n}`, page: { title } })),
    );
    const { file } = await exportTo({ format: 'xlsx', columns: ['title'] }, jobId, 'x.xlsx');
    const sheet = strFromU8(unzipSync(readFileSync(file))['xl/worksheets/sheet1.xml']!);
    const cells = [...sheet.matchAll(/<t xml:space="preserve">(.*?)<\/t>/g)].map((m) => m[1]);
    expect(cells).toEqual([
      'title',
      'Code _x005F_x0041_ and _x005F_x00e9_',
      '__x005F_x0041__',
      '__x0001_x0041_',
      '_x005F_x0041_x0001_',
      'Plain _x41_ and _xZZZZ_ title',
    ]);
    expect(xlsxTexts(file)).toEqual(['title', ...titles]);
  });

  it('XLSX keeps the characters XML cannot hold (control characters, U+FFFE, U+FFFF) as Excel escapes them', async () => {
    const titles = [
      'Before\uFFFEafter\uFFFF end',
      'Bell\u0007 and\u0001 start',
      'Esc \u001b[31m red',
    ];
    const jobId = storeJob(
      env.db,
      titles.map((title, n) => ({ url: `${O}/c${n}`, page: { title } })),
    );
    const { file } = await exportTo({ format: 'xlsx', columns: ['title'] }, jobId, 'c.xlsx');
    expect(xlsxTexts(file)).toEqual(['title', ...titles]);
  });

  it("XLSX cuts a cell at Excel's 32,767 characters, never inside an emoji", async () => {
    const title = `${'a'.repeat(32_766)}😀${'b'.repeat(100)}`;
    const jobId = storeJob(env.db, [{ url: `${O}/long`, page: { title } }]);
    const { file } = await exportTo({ format: 'xlsx', columns: ['title'] }, jobId, 'l.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const cell = workbook.getWorksheet('rows')!.getRow(2).getCell(1).value as string;
    // Cut at 32,767 code units, the emoji's second half would be gone and its first a U+FFFD.
    expect(cell).toBe('a'.repeat(32_766));
  });

  it('a sitemap lists indexable 200 pages as valid XML, split with an index past 50,000 URLs', async () => {
    const jobId = storeTricky();
    const { file } = await exportTo({ format: 'sitemap' }, jobId, 'sitemap.xml');
    expect(sitemapLocs(readFileSync(file, 'utf8'))).toEqual(
      TRICKY.map((_, n) => `${O}/t${n}?a=1&b=<2>`),
    );

    const many = URLS_PER_SITEMAP + 3;
    const big = storeJob(
      env.db,
      Array.from({ length: many }, (_, n) => ({ url: `${O}/${n}`, page: {} })),
    );
    const split = await exportJob(
      env.db,
      { jobId: big, format: 'sitemap' },
      { file: env.temp.file('big/../index.xml') },
      {
        sitemapBaseUrl: 'https://cdn.example/maps/',
      },
    );
    expect(split.rows).toBe(many);
    expect(sitemapLocs(readFileSync(env.temp.file('index.xml'), 'utf8'))).toEqual([
      'https://cdn.example/maps/index-1.xml',
      'https://cdn.example/maps/index-2.xml',
    ]);
    expect(
      readdirSync(env.temp.dir)
        .filter((name) => name.startsWith('index'))
        .sort(),
    ).toEqual(['index-1.xml', 'index-2.xml', 'index.xml']);
    const second = sitemapLocs(readFileSync(env.temp.file('index-2.xml'), 'utf8'));
    expect(second).toEqual([0, 1, 2].map((n) => `${O}/${URLS_PER_SITEMAP + n}`));

    // The parts hold XML whatever the index is named: `map.txt` or `map` indexes `map-1.xml`…
    for (const name of ['map.txt', 'map']) {
      const folder = env.temp.file(`named-${name}`);
      mkdirSync(folder);
      const named = await exportJob(
        env.db,
        { jobId: big, format: 'sitemap' },
        { file: join(folder, name) },
        { sitemapBaseUrl: 'https://cdn.example/' },
      );
      expect(named.files.map((written) => basename(written))).toEqual([
        name,
        'map-1.xml',
        'map-2.xml',
      ]);
      expect(sitemapLocs(readFileSync(join(folder, name), 'utf8'))).toEqual([
        'https://cdn.example/map-1.xml',
        'https://cdn.example/map-2.xml',
      ]);
    }

    // A browser's download (trawl serve) or stdout carries one file: say how to get them all.
    const stream = new PassThrough();
    await expect(exportJob(env.db, { jobId: big, format: 'sitemap' }, { stream })).rejects.toThrow(
      `this sitemap needs an index and several files (it has more than 50,000 URLs or 50 MB), ` +
        `which a download or stdout cannot carry: write them into a folder with ` +
        `trawl export ${big} --format sitemap --out FOLDER/sitemap.xml`,
    );
    expect(stream.read()).toBeNull();
  });

  it('a sitemap splits before a file passes 50 MB, however few its URLs', async () => {
    // 26,000 URLs of 2,000 characters: 52 MB of <loc>s, past the protocol's 52,428,800 bytes.
    const many = 26_000;
    const url = (n: number) => `${O}/${String(n).padStart(6, '0')}/${'x'.repeat(1_970)}`;
    const jobId = storeJob(
      env.db,
      Array.from({ length: many }, (_, n) => ({ url: url(n), page: {} })),
    );
    const { result } = await exportTo({ format: 'sitemap' }, jobId, 'long.xml');
    expect(result.files.map((file) => basename(file))).toEqual([
      'long.xml',
      'long-1.xml',
      'long-2.xml',
    ]);
    const parts = result.files.slice(1);
    for (const part of parts) expect(statSync(part).size).toBeLessThanOrEqual(50 * 1024 * 1024);
    const listed = parts.flatMap((part) => sitemapLocs(readFileSync(part, 'utf8')));
    expect(listed).toEqual(Array.from({ length: many }, (_, n) => url(n)));
  });

  it('a smaller sitemap export removes the parts Trawl wrote for a larger one, and nothing else', async () => {
    const big = storeJob(
      env.db,
      Array.from({ length: URLS_PER_SITEMAP + 1 }, (_, n) => ({ url: `${O}/${n}`, page: {} })),
    );
    const small = storeJob(env.db, [{ url: `${O}/only`, page: {} }]);
    const folder = env.temp.file('maps');
    mkdirSync(folder);
    const file = join(folder, 'maps.xml');
    const sitemap = (jobId: number) =>
      exportJob(
        env.db,
        { jobId, format: 'sitemap' },
        { file },
        { sitemapBaseUrl: 'https://a.example/' },
      );
    const listing = () => readdirSync(folder).sort();

    await sitemap(big);
    // A person's own files: a sitemap of theirs under the next part's name, a
    // copy of a Trawl part under another number, other names, a link to a part.
    const own =
      '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n</urlset>\n';
    writeFileSync(join(folder, 'maps-3.xml'), own);
    copyFileSync(join(folder, 'maps-1.xml'), join(folder, 'maps-4.xml'));
    copyFileSync(join(folder, 'maps-1.xml'), join(folder, 'maps-old.xml'));
    copyFileSync(join(folder, 'maps-1.xml'), env.temp.file('elsewhere.xml'));
    symlinkSync(env.temp.file('elsewhere.xml'), join(folder, 'maps-5.xml'));
    const theirs = ['maps-3.xml', 'maps-4.xml', 'maps-5.xml', 'maps-old.xml'];

    // As large again: both parts rewritten, nothing removed.
    await sitemap(big);
    expect(listing()).toEqual(['maps-1.xml', 'maps-2.xml', ...theirs, 'maps.xml'].sort());

    const written = await sitemap(small);
    expect(written.files).toEqual([file]);
    expect(sitemapLocs(readFileSync(file, 'utf8'))).toEqual([`${O}/only`]);
    expect(listing()).toEqual([...theirs, 'maps.xml'].sort());
    expect(readFileSync(join(folder, 'maps-3.xml'), 'utf8')).toBe(own);
    expect(lstatSync(join(folder, 'maps-5.xml')).isSymbolicLink()).toBe(true);
    expect(existsSync(env.temp.file('elsewhere.xml'))).toBe(true);
  });

  it('a sitemap to NAME.xml.gz is gzipped, its parts NAME-N.xml.gz, and a smaller export removes them', async () => {
    const big = storeJob(
      env.db,
      Array.from({ length: URLS_PER_SITEMAP + 1 }, (_, n) => ({ url: `${O}/${n}`, page: {} })),
    );
    const small = storeTricky();
    const gunzipped = (name: string) => gunzipSync(readFileSync(env.temp.file(name))).toString();
    const sitemap = (jobId: number) =>
      exportJob(
        env.db,
        { jobId, format: 'sitemap' },
        { file: env.temp.file('maps.xml.gz') },
        { sitemapBaseUrl: 'https://a.example/' },
      );

    const split = await sitemap(big);
    expect(split.files.map((file) => basename(file))).toEqual([
      'maps.xml.gz',
      'maps-1.xml.gz',
      'maps-2.xml.gz',
    ]);
    expect(sitemapLocs(gunzipped('maps.xml.gz'))).toEqual([
      'https://a.example/maps-1.xml.gz',
      'https://a.example/maps-2.xml.gz',
    ]);
    expect(sitemapLocs(gunzipped('maps-2.xml.gz'))).toEqual([`${O}/${URLS_PER_SITEMAP}`]);

    await sitemap(small);
    expect(readdirSync(env.temp.dir).filter((name) => name.startsWith('maps'))).toEqual([
      'maps.xml.gz',
    ]);
    expect(sitemapLocs(gunzipped('maps.xml.gz'))).toEqual(
      TRICKY.map((_, n) => `${O}/t${n}?a=1&b=<2>`),
    );
  });

  it('CSV, JSON and NDJSON to a NAME.gz file are gzipped, whole once the export resolves', async () => {
    const jobId = storeJob(
      env.db,
      Array.from({ length: 3000 }, (_, n) => ({
        url: `${O}/${n}`,
        page: { title: n < TRICKY.length ? TRICKY[n] : `Page ${n}` },
      })),
    );
    const gunzipped = async (request: Omit<ExportRequest, 'jobId'>, name: string) => {
      const { file, result } = await exportTo(request, jobId, name);
      expect(result.rows).toBe(3000);
      return gunzipSync(readFileSync(file)).toString();
    };
    const csv = parse(await gunzipped({ format: 'csv' }, 'pages.csv.gz'), { columns: true });
    expect((csv as { title: string }[]).map((r) => r.title).slice(0, 4)).toEqual([
      ...TRICKY,
      'Page 3',
    ]);
    expect(csv).toHaveLength(3000);
    const json = JSON.parse(await gunzipped({ format: 'json' }, 'pages.JSON.GZ'));
    expect(json.at(-1).url).toBe(`${O}/2999`);
    const ndjson = (await gunzipped({ format: 'ndjson' }, 'pages.ndjson.gz')).trimEnd().split('\n');
    expect(ndjson.map((line) => JSON.parse(line).title).slice(0, 3)).toEqual(TRICKY);
    expect(ndjson).toHaveLength(3000);
    const report = await exportTo(
      { format: 'ndjson', report: 'slowest-pages' },
      jobId,
      'slowest.ndjson.gz',
    );
    expect(gunzipSync(readFileSync(report.file)).toString().trimEnd().split('\n')).toHaveLength(
      3000,
    );
  });

  it('an XLSX or SQLite export to a NAME.gz file is refused, and writes nothing', async () => {
    const jobId = storeTricky();
    for (const format of ['xlsx', 'sqlite'] as const) {
      const file = env.temp.file(`pages.${format}.gz`);
      await expect(exportJob(env.db, { jobId, format }, { file })).rejects.toThrow(
        `cannot write ${file}: ${format === 'xlsx' ? 'an XLSX workbook is zip-compressed already' : 'a SQLite copy cannot be gzipped'}: name it without .gz`,
      );
      expect(existsSync(file)).toBe(false);
    }
  });

  it('a gzipped export stopped midway removes its partial file', async () => {
    const jobId = storeJob(
      env.db,
      Array.from({ length: 3000 }, (_, n) => ({ url: `${O}/${n}`, page: {} })),
    );
    const file = env.temp.file('stopped.csv.gz');
    const stop = new AbortController();
    await expect(
      exportJob(
        env.db,
        { jobId, format: 'csv' },
        { file },
        {
          signal: stop.signal,
          progressEveryRows: 1000,
          onProgress: ({ rows }) => rows === 2000 && stop.abort(new Error('stopped')),
        },
      ),
    ).rejects.toThrow('stopped');
    expect(existsSync(file)).toBe(false);
  });

  it('a sitemap leaves out URLs of 2,048 characters or more, and says how many', async () => {
    const url = (length: number) => `${O}/${'x'.repeat(length - O.length - 1)}`;
    const jobId = storeJob(
      env.db,
      [2_047, 2_048, 2_049, 30].map((length) => ({ url: url(length), page: {} })),
    );
    const note =
      'left out 2 URLs of 2,048 characters or more: the sitemaps protocol takes shorter ones only';
    const { file, result } = await exportTo({ format: 'sitemap' }, jobId, 'long.xml');
    expect(sitemapLocs(readFileSync(file, 'utf8'))).toEqual([url(2_047), url(30)]);
    expect(result.notes).toEqual([note]);

    const cli = await runCli([
      'export',
      String(jobId),
      '--format',
      'sitemap',
      '--db',
      env.temp.file('export.sqlite'),
    ]);
    expect(cli).toMatchObject({ code: 0, stderr: `trawl: info: ${note}\n` });
    expect(sitemapLocs(cli.stdout)).toEqual([url(2_047), url(30)]);

    // Only long ones: the refusal says why none is left.
    const long = storeJob(env.db, [
      { url: `${O}/hidden`, page: { metaRobots: 'noindex' } },
      { url: url(2_048), page: {} },
    ]);
    await expect(exportTo({ format: 'sitemap' }, long, 'none.xml')).rejects.toThrow(
      `no indexable 200 page of job ${long} has a URL shorter than 2,048 characters ` +
        "(the protocol's limit; 1 is longer): the sitemap would be empty, which the protocol does not allow",
    );
  });

  it('a sitemap base that is not an http(s) URL is refused before any file is written', async () => {
    const jobId = storeTricky();
    for (const base of ['example.com', 'ftp://example.com/maps/']) {
      const file = env.temp.file('maps.xml');
      await expect(
        exportJob(env.db, { jobId, format: 'sitemap' }, { file }, { sitemapBaseUrl: base }),
      ).rejects.toThrow(`the sitemap base "${base}" is not an absolute http(s) URL`);
      expect(existsSync(file)).toBe(false);
    }
  });

  it('a SQLite copy holds exactly the job, passes integrity_check and opens in Trawl', async () => {
    const other = storeTricky();
    const jobId = storeJob(env.db, [
      {
        url: `${O}/`,
        page: {
          outlinks: outlinkColumns([{ url: `${O}/a`, text: 'a', rel: null, internal: true }]),
        },
      },
      { url: `${O}/a`, page: { redirects: [{ url: `${O}/a0`, status: 301, location: '/a' }] } },
    ]);
    const { file, result } = await exportTo({ format: 'sqlite' }, jobId, 'copy.sqlite');
    expect(result.rows).toBe(2);
    const copy = new Database(file, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.prepare('SELECT id FROM jobs').pluck().all()).toEqual([jobId]);
    expect(copy.prepare('SELECT count(*) FROM pages').pluck().get()).toBe(2);
    expect(copy.prepare('SELECT count(*) FROM links').pluck().get()).toBe(1);
    expect(copy.prepare('SELECT count(*) FROM redirects').pluck().get()).toBe(1);
    expect(
      copy.prepare("SELECT count(*) FROM pages_fts WHERE pages_fts MATCH 'title'").pluck().get(),
    ).toBe(2);
    expect(copy.prepare('SELECT count(*) FROM frontier WHERE job_id = ?').pluck().get(other)).toBe(
      0,
    );
    copy.close();
    // Its start URLs too, so the copy can be resumed and re-run.
    const reopened = openDatabase(file, { mustExist: true });
    expect(new JobStore(reopened).settings(jobId).startUrls).toEqual([`${O}/`]);
    reopened.close();
    await expect(exportTo({ format: 'sqlite' }, jobId, 'copy.sqlite')).rejects.toThrow(
      /already exists/,
    );
  });
});

describe('an export that cannot be written', () => {
  /** About 1 KB of export a page. */
  const storePages = (count: number) =>
    storeJob(
      env.db,
      Array.from({ length: count }, (_, n) => ({
        url: `${O}/${n}`,
        page: { title: `Page ${n} `.padEnd(800, '.') },
      })),
    );

  it('names a missing folder, and creates none', async () => {
    const jobId = storePages(2);
    for (const format of ['csv', 'sqlite'] as const) {
      const file = env.temp.file(`typo/out.${format}`);
      await expect(exportJob(env.db, { jobId, format }, { file })).rejects.toThrow(
        `cannot write ${file}: there is no folder ${dirname(file)}`,
      );
      expect(existsSync(dirname(file))).toBe(false);
    }
  });

  it.skipIf(!canMount)(
    'on a full disk says so and removes the partial file, gzipped too',
    async () => {
      // Titles gzip cannot shrink much: the gzipped export fills the disk as well.
      const jobId = storeJob(
        env.db,
        Array.from({ length: 3000 }, (_, n) => ({
          url: `${O}/${n}`,
          page: { title: randomBytes(400).toString('hex') },
        })),
      );
      const disk = tmpfsFolder(1);
      try {
        for (const name of ['pages.ndjson', 'pages.ndjson.gz']) {
          const file = join(disk.dir, name);
          await expect(exportJob(env.db, { jobId, format: 'ndjson' }, { file })).rejects.toThrow(
            `cannot write ${file}: ENOSPC: no space left on device`,
          );
          expect(existsSync(file)).toBe(false);
        }
      } finally {
        disk.remove();
      }
    },
  );

  it('refuses to write over the database it reads, or its WAL file: every job stays', async () => {
    const jobId = storePages(2);
    const other = storePages(3);
    const database = env.db.name;
    const alias = env.temp.file('same-file.csv');
    linkSync(database, alias); // another name for the same file
    for (const [file, what] of [
      [database, 'the database'],
      [alias, 'the database'],
      [`${database}-wal`, "the database's wal file"],
    ] as const) {
      for (const format of ['csv', 'ndjson', 'xlsx'] as const) {
        await expect(exportJob(env.db, { jobId, format }, { file })).rejects.toThrow(
          `cannot write ${file}: it is ${what} the job is exported from`,
        );
      }
    }
    expect(env.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const pages = env.db.prepare('SELECT job_id, count(*) AS n FROM pages GROUP BY job_id');
    expect(pages.all()).toEqual([
      { job_id: jobId, n: 2 },
      { job_id: other, n: 3 },
    ]);
  });

  it('leaves a file it cannot open as it was, and says why', async () => {
    const jobId = storePages(2);
    // A program that is running: not even root may open its file for writing.
    const busy = env.temp.file('busy.csv');
    copyFileSync('/bin/sleep', busy);
    const program = spawn(busy, ['30'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => program.once('spawn', resolve));
      await expect(exportJob(env.db, { jobId, format: 'csv' }, { file: busy })).rejects.toThrow(
        `cannot write ${busy}: ETXTBSY`,
      );
      expect(readFileSync(busy)).toEqual(readFileSync('/bin/sleep'));
    } finally {
      program.kill();
    }
  });

  it('to a pipe whose reader quits: the error, and the pipe is left in place', async () => {
    const jobId = storePages(3000);
    const fifo = env.temp.file('pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('head', ['-c', '100', fifo], { stdio: 'ignore' });
    await expect(exportJob(env.db, { jobId, format: 'csv' }, { file: fifo })).rejects.toThrow(
      `cannot write ${fifo}: EPIPE`,
    );
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    reader.kill();
  });
});

/** The text of every `name` element, read with an XML parser (which refuses what XML 1.0 cannot hold). */
function elementTexts(xml: string, name: string): string[] {
  const texts: string[] = [];
  const parser = new SaxesParser();
  let inside = false;
  parser.on('opentag', (tag) => (inside = tag.name === name));
  parser.on('closetag', () => (inside = false));
  parser.on('text', (text) => inside && texts.push(text));
  parser.write(xml).close();
  return texts;
}

const sitemapLocs = (xml: string) => elementTexts(xml, 'loc');

/**
 * The text cells of an XLSX's first sheet as Excel shows them: `_xHHHH_` is the
 * character HHHH (ECMA-376 Part 1, 22.9.2.19 ST_Xstring; exceljs does not decode it
 * in inline strings).
 */
function xlsxTexts(file: string): string[] {
  const sheet = strFromU8(unzipSync(readFileSync(file))['xl/worksheets/sheet1.xml']!);
  return elementTexts(sheet, 't').map((text) =>
    text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) =>
      String.fromCharCode(parseInt(hex, 16)),
    ),
  );
}
