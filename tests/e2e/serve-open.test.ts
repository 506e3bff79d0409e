import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChromium } from '../helpers/chromium';
import { listenLocal, type LocalServer } from '../helpers/local-server';
import { expectNoSurvivors, tagProcesses, waitFor } from '../helpers/processes';
import { startServe, type ServeProcess } from '../helpers/serve';
import { tempDir } from '../helpers/temp-db';

/**
 * `trawl serve --open` and links from elsewhere, in Chromium: the token
 * never goes on a command line other users can read, and a navigation that
 * another site or a file starts still ends on the UI.
 */

let temp: ReturnType<typeof tempDir>;
let serve: ServeProcess;
let browser: Browser;
let page: Page;
let elsewhere: LocalServer;
let tag: string;
/** What the stand-in opener was given, one argument a line. */
let openerLog: string;

beforeAll(async () => {
  tag = tagProcesses();
  temp = tempDir();
  openerLog = temp.file('opened.txt');
  // The opener `trawl serve --open` runs on Linux, first on PATH: it only writes down its arguments.
  const opener = temp.file('xdg-open');
  writeFileSync(opener, `#!/bin/sh\nprintf '%s\\n' "$@" > '${openerLog}'\n`);
  chmodSync(opener, 0o755);
  serve = await startServe(['--db', temp.file('serve.sqlite'), '--open'], {
    PATH: `${temp.dir}:${process.env.PATH}`,
  });
  ({ browser, page } = await openChromium());
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await elsewhere?.close();
  if (serve?.child.exitCode === null) await serve.stop();
  await expectNoSurvivors(tag, 10_000);
  temp?.cleanup();
});

const opened = () =>
  waitFor(() => existsSync(openerLog) && readFileSync(openerLog, 'utf8'), 'the opener to run');

/** The jobs screen, at the served origin, with no token left in the address. */
async function expectTheUi(): Promise<void> {
  await page.getByRole('heading', { name: 'Jobs' }).waitFor();
  expect(page.url()).toBe(`${serve.origin}/#/jobs`);
}

describe('trawl serve --open', { timeout: 120_000 }, () => {
  it('gives the opener a file only its owner can read, never the URL with the token', async () => {
    const args = (await opened()).trimEnd().split('\n');
    expect(args).toHaveLength(1);
    const file = args[0]!;
    expect(file).not.toContain(serve.token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).toContain(serve.url);
  });

  it('the file opens the UI in the browser', async () => {
    const file = (await opened()).trimEnd();
    await page.goto(pathToFileURL(file).href);
    await expectTheUi();
  });

  it('removes the file when serving ends', async () => {
    const file = (await opened()).trimEnd();
    expect(existsSync(file)).toBe(true);
    expect((await serve.stop()).code).toBe(0);
    expect(existsSync(dirname(file))).toBe(false);
  });
});

describe('trawl serve: the printed URL linked from another site', { timeout: 120_000 }, () => {
  it('opens the UI (a cross-site navigation never carried the cookie: 401)', async () => {
    const fresh = await startServe(['--db', temp.file('linked.sqlite')]);
    serve = fresh;
    // localhost is another site than 127.0.0.1, where trawl serve prints its URL.
    elsewhere = await listenLocal((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<a href="${fresh.url}">Trawl</a>`);
    });
    await page.goto(`http://localhost:${elsewhere.port}/`);
    await page.getByRole('link', { name: 'Trawl' }).click();
    await expectTheUi();
    expect((await fresh.stop()).code).toBe(0);
  });
});
