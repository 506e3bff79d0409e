import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/engine/store/database';
import { GroupCommit } from '../../electron/engine/store-writer/group-commit';
import { waitFor } from '../helpers/processes';
import { databasePerTest } from '../helpers/temp-db';

const file = databasePerTest('trawl.sqlite');

/** A second connection to the test's file, as the results screens and `trawl jobs` have. */
function reader(): Db {
  return openDatabase(file.db.name, { mustExist: true, readonly: true });
}

const jobNames = (db: Db) => db.prepare('SELECT name FROM jobs ORDER BY id').pluck().all();

function addJob(name: string): void {
  file.db
    .prepare("INSERT INTO jobs (name, settings, status, created_at) VALUES (?, '{}', 'running', 0)")
    .run(name);
}

describe('GroupCommit', () => {
  it('keeps writes in one transaction until its interval ends, then commits them without another write', async () => {
    const group = new GroupCommit(file.db, 200);
    const other = reader();
    try {
      group.run(() => addJob('first'));
      group.run(() => addJob('second'));
      expect(file.db.inTransaction).toBe(true);
      expect(jobNames(other)).toEqual([]);
      await waitFor(() => jobNames(other).length === 2, 'the timed commit');
      expect(jobNames(other)).toEqual(['first', 'second']);
      expect(file.db.inTransaction).toBe(false);
    } finally {
      other.close();
    }
  });

  it('commits at once when asked', () => {
    const group = new GroupCommit(file.db, 60_000);
    const other = reader();
    try {
      group.run(() => addJob('now'));
      group.commit();
      expect(jobNames(other)).toEqual(['now']);
    } finally {
      other.close();
    }
  });

  it('rolls back everything not yet committed when a write throws', () => {
    const group = new GroupCommit(file.db, 60_000);
    group.run(() => addJob('committed'));
    group.commit();
    group.run(() => addJob('grouped'));
    expect(() =>
      group.run(() => {
        addJob('half');
        throw new Error('write failed');
      }),
    ).toThrow('write failed');
    expect(file.db.inTransaction).toBe(false);
    expect(jobNames(file.db)).toEqual(['committed']);
  });

  it('reports a timed commit that failed to the next call, and rolls it back', async () => {
    // A deferred constraint is checked at COMMIT: a commit that fails as a full disk would.
    file.db.exec(
      `CREATE TABLE child (job INTEGER REFERENCES jobs(id) DEFERRABLE INITIALLY DEFERRED)`,
    );
    const group = new GroupCommit(file.db, 50);
    group.run(() => {
      addJob('lost');
      file.db.prepare('INSERT INTO child (job) VALUES (999)').run();
    });
    await waitFor(() => !file.db.inTransaction, 'the timed commit to end the transaction');
    expect(() => group.run(() => addJob('after'))).toThrow(/FOREIGN KEY constraint failed/);
    expect(() => group.commit()).toThrow(/FOREIGN KEY constraint failed/);
    expect(jobNames(file.db)).toEqual([]);
  });
});
