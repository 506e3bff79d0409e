import { basename } from 'node:path';
import type { Writable } from 'node:stream';
import type { Db } from '../store/database';
import { pageConditions } from '../results/page-query';
import type { PageFilters } from '../../../shared/results';
import { UserError } from '../user-error';
import { partFile, partHead, removeStaleParts, XML_HEAD } from './sitemap-parts';
import { writeLines } from './text-writers';

/** The sitemaps protocol allows 50,000 URLs per file… */
export const URLS_PER_SITEMAP = 50_000;
/**
 * …and 50 MB (52,428,800 bytes) uncompressed: this much for the `<url>` lines leaves
 * room for the XML head, a part's comment (which names its index file) and the urlset tags.
 */
const URL_BYTES_PER_SITEMAP = 50 * 1024 * 1024 - 4096;

const escapeXml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

const NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"';

const urlLine = (url: string) => `  <url><loc>${escapeXml(url)}</loc></url>\n`;

/** The protocol takes URLs of "less than 2,048 characters"; longer ones are left out. */
const URL_LENGTH_LIMIT = 2048;

/** A sitemap's URLs: the filters' indexable 200 pages, each final URL once. */
function sitemapUrls(db: Db, jobId: number, filters: PageFilters) {
  const kept = pageConditions(jobId, filters);
  const indexable = kept && [...kept.where, 'p.status = 200', 'p.indexable = 1'].join(' AND ');
  const where = `${indexable} AND length(p.final_url) < ${URL_LENGTH_LIMIT}`;
  const query = (sql: string) =>
    kept === null
      ? [].values()
      : (db.prepare(sql).pluck().iterate(kept.params) as IterableIterator<string>);
  return {
    /** The URLs left out for their length. */
    tooLong: () =>
      kept === null
        ? 0
        : (db
            .prepare(
              `SELECT count(DISTINCT p.final_url) FROM pages p
               WHERE ${indexable} AND length(p.final_url) >= ${URL_LENGTH_LIMIT}`,
            )
            .pluck()
            .get(kept.params) as number),
    /** In crawl order, as written. */
    inOrder: () =>
      query(
        `SELECT p.final_url FROM pages p WHERE ${where} GROUP BY p.final_url ORDER BY min(p.id)`,
      ),
    /** In any order: enough to add up their size, without sorting them. */
    unordered: () => query(`SELECT DISTINCT p.final_url FROM pages p WHERE ${where}`),
  };
}

/** URL lines, with the next one in view: a urlset ends before a line that would not fit. */
class UrlLines {
  private ahead: IteratorResult<string>;
  constructor(private readonly urls: Iterator<string>) {
    this.ahead = urls.next();
  }
  get next(): string | undefined {
    return this.ahead.done ? undefined : urlLine(this.ahead.value);
  }
  advance(): void {
    this.ahead = this.urls.next();
  }
}

/** A urlset of the next lines, as many as the protocol's limits let one file hold. */
function* urlset(lines: UrlLines, head: string, onUrl: () => void): Generator<string> {
  yield `${head}<urlset ${NS}>\n`;
  let bytes = 0;
  for (let n = 0; n < URLS_PER_SITEMAP; n++) {
    const line = lines.next;
    if (line === undefined) break;
    bytes += Buffer.byteLength(line);
    if (n > 0 && bytes > URL_BYTES_PER_SITEMAP) break;
    lines.advance();
    onUrl();
    yield line;
  }
  yield '</urlset>\n';
}

/** The files the URLs need, none (no URL), one urlset or several: read in any order, as that is their count and size. */
function filesNeeded(urls: IterableIterator<string>): 'none' | 'one' | 'several' {
  const lines = new UrlLines(urls);
  try {
    if (lines.next === undefined) return 'none';
    for (const line of urlset(lines, '', () => undefined)) void line;
    return lines.next === undefined ? 'one' : 'several';
  } finally {
    urls.return?.();
  }
}

