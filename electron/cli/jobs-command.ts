import type { Command } from 'commander';
import { JobAdmin } from '../engine/store/job-admin';
import { JobStore } from '../engine/store/job-store';
import { jsonLine } from '../engine/export/text-writers';
import { DB_OPTION_HELP, wholeNumber } from './options';
import { withDatabase } from './with-database';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

async function listJobs(options: { db?: string; json?: boolean }): Promise<void> {
  await withDatabase(options.db, { mustExist: true }, (db) => {
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
        const { name, failed, blocked, firstStartUrl, startUrlCount, problem, crawlMs } = job;
        const crawlSeconds = crawlMs === null ? null : Math.round(crawlMs / 10) / 100;
        const record = { ...row, name, failed, blocked, firstStartUrl, startUrlCount, problem };
        process.stdout.write(`${jsonLine({ ...record, crawlSeconds })}\n`);
      } else {
        const counts =
          `${String(job.pages).padStart(8)} pages ${String(job.failed).padStart(6)} failed ` +
          `${String(job.blocked).padStart(6)} blocked`;
        process.stdout.write(
          `${String(job.id).padStart(4)}  ${job.status.padEnd(9)} ${counts}  ` +
            `${row.startedAt ?? '-'}  ${job.name}${job.problem ? ` (${job.problem})` : ''}\n`,
        );
      }
    }
    if (!options.json && jobs.length === 0) process.stderr.write('no jobs yet\n');
  });
}

export function registerJobsCommand(program: Command): void {
  const jobs = program
    .command('jobs')
    .description('list, rename and delete the jobs in a database')
    .option('--db <file>', DB_OPTION_HELP)
    .option('--json', 'one JSON object per line')
    .action(listJobs);
  jobs
    .command('rename')
    .description('give a job a new name')
    .argument('<job-id>', 'the job', wholeNumber(1))
    .argument('<name>', "its new name; '' gives back its default name (the first start URL's host)")
    .option('--db <file>', DB_OPTION_HELP)
    .action((jobId: number, name: string, options: { db?: string }) =>
      withDatabase(options.db ?? jobs.opts<{ db?: string }>().db, { mustExist: true }, (db) =>
        new JobAdmin(db).rename(jobId, name),
      ),
    );
  jobs
    .command('delete')
    .description('delete a job with all its rows, and give the space back')
    .argument('<job-id>', 'the job', wholeNumber(1))
    .option('--db <file>', DB_OPTION_HELP)
    .action((jobId: number, options: { db?: string }) =>
      withDatabase(
        options.db ?? jobs.opts<{ db?: string }>().db,
        { mustExist: true },
        async (db) => {
          const outcome = await new JobAdmin(db).delete(jobId);
          process.stderr.write(
            outcome.reclaimed
              ? `job ${jobId} deleted\n`
              : `job ${jobId} deleted; its space is reused by later jobs (${outcome.why}, so the file was not compacted)\n`,
          );
        },
      ),
    );
}
