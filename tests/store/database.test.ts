import Database from 'better-sqlite3';
import { chmodSync, existsSync, statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { migrations } from '../../electron/engine/store/migrations';
import { tempDir } from '../helpers/temp-db';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => (temp = tempDir()));
afterEach(() => temp.cleanup());

describe('openDatabase', () => {
  it('creates a WAL database at the latest schema, and reopens it unchanged', () => {
    const file = temp.file('new/nested/trawl.sqlite');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(
      expect.arrayContaining([
        'external_urls',
        'extractions',
        'frontier',
        'jobs',
        'link_targets',
        'links',
        'page_links',
        'pages',
        'pages_fts',
        'redirects',
      ]),
    );
    db.close();
    const again = openDatabase(file, { mustExist: true });
    expect(again.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(again.pragma('integrity_check', { simple: true })).toBe('ok');
    again.close();
  });

  it('creates the database, its WAL and shared-memory files readable by their owner only', () => {
    // Job settings hold basic-auth passwords, cookies and headers: other users of the machine
    // could read them from a file created with the usual umask (0644).
    const file = temp.file('private/trawl.sqlite');
    const db = openDatabase(file);
    // The migrations wrote through the WAL: both files exist while the database is open.
    for (const part of [file, `${file}-wal`, `${file}-shm`]) {
      expect({ part, mode: statSync(part).mode & 0o777 }).toEqual({ part, mode: 0o600 });
    }
    db.close();
  });

  it('leaves the permissions of an existing database as they are', () => {
    const file = temp.file('shared.sqlite');
    openDatabase(file).close();
    chmodSync(file, 0o640);
    openDatabase(file).close();
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });

  it('reports a folder that cannot be created instead of retrying it forever', () => {
    // Under /proc, mkdir answers ENOENT although the parent exists: Node's
    // recursive mkdir loops on that, openDatabase must not.
    expect(() => openDatabase('/proc/trawl-no-such-folder/jobs/trawl.sqlite')).toThrow(
      /^cannot open database \/proc\/trawl-no-such-folder\/jobs\/trawl\.sqlite: ENOENT/,
    );
  });

  it("refuses a name SQLite gives a database's companion files, whose pages opening that database would overwrite", () => {
    const file = temp.file('trawl.sqlite');
    for (const [suffix, what] of [
      ['-wal', 'write-ahead log'],
      ['-shm', 'shared-memory index'],
      ['-journal', 'rollback journal'],
    ]) {
      expect(() => openDatabase(`${file}${suffix}`)).toThrow(
        `${file}${suffix} is the name SQLite gives the ${what} of ${file}, not a database: ` +
          'opening that one would overwrite it (give the database another name)',
      );
      expect(existsSync(`${file}${suffix}`)).toBe(false);
    }
  });

  it('refuses a database written by a newer Trawl without touching it', () => {
    const file = temp.file('future.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${migrations.length + 5}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(/written by a newer Trawl/);
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(migrations.length + 5);
    check.close();
  });
});
