import { describe, expect, it } from 'vitest';
import { engineEnv } from './engine-env';

const env = engineEnv();

// Labels the Encoding Standard maps to its "replacement" encoding.
const LABELS = ['iso-2022-kr', 'csiso2022kr', 'hz-gb-2312', 'iso-2022-cn', 'iso-2022-cn-ext'];
const BODY = '<title>hidden</title><a href="/behind">behind</a>';

describe('pages in the "replacement" encoding', () => {
  it('are stored as a browser sees them: one U+FFFD, no title, no links followed', async () => {
    const requested: string[] = [];
    const origin = await env.listen((request, response) => {
      const path = request.url ?? '/';
      requested.push(path);
      if (path === '/') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return void response.end(LABELS.map((label) => `<a href="/${label}">x</a>`).join(''));
      }
      response.writeHead(200, { 'content-type': `text/html; charset=${path.slice(1)}` });
      response.end(BODY);
    });
    const job = await env.service().start({
      startUrls: [`${origin}/`],
      ignoreRobots: true,
      workers: 1,
    });
    const summary = await job.finished;
    expect(summary.status).toBe('finished');
    expect(summary.failed).toBe(0);

    const pages = env.db
      .prepare(
        `SELECT url, status, bytes, charset, title, link_count AS linkCount,
                json_extract(headers, '$."content-type"') AS contentType
         FROM pages WHERE job_id = ? AND url != ? ORDER BY url`,
      )
      .all(job.id, `${origin}/`);
    expect(pages).toEqual(
      LABELS.toSorted().map((label) => ({
        url: `${origin}/${label}`,
        status: 200,
        bytes: BODY.length,
        charset: 'replacement',
        title: null,
        linkCount: 0,
        contentType: `text/html; charset=${label}`,
      })),
    );
    // A browser sees no link in these pages, so neither does the crawl.
    expect(requested).not.toContain('/behind');
  });
});
