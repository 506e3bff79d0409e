import { describe, expect, it } from 'vitest';
import { engineEnv } from './engine-env';

const env = engineEnv();

/** Wildcards robots-parser matched in time proportional to rule × path, for each rule. */
const RULE = `Disallow: /${'*a'.repeat(10)}*b`;
/** Just under the 500 KB main reads of a robots.txt: all of it is obeyed. */
const ROBOTS_TXT = `User-agent: *\n${`${RULE}\n`.repeat(Math.floor(490_000 / (RULE.length + 1)))}`;
const LONG = 'a'.repeat(1900);

describe('a huge robots.txt of wildcard rules', () => {
  it('is obeyed without stalling the crawl: long URLs are judged by every rule', async () => {
    const paths = Array.from({ length: 30 }, (_, n) => `/${LONG}/${n}`);
    const blocked = Array.from({ length: 5 }, (_, n) => `/${LONG}b/${n}`);
    const origin = await env.listen((request, response) => {
      if (request.url === '/robots.txt') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        return void response.end(ROBOTS_TXT);
      }
      const links = [...paths, ...blocked].map((path) => `<a href="${path}">x</a>`).join('');
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(request.url === '/' ? `<title>home</title>${links}` : '<title>page</title>');
    });
    const job = await env.service().start({ startUrls: [`${origin}/`], workers: 1 });
    const summary = await job.finished;
    expect(summary).toMatchObject({ status: 'finished', blocked: 5 });
    expect(env.storedUrls(job.id)).toEqual(
      [`${origin}/`, ...paths.map((path) => origin + path)].sort(),
    );
  });
});
