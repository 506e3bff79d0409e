import { openDatabase, sqliteProblem, type Db } from '../engine/store/database';
import { UserError } from '../engine/user-error';
import { databasePath } from './options';

/**
 * What a person sees while a database an earlier Trawl wrote is upgraded:
 * rebuilding the search index of a million pages takes seconds, not a hang.
 */
export const upgradeNotice = (file: string, from: number, to: number): string =>
  `upgrading ${file} from schema ${from} to ${to} (once; a large database takes a while)`;

/**
 * Runs a command on its database (`--db`, see databasePath), closed after.
 * A SQLite error the person can act on (a lock another program holds, a
 * full disk) becomes one line that names the file and what to do.
 */
export async function withDatabase<T>(
  option: string | undefined,
  openOptions: { mustExist: boolean },
  use: (db: Db) => T | Promise<T>,
): Promise<T> {
  const file = databasePath(option);
  const db = openDatabase(file, {
    ...openOptions,
    onUpgrade: (from, to) =>
      process.stderr.write(`trawl: info: ${upgradeNotice(file, from, to)}\n`),
  });
  try {
    return await use(db);
  } catch (error) {
    const known = sqliteProblem(error, file);
    if (known) throw new UserError(`${known.problem}; ${known.remedy}, then try again`);
    throw error;
  } finally {
    db.close();
  }
}
