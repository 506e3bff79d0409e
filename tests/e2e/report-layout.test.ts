import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { openChromium } from '../helpers/chromium';
import { storeJob } from '../results/stored-job';
import { servePerFile } from '../helpers/serve';

/**
 * A report's table in Chromium with a value that has no place to break (a
 * 400-letter title): it wraps within its own column, and the other columns
 * keep their values whole instead of being squeezed to a few letters a line.
 * The URL table's headings stay whole too.
 */

const O = 'http://127.0.0.1:9';
const LONG_TITLE = 'T'.repeat(400);

const env = servePerFile((dbFile) => {
  const db = openDatabase(dbFile);
  try {
    storeJob(db, [
      { url: `${O}/`, page: { metaDescription: null, title: LONG_TITLE } },
      { url: `${O}/short`, page: { metaDescription: null, title: 'Short' } },
    ]);
  } finally {
    db.close();
  }
});
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ({ browser, page } = await openChromium({ viewport: { width: 1400, height: 1000 } }));
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

/** How many lines each cell of a report column takes on screen. */
function linesOfColumn(column: number): Promise<number[]> {
  return page
    .getByRole('region', { name: 'Missing descriptions' })
    .locator(`tbody tr td:nth-child(${column})`)
    .evaluateAll((cells) =>
      cells.map((cell) => {
        const range = cell.ownerDocument.createRange();
        range.selectNodeContents(cell);
        return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
      }),
    );
}

describe("the results' tables in Chromium", { timeout: 180_000 }, () => {
  it('wraps the long value in its column and keeps the URLs on one line each', async () => {
    await page.goto(`${env.serve.url}#/jobs/1/results/missing-descriptions`);
    const report = page.getByRole('region', { name: 'Missing descriptions' });
    await report.getByRole('cell', { name: `${O}/short` }).waitFor();
    expect(await linesOfColumn(1)).toEqual([1, 1]);
    const [long, short] = await linesOfColumn(2);
    expect(long).toBeGreaterThan(1);
    expect(short).toBe(1);
    // Wrapped, not widened: the table needs no sideways scrolling.
    const overflow = await page
      .locator('.report-scroller')
      .evaluate((scroller) => scroller.scrollWidth - scroller.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it("shows the URL table's column headings whole", async () => {
    await page.goto(`${env.serve.url}#/jobs/1/results`);
    await page.getByRole('cell', { name: `${O}/short` }).waitFor();
    // Each heading's text within its cell: "Response (ms)" and "Content type" were cut off.
    const cut = await page
      .getByRole('columnheader')
      .evaluateAll((headers) =>
        headers
          .filter((header) => header.scrollWidth > header.clientWidth)
          .map((header) => header.textContent),
      );
    expect(cut).toEqual([]);
    // The Columns button on one line (squeezed, it stood on two or three).
    const columns = await page.locator('.column-chooser summary').evaluate((summary) => {
      const range = summary.ownerDocument.createRange();
      range.selectNodeContents(summary);
      return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
    });
    expect(columns).toBe(1);
  });

  it('keeps the results tools inside a narrow window', async () => {
    await page.setViewportSize({ width: 700, height: 1000 });
    try {
      await page.goto(`${env.serve.url}#/jobs/1/results`);
      await page.getByRole('cell', { name: `${O}/short` }).waitFor();
      // The tools wrap: the page was 100 px wider than a 700 px window.
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await page.setViewportSize({ width: 1400, height: 1000 });
    }
  });
});