/** `open` gzips a file whose name ends in `.gz` (the 50 MB limit is of the XML). */
type FileTarget = { file: string; baseUrl: string; open: (file: string) => Writable };

/** Where a sitemap goes: files opened with `open` (served under `baseUrl`), or a stream. */
export type SitemapTarget = FileTarget | { stream: Writable };

/** Where a sitemap too big for one file goes: a file beside which its parts go. */
function splitTarget(target: SitemapTarget, jobId: number): FileTarget {
  if ('file' in target) return target;
  // A stream is stdout, or the browser's download from trawl serve: neither has a folder.
  throw new UserError(
    'this sitemap needs an index and several files (it has more than 50,000 URLs or 50 MB), ' +
      'which a download or stdout cannot carry: write them into a folder with ' +
      `trawl export ${jobId} --format sitemap --out FOLDER/sitemap.xml`,
  );
}

/**
 * An XML sitemap of the job's indexable 200 pages (those `filters` keep, as
 * the URL table filters its rows). Up to 50,000 URLs and 50 MB: one
 * urlset. More: `file` becomes a sitemap index pointing at `<name>-1.xml`,
 * `<name>-2.xml`… beside it, addressed under `baseUrl` (where the files will
 * be served). Then parts Trawl wrote for an earlier, larger export to `file`
 * (numbered above the new ones) are removed (see sitemap-parts.ts). Returns
 * the files written, each opened with `open`, and how many URLs were left
 * out for being 2,048 characters or longer. A `file` ending in `.gz` is
 * gzipped, and so are its parts (`<name>-1.xml.gz`…).
 */
export async function writeSitemap(
  db: Db,
  jobId: number,
  target: SitemapTarget,
  onUrl: () => void,
  filters: PageFilters = {},
): Promise<{ files: string[]; tooLong: number }> {
  const query = sitemapUrls(db, jobId, filters);
  const needed = filesNeeded(query.unordered());
  if (needed === 'none') {
    // sitemap.xsd wants one <url> at least: search engines reject an empty urlset.
    const tooLong = query.tooLong();
    const matching = Object.keys(filters).length > 0 ? ' matches the filters' : '';
    const short =
      tooLong === 0
        ? ''
        : `${matching === '' ? ' has' : ' with'} a URL shorter than ${URL_LENGTH_LIMIT.toLocaleString('en-US')} characters ` +
          `(the protocol's limit; ${tooLong.toLocaleString('en-US')} ${tooLong === 1 ? 'is' : 'are'} longer)`;
    throw new UserError(
      `no indexable 200 page of job ${jobId}${matching}${short}: ` +
        'the sitemap would be empty, which the protocol does not allow',
    );
  }
  const split = needed === 'one' ? null : splitTarget(target, jobId);
  const urls = query.inOrder();
  let written: string[];
  try {
    const lines = new UrlLines(urls);
    written = split
      ? await writeIndexed(lines, split, onUrl)
      : await writeSingle(lines, target, onUrl);
  } finally {
    // The parts share one statement: end it even when a part stopped early (a cancelled export).
    urls.return?.();
  }
  // Only once the new sitemap is whole: parts of an earlier, larger export of
  // this name would otherwise be uploaded with it.
  if ('file' in target) await removeStaleParts(target.file, written.length - 1);
  return { files: written, tooLong: query.tooLong() };
}

async function writeSingle(
  lines: UrlLines,
  target: SitemapTarget,
  onUrl: () => void,
): Promise<string[]> {
  const urls = urlset(lines, XML_HEAD, onUrl);
  await writeLines(urls, 'stream' in target ? target.stream : target.open(target.file));
  return 'file' in target ? [target.file] : [];
}

/** The parts, as many as the URLs need, then the index pointing at them. */
async function writeIndexed(
  lines: UrlLines,
  target: FileTarget,
  onUrl: () => void,
): Promise<string[]> {
  const parts: string[] = [];
  for (let part = 1; lines.next !== undefined; part++) {
    const file = partFile(target.file, part);
    await writeLines(urlset(lines, partHead(target.file, part), onUrl), target.open(file));
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
