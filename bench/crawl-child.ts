/**
 * One benchmark crawl, run the way `trawl crawl` runs it: a plain Node process
 * of bundled code (bench/run.ts bundles and forks this file), so main's
 * memory and CPU are the product's, without the benchmark's tsx loader thread
 * or its sampling of /proc.
 *
 * argv: start URL, worker count, database file, and optionally more job
 * settings as JSON (`{"checkExternal":true}`). Sends `{ workerPids }` with
 * each progress snapshot, then `{ summary, loopP99Ms, cpuMs }` and exits.
 */
import { ChildProcessLauncher } from '../electron/engine/child-process-launcher';
import { CrawlService } from '../electron/engine/crawl-service';
import { openDatabase } from '../electron/engine/store/database';

export interface CrawlChildProgress {
  workerPids: number[];
}

export interface CrawlChildResult {
  pages: number;
  failed: number;
  pagesPerSecond: number;
  loopP99Ms: number;
  /** main's CPU (all its threads) from the job's start to its end */
  cpuMs: number;
}

const [url, workers, file, settings = '{}'] = process.argv.slice(2) as [string, string, string];
const send = (message: CrawlChildProgress | CrawlChildResult) =>
  new Promise<void>((resolve) => process.send!(message, () => resolve()));

const db = openDatabase(file);
const service = new CrawlService({ db, launcher: new ChildProcessLauncher() });
const cpuBefore = process.cpuUsage();
// Engine throughput, not politeness: one local host may take every request in flight.
const job = await service.start({
  startUrls: [url],
  workers: Number(workers),
  hostConcurrency: 1024,
  ...(JSON.parse(settings) as object),
});
let last = job.snapshot();
job.onProgress((snapshot) => {
  last = snapshot;
  void send({ workerPids: snapshot.workers.flatMap((worker) => worker.pid ?? []) });
});
const summary = await job.finished;
const cpu = process.cpuUsage(cpuBefore);
db.close();
await send({
  pages: summary.pages,
  failed: summary.failed,
  pagesPerSecond: summary.pagesPerSecond,
  loopP99Ms: last.eventLoopDelayP99Ms,
  cpuMs: (cpu.user + cpu.system) / 1000,
});
process.disconnect();
