import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobSettingsInput } from '../../shared/job-settings';
import { engineEnv } from './engine-env';

/** A server that answers raw bytes, so a response can break HTTP in ways Node's server never would. */

const env = engineEnv();
const servers: net.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

const page = (body: string) =>
  `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

const RESPONSES: Record<string, string> = {
  '/': page('<title>Home</title><a href="/bad-chunk">x</a><a href="/ok">y</a>'),
  // The first chunk's size is not hexadecimal; the connection is kept open.
  '/bad-chunk':
    'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n',
  '/ok': page('<title>Ok</title>'),
};

/** Serves `responses` by path; one whose path is in `closing`, the server closes after it. */
async function rawSite(responses = RESPONSES, closing: string[] = []): Promise<string> {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.on('data', (request) => {
      const path = /^GET (\S+)/.exec(request.toString('latin1'))?.[1] ?? '/';
      socket.write(responses[path] ?? 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      if (closing.includes(path)) socket.end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

/** A crawl of `origin` from its home page, with one worker and no retries unless `settings` say, to the end. */
const crawl = async (origin: string, settings: Partial<JobSettingsInput> = {}) =>
  (
    await env.service().start({
      startUrls: [`${origin}/`],
      workers: 1,
      retries: 0,
      ignoreRobots: true,
      ...settings,
    })
  ).finished;

describe('a response whose body breaks HTTP', () => {
  it('fails its URL with the reason, and the job goes on and ends', async () => {
    const origin = await rawSite();
    const summary = await crawl(origin);
    expect(summary).toMatchObject({ status: 'finished', pages: 2, failed: 1 });
    expect(env.db.prepare('SELECT url, error FROM frontier WHERE state = 3').all()).toEqual([
      { url: `${origin}/bad-chunk`, error: expect.stringMatching(/chunk size/i) },
    ]);
  }, 30_000);

  it('keeps a page whose body runs past its Content-Length, cut where the length says, as browsers do', async () => {
    const kept = '<title>Long</title><a href="/ok">y</a>';
    const origin = await rawSite({
      '/': page('<title>Home</title><a href="/long">x</a>'),
      // A stray newline and more after the declared length, on a kept-alive connection.
      '/long': `${page(kept)}\n<a href="/beyond">z</a>`,
      '/ok': page('<title>Ok</title>'),
      '/beyond': page('<title>Beyond</title>'),
    });
    const summary = await crawl(origin);
    expect(summary).toMatchObject({ status: 'finished', pages: 3, failed: 0 });
    expect(env.db.prepare('SELECT url, status, title, bytes FROM pages ORDER BY id').all()).toEqual(
      [
        { url: `${origin}/`, status: 200, title: 'Home', bytes: expect.any(Number) },
        { url: `${origin}/long`, status: 200, title: 'Long', bytes: kept.length },
        { url: `${origin}/ok`, status: 200, title: 'Ok', bytes: expect.any(Number) },
      ],
    );
    // Read leniently only after Node's parser refused it (the lenient path slows every request).
    expect(
      env.db
        .prepare('SELECT attempts, retry_reasons AS reasons FROM pages WHERE url = ?')
        .get(`${origin}/long`),
    ).toEqual({ attempts: 2, reasons: expect.stringMatching(/^\["HPE_INVALID_CONSTANT: /) });
    expect(env.db.prepare('SELECT attempts FROM pages WHERE url = ?').get(`${origin}/`)).toEqual({
      attempts: 1,
    });
  }, 30_000);

  it('fails a body cut short with the bytes it got and the bytes announced, and retries it', async () => {
    const origin = await rawSite(
      {
        '/': page('<title>Home</title><a href="/cut">x</a><a href="/cut-chunked">y</a>'),
        '/cut': `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100\r\n\r\n${'a'.repeat(40)}`,
        '/cut-chunked':
          'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n',
      },
      ['/cut', '/cut-chunked'],
    );
    const summary = await crawl(origin, { retries: 1, retryBaseDelayMs: 0 });
    expect(summary).toMatchObject({ status: 'finished', pages: 1, failed: 2 });
    const failed = env.db.prepare('SELECT url, attempts, error FROM frontier WHERE state = 3');
    const cut =
      'ECONNRESET: the connection closed after 40 of the 100 bytes its Content-Length announced';
    const chunked = 'ECONNRESET: the connection closed after 5 bytes, before the body was complete';
    expect(failed.all()).toEqual([
      { url: `${origin}/cut`, attempts: 2, error: `${cut} (after 2 attempts: ${cut})` },
      {
        url: `${origin}/cut-chunked`,
        attempts: 2,
        error: `${chunked} (after 2 attempts: ${chunked})`,
      },
    ]);
  }, 30_000);

  it('fails a server that never answers, or answers too slowly, naming the timeout to raise', async () => {
    const origin = await rawSite({
      '/': page('<title>Home</title><a href="/silent">x</a><a href="/trickle">y</a>'),
      // Takes the request, never answers.
      '/silent': '',
      // Headers, then a body that never ends.
      '/trickle': 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100\r\n\r\n<p>',
    });
    const summary = await crawl(origin, { firstByteTimeoutMs: 300, timeoutMs: 1000 });
    expect(summary).toMatchObject({ status: 'finished', pages: 1, failed: 2 });
    expect(env.db.prepare('SELECT url, error FROM frontier WHERE state = 3').all()).toEqual([
      {
        url: `${origin}/silent`,
        error: "ETIMEDOUT: Timeout awaiting 'response' for 300ms (firstByteTimeoutMs)",
      },
      {
        url: `${origin}/trickle`,
        error: "ETIMEDOUT: Timeout awaiting 'request' for 1000ms (timeoutMs)",
      },
    ]);
  }, 30_000);
});
