/**
 * What storing a crawled page costs in SQLite, with no crawl around it: the
 * synthetic site's HTML pages go through the worker's analysis (analyzePage,
 * two regex extraction rules) once, then are written through the real
 * PageWriter into a fresh database, B pages per transaction as the store
 * writer thread does. Prints CPU ms per page (median of --runs), and the cost
 * split by leaving parts out: the page row alone (FTS trigger and indexes
 * included), then with its links, its extraction values, its redirect hops;
 * then the whole batch as the writer thread writes it (FrontierStore.write:
 * each page's row marked done, its links queued or their depth checked).
 *
 *   npx tsx bench/page-write-cost.ts [--pages 5000] [--site-pages 20000]
 *     [--runs 5] [--batches 64,256]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, tuneForWriting, type Db } from '../electron/engine/store/database';
import { JobStore } from '../electron/engine/store/job-store';
import { PageWriter } from '../electron/engine/store/page-writer';
import { FrontierStore } from '../electron/engine/store-writer/frontier-store';
import { analyzePage, linkRulesFor } from '../electron/worker/analyze-page';
import { extractionRuleSchema } from '../shared/extraction';
import { jobSettingsSchema } from '../shared/job-settings';
import type { FetchedPage } from '../shared/worker-protocol';
import { generateSite, withOrigin } from './site-generator';
import { DEFAULT_URL_RULES } from '../shared/url-normalize';

const option = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const PAGES = Number(option('pages', '5000'));
const SITE_PAGES = Number(option('site-pages', '20000'));
const RUNS = Number(option('runs', '5'));
const BATCHES = option('batches', '64,256').split(',').map(Number);
if (![PAGES, SITE_PAGES, RUNS, ...BATCHES].every((n) => Number.isInteger(n) && n > 0))
  throw new Error('--pages, --site-pages, --runs and --batches take positive integers');

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The site's HTML pages as a worker reports them, in the site's (breadth-first) order. */
function fetchedPages(): FetchedPage[] {
  const origin = 'http://127.0.0.1:8080';
  const site = generateSite({ pages: SITE_PAGES, seed: 1 });
  const rules = linkRulesFor({
    scope: { scope: 'host', startUrls: [`${origin}/`], include: [], exclude: [] },
    urls: DEFAULT_URL_RULES,
    honourNofollow: true,
    robotsAgent: 'Trawl',
  });
  const extraction = [
    { name: 'price', kind: 'regex', expression: 'class="price">([^<]+)' },
    { name: 'headings', kind: 'regex', expression: '<h2>([^<]+)</h2>', all: true },
  ].map((rule) => extractionRuleSchema.parse(rule));
  const pages: FetchedPage[] = [];
  for (const [path, entry] of site.pages) {
    if (pages.length === PAGES) break;
    if (entry.body === undefined || !entry.contentType.startsWith('text/html')) continue;
    const url = origin + path;
    const body = withOrigin(entry.body, origin);
    const analysis = analyzePage(body, entry.contentType, url, rules, { extraction });
    pages.push({
      taskId: pages.length,
      ok: true,
      finalUrl: url,
      status: 200,
      // One page in 100 came through a redirect (the site has 200 of 20,000).
      redirects:
        pages.length % 100 === 0
          ? [{ url: `${origin}/old${path}`, status: 301, location: path }]
          : [],
      contentType: entry.contentType,
      bytes: body.length,
      wireBytes: body.length,
      ttfbMs: 3.2,
      responseMs: 7.9,
      headers: {
        'content-type': entry.contentType,
        'content-length': String(body.length),
        date: 'Sun, 22 Nov 2026 12:00:00 GMT',
        'cache-control': 'max-age=300',
      },
      xRobotsTag: null,
      attempts: 1,
      retryReasons: [],
      fetchedAt: Date.UTC(2026, 10, 22) + pages.length,
      ...analysis,
    });
  }
  return pages;
}

/** Each variant leaves parts of a page out; their differences are the cost split. */
const VARIANTS: Record<string, (page: FetchedPage) => FetchedPage> = {
  'page row': (page) => ({ ...page, outlinks: [], extracted: {}, redirects: [] }),
  '+ links': (page) => ({ ...page, extracted: {}, redirects: [] }),
  '+ extractions': (page) => ({ ...page, redirects: [] }),
  '+ redirects (all)': (page) => page,
};

/** How a batch is written: by PageWriter alone, or as the writer thread writes it. */
type Through = 'page writer' | 'frontier store';

/** A fresh job's database with a frontier row for each page, and the pages a transaction. */
interface WriteSetup {
  db: Db;
  jobId: number;
  pages: readonly FetchedPage[];
  frontierIds: readonly number[];
  batch: number;
}

