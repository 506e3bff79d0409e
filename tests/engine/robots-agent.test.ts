import { describe, expect, it } from 'vitest';
import type { JobSettingsInput } from '../../shared/job-settings';
import { engineEnv } from './engine-env';

const env = engineEnv();

const ROBOTS_TXT = [
  'User-agent: Googlebot',
  'Disallow: /nogoogle/',
  '',
  'User-agent: MyBot',
  'Disallow: /nomybot/',
  '',
  'User-agent: Trawl',
  'Disallow: /notrawl/',
  '',
  'User-agent: *',
  'Disallow: /noall/',
].join('\n');

const FOLDERS = ['nogoogle', 'nomybot', 'notrawl', 'noall'];
const CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** Crawls a site whose robots.txt has a group per crawler; returns the paths it blocked and the ones it requested. */
async function crawl(settings: Partial<JobSettingsInput>) {
  const requested: string[] = [];
  const origin = await env.listen((request, response) => {
    const path = request.url ?? '/';
    requested.push(path);
    if (path === '/robots.txt') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      return void response.end(ROBOTS_TXT);
    }
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(
      path === '/' ? FOLDERS.map((folder) => `<a href="/${folder}/">${folder}</a>`).join('') : '',
    );
  });
  const job = await env.service().start({ startUrls: [`${origin}/`], workers: 1, ...settings });
  expect((await job.finished).status).toBe('finished');
  const blocked = env.db
    .prepare('SELECT url FROM frontier WHERE job_id = ? AND state = 4 ORDER BY url')
    .all(job.id)
    .map((row) => new URL((row as { url: string }).url).pathname);
  return { blocked, requested };
}

describe('robots.txt groups are matched by the product token', () => {
  it.each([
    [
      'Googlebot dressed as a browser',
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      '/nogoogle/',
    ],
    ['a bot with a URL and no version', 'MyBot (+https://example.com/bot)', '/nomybot/'],
    ['Trawl (the default User-Agent)', undefined, '/notrawl/'],
    ['a crawler with no group of its own', 'OtherBot/3.0 (+https://other.test/)', '/noall/'],
  ])('%s', async (_, userAgent, disallowed) => {
    const { blocked, requested } = await crawl({ userAgent });
    expect(blocked).toEqual([disallowed]);
    expect(requested).not.toContain(disallowed);
    // The `*` group is not the crawler's when it has one of its own.
    for (const folder of FOLDERS.map((name) => `/${name}/`).filter((p) => p !== disallowed))
      expect(requested).toContain(folder);
  });

  it('takes the token from a User-Agent header, which is what requests carry', async () => {
    const { blocked } = await crawl({
      headers: { 'user-agent': 'Mozilla/5.0 (compatible; MyBot/1.0)' },
    });
    expect(blocked).toEqual(['/nomybot/']);
  });

  it('obeys the group robotsUserAgent names, whatever the User-Agent', async () => {
    const { blocked, requested } = await crawl({ userAgent: CHROME, robotsUserAgent: 'Googlebot' });
    expect(blocked).toEqual(['/nogoogle/']);
    expect(requested).toContain('/noall/');
  });
});
