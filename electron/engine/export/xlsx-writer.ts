import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ExportTable } from './export-rows';

/** Excel's limits: 1,048,576 rows a sheet (one is the header) and 32,767 characters a cell. */
const ROWS_PER_SHEET = 1_048_575;
const MAX_CELL_CHARS = 32_767;

/**
 * XLSX through exceljs's streaming WorkbookWriter: each row is committed
 * (serialized to the zip) as it is added, so memory stays flat. Tables
 * longer than a sheet continue on sheets named "rows 2", "rows 3"...
 */
export async function writeXlsx(table: ExportTable, out: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: false,
  });
  const columns = table.columns.map((name) => ({ header: name, key: name }));
  let sheet = workbook.addWorksheet('rows');
  sheet.columns = columns;
  let inSheet = 0;
  let sheets = 1;
  for (const row of table.rows) {
    if (inSheet === ROWS_PER_SHEET) {
      sheet.commit();
      sheet = workbook.addWorksheet(`rows ${++sheets}`);
      sheet.columns = columns;
      inSheet = 0;
    }
    const cells: Record<string, unknown> = {};
    for (const name of table.columns) {
      const value = row[name];
      cells[name] =
        typeof value === 'string' && value.length > MAX_CELL_CHARS
          ? value.slice(0, MAX_CELL_CHARS)
          : value;
    }
    sheet.addRow(cells).commit();
    inSheet++;
    // The writer has no backpressure of its own: let the zip stream drain now and then.
    if (inSheet % 1000 === 0) await yieldToEventLoop();
  }
  sheet.commit();
  await workbook.commit();
}
