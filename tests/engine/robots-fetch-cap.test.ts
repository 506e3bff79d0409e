import { describe, expect, it } from 'vitest';
import { engineEnv } from './engine-env';

const env = engineEnv();

describe('robots.txt of a list of many hosts', () => {
  it('is read at most 64 files at a time, every host still judged by its own', async () => {
    let open = 0;
    let most = 0;
    const origins = await Promise.all(
      Array.from({ length: 100 }, () =>
        env.listen((request, response) => {
          if (request.url !== '/robots.txt') {
            response.writeHead(200, { 'content-type': 'text/html' });
            return void response.end('<title>page</title>');
          }
          open++;
          most = Math.max(most, open);
          setTimeout(() => {
            open--;
            response.writeHead(200, { 'content-type': 'text/plain' });
            response.end('User-agent: *\nDisallow: /private\n');
          }, 300);
        }),
      ),
    );
    const urls = origins.flatMap((origin) => [`${origin}/page`, `${origin}/private`]);
    const job = await env.service().start({ startUrls: urls, mode: 'list', workers: 1 });
    const summary = await job.finished;
    expect(summary).toMatchObject({ status: 'finished', pages: 100, blocked: 100 });
    expect(most).toBe(64);
  });
});
