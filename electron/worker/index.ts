import type { CrawlTask, HostWait, PageResult, WorkerConfig } from '../../shared/worker-protocol';
import { missingCase } from '../../shared/missing-case';
import { createPageCrawler } from './crawl-page';
import { connectToParent, exitWithParent } from './parent-port';
import { createRedirectGate } from './redirect-gate';

/**
 * Worker process entry. Main hands out tasks within a bounded window; the
 * worker runs them all concurrently (I/O) and parses on its own core.
 */
const port = connectToParent();
exitWithParent();
// Ctrl-C in a terminal, and SIGTERM from docker stop, systemd or `timeout`, reach the
// whole process group: main decides how to stop (it kills a worker with SIGKILL).
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
const redirects = createRedirectGate(port);

let crawlPage: ((task: CrawlTask, stopWaiting: AbortSignal) => Promise<PageResult | null>) | null =
  null;
let inFlight = 0;
let concurrency = 1;
/** Tasks main sent ahead (see WorkerPool.dispatch) that wait for a free slot. */
const waiting: CrawlTask[] = [];
let draining = false;
let pending: PageResult[] = [];
let flushScheduled = false;
/** Aborted on drain: retries waiting for their delay give their task back instead. */
const stopWaiting = new AbortController();
/** Tasks given back unrun on drain, reported before the worker exits. */
const returned: number[] = [];

// Results finished in the same turn of the event loop travel in one message.
function flushResults(): void {
  flushScheduled = false;
  if (pending.length === 0) return;
  port.post({ type: 'results', results: pending });
  pending = [];
}

function finishIfDrained(): void {
  if (!draining || inFlight > 0 || waiting.length > 0) return;
  flushResults();
  if (returned.length > 0) port.post({ type: 'returned', taskIds: returned });
  port.postThen({ type: 'log', level: 'debug', message: 'drained' }, () => process.exit(0));
}

/** Runs tasks while fewer than `concurrency` are in flight; the rest wait here. */
function startWaiting(): void {
  while (crawlPage && inFlight < concurrency && waiting.length > 0) void run(waiting.shift()!);
}

async function run(task: CrawlTask): Promise<void> {
  inFlight++;
  const result = await crawlPage!(task, stopWaiting.signal);
  inFlight--;
  if (result === null) {
    returned.push(task.id);
    finishIfDrained();
    return;
  }
  pending.push(result);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushResults);
  }
  startWaiting();
  finishIfDrained();
}

/** A host asked for no requests for a while: main holds its other slots back. */
function hostWait(wait: HostWait): void {
  port.post({ type: 'host-wait', ...wait });
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
      concurrency = message.config.concurrency;
      startHeartbeat(message.config);
      void createPageCrawler(message.config, redirects.forTask, hostWait).then((crawler) => {
        crawlPage = crawler;
        startWaiting();
      });
      break;
    case 'crawl':
      waiting.push(...message.tasks);
      startWaiting();
      break;
    case 'drain':
      draining = true;
      // What has not started, or waits to retry, goes back to main: a stop waits for no delay.
      returned.push(...waiting.splice(0).map((task) => task.id));
      stopWaiting.abort();
      finishIfDrained();
      break;
    case 'redirect-verdict':
      redirects.answer(message.queryId, message.verdict);
      break;
    default:
      missingCase(message);
  }
});

port.post({ type: 'ready', pid: process.pid });
