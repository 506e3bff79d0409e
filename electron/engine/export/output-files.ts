import { createWriteStream, statSync } from 'node:fs';
import { lstat, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { UserError } from '../user-error';

/**
 * The files one export writes. A file counts as the export's once it is
 * open (and so emptied) or created: a failed or stopped export removes those
 * and only those, never a file it could not open (a write-protected one
 * stays as it was).
 */
export class OutputFiles {
  private readonly owned: string[] = [];

  /** Opens `file` for writing, emptying it. */
  open = (file: string): Writable => {
    const stream = createWriteStream(file);
    stream.once('open', () => this.owned.push(file));
    return stream;
  };

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
