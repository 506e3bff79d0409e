/**
 * Serves a SyntheticSite from memory over HTTP/1.1 keep-alive, bound to
 * 127.0.0.1 only. Every response (status line headers + body) is prepared
 * once at start-up, so a request costs one Map lookup and one socket write:
 * the server shares the machine's cores with the crawler it measures.
 *
 * Standalone: npx tsx bench/static-server.ts [--pages 20000] [--port 8080] [--seed 1] [--lazy]
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  generateSite,
  withOrigin,
  ORIGIN_PLACEHOLDER,
  type SitePage,
  type SyntheticSite,
} from './site-generator';

export interface SiteServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
}

export interface SiteServer {
  /** Origin without a trailing slash, e.g. "http://127.0.0.1:41234"; the crawl starts at `${url}/`. */
  url: string;
  /** Stops listening and drops every connection, idle or not. */
  close(): Promise<void>;
  /** Requests answered so far (all methods, all statuses). */
  requests(): number;
}

interface Prepared {
  status: number;
  /** Flat [name, value, name, value, ...] for writeHead. */
  headers: string[];
  body: Buffer;
  /** Lazy site: render the body on each request. */
  render?: () => Buffer;
  contentType: string;
}

const NOT_FOUND_BODY = Buffer.from(
  '<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>\n',
);
const HTML = 'text/html; charset=utf-8';

function fixed(status: number, contentType: string, body: Buffer, extra: string[] = []): Prepared {
  return {
    status,
    headers: ['Content-Type', contentType, 'Content-Length', String(body.length), ...extra],
    body,
    contentType,
  };
}

function prepare(page: SitePage, origin: string): Prepared {
  if (page.status >= 300 && page.status < 400) {
    const location = (page.location ?? '/').split(ORIGIN_PLACEHOLDER).join(origin);
    return fixed(page.status, page.contentType, Buffer.alloc(0), ['Location', location]);
  }
  const getter = Object.getOwnPropertyDescriptor(page, 'body')?.get;
  if (getter !== undefined) {
    const render = page.usesOrigin
      ? () => withOrigin(getter.call(page) as Buffer, origin)
      : () => getter.call(page) as Buffer;
    return {
      status: page.status,
      headers: [],
      body: Buffer.alloc(0),
      render,
      contentType: page.contentType,
    };
  }
  const body = page.body ?? Buffer.alloc(0);
  return fixed(page.status, page.contentType, page.usesOrigin ? withOrigin(body, origin) : body);
}

export function startSiteServer(
  site: SyntheticSite,
  options: SiteServerOptions = {},
): Promise<SiteServer> {
  let count = 0;
  let table = new Map<string, Prepared>();
  const notFound = fixed(404, HTML, NOT_FOUND_BODY);
  const notAllowed = fixed(405, 'text/plain; charset=utf-8', Buffer.from('Method Not Allowed\n'), [
    'Allow',
    'GET, HEAD',
  ]);

  const server = http.createServer({ noDelay: true }, (req, res) => {
    count++;
    const method = req.method;
    const p =
      method === 'GET' || method === 'HEAD' ? (table.get(req.url ?? '/') ?? notFound) : notAllowed;
    if (p.render === undefined) {
      res.writeHead(p.status, p.headers);
      res.end(p.body);
    } else {
      const body = p.render();
      res.writeHead(p.status, [
        'Content-Type',
        p.contentType,
        'Content-Length',
        String(body.length),
      ]);
      res.end(body);
    }
  });
  // Longer than any crawler's idle-socket timeout, so a reused socket is
  // never closed under a request in flight (Node's default is 5 s).
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const origin = `http://127.0.0.1:${port}`;
      // Built synchronously inside the listen callback: no request can be
      // dispatched before the table is complete.
      const t = new Map<string, Prepared>();
      for (const [key, page] of site.pages) t.set(key, prepare(page, origin));
      if (!t.has('/robots.txt'))
        t.set('/robots.txt', fixed(200, 'text/plain; charset=utf-8', Buffer.from(site.robotsTxt)));
      table = t;
      resolve({
        url: origin,
        requests: () => count,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}

// ---------------------------------------------------------------------------
// Standalone

function isMain(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const pages = Number(argValue('--pages') ?? 20_000);
  const port = Number(argValue('--port') ?? 0);
  const seed = Number(argValue('--seed') ?? 1);
  const lazyBodies = process.argv.includes('--lazy');
  const site = generateSite({ pages, seed, lazyBodies });
  const server = await startSiteServer(site, { port });
  const mb = (n: number): string => (n / 1048576).toFixed(0);
  const mem = process.memoryUsage();
  console.log(
    `serving ${site.pages.size} pages (seed ${site.seed}${lazyBodies ? ', lazy bodies' : ''}) at ${server.url}/ ` +
      `generated in ${(site.stats.generationMs / 1000).toFixed(1)} s, ` +
      `${site.stats.bodyBytes === null ? '?' : mb(site.stats.bodyBytes)} MB of bodies, rss ${mb(mem.rss)} MB`,
  );
  const stop = (): void => {
    void server.close().then(() => {
      console.log(`${server.requests()} requests served`);
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (isMain()) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
