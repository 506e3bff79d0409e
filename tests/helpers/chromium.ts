import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

const CHROMIUM = process.env.TRAWL_CHROMIUM ?? '/usr/bin/chromium';
/** Steps of a crawl take seconds on a busy 2-core machine: generous, never a timing assertion. */
export const STEP_MS = 30_000;

/** Debian's Chromium, headless, and a page in it whose every step may take STEP_MS. */
export async function openChromium(
  options: BrowserContextOptions = {},
): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  const page = await browser.newPage(options);
  page.setDefaultTimeout(STEP_MS);
  return { browser, page };
}
