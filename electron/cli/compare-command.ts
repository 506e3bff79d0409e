import type { Command } from 'commander';
import { describeChanges } from '../../shared/compare-changes';
import { compareJobs, iterateComparison } from '../engine/results/compare-jobs';
import { jsonLine } from '../engine/export/text-writers';
import { JobStore } from '../engine/store/job-store';
import { DB_OPTION_HELP, wholeNumber } from './options';
import { notePartialResults } from './partial-results-note';
import { terminalText } from './terminal-text';
import { withDatabase } from './with-database';

export function registerCompareCommand(program: Command): void {
  program
    .command('compare')
    .description(
      'pages added, removed and changed (status, title, canonical, content) between two jobs',
    )
    .argument('<base>', 'the earlier job', wholeNumber(1))
    .argument('<other>', 'the later job', wholeNumber(1))
    .option('--db <file>', DB_OPTION_HELP)
    .option('--json', 'a summary line, then one JSON object per URL that differs')
    .action((base: number, other: number, options: { db?: string; json?: boolean }) =>
      withDatabase(options.db, { mustExist: true }, (db) => {
        const { summary } = compareJobs(db, { base, other, limit: 1 });
        const jobs = new JobStore(db);
        for (const id of new Set([base, other])) notePartialResults(jobs.whole(id));
        if (options.json) process.stdout.write(`${JSON.stringify({ summary })}\n`);
        for (const row of iterateComparison(db, base, other)) {
          if (options.json) {
            process.stdout.write(`${jsonLine(row)}\n`);
            continue;
          }
          const changes = describeChanges(row);
          // JSON.stringify escapes C0 in the values, not DEL or C1 (U+009B, a CSI).
          process.stdout.write(
            terminalText(`${row.change.padEnd(8)} ${row.url}${changes ? `  ${changes}` : ''}`) +
              '\n',
          );
        }
        if (!options.json) {
          process.stderr.write(
            `${summary.added} added, ${summary.removed} removed, ${summary.changed} changed, ${summary.unchanged} unchanged\n`,
          );
        }
      }),
    );
}
