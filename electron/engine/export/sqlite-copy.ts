import { existsSync } from 'node:fs';
import { openDatabase, type Db } from '../store/database';
import { InlinksIndex } from '../store/inlinks';
import { indexPageTextSql } from '../store/page-writer';
import { UserError } from '../user-error';

/** Each table's rows of one job, parents first so references hold. */
const COPIES: { table: string; where: string }[] = [
  { table: 'jobs', where: 'id = @jobId' },
  { table: 'job_start_urls', where: 'job_id = @jobId' },
  { table: 'frontier', where: 'job_id = @jobId' },
  { table: 'pages', where: 'job_id = @jobId' },
  {
    table: 'extractions',
    where: 'page_id IN (SELECT id FROM main.pages WHERE job_id = @jobId)',
  },
  { table: 'link_targets', where: 'job_id = @jobId' },
  {
    table: 'page_links',
    where: 'from_page IN (SELECT id FROM main.pages WHERE job_id = @jobId)',
  },
  {
    table: 'redirects',
    where: 'frontier_id IN (SELECT id FROM main.frontier WHERE job_id = @jobId)',
  },
  { table: 'external_urls', where: 'job_id = @jobId' },
];

/**
 * Copies one job into a new standalone Trawl database (same schema, same
 * ids, full-text and inlinks indexes built), readable by Trawl, the
 * sqlite3 shell or any SQLite tool. Refuses to overwrite a file.
 */
export function copyJobToSqlite(
  db: Db,
  jobId: number,
  file: string,
  on: { onCreated: (file: string) => void; onTable: (table: string, rows: number) => void },
): void {
  if (existsSync(file))
    throw new UserError(`${file} already exists: choose a new file for the copy`);
  openDatabase(file).close(); // creates the schema at this build's version
  on.onCreated(file);
  db.prepare('ATTACH DATABASE ? AS copy').run(file);
  try {
    db.transaction(() => {
      for (const { table, where } of COPIES) {
        const { changes } = db
          .prepare(`INSERT INTO copy.${table} SELECT * FROM main.${table} WHERE ${where}`)
          .run({ jobId });
        on.onTable(table, changes);
      }
      db.prepare(indexPageTextSql('copy', 'TRUE')).run();
      // Complete, as a job that is not running has it: a copy of a running job has a tail.
      new InlinksIndex(db, 'copy').add({ all: true });
      // The copy is a finished snapshot: nobody is crawling it.
      db.prepare('UPDATE copy.jobs SET runner_pid = NULL').run();
    })();
  } finally {
    db.exec('DETACH DATABASE copy');
  }
  const copy = openDatabase(file, { mustExist: true });
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok')
      throw new Error(`the copy in ${file} fails its integrity check: ${String(check)}`);
    copy.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    copy.close();
  }
}
