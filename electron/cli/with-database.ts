import { openDatabase, sqliteProblem, type Db } from '../engine/store/database';
import { UserError } from '../engine/user-error';
import { databasePath } from './options';

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
  const db = openDatabase(file, openOptions);
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
