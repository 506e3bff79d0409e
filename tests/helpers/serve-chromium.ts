import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { openChromium } from './chromium';
import { runCli } from './cli';
import { startFixtureSite, type FixtureOptions, type FixtureSite } from './fixture-site';
import { servePerFile } from './serve';

/**
 * For the tests of an e2e file: `trawl serve` on a fresh database
 * (servePerFile), a fixture site made with `site`, and a Chromium page;
 * with `crawled`, `trawl crawl` has stored the site as job 1 first. Read
 * the fields inside tests.
 */
export function chromiumOnServe(site: FixtureOptions, { crawled = false } = {}) {
  const env = servePerFile();
  let fixture: FixtureSite | undefined;
  let browser: Awaited<ReturnType<typeof openChromium>>['browser'] | undefined;
  let page: Page | undefined;
  const dbFile = () => env.temp.file('serve.sqlite');
  beforeAll(async () => {
    fixture = await startFixtureSite(site);
    if (crawled)
      expect((await runCli(['crawl', `${fixture.origin}/`, '--db', dbFile()])).code).toBe(0);
    ({ browser, page } = await openChromium({ viewport: { width: 1400, height: 1000 } }));
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
  });
  return {
    get serve() {
      return env.serve;
    },
    get site() {
      return fixture!;
    },
    get page() {
      return page!;
    },
    dbFile,
  };
}
