import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureSite {
  origin: string;
  /** Every path a same-origin crawl from "/" must store. */
  reachable: string[];
  /** Requests served per path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export interface FixtureOptions {
  pages?: number;
  /** Delay before answering each request, to keep pages in flight. */
  delayMs?: number;
  /**
   * The answer to a path waits for the promise this gives for it, if any (a crawl
   * that must not end, or must keep pages in flight, until a test lets it).
   */
  hold?: (path: string) => Promise<unknown> | undefined;
  /** Called with each request's path before it is answered. */
  onRequest?: (path: string, headers: http.IncomingHttpHeaders) => void;
  /** Served at /robots.txt; without it, /robots.txt is a 404. */
  robotsTxt?: string;
  /**
   * Home also links /moved, which 301s to /moved/: a page no link reaches
   * but the redirect (its own links to itself and /p/0 are found after).
   */
  moved?: boolean;
  /** Listen on this port (to serve a changed site at the same origin); default: any free port. */
  port?: number;
}

/**
 * A small site on 127.0.0.1: numbered pages in a tree, linked in relative,
 * absolute and root-relative forms, plus a 404, a redirect, a PDF, an
 * external link and links no crawler should follow.
 */
export async function startFixtureSite(options: FixtureOptions = {}): Promise<FixtureSite> {
  const pages = options.pages ?? 40;
  const hits = new Map<string, number>();
  let origin = '';

  // A binary tree of pages (n links to 2n+1 and 2n+2), so many are in flight at once.
  const page = (n: number) => {
    const child = (k: number, href: string) =>
      k < pages ? `<a href="${href}">child ${k}</a>` : '';
    const links = [
      `<a href="/">home</a>`,
      child(2 * n + 1, `/p/${2 * n + 1}`),
      child(2 * n + 2, `${origin}/p/${2 * n + 2}#frag`),
      n > 0 ? `<a href="../p/${Math.floor((n - 1) / 2)}">parent</a>` : '',
      `<a href="https://external.invalid/x">external</a>`,
      `<a href="mailto:someone@example.invalid">mail</a>`,
      `<a href="javascript:alert(1)">js</a>`,
    ];
    return `<!doctype html><html><head><title>Page ${n} &amp; more</title></head><body><h1>Page ${n}</h1>${links.join('\n')}</body></html>`;
  };

  const home = `<!doctype html><html><head><title>Home</title></head><body>
    <a href="/p/0">start</a> <a href="/missing">broken</a> <a href="/old">moved</a>
    <a href="/file.pdf">pdf</a> <a href="/away">leaves the site</a> <a href="/p/0?">same page, empty query</a>
    ${options.moved ? '<a href="/moved">moved</a>' : ''}</body></html>`;
  const moved = `<!doctype html><html><head><title>Moved page</title></head><body>
    <a href="/moved/">itself</a> <a href="/p/0">start</a></body></html>`;

  const server = http.createServer((request, response) => {
    const path = request.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    options.onRequest?.(path, request.headers);
    const respond = () => {
      const match = /^\/p\/(\d+)$/.exec(path);
      if (path === '/') return send(response, 200, 'text/html; charset=utf-8', home);
      if (path === '/robots.txt' && options.robotsTxt !== undefined) {
        return send(response, 200, 'text/plain', options.robotsTxt);
      }
      if (match && Number(match[1]) < pages)
        return send(response, 200, 'text/html; charset=utf-8', page(Number(match[1])));
      if (path === '/old') {
        response.writeHead(301, { location: '/p/1' });
        return response.end();
      }
      if (options.moved && path === '/moved') {
        response.writeHead(301, { location: '/moved/' });
        return response.end();
      }
      if (options.moved && path === '/moved/') {
        return send(response, 200, 'text/html; charset=utf-8', moved);
      }
      if (path === '/away') {
        response.writeHead(302, { location: 'http://external.invalid/elsewhere' });
        return response.end();
      }
      if (path === '/file.pdf')
        return send(response, 200, 'application/pdf', '%PDF-1.4 not really');
      return send(response, 404, 'text/html', '<title>Not found</title>');
    };
    const answer = () => (options.delayMs ? setTimeout(respond, options.delayMs) : respond());
    const held = options.hold?.(path);
    if (held) void held.then(answer);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const reachable = [
    '/',
    '/missing',
    '/old',
    '/away',
    '/file.pdf',
    ...Array.from({ length: pages }, (_, n) => `/p/${n}`),
    ...(options.moved ? ['/moved', '/moved/'] : []),
  ];
  return {
    origin,
    reachable: reachable.map((path) => `${origin}${path}`),
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(response: http.ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
