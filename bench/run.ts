/**
 * `npm run bench`: crawl throughput for 1..N workers, the parse ceiling, and
 * main's costs, over a deterministic synthetic site on 127.0.0.1.
 *
 *   npm run bench -- [--pages 20000] [--runs 3] [--workers 1,2]
 *
 * The site server runs in its own process so main's figures are main's alone.
 * Every crawl is checked for completeness against the site's link graph.
 */
import { execFileSync, fork } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { median, positiveInteger, positiveIntegers } from './bench-options';
import { bundleEntries, bytesWritten, cpuMs, startSiteServer } from './bench-processes';
import type { CrawlChildProgress, CrawlChildResult } from './crawl-child';
import { tempDir } from '../tests/helpers/temp-db';

const PAGES = positiveInteger('pages', '20000');
const RUNS = positiveInteger('runs', '3');
const SEED = 1;
const CORES = availableParallelism();
const WORKER_COUNTS = positiveIntegers(
  'workers',
  Array.from({ length: CORES }, (_, i) => i + 1).join(','),
);
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
// Crawls run as the `trawl` command runs them: bundled, plain Node (crawl-child.ts).
const bundles = bundleEntries({
  'crawl-child': 'bench/crawl-child.ts',
  worker: 'electron/worker/index.ts',
  'store-writer-thread': 'electron/engine/store-writer/store-writer-thread.ts',
});
process.env.TRAWL_WORKER_MODULE = bundles.worker;
process.env.TRAWL_STORE_WRITER_MODULE = bundles['store-writer-thread'];
const tsx = { execArgv: ['--import', 'tsx'] };

/**
 * A process's resident memory, split: `anon` (its heap and stacks, its own)
 * and `file` (mapped files, above all the node binary, which every process
 * of the tree maps and the kernel keeps once).
 */
function residentBytes(pid: number): { rss: number; anon: number; file: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), anon: kb('RssAnon') + kb('RssShmem'), file: kb('RssFile') };
  } catch {
    return { rss: 0, anon: 0, file: 0 };
  }
}

