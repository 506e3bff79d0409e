import { parentPort, workerData } from 'node:worker_threads';
import { createScope, forHrefs } from '../../../shared/scope';
import { openDatabase, sqliteProblem, tuneForWriting } from '../store/database';
import { serveRequests } from '../thread-rpc';
import { UserError } from '../user-error';
import { FrontierStore } from './frontier-store';
import type { StoreWriterData, StoreWriterMethod } from './store-writer';

/**
 * Worker-thread entry: the only connection that writes while a job runs.
 * Requests run one at a time in arrival order, so a lease sees every batch
 * written before it was asked for.
 */
const { file, jobId, maxDepth, scope, recordExternal } = workerData as StoreWriterData;
const db = openDatabase(file, { mustExist: true });
tuneForWriting(db);
const store = new FrontierStore(db, jobId, {
  maxDepth,
  // Main checks the scope's boundary (not the user's patterns) on what workers send.
  accepts: forHrefs(createScope(scope, { withPatterns: false })),
  acceptsSeed: forHrefs(createScope(scope)),
  recordExternal,
});

const methods: Record<StoreWriterMethod, (...args: never[]) => unknown> = {
  seedStartUrls: () => store.seedStartUrls(),
  seedFromSitemap: (urls: string[]) => store.seedFromSitemap(urls),
  lease: (limit: number) => store.lease(limit),
  write: (batch: Parameters<FrontierStore['write']>[0]) => store.write(batch),
  addDeaths: (ids: number[]) => store.addDeaths(ids),
  release: () => store.release(),
  recordCheck: (...args: Parameters<FrontierStore['recordCheck']>) => store.recordCheck(...args),
  close: () => db.close(),
};

/** SQLite's "database or disk is full" or "database is locked" name neither the file nor what to do. */
function plainWriteError(error: Error): Error {
  const known = sqliteProblem(error, file);
  if (!known) return error;
  return new UserError(
    `${known.problem}; what was stored is kept: ${known.remedy}, then resume the job`,
  );
}

serveRequests(parentPort!, (method, args) => {
  const run = methods[method as StoreWriterMethod] as ((...a: unknown[]) => unknown) | undefined;
  if (!run) throw new Error(`unknown store writer method ${method}`);
  try {
    return run(...args);
  } catch (error) {
    throw plainWriteError(error as Error);
  }
});
