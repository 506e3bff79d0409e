import Database from 'better-sqlite3';
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  statSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../user-error';
import { addMigrationFunctions, migrations, runMigrations } from './migrations';

export type Db = Database.Database;

/** How long a connection waits for another program's write lock before giving up. */
const BUSY_TIMEOUT_MS = 5000;

/** The files SQLite keeps beside a database, by the suffix it adds to the name. */
const COMPANIONS: Record<string, string> = {
  '-wal': 'write-ahead log',
  '-shm': 'shared-memory index',
  '-journal': 'rollback journal',
};

/**
 * A database named as SQLite names another one's companion file (`X-wal`)
 * would be taken as that file, and its pages lost, the next time X opened.
 */
function refuseCompanionName(file: string): void {
  const suffix = /-(wal|shm|journal)$/.exec(file)?.[0];
  if (suffix === undefined) return;
  const base = file.slice(0, -suffix.length);
  throw new UserError(
    `${file} is the name SQLite gives the ${COMPANIONS[suffix]} of ${base}, not a database: ` +
      'opening that one would overwrite it (give the database another name)',
  );
}

/**
 * Opens (creating if needed) a Trawl database: WAL so other programs can read
 * while a job runs, and migrations applied. Problems with the file become one
 * clear UserError.
 */
export function openDatabase(
  file: string,
  options: {
    readonly?: boolean;
    mustExist?: boolean;
    /** Told before a database an earlier Trawl wrote is upgraded, which can take a while. */
    onUpgrade?: (from: number, to: number) => void;
  } = {},
): Db {
  let db: Db | undefined;
  try {
    refuseCompanionName(file);
    const mustExist = options.mustExist ?? options.readonly ?? false;
    if (mustExist && file !== ':memory:') {
      const stat = statSync(file, { throwIfNoEntry: false });
      if (!stat) throw new UserError(`database ${file} does not exist`);
      // SQLite would take an empty file as a new database and write a schema into it.
      if (stat.isFile() && stat.size === 0)
        throw new UserError(`database ${file} is an empty file, not a Trawl database`);
    }
    if (!mustExist && file !== ':memory:') {
      createFolder(dirname(file));
      createPrivateFile(file);
    }
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: mustExist });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    refuseForeign(db, file);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      // WAL + NORMAL is durable against process crashes (kill -9); only an OS
      // crash can lose the last commits, never corrupt the file.
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    migrate(db, file, options.onUpgrade);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot open database ${file}: ${openProblem(error, file)}`, {
      cause: error,
    });
  }
}

/**
 * Why SQLite could not open `file`, in words the person can act on. A WAL
 * database is read through its shared-memory file, which SQLite creates
 * beside it: on read-only media (a CD, a write-protected share) it cannot,
 * and says only "unable to open database file". (Reading it as immutable
 * needs a URI file name, which the SQLite of better-sqlite3 does not take.)
 */
function openProblem(error: unknown, file: string): string {
  const folder = dirname(resolve(file));
  if ((error as { code?: unknown }).code === 'SQLITE_CANTOPEN' && !writable(folder)) {
    return (
      `the folder ${folder} is read-only, and SQLite writes a shared-memory file beside a ` +
      'database to read it: copy the database somewhere writable'
    );
  }
  return (error as Error).message;
}

function writable(folder: string): boolean {
  try {
    accessSync(folder, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * What a SQLite error that the person can fix means for the database `file`,
 * and what to do about it; null for any other error.
 */
export function sqliteProblem(
  error: unknown,
  file: string,
): { problem: string; remedy: string } | null {
  const { code, message } = error as { code?: unknown; message?: string };
  if (typeof code !== 'string') return null;
  if (code === 'SQLITE_BUSY')
    return {
      problem: `database ${file} is locked: another program has been writing to it for more than ${BUSY_TIMEOUT_MS / 1000} s`,
      remedy: 'let it finish or close it',
    };
  if (code === 'SQLITE_FULL')
    return { problem: `the disk holding ${file} is full (${message})`, remedy: 'free some space' };
  if (code.startsWith('SQLITE_READONLY'))
    return {
      problem: `database ${file} cannot be written (${message})`,
      remedy: 'make it writable',
    };
  return null;
}

/**
 * Creates `folder` and any missing parents, one level at a time: Node's
 * recursive mkdir spins forever where mkdir answers ENOENT under a parent
 * that exists (anywhere under /proc or /sys), where this throws that ENOENT.
 */
function createFolder(folder: string): void {
  if (existsSync(folder)) return;
  const parent = dirname(folder);
  if (parent !== folder) createFolder(parent);
  try {
    mkdirSync(folder);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  }
}

/**
 * Creates a new database file readable by its owner only: it holds the jobs'
 * settings, basic-auth passwords, cookies and request headers included, and
 * SQLite gives the WAL and shared-memory files the same permissions. An
 * existing file keeps the permissions it has.
 */
function createPrivateFile(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  }
}

/**
 * Settings for the connection that writes a running job (the store writer
 * thread; the write benchmark copies them).
 * - Checkpoint every ~80 MB of WAL instead of 4 MB: index pages that many
 *   batches dirty are copied into the database once per checkpoint. Every
 *   40 MB wrote 9 % more a page, every 160 MB 4 % less than this, at the same
 *   CPU (bench/RESULTS.md, fourteenth session), and a -wal file twice the size
 *   while a job runs. Another connection gets the write lock in the pauses
 *   the writer leaves between its transactions (CommitGroup) and in a long
 *   seed (WriteLockSharing).
 * - A 16 MB page cache, not SQLite's usual 2 MB: a page row touches about
 *   30 indexes, and with 2 MB most of those touches read the page back from
 *   the WAL or the file (bench/RESULTS.md: a fifth of the writer's CPU).
 *   better-sqlite3 is built with 16 MB as its default; set here so that
 *   holds whatever the build.
 */
export function tuneForWriting(db: Db): void {
  db.pragma('wal_autocheckpoint = 20000');
  db.pragma('cache_size = -16000');
}

/**
 * Settings for main's connection (CrawlService's): it never checkpoints. Its
 * own writes are a job's row, but SQLite checkpoints at the commit that finds
 * the WAL past 1,000 pages, and a running job's writer leaves up to 20,000
 * (tuneForWriting): main's commit copied them on its event loop, 175-222 ms
 * for 12,000 (bench/RESULTS.md, twentieth session). The writers checkpoint
 * what main leaves (closeWriting), as SQLite does at the file's last close.
 */
export function tuneForMain(db: Db): void {
  db.pragma('wal_autocheckpoint = 0');
}

/**
 * Closes the connection that wrote a job, its WAL first copied into the
 * database and the -wal file emptied (up to 80 MB, see tuneForWriting).
 * Without this, SQLite empties it only when the file's last connection
 * closes (never while the app runs), and main's next write, the job's end,
 * copied the frames left on main's event loop. A failed checkpoint (a full
 * disk) leaves the WAL for the next connection; the close still happens.
 */
export function closeWriting(db: Db): void {
  try {
    // Neither step waits. PASSIVE copies without the write lock; TRUNCATE holds it
    // while it waits for readers, 5 s with a long read open (measured), as long as
    // another job's writer waits for it. With a reader open the file keeps its size.
    db.pragma('busy_timeout = 0');
    db.pragma('wal_checkpoint(PASSIVE)');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

/**
 * Another program's SQLite file, refused before anything is written to it
 * (even WAL mode, which would stay): migrating it failed with "table jobs
 * already exists" or "no such table: links", which named no cause.
 */
function refuseForeign(db: Db, file: string): void {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
    .pluck()
    .all() as string[];
  if (tables.length === 0) return; // a new file
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === 0 || !tables.includes('jobs') || !tables.includes('frontier')) {
    throw new UserError(
      `database ${file} is not a Trawl database: it holds another program's tables`,
    );
  }
}

function migrate(db: Db, file: string, onUpgrade?: (from: number, to: number) => void): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  const check = (current: number) => {
    if (current > migrations.length) {
      throw new UserError(
        `database ${file} was written by a newer Trawl (schema ${current}, this build knows ${migrations.length})`,
      );
    }
  };
  check(version());
  if (version() === migrations.length) return;
  if (db.readonly)
    throw new UserError(`database ${file} needs an upgrade but was opened read-only`);
  // IMMEDIATE takes the write lock first, so two processes opening a new file
  // at once cannot both migrate it; the second sees the first's version.
  addMigrationFunctions(db);
  db.transaction(() => {
    const current = version();
    check(current);
    // A new file (version 0) gets its schema in a moment; an older one may rebuild indexes.
    if (current > 0 && current < migrations.length) onUpgrade?.(current, migrations.length);
    runMigrations(db, current);
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}
