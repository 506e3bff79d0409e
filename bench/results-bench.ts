import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Db } from '../electron/engine/store/database';
import { encodeCursor } from '../electron/engine/results/keyset-cursor';
import { buildPageQuery, queryPages } from '../electron/engine/results/page-query';
import { iterateReport } from '../electron/engine/results/reports';
import { compareJobs } from '../electron/engine/results/compare-jobs';
import { REPORT_NAMES, type PageQuery } from '../shared/results';
import { buildJob, seeded } from './results-build';

/**
 * The results benchmark: builds a job of --pages synthetic pages (default
 * 200,000, 10 links each) through the real Frontier and PageWriter, then
 * measures insert throughput, one-screen query latency (p95 over screens at
 * random depths, several sorts, with a filter), report times, and export
 * rows/s with the exporting process's peak RSS for --export-rows rows
 * (default 1,000,000). Every figure is the median of --runs runs.
 */
const option = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const PAGES = option('pages', 200_000);
const EXPORT_ROWS = option('export-rows', 1_000_000);
const RUNS = option('runs', 3);
const SCREENS = 50;
const LIMIT = 100;

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const p95 = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.95) - 1]!;
const time = (run: () => void) => {
  const started = performance.now();
  run();
  return performance.now() - started;
};

const QUERIES: Record<string, Omit<PageQuery, 'jobId'>> = {
  'crawl order, 2xx': { filters: { statusClasses: ['2xx'] } },
  'title asc, 2xx': {
    sort: { column: 'title', direction: 'asc' },
    filters: { statusClasses: ['2xx'] },
  },
  'responseMs desc, indexable': {
    sort: { column: 'responseMs', direction: 'desc' },
    filters: { indexable: true },
  },
  'status desc, depth 1-3': {
    sort: { column: 'status', direction: 'desc' },
    filters: { depth: { min: 0, max: 3 } },
  },
  'url asc, text "product 12"': {
    sort: { column: 'url', direction: 'asc' },
    filters: { text: 'product 12' },
  },
  'wordCount asc, text/html': {
    sort: { column: 'wordCount', direction: 'asc' },
    filters: { contentType: 'text/html' },
  },
  'h2Count desc, 2xx': {
    sort: { column: 'h2Count', direction: 'desc' },
    filters: { statusClasses: ['2xx'] },
  },
  'indexability asc': { sort: { column: 'indexability', direction: 'asc' } },
};

/** Screen times for a query: the first screen, and screens starting at random rows of the set. */
function screenTimes(
  db: Db,
  jobId: number,
  query: Omit<PageQuery, 'jobId'>,
  random: () => number,
): number[] {
  const full = { jobId, ...query };
  const built = buildPageQuery({ ...full, limit: -2 });
  const positions = db
    .prepare(`SELECT _s, _k FROM (${built.sql}) WHERE abs(random()) % 50 = 0`)
    .all(built.params) as {
    _s: string | number | null;
    _k: number;
  }[];
  const times = [time(() => queryPages(db, { ...full, limit: LIMIT }))];
  for (let i = 0; i < SCREENS; i++) {
    const at = positions[Math.floor(random() * positions.length)];
    if (!at) break;
    const cursor = encodeCursor({ sort: built.sortId, value: at._s, key: at._k });
    times.push(time(() => queryPages(db, { ...full, limit: LIMIT, cursor })));
  }
  return times;
}

function exportRun(file: string, jobId: number, format: string, out: string) {
  const child = fileURLToPath(new URL('./results-export-child.ts', import.meta.url));
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', child, file, String(jobId), format, out],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(output) as { rows: number; seconds: number; peakRssMb: number };
}

const dir = mkdtempSync(join(tmpdir(), 'trawl-results-bench-'));
try {
  const file = join(dir, 'bench.sqlite');
  const db = openDatabase(file);
  const inserts: number[] = [];
  let jobId = 0;
  let secondJobId = 0;
  for (let run = 0; run < RUNS; run++) {
    const built = buildJob(db, PAGES, 10);
    inserts.push(built.pagesPerSecond);
    if (run === 0) jobId = built.jobId;
    else if (run === 1)
      secondJobId = built.jobId; // the same site again: compared below
    else db.prepare('DELETE FROM jobs WHERE id = ?').run(built.jobId);
    process.stderr.write(
      `insert run ${run + 1}: ${built.pagesPerSecond.toFixed(0)} pages/s (10 links each)\n`,
    );
  }
  db.exec('ANALYZE');
  console.log(
    `\njob: ${PAGES} pages, ${PAGES * 10} links; insert ${median(inserts).toFixed(0)} pages/s (runs ${inserts.map((v) => v.toFixed(0)).join(', ')})`,
  );

  console.log(
    `\none screen (${LIMIT} rows), p95 of ${SCREENS + 1} screens at random depths, median of ${RUNS} runs:`,
  );
  for (const [name, query] of Object.entries(QUERIES)) {
    const runs = Array.from({ length: RUNS }, (_, run) =>
      p95(screenTimes(db, jobId, query, seeded(run + 1))),
    );
    console.log(
      `  ${name.padEnd(30)} p95 ${median(runs).toFixed(1)} ms (runs ${runs.map((v) => v.toFixed(1)).join(', ')})`,
    );
  }
  const totals = Array.from({ length: RUNS }, () =>
    time(() => queryPages(db, { jobId, filters: { statusClasses: ['2xx'] }, withTotal: true })),
  );
  console.log(`  ${'first screen + total, 2xx'.padEnd(30)} ${median(totals).toFixed(1)} ms`);

  console.log(`\nreports (all rows), median of ${RUNS} runs:`);
  for (const name of REPORT_NAMES) {
    let rows = 0;
    const runs = Array.from({ length: RUNS }, () =>
      time(() => {
        rows = 0;
        for (const _row of iterateReport(db, jobId, name).rows) rows++;
      }),
    );
    console.log(`  ${name.padEnd(24)} ${median(runs).toFixed(0).padStart(6)} ms  ${rows} rows`);
  }

  if (secondJobId) {
    const runs = Array.from({ length: RUNS }, () =>
      time(() => compareJobs(db, { base: jobId, other: secondJobId, limit: LIMIT })),
    );
    console.log(
      `\ncompare two ${PAGES}-page crawls (summary + first screen): ${median(runs).toFixed(0)} ms`,
    );
    db.prepare('DELETE FROM jobs WHERE id = ?').run(secondJobId);
  }

  const exportJobId = EXPORT_ROWS === PAGES ? jobId : buildJob(db, EXPORT_ROWS, 0).jobId;
  db.close();
  console.log(
    `\nexport of ${EXPORT_ROWS} rows (the URL table, every column), median of ${RUNS} runs:`,
  );
  for (const format of ['csv', 'ndjson', 'xlsx']) {
    const runs = Array.from({ length: RUNS }, () =>
      exportRun(file, exportJobId, format, join(dir, `out.${format}`)),
    );
    const rate = median(runs.map((r) => r.rows / r.seconds));
    console.log(
      `  ${format.padEnd(7)} ${rate.toFixed(0)} rows/s, peak RSS ${median(runs.map((r) => r.peakRssMb)).toFixed(0)} MB ` +
        `(runs ${runs.map((r) => `${(r.rows / r.seconds).toFixed(0)}/s ${r.peakRssMb.toFixed(0)} MB`).join(', ')})`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