async function parseCeiling(processes: number): Promise<number> {
  const children = Array.from({ length: processes }, (_, index) =>
    fork(
      here('./parse-ceiling-worker.ts'),
      [String(index), String(processes), String(PAGES), String(SEED)],
      tsx,
    ),
  );
  await Promise.all(
    children.map((child) => new Promise((resolve) => child.once('message', resolve))),
  );
  const started = performance.now();
  const results = await Promise.all(
    children.map(
      (child) =>
        new Promise<{ pages: number }>((resolve) => {
          child.once('message', (message) => resolve(message as { pages: number }));
          child.send('go');
        }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  return results.reduce((sum, result) => sum + result.pages, 0) / seconds;
}

interface CrawlRun {
  pagesPerSecond: number;
  pages: number;
  peakTreeMb: number;
  /** The same peak with mapped files (the node binary) counted once, not once per process. */
  peakTreeSharedOnceMb: number;
  /** Each process's own peak: main's (with its threads), and the largest worker's. */
  peakMainMb: number;
  peakWorkerMb: number;
  /** The largest the database's write-ahead log (its -wal file) grew. */
  peakWalMb: number;
  /** What main passed to write calls (the WAL and the database, mostly), a page. */
  writtenKbPerPage: number;
  loopP99Ms: number;
  mainCpuMsPerPage: number;
  workerCpuMsPerPage: number;
  serverCpuMsPerPage: number;
}

/**
 * One crawl in a bundled child process (crawl-child.ts), its process tree
 * sampled from /proc 10 times a second from here.
 */
async function crawl(
  url: string,
  serverPid: number,
  workers: number,
  expected: number,
): Promise<CrawlRun> {
  const temp = tempDir();
  const dbFile = temp.file('bench.sqlite');
  const serverCpuBefore = cpuMs(serverPid);
  const child = fork(bundles['crawl-child']!, [`${url}/`, String(workers), dbFile], {
    execArgv: [],
  });
  let workerPids: number[] = [];
  const workerCpu = new Map<number, number>();
  let peak = 0;
  let peakSharedOnce = 0;
  const peakOf = new Map<number, number>();
  let peakWal = 0;
  const sample = () => {
    peakWal = Math.max(peakWal, statSync(`${dbFile}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    const pids = [child.pid!, ...workerPids];
    const tree = pids.map(residentBytes);
    pids.forEach((pid, i) => peakOf.set(pid, Math.max(peakOf.get(pid) ?? 0, tree[i]!.rss)));
    peak = Math.max(
      peak,
      tree.reduce((sum, one) => sum + one.rss, 0),
    );
    peakSharedOnce = Math.max(
      peakSharedOnce,
      tree.reduce((sum, one) => sum + one.anon, 0) + Math.max(...tree.map((one) => one.file)),
    );
    for (const pid of workerPids) workerCpu.set(pid, cpuMs(pid) || (workerCpu.get(pid) ?? 0));
  };
  const sampler = setInterval(sample, 100);
  try {
    const result = await new Promise<CrawlChildResult>((resolve, reject) => {
      child.on('message', (message: CrawlChildProgress | CrawlChildResult) => {
        if ('workerPids' in message) workerPids = message.workerPids;
        else resolve(message);
      });
      child.once('exit', (code) => reject(new Error(`the crawl process exited with ${code}`)));
    });
    // Read before the child exits: its database is closed, the last checkpoint made.
    const written = bytesWritten(child.pid!);
    const serverCpu = cpuMs(serverPid) - serverCpuBefore;
    if (result.pages + result.failed !== expected) {
      throw new Error(
        `incomplete crawl: ${result.pages} pages + ${result.failed} failed, expected ${expected}`,
      );
    }
    return {
      pagesPerSecond: result.pagesPerSecond,
      pages: result.pages,
      peakTreeMb: peak / 1048576,
      peakTreeSharedOnceMb: peakSharedOnce / 1048576,
      peakMainMb: (peakOf.get(child.pid!) ?? 0) / 1048576,
      peakWorkerMb:
        Math.max(0, ...[...peakOf].filter(([pid]) => pid !== child.pid).map(([, rss]) => rss)) /
        1048576,
      peakWalMb: peakWal / 1048576,
      writtenKbPerPage: written / 1024 / result.pages,
      loopP99Ms: result.loopP99Ms,
      mainCpuMsPerPage: result.cpuMs / result.pages,
      workerCpuMsPerPage: [...workerCpu.values()].reduce((a, b) => a + b, 0) / result.pages,
      serverCpuMsPerPage: serverCpu / result.pages,
    };
  } finally {
    clearInterval(sampler);
    child.kill();
    temp.cleanup();
  }
}

async function main(): Promise<void> {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `machine: ${CORES} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  );
  const expected = Number(
    execFileSync(
      process.execPath,
      ['--import', 'tsx', here('./expected-count.ts'), String(PAGES), String(SEED)],
      {
        encoding: 'utf8',
      },
    ),
  );
  console.log(
    `site: ${PAGES} entries, ${expected} URLs reachable from /, ${RUNS} runs each, medians\n`,
  );

  const ceilings = new Map<number, number>();
  for (const processes of [1, CORES]) {
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await parseCeiling(processes));
    ceilings.set(processes, median(runs));
    console.log(
      `parse ceiling, ${processes} process(es): ${median(runs).toFixed(0)} pages/s  (runs: ${runs.map((r) => r.toFixed(0)).join(', ')})`,
    );
  }

  const server = await startSiteServer(PAGES, SEED);
  const rows: { workers: number; run: CrawlRun }[] = [];
  try {
    for (const workers of WORKER_COUNTS) {
      const runs: CrawlRun[] = [];
      for (let i = 0; i < RUNS; i++)
        runs.push(await crawl(server.url, server.child.pid!, workers, expected));
      const run: CrawlRun = {
        pagesPerSecond: median(runs.map((r) => r.pagesPerSecond)),
        pages: runs[0]!.pages,
        peakTreeMb: median(runs.map((r) => r.peakTreeMb)),
        peakTreeSharedOnceMb: median(runs.map((r) => r.peakTreeSharedOnceMb)),
        peakMainMb: median(runs.map((r) => r.peakMainMb)),
        peakWorkerMb: median(runs.map((r) => r.peakWorkerMb)),
        peakWalMb: median(runs.map((r) => r.peakWalMb)),
        writtenKbPerPage: median(runs.map((r) => r.writtenKbPerPage)),
        loopP99Ms: median(runs.map((r) => r.loopP99Ms)),
        mainCpuMsPerPage: median(runs.map((r) => r.mainCpuMsPerPage)),
        workerCpuMsPerPage: median(runs.map((r) => r.workerCpuMsPerPage)),
        serverCpuMsPerPage: median(runs.map((r) => r.serverCpuMsPerPage)),
      };
      rows.push({ workers, run });
      console.log(
        `crawl, ${workers} worker(s): ${run.pagesPerSecond.toFixed(0)} pages/s (runs: ${runs.map((r) => r.pagesPerSecond.toFixed(0)).join(', ')}), ` +
          `peak tree ${run.peakTreeMb.toFixed(0)} MB (${run.peakTreeSharedOnceMb.toFixed(0)} MB with mapped files once; main ${run.peakMainMb.toFixed(0)} MB, largest worker ${run.peakWorkerMb.toFixed(0)} MB), peak WAL ${run.peakWalMb.toFixed(0)} MB, main wrote ${run.writtenKbPerPage.toFixed(1)} KB a page, loop p99 ${run.loopP99Ms.toFixed(1)} ms, CPU ms/page: main ${run.mainCpuMsPerPage.toFixed(3)}, workers ${run.workerCpuMsPerPage.toFixed(3)}, site server ${run.serverCpuMsPerPage.toFixed(3)}`,
      );
    }
  } finally {
    server.child.kill();
  }

  const one = rows.find((row) => row.workers === 1)?.run;
  const all = rows.find((row) => row.workers === CORES)?.run;
  const ceiling = ceilings.get(CORES)!;
  if (one && all) {
    const check = (ok: boolean, text: string) => console.log(`${ok ? 'PASS' : 'MISS'}  ${text}`);
    console.log('');
    check(
      all.pagesPerSecond >= 1.5 * one.pagesPerSecond,
      `all workers ${(all.pagesPerSecond / one.pagesPerSecond).toFixed(2)}x one worker (target >= 1.5x)`,
    );
    check(
      all.pagesPerSecond >= 0.6 * ceiling,
      `full crawl ${((100 * all.pagesPerSecond) / ceiling).toFixed(0)} % of the parse ceiling (target >= 60 %)`,
    );
    check(Math.max(...rows.map((r) => r.run.loopP99Ms)) < 20, `main event loop p99 under 20 ms`);
    check(
      Math.max(...rows.map((r) => r.run.peakTreeMb)) < 400,
      `whole-tree peak memory under 400 MB (summed RSS; ${Math.max(...rows.map((r) => r.run.peakTreeSharedOnceMb)).toFixed(0)} MB with mapped files counted once)`,
    );
    console.log(
      `main CPU per page ${all.mainCpuMsPerPage.toFixed(3)} ms: one core of main feeds about ${(1000 / all.mainCpuMsPerPage).toFixed(0)} pages/s`,
    );
  }
}

await main();
