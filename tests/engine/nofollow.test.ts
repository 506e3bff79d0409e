import { describe, expect, it } from 'vitest';
import { engineEnv } from './engine-env';

const env = engineEnv();

/** Each page links to a page nothing else links to: `/target-of` + its own path. */
const ROBOTS: Record<string, { meta?: string; header?: string }> = {
  '/meta': { meta: 'nofollow' },
  '/header': { header: 'nofollow' },
  '/header-none': { header: 'none' },
  '/header-other-bot': { header: 'otherbot: nofollow' },
  '/header-preview': { header: 'max-image-preview:none' },
};

async function crawl(honourNofollow: boolean): Promise<string[]> {
  const requested: string[] = [];
  const origin = await env.listen((request, response) => {
    const path = request.url ?? '/';
    requested.push(path);
    const robots = ROBOTS[path];
    response.writeHead(200, {
      'content-type': 'text/html',
      ...(robots?.header ? { 'x-robots-tag': robots.header } : {}),
    });
    if (path.startsWith('/target-of/')) return void response.end('target');
    if (path === '/')
      return void response.end(
        Object.keys(ROBOTS)
          .map((to) => `<a href="${to}">x</a>`)
          .join(''),
      );
    const meta = robots?.meta ? `<meta name="robots" content="${robots.meta}">` : '';
    response.end(`${meta}<a href="/target-of${path}">x</a>`);
  });
  const job = await env
    .service()
    .start({ startUrls: [`${origin}/`], ignoreRobots: true, workers: 1, honourNofollow });
  expect((await job.finished).status).toBe('finished');
  return requested.filter((path) => path.startsWith('/target-of')).sort();
}

describe('nofollow of a whole page', () => {
  it('comes from meta robots or X-Robots-Tag alike, unless --follow-nofollow', async () => {
    expect(await crawl(true)).toEqual(['/target-of/header-other-bot', '/target-of/header-preview']);
    expect(await crawl(false)).toEqual(
      Object.keys(ROBOTS)
        .map((path) => `/target-of${path}`)
        .sort(),
    );
  });
});
