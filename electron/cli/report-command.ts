import type { Command } from 'commander';
import { JobStore } from '../engine/store/job-store';
import { REPORTS, iterateReport } from '../engine/results/reports';
import { UserError } from '../engine/user-error';
import { REPORT_NAMES, type ReportName, type ReportValue } from '../../shared/results';
import { DB_OPTION_HELP, wholeNumber } from './options';
import { withDatabase } from './with-database';

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

// eslint-disable-next-line no-control-regex
const TO_ESCAPE = /[\\\u0000-\u001f\u007f-\u009f]/g;

/**
 * One value of a tab-separated row: a tab or line break in a value (a meta
 * robots written over two lines) shifted the columns and split the row, so
 * they are written as `\t`, `\n`, `\r` (and `\` as `\\`), as PostgreSQL's
 * text format and most TSV readers expect. Any other control character is
 * written as `\xHH`: a crawled title holding ESC sequences (`&#27;]0;…`)
 * reached the terminal, which obeyed them (its title, colours, clipboard).
 */
const cell = (value: ReportValue) =>
  value === null ? '-' : String(value).replace(TO_ESCAPE, (char) => ESCAPES[char] ?? hex(char));

const hex = (char: string) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description(`print a report about a job: ${REPORT_NAMES.join(', ')}`)
    .argument('<job-id>', 'job to report on (see `trawl jobs`)', wholeNumber(1))
    .argument('<name>', 'which report')
    .option('--db <file>', DB_OPTION_HELP)
    .option('--json', 'one JSON object per row')
    .action((jobId: number, name: string, options: { db?: string; json?: boolean }) => {
      if (!(REPORT_NAMES as readonly string[]).includes(name)) {
        throw new UserError(`unknown report "${name}" (reports: ${REPORT_NAMES.join(', ')})`);
      }
      const report = name as ReportName;
      return withDatabase(options.db, { mustExist: true }, (db) => {
        new JobStore(db).whole(jobId);
        const { columns, rows } = iterateReport(db, jobId, report);
        if (!options.json) process.stdout.write(`${columns.join('\t')}\n`);
        let count = 0;
        for (const row of rows) {
          count++;
          process.stdout.write(
            options.json
              ? `${JSON.stringify(row)}\n`
              : `${columns.map((column) => cell(row[column] ?? null)).join('\t')}\n`,
          );
        }
        if (!options.json) process.stderr.write(`${count} rows: ${REPORTS[report].title}\n`);
      });
    });
}
