import type { Db } from '../electron/engine/store/database';
import { FrontierStore } from '../electron/engine/store-writer/frontier-store';
import { JobStore } from '../electron/engine/store/job-store';
import { jobSettingsSchema } from '../shared/job-settings';
import { outlinkColumns } from '../shared/outlinks';
import type { FetchedPage } from '../shared/worker-protocol';

/** A deterministic generator (seeded), so every run builds the same job. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const STATUSES = [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 301, 404, 500];

/** A synthetic page of a big site: duplicates, slow and large pages, many links. */
function syntheticPage(
  origin: string,
  n: number,
  pages: number,
  linksPerPage: number,
  random: () => number,
): FetchedPage {
  const status = STATUSES[n % STATUSES.length]!;
  const outlinks = Array.from({ length: linksPerPage }, (_, k) => ({
    url:
      k === 0
        ? `https://external${n % 50}.example/x`
        : `${origin}/p/${Math.floor(random() * pages)}`,
    text: `link ${k}`,
    rel: null,
    internal: k !== 0,
  }));
  return {
    taskId: n,
    ok: true,
    finalUrl: `${origin}/p/${n}`,
    status,
    redirects: [],
    contentType: n % 40 === 0 ? 'application/pdf' : 'text/html; charset=utf-8',
    charset: 'utf-8',
    bytes: 20_000 + Math.floor(random() * 60_000),
    wireBytes: 8000 + Math.floor(random() * 20_000),
    ttfbMs: random() * 200,
    responseMs: random() * 900,
    headers: { 'content-type': 'text/html; charset=utf-8', server: 'bench' },
    title: n % 97 === 0 ? null : `Product ${n % 5000} – category ${n % 37}`,
    metaDescription: n % 13 === 0 ? null : `Buy product ${n % 7000} today`,
    metaRobots: n % 50 === 0 ? 'noindex' : null,
    xRobotsTag: null,
    canonical: null,
    metaRefresh: null,
    h1: `Product ${n}`,
    h1Count: n % 61 === 0 ? 0 : n % 67 === 0 ? 2 : 1,
    h2Count: 3,
    hreflang: [],
    lang: 'en',
    wordCount: 300 + (n % 900),
    contentHash: `h${n % 150_000}`,
    imagesWithoutAlt: n % 5,
    outlinks: outlinkColumns(outlinks),
    links: [],
    linkCount: linksPerPage,
    extracted: {},
    attempts: 1,
    retryReasons: [],
    fetchedAt: Date.UTC(2026, 0, 1) + n,
  };
}

/**
 * Stores a `pages`-page job through the real store code (FrontierStore and
 * PageWriter, in batches of 500 results as a crawl's writer thread writes them). Returns the
 * job id and the pages stored per second.
 */
export function buildJob(
  db: Db,
  pages: number,
  linksPerPage: number,
): { jobId: number; pagesPerSecond: number } {
  const origin = `http://bench-${pages}.example`;
  const job = new JobStore(db).create(
    jobSettingsSchema.parse({ startUrls: [`${origin}/`], workers: 2 }),
  );
  const frontier = new FrontierStore(db, job.id, { maxDepth: null, robotsAgent: 'Trawl' });
  const random = seeded(pages);
  const started = performance.now();
  for (let from = 0; from < pages; from += 10_000) {
    frontier.seed(
      Array.from({ length: Math.min(10_000, pages - from) }, (_, k) => `${origin}/p/${from + k}`),
    );
  }
  let n = 0;
  for (let tasks = frontier.lease(500); tasks.length > 0; tasks = frontier.lease(500)) {
    frontier.write({
      pages: tasks.map((task) => ({
        task,
        page: syntheticPage(origin, n++, pages, linksPerPage, random),
        workerPid: 1,
      })),
      failures: [],
    });
  }
  new JobStore(db).markEnded(job.id, 'finished', 0);
  return { jobId: job.id, pagesPerSecond: pages / ((performance.now() - started) / 1000) };
}
