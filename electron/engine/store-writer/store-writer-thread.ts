import { parentPort, workerData } from 'node:worker_threads';
import { createScope, forHrefs } from '../../../shared/scope';
import { closeWriting, openDatabase, sqliteProblem, tuneForWriting } from '../store/database';
import { URL_STATE } from '../store/url-state';
import { oneAtATime, serveRequests } from '../thread-rpc';
import { UserError } from '../user-error';
import { CommitGroup } from './commit-group';
import { FrontierStore } from './frontier-store';
import type { StoreWriterData, StoreWriterMethod } from './store-writer';

/**
 * Worker-thread entry: the only connection that writes while a job runs.
 * Requests run one at a time in arrival order, the next only once the one
 * before has answered (a seed pauses between its transactions), so a lease
 * sees every batch and start URL written before it was asked for. They
 * share one transaction, committed about twice a second (CommitGroup), and
 * main reads what it needs of the job's writes during a run here too (the
 * external URLs left to check, whether sitemap mode found any URL): its own
 * connection sees only what is committed.
 */
const { file, jobId, maxDepth, robotsAgent, scope, recordExternal, urls, honourNofollow } =
  workerData as StoreWriterData;
const db = openDatabase(file, { mustExist: true });
tuneForWriting(db);
const store = new FrontierStore(db, jobId, {
  maxDepth,
  robotsAgent,
  // Main checks the scope's boundary (not the user's patterns) on what workers send.
  accepts: forHrefs(createScope(scope, { withPatterns: false })),
  acceptsSeed: forHrefs(createScope(scope)),
  recordExternal,
  urls,
  honourNofollow,
  inCallersTransaction: true,
});

const group = new CommitGroup(db);

const methods: Record<StoreWriterMethod, (...args: never[]) => unknown> = {
  // Its own transactions, each followed by a pause for other writers (WriteLockSharing).
  seedStartUrls: () => {
    group.commit();
    return store.seedStartUrls();
  },
  seedFromSitemap: (urls: string[]) => group.run(() => store.seedFromSitemap(urls)),
  hasUrls: () => group.run(() => store.hasUrls()),
  lease: (limit: number) => group.run(() => store.lease(limit)),
  write: (batch: Parameters<FrontierStore['write']>[0]) => group.run(() => store.write(batch)),
  addDeaths: (ids: number[]) => group.run(() => store.addDeaths(ids)),
  // Committed at once: the run's end, which fails the job if its last writes cannot be stored.
  release: async () => {
    await group.run(() => store.release());
    group.commit();
  },
  requeueUnavailable: () => group.run(() => store.requeueUnavailable()),
  uncheckedExternal: (after: string, limit: number) =>
    group.run(() => store.uncheckedExternal(after, limit)),
  recordCheck: (...args: Parameters<FrontierStore['recordCheck']>) =>
    group.run(() => store.recordCheck(...args)),
  close: () => {
    try {
      group.commit();
    } finally {
      closeWriting(db);
    }
  },
};

/**
 * SQLite's "database or disk is full" or "database is locked" name neither
 * the file nor what to do. A resume seeds the start URLs again, so a job
 * that could not store even those resumes as well as one cut off later.
 */
function plainWriteError(error: Error): Error {
  const known = sqliteProblem(error, file);
  if (!known) return error;
  const kept = crawledAny() ? 'what was stored is kept' : 'nothing was crawled';
  return new UserError(`${known.problem}; ${kept}: ${known.remedy}, then resume the job`);
}

/** Whether the job has stored any URL's outcome (a read: it works on a full disk). */
function crawledAny(): boolean {
  return (
    db
      .prepare(`SELECT 1 FROM frontier WHERE job_id = ? AND state > ${URL_STATE.leased} LIMIT 1`)
      .get(jobId) !== undefined
  );
}

serveRequests(
  parentPort!,
  oneAtATime(async (method, args) => {
    const run = methods[method as StoreWriterMethod] as ((...a: unknown[]) => unknown) | undefined;
    if (!run) throw new Error(`unknown store writer method ${method}`);
    try {
      return await run(...args);
    } catch (error) {
      throw plainWriteError(error as Error);
    }
  }),
);
