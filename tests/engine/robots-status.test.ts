import { describe, expect, it } from 'vitest';
import { engineEnv } from './engine-env';

const env = engineEnv();

describe('a robots.txt that answers an error', () => {
  it.each([
    [503, true],
    // Too Many Requests: the server is overloaded, not without a robots.txt.
    [429, true],
    [404, false],
  ])('HTTP %i: everything is allowed; a warning: %s', async (status, warned) => {
    const requested: string[] = [];
    const origin = await env.listen((request, response) => {
      requested.push(request.url ?? '/');
      if (request.url === '/robots.txt') {
        // The body is an error page, not rules: it must not be read as robots.txt.
        response.writeHead(status, { 'content-type': 'text/plain' });
        return void response.end('User-agent: *\nDisallow: /private/\n');
      }
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<a href="/private/page">private</a>');
    });
    const job = await env.service().start({ startUrls: [`${origin}/`], workers: 1 });
    expect((await job.finished).status).toBe('finished');

    expect(requested).toContain('/private/page');
    const warning = `warn: ${origin}/robots.txt answered ${status}; crawling as if it allowed everything`;
    expect(env.logs.includes(warning)).toBe(warned);
  });
});
