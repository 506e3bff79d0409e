import { pipeline, Readable } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';
import { SaxesParser } from 'saxes';
import { MAX_URL_LENGTH } from '../../shared/limits';
import { decodedBody, type MainFetch } from './main-fetch';

/** The sitemaps.org limit on one file, before and after decompression. */
export const MAX_SITEMAP_BYTES = 50 * 1024 * 1024;
const SITEMAP_TIMEOUT_MS = 120_000;
/** <loc> values are handed over in batches of this many (one transaction each). */
const BATCH = 500;
/** Parsed text between two yields to the event loop, so a huge file never stalls main. */
const YIELD_EVERY_CHARS = 256 * 1024;

export interface SitemapReadOptions {
  /** Sends the request with the job's settings (proxy, auth, headers). */
  fetch: MainFetch;
  maxRedirects: number;
  /** Aborts the read (the job stops). */
  signal: AbortSignal;
  /** Receives the page URLs of a `<urlset>` in batches, as written; returns false to stop reading. */
  onUrls: (locs: string[]) => boolean;
  maxBytes?: number;
}

export interface SitemapContents {
  kind: 'urlset' | 'sitemapindex';
  /** Sitemaps a `<sitemapindex>` lists, as written. */
  sitemaps: string[];
}

/**
 * Fetches and parses one sitemap or sitemap index as a stream (saxes), so
 * memory stays flat and the event loop is never held for long. The body's
 * Content-Encoding is undone, then a gzipped file is recognised by its magic
 * bytes (not only a .gz name) and decompressed, each with a cap. URLs parsed before an error have already been
 * handed to `onUrls` when the error is thrown.
 */
export async function readSitemap(
  url: string,
  options: SitemapReadOptions,
): Promise<SitemapContents> {
  const maxBytes = options.maxBytes ?? MAX_SITEMAP_BYTES;
  const response = await options.fetch(url, {
    maxRedirects: options.maxRedirects,
    timeoutMs: SITEMAP_TIMEOUT_MS,
    signal: options.signal,
  });
  const raw = response.body;
  if (response.status < 200 || response.status >= 300) {
    raw.destroy();
    throw new Error(`HTTP ${response.status}`);
  }
  const parsed = new SitemapParser(options.onUrls);
  const decoder = new TextDecoder('utf-8');
  let sinceYield = 0;
  try {
    for await (const chunk of decompressed(decodedBody(response), maxBytes)) {
      const text = decoder.decode(chunk, { stream: true });
      if (!parsed.write(text)) break;
      sinceYield += text.length;
      if (sinceYield >= YIELD_EVERY_CHARS) {
        sinceYield = 0;
        await yieldToLoop();
      }
    }
  } catch (error) {
    // What was parsed before the body failed (too large, cut off) still counts.
    parsed.handOver();
    throw error;
  } finally {
    // Stopped early or failed: the rest of the body is not wanted.
    raw.destroy();
  }
  return parsed.finish();
}

/** The body as it comes, or gunzipped when it starts with gzip's magic bytes; both capped. */
async function* decompressed(raw: Readable, maxBytes: number): AsyncGenerator<Buffer> {
  const chunks = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await chunks.next();
  if (first.done) return;
  let rawBytes = 0;
  const counted = (async function* () {
    for (let next: IteratorResult<Buffer> = first; !next.done; next = await chunks.next()) {
      rawBytes += next.value.length;
      if (rawBytes > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
      yield next.value;
    }
  })();
  const isGzip = first.value[0] === 0x1f && first.value[1] === 0x8b;
  let source: AsyncIterable<Buffer> = counted;
  if (isGzip) {
    const gunzip = createGunzip();
    pipeline(Readable.from(counted), gunzip, (error) => {
      if (error) gunzip.destroy(error);
    });
    source = gunzip;
  }
  let decodedBytes = 0;
  for await (const chunk of source) {
    decodedBytes += chunk.length;
    if (decodedBytes > maxBytes) throw new Error(`larger than ${maxBytes} bytes decompressed`);
    yield chunk;
  }
}

class NotASitemap extends Error {}

/** Collects `<url><loc>` and `<sitemap><loc>` from a streamed sitemap, namespace prefixes ignored. */
class SitemapParser {
  private readonly parser = new SaxesParser();
  private readonly stack: string[] = [];
  private loc: string | null = null;
  private batch: string[] = [];
  private root: string | null = null;
  private readonly sitemaps: string[] = [];
  private wanted = true;

  constructor(private readonly onUrls: (locs: string[]) => boolean) {
    this.parser.on('opentag', (tag) => {
      const name = localName(tag.name);
      if (this.root === null) {
        this.root = name;
        if (name !== 'urlset' && name !== 'sitemapindex') {
          throw new NotASitemap(`not a sitemap: the root element is <${tag.name}>`);
        }
      }
      this.stack.push(name);
      if (name === 'loc') this.loc = '';
    });
    const text = (value: string) => {
      // A <loc> longer than any URL we keep is dropped, not accumulated.
      if (this.loc !== null && this.loc.length <= MAX_URL_LENGTH) this.loc += value;
    };
    this.parser.on('text', text);
    this.parser.on('cdata', text);
    this.parser.on('closetag', () => {
      const name = this.stack.pop();
      if (name !== 'loc' || this.loc === null) return;
      const loc = this.loc.trim();
      this.loc = null;
      const parent = this.stack[this.stack.length - 1];
      if (parent === 'url' && this.root === 'urlset') this.add(loc);
      else if (parent === 'sitemap' && this.root === 'sitemapindex') this.sitemaps.push(loc);
    });
  }

  /** Parses more text; false once the reader asked to stop. */
  write(text: string): boolean {
    try {
      this.parser.write(text);
    } catch (error) {
      this.handOver();
      if (error instanceof NotASitemap) throw error;
      throw new Error(`not valid sitemap XML: ${(error as Error).message}`);
    }
    return this.wanted;
  }

  finish(): SitemapContents {
    if (this.wanted) {
      try {
        this.parser.close();
      } catch (error) {
        this.handOver();
        throw new Error(`not valid sitemap XML: ${(error as Error).message}`);
      }
    }
    this.handOver();
    if (this.root === null) throw new Error('not a sitemap: the file is empty');
    return { kind: this.root as SitemapContents['kind'], sitemaps: this.sitemaps };
  }

  private add(loc: string): void {
    if (!this.wanted) return;
    this.batch.push(loc);
    if (this.batch.length >= BATCH) this.handOver();
  }

  /** Hands the URLs parsed so far to the reader. */
  handOver(): void {
    if (this.batch.length === 0 || !this.wanted) return;
    const batch = this.batch;
    this.batch = [];
    this.wanted = this.onUrls(batch);
  }
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}
