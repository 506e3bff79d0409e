import type { Command } from 'commander';
import { openDatabase } from '../engine/store/database';
import { JobStore } from '../engine/store/job-store';
import { DB_OPTION_HELP, databasePath } from './options';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function registerJobsCommand(program: Command): void {
  program
    .command('jobs')
    .description('list the jobs in a database')
    .option('--db <file>', DB_OPTION_HELP)
    .option('--json', 'one JSON object per line')
    .action((options: { db?: string; json?: boolean }) => {
      const db = openDatabase(databasePath(options.db), { mustExist: true });
      try {
        const jobs = new JobStore(db).list();
        for (const job of jobs) {
          const row = {
            id: job.id,
            status: job.status,
            pages: job.pages,
            startedAt: iso(job.startedAt),
            finishedAt: iso(job.finishedAt),
          };
          if (options.json) {
            process.stdout.write(
              `${JSON.stringify({ ...row, name: job.name, failed: job.failed })}\n`,
            );
          } else {
            process.stdout.write(
              `${String(job.id).padStart(4)}  ${job.status.padEnd(9)} ${String(job.pages).padStart(8)} pages  ` +
                `${row.startedAt ?? '-'}  ${job.name}\n`,
            );
          }
        }
        if (!options.json && jobs.length === 0) process.stderr.write('no jobs yet\n');
      } finally {
        db.close();
      }
    });
}
