import { Zip, ZipDeflate, ZipPassThrough, strToU8 } from 'fflate';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { ReportValue } from '../../../shared/results';
import type { ExportTable } from './export-rows';

/** Excel's limits: 1,048,576 rows a sheet (one is the header) and 32,767 characters a cell. */
const ROWS_PER_SHEET = 1_048_575;
const MAX_CELL_CHARS = 32_767;
/** Rows of sheet XML compressed and written before checking the output for backpressure. */
const ROWS_PER_CHUNK = 500;

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** XML text, escaped. */
const xmlText = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A, B, … Z, AA, AB, … */
function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/** Excel's most characters a cell; never half an emoji (a lone surrogate became U+FFFD). */
function cutCell(value: string): string {
  const end = MAX_CELL_CHARS;
  const last = value.charCodeAt(end - 1);
  return value.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end);
}

/**
 * Cell text as Excel reads it (OOXML ST_Xstring): a character XML 1.0 cannot hold (a
 * control character, U+FFFE, U+FFFF) is written `_xHHHH_`, which Excel reads
 * back as that character, so no text is lost. A literal `_x` and four hex digits is
 * read the same way, so its underscore is written `_x005F_` (also when the next
 * character becomes an escape: `_x0041` then U+0001 would read as `A`).
 */
const cellText = (text: string) =>
  // eslint-disable-next-line no-control-regex
  text.replace(/_(?=x[0-9A-Fa-f]{4})|[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (c) =>
    c === '_' ? '_x005F_' : `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`,
  );

function cellXml(ref: string, value: ReportValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return `<c r="${ref}"><v>${value}</v></c>`;
  if (typeof value === 'boolean') return `<c r="${ref}" t="b"><v>${value ? 1 : 0}</v></c>`;
  const text = xmlText(cellText(value.length > MAX_CELL_CHARS ? cutCell(value) : value));
  return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${text}</t></is></c>`;
}

function rowXml(
  number: number,
  letters: readonly string[],
  values: readonly ReportValue[],
): string {
  const cells = values.map((value, index) => cellXml(`${letters[index]}${number}`, value)).join('');
  return `<row r="${number}">${cells}</row>`;
}

/**
 * XLSX (Office Open XML) written row by row into a streamed zip (fflate):
 * strings inline, no shared-string table or styles, so nothing grows with
 * the row count. Output is written with backpressure. Tables longer than a
 * sheet continue on sheets named "rows 2", "rows 3"…
 */
export async function writeXlsx(table: ExportTable, out: Writable): Promise<void> {
  let failure: Error | null = null;
  const zip = new Zip((error, chunk, final) => {
    if (error) failure = error;
    else if (chunk.length > 0) out.write(chunk);
    if (final) out.end();
  });
  const addFile = (name: string, text: string) => {
    const file = new ZipPassThrough(name);
    zip.add(file);
    file.push(strToU8(text), true);
  };
  const drained = async () => {
    if (failure) throw failure;
    if (out.writableNeedDrain) await once(out, 'drain');
  };

  const letters = table.columns.map((_, index) => columnLetters(index));
  const header = rowXml(1, letters, table.columns);
  let sheets = 0;
  let sheet: ZipDeflate | null = null;
  let inSheet = 0;
  let chunk: string[] = [];
  const flush = async (final: boolean) => {
    sheet!.push(strToU8(chunk.join('')), final);
    chunk = [];
    await drained();
  };
  const openSheet = () => {
    sheet = new ZipDeflate(`xl/worksheets/sheet${++sheets}.xml`, { level: 6 });
    zip.add(sheet);
    chunk.push(`${XML_HEAD}<worksheet xmlns="${MAIN_NS}"><sheetData>`, header);
    inSheet = 0;
  };
  const closeSheet = () => {
    chunk.push('</sheetData></worksheet>');
    return flush(true);
  };

  openSheet();
  for (const row of table.rows) {
    if (inSheet === ROWS_PER_SHEET) {
      await closeSheet();
      openSheet();
    }
    inSheet++;
    chunk.push(
      rowXml(
        inSheet + 1,
        letters,
        table.columns.map((column) => row[column] ?? null),
      ),
    );
    if (chunk.length >= ROWS_PER_CHUNK) await flush(false);
  }
  await closeSheet();

  const names = Array.from({ length: sheets }, (_, n) => (n === 0 ? 'rows' : `rows ${n + 1}`));
  addFile(
    '[Content_Types].xml',
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      names
        .map(
          (_, n) =>
            `<Override PartName="/xl/worksheets/sheet${n + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
        )
        .join('') +
      '</Types>',
  );
  addFile(
    '_rels/.rels',
    `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  addFile(
    'xl/workbook.xml',
    `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>` +
      names
        .map((name, n) => `<sheet name="${name}" sheetId="${n + 1}" r:id="rId${n + 1}"/>`)
        .join('') +
      '</sheets></workbook>',
  );
  addFile(
    'xl/_rels/workbook.xml.rels',
    `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">` +
      names
        .map(
          (_, n) =>
            `<Relationship Id="rId${n + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${n + 1}.xml"/>`,
        )
        .join('') +
      '</Relationships>',
  );
  zip.end();
  if (failure) throw failure;
  if (!out.writableFinished) await once(out, 'finish');
}
