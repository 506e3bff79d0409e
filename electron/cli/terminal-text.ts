import { StringDecoder } from 'node:string_decoder';
import { Transform } from 'node:stream';

const NAMED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/* eslint-disable no-control-regex */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const CONTROL_OR_BACKSLASH = /[\\\u0000-\u001f\u007f-\u009f]/g;
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
/* eslint-enable no-control-regex */

const escape = (char: string) =>
  NAMED[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;

/**
 * Text a crawled site wrote, safe to print on a terminal: every control
 * character (C0, DEL and C1) as `\t`, `\n`, `\r` or `\xHH`. A title holding
 * ESC or CSI sequences (`&#27;]0;…`) reached the terminal raw, which obeyed
 * them (its title, colours, in some terminals the clipboard).
 */
export const terminalText = (text: string): string => text.replace(CONTROL, escape);

/**
 * The same for one value of a tab-separated row, where `\` is written `\\`
 * too, so a reader can undo the escapes (PostgreSQL's text format, most TSV
 * readers): a tab or line break in a value shifted the columns.
 */
export const tsvValue = (text: string): string => text.replace(CONTROL_OR_BACKSLASH, escape);

/**
 * A stream of rows (CSV, JSON, XML) on its way to a terminal: every control
 * character but tab and line breaks written as `\xHH`, so an export read on
 * screen is as safe as a report. Only for a terminal: a file or a pipe gets
 * the exported bytes as they are.
 */
export function terminalStream(): Transform {
  const decoder = new StringDecoder('utf8');
  const safe = (text: string) => text.replace(CONTROL_BUT_LINE_BREAKS, escape);
  return new Transform({
    transform: (chunk: Buffer, _encoding, done) => done(null, safe(decoder.write(chunk))),
    flush: (done) => done(null, safe(decoder.end())),
  });
}
