import { createWriteStream, statSync } from 'node:fs';
import { lstat, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { ExportFormat } from '../../../shared/results';
import { UserError } from '../user-error';

/** Whether an export file is written gzipped: its name ends in `.gz`, as gzip, zcat and pandas expect. */
export const isGzipped = (file: string) => /\.gz$/i.test(file);

/**
 * The files one export writes. A file counts as the export's once it is
 * open (and so emptied) or created: a failed or stopped export removes those
 * and only those, never a file it could not open (a write-protected one
 * stays as it was).
 */
export class OutputFiles {
  private readonly owned: string[] = [];
  /** Gzipped files still being compressed and flushed after their writer ended. */
  private readonly compressing: Promise<void>[] = [];

  /** Opens `file` for writing, emptying it; a `.gz` file takes its text gzipped. */
  open = (file: string): Writable => {
    const stream = createWriteStream(file);
    stream.once('open', () => this.owned.push(file));
    if (!isGzipped(file)) return stream;
    const gzip = createGzip();
    // A write error of the file destroys `gzip` too, so the writer sees it; `closed` waits for the rest.
    const done = pipeline(gzip, stream);
    done.catch(() => undefined);
    this.compressing.push(done);
    return gzip;
  };

  /** Resolves once every file is flushed and closed (a gzipped one outlasts its writer). */
  async closed(): Promise<void> {
    await Promise.all(this.compressing);
  }

  /** A file the export created by other means (the SQLite copy). */
  created(file: string): void {
    this.owned.push(file);
  }

  /**
   * Removes the export's files: regular files only, never `--out /dev/null`.
   * Best effort: the export's own error is what the caller reports.
   */
  async remove(): Promise<void> {
    await Promise.all(
      this.owned.map(async (file) => {
        if ((await lstat(file).catch(() => null))?.isFile()) await rm(file).catch(() => undefined);
      }),
    );
  }
}

/**
 * Refuses to write over the database being exported, or its WAL or shared
 * memory file: opening it for writing empties it, every job in it lost.
 */
export function refuseDatabaseFile(file: string, databaseFile: string): void {
  const target = statSync(file, { throwIfNoEntry: false });
  if (!target) return;
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    const part = statSync(databaseFile + suffix, { throwIfNoEntry: false });
    if (part && part.dev === target.dev && part.ino === target.ino) {
      throw new UserError(
        `cannot write ${file}: it is ${suffix === '' ? 'the database' : `the database's ${suffix.slice(1)} file`} the job is exported from`,
      );
    }
  }
}

/** Refuses a `.gz` name for a format that is not text: the file would not be what its name says. */
export function refuseGzip(format: ExportFormat, file: string): void {
  if (!isGzipped(file)) return;
  const why = {
    xlsx: 'an XLSX workbook is zip-compressed already',
    sqlite: 'a SQLite copy cannot be gzipped',
  };
  if (format === 'xlsx' || format === 'sqlite')
    throw new UserError(`cannot write ${file}: ${why[format]}: name it without .gz`);
}
