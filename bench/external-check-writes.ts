/**
 * What main writes a page in a checkExternal crawl, for two builds in
 * alternation: a local site whose pages each link to other pages and to a
 * few URLs on a second 127.0.0.1 server (another host: external links), some
 * shared by every page, most found on one page only, each checked once.
 *
 *   npx tsx bench/external-check-writes.ts --old ../trawl-old [--pages 5000] [--pairs 4]
 *
 * Each crawl runs bundled in a plain Node child (crawl-child.ts, which the
 * old checkout needs in this version: it takes the job settings); the
 * figures are the bytes that process passed to write calls (bytesWritten)
 * and its CPU time (its threads too), a page, and the crawl's time. Every
 * crawl is checked: every page stored, every external URL checked.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { median, option, positiveInteger } from './bench-options';
import { bundleEntries, bytesWritten } from './bench-processes';
import type { CrawlChildProgress, CrawlChildResult } from './crawl-child';
import { listenOn } from '../tests/helpers/local-server';
import { tempDir } from '../tests/helpers/temp-db';

const OLD = option('old', '');
if (!OLD) throw new Error('--old is required');
const PAGES = positiveInteger('pages', '5000');
const PAIRS = positiveInteger('pairs', '4');
const WORKERS = 2;
/** A page's links: to other pages, to URLs every page links to, to URLs of its own. */
const INTERNAL_LINKS = 30;
const SHARED_EXTERNAL = 50;
const SHARED_PER_PAGE = 2;
const OWN_EXTERNAL = 3;
const trees = { old: resolve(OLD), new: fileURLToPath(new URL('..', import.meta.url)) };

/** An HTTP server on 127.0.0.1 that keeps idle connections for a minute, as sites commonly do. */
function listen(handler: http.RequestListener) {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 60_000;
  return listenOn(server, () => server.closeAllConnections());
}

/** The page at /p/`index`: its links, the same in every run. */
function pageHtml(index: number, external: string): string {
  const links: string[] = [];
  // Every page reachable from /p/0 (a binary tree), the rest spread over the site.
  for (const child of [2 * index + 1, 2 * index + 2]) if (child < PAGES) links.push(`/p/${child}`);
  for (let i = links.length; i < INTERNAL_LINKS; i++)
    links.push(`/p/${(index * 7919 + i * 104729) % PAGES}`);
  for (let i = 0; i < SHARED_PER_PAGE; i++)
    links.push(`${external}/shared/${(index + i) % SHARED_EXTERNAL}`);
  for (let i = 0; i < OWN_EXTERNAL; i++) links.push(`${external}/own/${index}/${i}`);
  const anchors = links.map((href, i) => `<li><a href="${href}">Link ${i}</a></li>`).join('');
  return `<!doctype html><title>Page ${index}</title><h1>Page ${index}</h1><p>Text of page ${index}.</p><ul>${anchors}</ul>`;
}

interface Run {
  kb: number;
  cpuMs: number;
  seconds: number;
}

async function crawl(tree: string, site: string): Promise<Run> {
  const bundles = bundleEntries(
    {
      'crawl-child': 'bench/crawl-child.ts',
      worker: 'electron/worker/index.ts',
      'store-writer-thread': 'electron/engine/store-writer/store-writer-thread.ts',
    },
    tree,
  );
  const temp = tempDir();
  const dbFile = temp.file('bench.sqlite');
  const started = performance.now();
  const child = fork(
    bundles['crawl-child'],
    [`${site}/p/0`, String(WORKERS), dbFile, JSON.stringify({ checkExternal: true })],
    {
      execArgv: [],
      env: {
        ...process.env,
        TRAWL_WORKER_MODULE: bundles.worker,
        TRAWL_STORE_WRITER_MODULE: bundles['store-writer-thread'],
      },
    },
  );
  try {
    const result = await new Promise<CrawlChildResult>((done, fail) => {
      child.on('message', (message: CrawlChildProgress | CrawlChildResult) => {
        if (!('workerPids' in message)) done(message);
      });
      child.once('exit', (code) => fail(new Error(`the crawl process exited with ${code}`)));
    });
    // Read before the child exits (as bench/run.ts): its database is closed.
    const written = bytesWritten(child.pid!);
    const db = new Database(dbFile, { readonly: true });
    const { total, checked } = db
      .prepare('SELECT count(*) AS total, count(checked_at) AS checked FROM external_urls')
      .get() as { total: number; checked: number };
    db.close();
    const externalUrls = SHARED_EXTERNAL + PAGES * OWN_EXTERNAL;
    if (result.pages !== PAGES || total !== externalUrls || checked !== externalUrls) {
      throw new Error(`incomplete crawl: ${result.pages} pages, ${checked} of ${total} checked`);
    }
    return {
      kb: written / 1024 / result.pages,
      cpuMs: result.cpuMs / result.pages,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    child.kill();
    temp.cleanup();
  }
}

const external = await listen((_request, response) => response.writeHead(200).end());
const site = await listen((request, response) => {
  const index = Number(/^\/p\/(\d+)$/.exec(request.url ?? '')?.[1] ?? NaN);
  if (!(index >= 0 && index < PAGES)) return void response.writeHead(404).end();
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  response.end(pageHtml(index, external.origin));
});
console.log(
  `${PAGES} pages, each linking to ${SHARED_PER_PAGE} of ${SHARED_EXTERNAL} shared and ` +
    `${OWN_EXTERNAL} own external URLs; ${WORKERS} workers`,
);
const runs: Record<keyof typeof trees, Run[]> = { old: [], new: [] };
for (let pair = 1; pair <= PAIRS; pair++) {
  for (const name of ['old', 'new'] as const) {
    const run = await crawl(trees[name], site.origin);
    runs[name].push(run);
    console.log(
      `pair ${pair} ${name}: ${run.kb.toFixed(1)} KB, main ${run.cpuMs.toFixed(3)} ms a page, ` +
        `${run.seconds.toFixed(1)} s`,
    );
  }
}
for (const name of ['old', 'new'] as const) {
  const of = (field: keyof Run, digits: number) =>
    `${median(runs[name].map((run) => run[field])).toFixed(digits)} ` +
    `(${runs[name].map((run) => run[field].toFixed(digits)).join(', ')})`;
  console.log(`${name}: KB ${of('kb', 1)}; main ms ${of('cpuMs', 3)}; s ${of('seconds', 1)}`);
}
await site.close();
await external.close();
