import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openDatabase, type Db } from '../../electron/engine/store/database';

/** A fresh folder for a test's database files, removed by `cleanup`. */
export function tempDir(): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'trawl-test-'));
  return {
    dir,
    file: (name) => join(dir, name),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A fresh database file for each test of the calling file: opened before
 * each test, closed and removed after it. Read `db` and `temp` inside tests.
 */
export function databasePerTest(name: string): {
  readonly db: Db;
  readonly temp: ReturnType<typeof tempDir>;
} {
  let temp: ReturnType<typeof tempDir> | undefined;
  let db: Db | undefined;
  beforeEach(() => {
    temp = tempDir();
    db = openDatabase(temp.file(name));
  });
  afterEach(() => {
    db?.close();
    temp?.cleanup();
  });
  return {
    get db() {
      return db!;
    },
    get temp() {
      return temp!;
    },
  };
}
