/**
 * A worker process's CPU a page over its whole path: fetch, analyze, and the
 * result built and sent over IPC. One bundled worker, launched as the pool
 * launches it (its V8 flags, `serialization: 'advanced'`), crawls the
 * synthetic site served by static-server.ts in a process of its own; this
 * process stands in for main: it keeps the worker's window full (twice its
 * concurrency), follows the links the results name, lets every redirect
 * through, and reads the worker's CPU from /proc once the warm-up is done and
 * at the end. Every crawl must reach the whole site (the URL count
 * expected-count.ts gives `npm run bench`), and prints a SHA-1 over every
 * result (timings, `fetchedAt` and the Date header left out), which two trees
 * must share.
 *
 *   npx tsx bench/worker-path.ts [--pages 20000] [--warmup 2000] [--tree DIR] [--flags '...']
 *
 * `--tree` bundles the worker of another checkout (an older tree to compare
 * with, alternating runs); `--flags` adds Node flags to the worker
 * (`--cpu-prof --cpu-prof-dir=DIR`, `--trace-gc`).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ChildProcessLauncher } from '../electron/engine/child-process-launcher';
import { scopeOf, workerConfigFor } from '../electron/engine/worker-config';
import { jobSettingsSchema, storedJobSettingsSchema } from '../shared/job-settings';
import {
  workerToMainSchema,
  type CrawlTask,
  type PageResult,
  type WorkerToMain,
} from '../shared/worker-protocol';
import { bundleEntries, cpuMs, startSiteServer } from './bench-processes';
import { option } from './bench-options';

const PAGES = Number(option('pages', '20000'));
const WARMUP = Number(option('warmup', '2000'));
const SEED = 1;
const tree = option('tree', '');
const flags = option('flags', '').split(' ').filter(Boolean);

/**
 * Stable text of a result for the digest: keys sorted, what varies from run to
 * run left out, the site's origin (a free port) written as `origin`.
 */
function digestText(result: PageResult, origin: string): string {
  const varying = new Set(['taskId', 'ttfbMs', 'responseMs', 'fetchedAt', 'date']);
  return JSON.stringify(result, (key, value: unknown) => {
    if (varying.has(key)) return undefined;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    return Object.fromEntries(
      Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  })
    .split(origin)
    .join('origin');
}

async function main(): Promise<void> {
  const { worker: modulePath } = bundleEntries(
    { worker: 'electron/worker/index.ts' },
    tree || undefined,
  );
  const expected = Number(
    execFileSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./expected-count.ts', import.meta.url))].concat([
        String(PAGES),
        String(SEED),
      ]),
      { encoding: 'utf8' },
    ),
  );
  const server = await startSiteServer(PAGES, SEED);
  try {
    await crawl(modulePath, server.url, expected);
  } finally {
    server.child.kill();
  }
}

async function crawl(modulePath: string, origin: string, expected: number): Promise<void> {
  const start = `${origin}/`;
  const settings = storedJobSettingsSchema.parse(
    jobSettingsSchema.parse({ startUrls: [start], workers: 1 }),
  );
  const config = workerConfigFor(settings, scopeOf(settings, [start]));
  const worker = new ChildProcessLauncher({ modulePath, execArgv: flags }).launch('worker-bench');
  const pid = worker.pid!;

  const seen = new Set([start]);
  const queue: CrawlTask[] = [{ id: 0, url: start, depth: 0 }];
  const taskOf = new Map<number, CrawlTask>();
  const digests = new Map<string, string>();
  let nextId = 1;
  let inFlight = 0;
  let done = 0;
  let failed = 0;
  let messages = 0;
  /** The worker's CPU up to its first result: starting, loading its modules, one page. */
  let startupMs: number | undefined;
  let warm: { cpu: number; thread: number; at: number; done: number } | null = null;
  const window = config.concurrency * 2;
  const discover = (url: string, depth: number) => {
    if (seen.has(url)) return;
    seen.add(url);
    queue.push({ id: nextId++, url, depth });
  };
  const dispatch = () => {
    const tasks = queue.splice(0, window - inFlight);
    for (const task of tasks) taskOf.set(task.id, task);
    inFlight += tasks.length;
    if (tasks.length > 0) worker.send({ type: 'crawl', tasks });
  };

  let crawling = true;
  const exited = new Promise<void>((resolve) => worker.onExit(() => resolve()));
  const finished = new Promise<void>((resolve, reject) => {
    worker.onExit((code) => {
      if (crawling) reject(new Error(`the worker exited with ${code}`));
    });
    worker.onMessage((raw) => {
      // Every message is checked: a bundle speaking another protocol fails the run
      // here, a rejection, so that the finally blocks stop the worker and the server.
      const checked = workerToMainSchema.safeParse(raw);
      if (!checked.success) {
        reject(new Error(`the worker speaks another protocol: ${checked.error.message}`));
        return;
      }
      const message = raw as WorkerToMain;
      if (message.type === 'redirect-query') {
        worker.send({ type: 'redirect-verdict', queryId: message.queryId, verdict: 'follow' });
      } else if (message.type === 'results') {
        messages++;
        for (const result of message.results) {
          const task = taskOf.get(result.taskId)!;
          taskOf.delete(result.taskId);
          digests.set(
            task.url.slice(origin.length),
            createHash('sha1').update(digestText(result, origin)).digest('hex'),
          );
          done++;
          inFlight--;
          if (!result.ok) {
            failed++;
            continue;
          }
          // A redirect's target is fetched too (main would store it from the redirect's
          // response when not yet fetched), so the URLs fetched do not depend on timing.
          for (const link of result.target?.links ?? result.links) discover(link, task.depth + 1);
        }
        startupMs ??= cpuMs(pid);
        if (warm === null && done >= WARMUP)
          warm = { cpu: cpuMs(pid), thread: cpuMs(pid, pid), at: performance.now(), done };
        dispatch();
        if (inFlight === 0 && queue.length === 0) resolve();
      } else if (message.type === 'log' && message.level !== 'debug') {
        console.error(`worker: ${message.message}`);
      }
    });
  });
  const ready = new Promise<void>((resolve) =>
    worker.onMessage((raw) => {
      if ((raw as WorkerToMain).type === 'ready') resolve();
    }),
  );
  try {
    await Promise.race([ready, finished]);
    worker.send({ type: 'configure', config });
    dispatch();
    await finished;
    crawling = false;
    const cpu = cpuMs(pid);
    const thread = cpuMs(pid, pid);
    if (digests.size !== expected)
      throw new Error(`incomplete crawl: ${digests.size} URLs, expected ${expected}`);
    const seconds = (performance.now() - warm!.at) / 1000;
    const pages = done - warm!.done;
    const digest = createHash('sha1');
    for (const url of [...digests.keys()].sort()) digest.update(url).update(digests.get(url)!);
    console.log(
      `started in ${startupMs} ms of CPU; ${done} results (${failed} failed) in ${messages} messages, ${pages} after the warm-up: worker ${(((cpu - warm!.cpu) / pages) * 1000).toFixed(0)} µs a page ` +
        `(main thread ${(((thread - warm!.thread) / pages) * 1000).toFixed(0)}, other threads ${(((cpu - thread - warm!.cpu + warm!.thread) / pages) * 1000).toFixed(0)}), ` +
        `${(pages / seconds).toFixed(0)} p/s, results ${digest.digest('hex').slice(0, 12)}`,
    );
    // Drained, not killed, so that a profile the flags asked for is written.
    worker.send({ type: 'drain' });
    await exited;
  } finally {
    crawling = false;
    worker.kill();
  }
}

await main();
