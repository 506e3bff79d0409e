import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeEach, describe, expect, it } from 'vitest';
import { ChildProcessLauncher } from '../../electron/engine/child-process-launcher';
import { ResultsClient } from '../../electron/engine/results/results-client';
import { ExportRuns } from '../../electron/engine/export/export-runs';
import { CrawlerHost } from '../../electron/serve/crawler-host';
import type { JobStartInput } from '../../shared/crawler-api';
import { parseExtractionSpec } from '../../shared/extraction';
import { previewExtraction } from '../../electron/engine/extraction-preview';
import { jobSettingsSchema } from '../../shared/job-settings';
import { engineEnv } from './engine-env';

/**
 * "Test on a URL": CrawlerHost.previewExtraction against real pages on
 * 127.0.0.1, with a real one-off worker process.
 */

const TOKEN = `Basic ${Buffer.from('ann:s3cret').toString('base64')}`;
const PAGE = `<!doctype html><title>Bugs</title>
<ul><li class="bug">Crash on &lt;start&gt;</li><li class="bug">Slow export</li></ul>
<p>Open bugs: 42</p><a class="next" href="/bugs?page=2">next</a>`;

const env = engineEnv();
let host: CrawlerHost;
let origin: string;
let seen: http.IncomingHttpHeaders[];

beforeEach(async () => {
  const results = new ResultsClient(env.dbFile, () => undefined);
  env.onCleanup(() => results.close());
  host = new CrawlerHost({
    db: env.db,
    launcher: new ChildProcessLauncher(),
    version: 'test',
    results,
    exportJob: () => Promise.reject(new Error('not in this test')),
    exports: new ExportRuns(),
  });
  seen = [];
  origin = await env.listen((request, response) => {
    seen.push(request.headers);
    if (request.headers.authorization !== TOKEN) {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="bugs"' });
      return response.end();
    }
    if (request.url === '/old') {
      response.writeHead(301, { location: '/bugs' });
      return response.end();
    }
    if (request.url === '/hostile') {
      response.writeHead(200, { 'content-type': 'text/html' });
      return response.end(`<title>${'a'.repeat(40)}!</title>`);
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(PAGE);
  });
});

/** Rules as the form sends them (the host validates them). */
const rules = (...specs: string[]) =>
  specs.map(parseExtractionSpec) as unknown as NonNullable<JobStartInput['extract']>;

describe('extraction preview', () => {
  it("fetches with the form's settings and shows each rule's values as text", async () => {
    const preview = await host.previewExtraction({
      url: `${origin}/old`,
      settings: {
        startUrls: [],
        userAgent: 'PreviewBot/1.0',
        headers: { 'x-team': 'bugs' },
        basicAuth: [{ host: new URL(origin).host, username: 'ann', password: 's3cret' }],
        extract: rules(
          'bugs[]=css:li.bug',
          'open=regex:Open bugs: (\\d+)',
          'next=css:a.next@href',
          'missing=css:.nothing',
        ),
      },
    });
    expect(preview).toEqual({
      finalUrl: `${origin}/bugs`,
      status: 200,
      contentType: 'text/html; charset=utf-8',
      html: true,
      values: [
        { name: 'bugs', value: ['Crash on <start>', 'Slow export'] },
        { name: 'open', value: '42' },
        { name: 'next', value: '/bugs?page=2' },
        { name: 'missing', value: null },
      ],
    });
    expect(seen).toHaveLength(2);
    for (const headers of seen) {
      expect(headers).toMatchObject({ 'user-agent': 'PreviewBot/1.0', 'x-team': 'bugs' });
    }
  }, 60_000);

  it('says clearly why a URL cannot be tested', async () => {
    const settings = { startUrls: [], extract: rules('title=css:title') };
    await expect(host.previewExtraction({ url: 'ftp://example.com/', settings })).rejects.toThrow(
      '"ftp://example.com/" is not an absolute http(s) URL',
    );
    await expect(
      host.previewExtraction({ url: `${origin}/`, settings: { startUrls: [] } }),
    ).rejects.toThrow('add an extraction rule to test');
    await expect(
      host.previewExtraction({
        url: `${origin}/`,
        settings: { ...settings, extract: rules('bad=regex:(unclosed') },
      }),
    ).rejects.toThrow(/rule "bad": bad regular expression/);
    // Closed port: the fetch error, in words.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(
      host.previewExtraction({ url: `http://127.0.0.1:${port}/`, settings }),
    ).rejects.toThrow(new RegExp(`could not fetch http://127.0.0.1:${port}/: .*ECONNREFUSED`));
  }, 60_000);

  it('kills the worker of a rule that hangs on a hostile page, and says so', async () => {
    const settings = jobSettingsSchema.parse({
      startUrls: [`${origin}/hostile`],
      workers: 1,
      basicAuth: [{ host: new URL(origin).host, username: 'ann', password: 's3cret' }],
      // Catastrophic backtracking on forty a's and no trailing b.
      extract: rules('slow=regex:(a+)+b'),
    });
    await expect(
      previewExtraction(new ChildProcessLauncher(), settings, `${origin}/hostile`, 8_000),
    ).rejects.toThrow(/no answer within 8 s/);
    expect(seen).toHaveLength(1);
  }, 60_000);
});
