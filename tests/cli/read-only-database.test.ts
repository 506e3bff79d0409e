import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp-db';
import { canMount, remountReadOnly, tmpfsFolder } from '../helpers/tmpfs';
import { storeJob } from '../results/stored-job';

/** A finished job's database, closed as Trawl leaves it, on a read-only mount (a CD, a share). */
describe.skipIf(!canMount)('a database on read-only media', () => {
  let mount: ReturnType<typeof tmpfsFolder>;
  let dbFile = '';
  beforeAll(() => {
    const temp = tempDir();
    try {
      const source = temp.file('crawl.sqlite');
      const db = openDatabase(source);
      storeJob(db, [{ url: 'http://127.0.0.1:9/', page: {} }]);
      db.close();
      mount = tmpfsFolder(16);
      dbFile = join(mount.dir, 'crawl.sqlite');
      copyFileSync(source, dbFile);
      remountReadOnly(mount.dir);
    } finally {
      temp.cleanup();
    }
  });
  afterAll(() => mount?.remove());

  it('is refused by every command with the cause and what to do, not "unable to open database file"', async () => {
    for (const command of [['jobs'], ['export', '1'], ['report', '1', 'broken-links']]) {
      const result = await runCli([...command, '--db', dbFile]);
      expect(result).toMatchObject({
        code: 1,
        stdout: '',
        stderr:
          `trawl: error: cannot open database ${dbFile}: the folder ${mount.dir} is read-only, ` +
          'and SQLite writes a shared-memory file beside a database to read it: ' +
          'copy the database somewhere writable\n',
      });
    }
  });
});
