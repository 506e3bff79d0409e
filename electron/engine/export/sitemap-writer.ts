import { basename } from 'node:path';
import type { Writable } from 'node:stream';
import type { Db } from '../store/database';
import { pageConditions } from '../results/page-query';
import type { PageFilters } from '../../../shared/results';
import { UserError } from '../user-error';
import { partFile, partHead, removeStaleParts, XML_HEAD } from './sitemap-parts';
import { writeLines } from './text-writers';

/** The sitemaps protocol allows 50,000 URLs per file. */
export const URLS_PER_SITEMAP = 50_000;

const escapeXml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

const NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"';

/** A sitemap's URLs, in crawl order, and how many: the filters' indexable 200 pages, each final URL once. */
function sitemapUrls(
  db: Db,
  jobId: number,
  filters: PageFilters,
): { count: number; urls: IterableIterator<string> } {
  const kept = pageConditions(jobId, filters);
  if (kept === null) return { count: 0, urls: [].values() };
  const where = [...kept.where, 'p.status = 200', 'p.indexable = 1'].join(' AND ');
  const count = db
    .prepare(`SELECT count(DISTINCT p.final_url) FROM pages p WHERE ${where}`)
    .pluck()
    .get(kept.params) as number;
  const urls = db
    .prepare(
      `SELECT p.final_url FROM pages p WHERE ${where} GROUP BY p.final_url ORDER BY min(p.id)`,
    )
    .pluck()
    .iterate(kept.params) as IterableIterator<string>;
  return { count, urls };
}

function* urlset(urls: Iterator<string>, head: string, onUrl: () => void): Generator<string> {
  yield `${head}<urlset ${NS}>\n`;
  for (let n = 0; n < URLS_PER_SITEMAP; n++) {
    const next = urls.next();
    if (next.done) break;
    onUrl();
    yield `  <url><loc>${escapeXml(next.value)}</loc></url>\n`;
  }
  yield '</urlset>\n';
}

/** Where a sitemap goes: files opened with `open` (served under `baseUrl`), or a stream. */
export type SitemapTarget =
  { file: string; baseUrl: string; open: (file: string) => Writable } | { stream: Writable };

/**
 * An XML sitemap of the job's indexable 200 pages (those `filters` keep, as
 * the URL table filters its rows). Up to 50,000 URLs: one
 * urlset. More: `file` becomes a sitemap index pointing at `<name>-1.xml`,
 * `<name>-2.xml`… beside it, addressed under `baseUrl` (where the files will
 * be served). Then parts Trawl wrote for an earlier, larger export to `file`
 * (numbered above the new ones) are removed (see sitemap-parts.ts). Returns
 * the files written, each opened with `open`.
 */
export async function writeSitemap(
  db: Db,
  jobId: number,
  target: SitemapTarget,
  onUrl: () => void,
  filters: PageFilters = {},
): Promise<string[]> {
  const { count, urls } = sitemapUrls(db, jobId, filters);
  let written: string[];
  try {
    written = await writeUrlsets(urls, count, target, onUrl);
  } finally {
    // The parts share one statement: end it even when a part stopped early (a cancelled export).
    urls.return?.();
  }
  // Only once the new sitemap is whole: parts of an earlier, larger export of
  // this name would otherwise be uploaded with it.
  if ('file' in target) await removeStaleParts(target.file, written.length - 1);
  return written;
}

async function writeUrlsets(
  urls: IterableIterator<string>,
  count: number,
  target: SitemapTarget,
  onUrl: () => void,
): Promise<string[]> {
  if (count <= URLS_PER_SITEMAP) {
    const out = 'stream' in target ? target.stream : target.open(target.file);
    await writeLines(urlset(urls, XML_HEAD, onUrl), out);
    return 'file' in target ? [target.file] : [];
  }
  if (!('file' in target)) {
    throw new UserError(`${count} URLs need a sitemap index and several files: give --out FILE`);
  }
  const parts: string[] = [];
  for (let part = 1; (part - 1) * URLS_PER_SITEMAP < count; part++) {
    const file = partFile(target.file, part);
    await writeLines(urlset(urls, partHead(target.file, part), onUrl), target.open(file));
    parts.push(file);
  }
  const base = target.baseUrl.endsWith('/') ? target.baseUrl : `${target.baseUrl}/`;
  const index = [
    `${XML_HEAD}<sitemapindex ${NS}>\n`,
    ...parts.map(
      (file) =>
        // Encoded: a `#` or `?` in the file's name is part of the name, not of the URL.
        `  <sitemap><loc>${escapeXml(new URL(encodeURIComponent(basename(file)), base).href)}</loc></sitemap>\n`,
    ),
    '</sitemapindex>\n',
  ];
  await writeLines(index, target.open(target.file));
  return [target.file, ...parts];
}