/** Writes the batch from index `from` with PageWriter alone, in one transaction. */
function pageWriterBatches(setup: WriteSetup): (from: number) => void {
  const { db, jobId, pages, frontierIds, batch } = setup;
  const writer = new PageWriter(db, jobId, 'Trawl');
  return db.transaction((from: number) => {
    const to = Math.min(from + batch, pages.length);
    for (let i = from; i < to; i++) {
      const page = pages[i]!;
      writer.writePage(frontierIds[i]!, page.finalUrl, 1, page, 4242);
    }
    writer.indexText();
  });
}

/** Writes the batch from index `from` as the writer thread does (FrontierStore.write). */
function frontierStoreBatches(setup: WriteSetup): (from: number) => void {
  const { pages, frontierIds } = setup;
  const store = new FrontierStore(setup.db, setup.jobId, { maxDepth: null, robotsAgent: 'Trawl' });
  return (from) => {
    store.write({
      pages: pages.slice(from, from + setup.batch).map((page, i) => ({
        task: { id: frontierIds[from + i]!, url: page.finalUrl, depth: 1 },
        page,
        workerPid: 4242,
      })),
      failures: [],
    });
  };
}

/** Writes `pages` into a fresh database, `batch` per transaction; CPU ms per page and file bytes. */
function writeAll(
  pages: readonly FetchedPage[],
  batch: number,
  through: Through = 'page writer',
): { cpuMs: number; bytes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'trawl-page-write-'));
  try {
    const file = join(dir, 'bench.sqlite');
    const db = openDatabase(file);
    tuneForWriting(db);
    const jobId = new JobStore(db).create(
      jobSettingsSchema.parse({ startUrls: ['http://127.0.0.1:8080/'], workers: 2 }),
    ).id;
    // Leased for the frontier store, which marks each done; done already for PageWriter.
    const addUrl = db.prepare(
      `INSERT INTO frontier (job_id, url, depth, state) VALUES (?, ?, 1, ${through === 'page writer' ? 2 : 1})`,
    );
    const frontierIds = db.transaction(() =>
      pages.map((page) => Number(addUrl.run(jobId, page.finalUrl).lastInsertRowid)),
    )();
    const setup = { db, jobId, pages, frontierIds, batch };
    const write =
      through === 'page writer' ? pageWriterBatches(setup) : frontierStoreBatches(setup);
    const started = process.cpuUsage();
    for (let from = 0; from < pages.length; from += batch) write(from);
    const used = process.cpuUsage(started);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    return { cpuMs: (used.user + used.system) / 1000 / pages.length, bytes: statSync(file).size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const full = fetchedPages();
const links = full.reduce((sum, page) => sum + page.outlinks.length, 0);
const targets = new Set(full.flatMap((page) => page.outlinks.map((link) => link.url))).size;
const values = full.reduce(
  (sum, page) =>
    sum +
    Object.values(page.extracted)
      .flat()
      .filter((value) => value !== null).length,
  0,
);
console.log(
  `${full.length} pages of a ${SITE_PAGES}-page site: ${(links / full.length).toFixed(1)} links a page, ` +
    `${targets} distinct targets, ${(values / full.length).toFixed(1)} extraction values a page; ` +
    `median of ${RUNS} runs, Node ${process.version}`,
);
for (const batch of BATCHES) {
  console.log(`\nbatch of ${batch} pages per transaction: CPU ms per page`);
  let previous = 0;
  for (const [name, variant] of Object.entries(VARIANTS)) {
    const pages = full.map(variant);
    const runs = Array.from({ length: RUNS }, () => writeAll(pages, batch));
    const cpuMs = median(runs.map((run) => run.cpuMs));
    const mb = median(runs.map((run) => run.bytes)) / 2 ** 20;
    console.log(
      `  ${name.padEnd(18)} ${cpuMs.toFixed(3)} ms (part ${(cpuMs - previous).toFixed(3)})  ` +
        `db ${mb.toFixed(1)} MB  runs ${runs.map((run) => run.cpuMs.toFixed(3)).join(', ')}`,
    );
    previous = cpuMs;
  }
  const runs = Array.from({ length: RUNS }, () => writeAll(full, batch, 'frontier store'));
  console.log(
    `  ${'frontier store'.padEnd(18)} ${median(runs.map((run) => run.cpuMs)).toFixed(3)} ms ` +
      `(the whole batch: links queued)  runs ${runs.map((run) => run.cpuMs.toFixed(3)).join(', ')}`,
  );
}
