import { describe, expect, it } from 'vitest';
import { engineEnv } from './engine-env';

const env = engineEnv();

describe("the dashboard's recent errors", () => {
  it('list what a user counts as an error: failures, 4xx and 5xx answers, broken external links', async () => {
    const elsewhere = await env.listen((_request, response) => response.writeHead(404).end());
    const origin = await env.listen((request, response) => {
      const page = (body: string) =>
        response.writeHead(200, { 'content-type': 'text/html' }).end(body);
      switch (request.url) {
        case '/robots.txt':
          return void response.writeHead(200).end('User-agent: *\nDisallow: /private\n');
        case '/':
          return void page(
            ['/missing', '/broken', '/moved', '/reset', '/private', '/fine', `${elsewhere}/gone`]
              .map((href) => `<a href="${href}">link</a>`)
              .join(''),
          );
        case '/fine':
          return void page('fine');
        case '/broken':
          return void response.writeHead(503).end();
        case '/moved':
          return void response.writeHead(301, { location: '/missing-too' }).end();
        case '/reset':
          return void request.socket.destroy();
        default:
          return void response.writeHead(404).end();
      }
    });
    const job = await env
      .service()
      .start({ startUrls: [`${origin}/`], workers: 1, retries: 0, checkExternal: true });
    expect(await job.finished).toMatchObject({ status: 'finished', blocked: 1, failed: 1 });

    const errors = job.snapshot().recentErrors.map(({ url, error }) => ({ url, error }));
    expect(errors).toHaveLength(5);
    expect(errors).toEqual(
      expect.arrayContaining([
        { url: `${origin}/missing`, error: 'HTTP 404 Not Found' },
        { url: `${origin}/broken`, error: 'HTTP 503 Service Unavailable' },
        {
          url: `${origin}/moved`,
          error: `redirects to ${origin}/missing-too, which answers HTTP 404 Not Found`,
        },
        { url: `${origin}/reset`, error: expect.stringContaining('socket hang up') },
        { url: `${elsewhere}/gone`, error: 'external link: HTTP 404 Not Found' },
      ]),
    );
  });
});
