import { describe, expect, it } from 'vitest';
import { chromiumOnServe } from '../helpers/serve-chromium';

/** The URL table with the keyboard only, in Chromium against trawl serve. */

const ui = chromiumOnServe({ pages: 120 }, { crawled: true });

/** The focused element: `row N` (its aria-rowindex) for a row of the table, else its tag. */
const focused = () =>
  ui.page.evaluate(
    `document.activeElement.getAttribute('role') === 'row'
      ? 'row ' + document.activeElement.getAttribute('aria-rowindex')
      : document.activeElement.tagName`,
  );

/** Shows the URL table of job 1 with its first row focused by Tab from the last heading. */
async function focusFirstRow() {
  await ui.page.goto(`${ui.serve.url}#/jobs/1/results`);
  await expect.poll(() => ui.page.getByTestId('result-row').count()).toBeGreaterThan(30);
  await ui.page.getByRole('button', { name: 'Size', exact: true }).focus();
  await ui.page.keyboard.press('Tab');
  expect(await focused()).toBe('row 2'); // row 1 is the header
}

describe('the URL table with the keyboard', { timeout: 180_000 }, () => {
  it('gives the focus back to the row whose page detail Escape closed', async () => {
    await focusFirstRow();
    const url = (await ui.page.locator(':focus').innerText()).split(/\s/)[0]!;
    await ui.page.keyboard.press('Enter');
    await ui.page.getByRole('dialog', { name: url }).waitFor();
    expect(await focused()).toBe('BUTTON'); // Close page detail
    await ui.page.keyboard.press('Escape');
    await ui.page.getByRole('dialog').waitFor({ state: 'detached' });
    // It fell to the page's body, and the next Tab started again at the top.
    expect(await focused()).toBe('row 2');
  });

  it('is one Tab stop, whose rows the arrow keys move through', async () => {
    await focusFirstRow();
    // The next Tab leaves the table: it went through every row, and more came as it scrolled.
    await ui.page.keyboard.press('Tab');
    expect(await focused()).not.toMatch(/^row/);
    await ui.page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('row 2');

    for (let step = 0; step < 3; step++) await ui.page.keyboard.press('ArrowDown');
    await ui.page.keyboard.press('ArrowUp');
    expect(await focused()).toBe('row 4');
    // Tab comes back to the row last used, not to the first.
    await ui.page.keyboard.press('Tab');
    await ui.page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('row 4');
    // Far down the table, past the rows first rendered and fetched.
    for (let step = 0; step < 60; step++) await ui.page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('row 64');
  });

  it('gives the focus back to Export… when the export dialog closes', async () => {
    await focusFirstRow();
    const exportButton = ui.page.getByRole('button', { name: 'Export…' });
    for (const close of ['Escape', 'Close']) {
      await exportButton.focus();
      await ui.page.keyboard.press('Enter');
      const dialog = ui.page.getByRole('dialog', { name: /^Export/ });
      await dialog.waitFor();
      if (close === 'Escape') await ui.page.keyboard.press('Escape');
      else await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });
      // It fell to the page's body.
      expect(await ui.page.evaluate('document.activeElement.textContent')).toBe('Export…');
    }
  });
});
