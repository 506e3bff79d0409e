import type { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { openDatabase } from '../engine/store/database';
import { JobStore } from '../engine/store/job-store';
import { iteratePages } from '../engine/store/page-reader';
import { UserError } from '../engine/user-error';
import { DB_OPTION_HELP, databasePath, wholeNumber } from './options';

const FORMATS = ['ndjson'] as const;

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description("write a job's pages to stdout or a file")
    .argument('<job-id>', 'job to export (see `trawl jobs`)', wholeNumber(1))
    .option('--db <file>', DB_OPTION_HELP)
    .option('--format <format>', `one of: ${FORMATS.join(', ')}`, 'ndjson')
    .option('--out <file>', 'write here instead of stdout')
    .action(async (jobId: number, options: { db?: string; format: string; out?: string }) => {
      if (!(FORMATS as readonly string[]).includes(options.format)) {
        throw new UserError(
          `unknown export format "${options.format}" (supported: ${FORMATS.join(', ')})`,
        );
      }
      const db = openDatabase(databasePath(options.db), { mustExist: true });
      try {
        const job = new JobStore(db).get(jobId); // a clear error for an unknown job
        const out: Writable = options.out ? createWriteStream(options.out) : process.stdout;
        for (const page of iteratePages(db, jobId, job.settings.extract)) {
          // Respect backpressure: memory stays flat however many pages there are.
          if (!out.write(`${JSON.stringify(page)}\n`)) await once(out, 'drain');
        }
        if (out !== process.stdout) {
          out.end();
          await once(out, 'finish');
        }
      } finally {
        db.close();
      }
    });
}
