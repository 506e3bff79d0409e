import type { Command } from 'commander';
import { JobStore } from '../engine/store/job-store';
import { jsonLine } from '../engine/export/text-writers';
import { REPORTS, iterateReport } from '../engine/results/reports';
import { UserError } from '../engine/user-error';
import { REPORT_NAMES, type ReportName, type ReportValue } from '../../shared/results';
import { DB_OPTION_HELP, wholeNumber } from './options';
import { notePartialResults } from './partial-results-note';
import { tsvValue } from './terminal-text';
import { withDatabase } from './with-database';

/** One value of a report row on a terminal (see tsvValue). */
const cell = (value: ReportValue) => (value === null ? '-' : tsvValue(String(value)));

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
        notePartialResults(new JobStore(db).whole(jobId));
        const { columns, rows } = iterateReport(db, jobId, report);
        if (!options.json) process.stdout.write(`${columns.join('\t')}\n`);
        let count = 0;
        for (const row of rows) {
          count++;
          process.stdout.write(
            options.json
              ? `${jsonLine(row)}\n`
              : `${columns.map((column) => cell(row[column] ?? null)).join('\t')}\n`,
          );
        }
        if (!options.json) process.stderr.write(`${count} rows: ${REPORTS[report].title}\n`);
      });
    });
}
