import Database from 'better-sqlite3';
import { addMigrationFunctions, runMigrations } from '../../electron/engine/store/migrations';

/** A database at schema `version`, built by running the migrations as an older Trawl did. */
export function databaseAt(file: string, version: number): Database.Database {
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  addMigrationFunctions(raw);
  raw.transaction(() => runMigrations(raw, 0, version))();
  raw.pragma(`user_version = ${version}`);
  return raw;
}
