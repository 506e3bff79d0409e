import type { CrawlTask, PageResult, WorkerConfig } from '../../shared/worker-protocol';
import { missingCase } from '../../shared/missing-case';
import { createPageCrawler } from './crawl-page';
import { connectToParent, exitWithParent } from './parent-port';

/**
 * Worker process entry. Main hands out tasks within a bounded window; the
 * worker runs them all concurrently (I/O) and parses on its own core.
 */
const port = connectToParent();
exitWithParent();
// Ctrl-C in a terminal reaches the whole process group; main decides how to stop.
process.on('SIGINT', () => undefined);

let crawlPage: ((task: CrawlTask) => Promise<PageResult>) | null = null;
let inFlight = 0;
let draining = false;
let pending: PageResult[] = [];
let flushScheduled = false;

// Results finished in the same turn of the event loop travel in one message.
function flushResults(): void {
  flushScheduled = false;
  if (pending.length === 0) return;
  port.post({ type: 'results', results: pending });
  pending = [];
}

function finishIfDrained(): void {
  if (!draining || inFlight > 0) return;
  flushResults();
  port.postThen({ type: 'log', level: 'debug', message: 'drained' }, () => process.exit(0));
}

async function run(task: CrawlTask): Promise<void> {
  if (!crawlPage) throw new Error('crawl task before configure');
  inFlight++;
  const result = await crawlPage(task);
  inFlight--;
  pending.push(result);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushResults);
  }
  finishIfDrained();
}

function startHeartbeat(config: WorkerConfig): void {
  const beat = () => {
    const cpu = process.cpuUsage();
    port.post({
      type: 'heartbeat',
      inFlight,
      rssBytes: process.memoryUsage.rss(),
      cpuMicros: cpu.user + cpu.system,
    });
  };
  beat();
  setInterval(beat, config.heartbeatMs);
}

port.onMessage((message) => {
  switch (message.type) {
    case 'configure':
      crawlPage = createPageCrawler(message.config);
      startHeartbeat(message.config);
      break;
    case 'crawl':
      for (const task of message.tasks) void run(task);
      break;
    case 'drain':
      draining = true;
      finishIfDrained();
      break;
    default:
      missingCase(message);
  }
});

port.post({ type: 'ready', pid: process.pid });
