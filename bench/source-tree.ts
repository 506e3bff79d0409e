import { join, resolve } from 'node:path';
import type { Db } from '../electron/engine/store/database';
import type { FrontierStore } from '../electron/engine/store-writer/frontier-store';
import type { StoreWriter } from '../electron/engine/store-writer/store-writer';
import type { UrlRules } from '../shared/url-normalize';

/** The store modules of one source tree, for benches that alternate trees (--trees). */
export interface SourceTree {
  name: string;
  openDatabase: (file: string) => Db;
  tuneForWriting: (db: Db) => void;
  /** Creates a job of these start URLs, returning its id. */
  createJob: (db: Db, startUrls: string[]) => number;
  /** Marks the job as being crawled by this process, as a crawl's start does. */
  markStarted: (db: Db, jobId: number) => void;
  FrontierStore: typeof FrontierStore;
  StoreWriter: typeof StoreWriter;
  defaultUrlRules: UrlRules;
}

/**
 * Loads `dir`'s own modules (this tree, or a clone of an older commit beside
 * it), so one process can time both trees run after run on the same machine.
 */
export async function loadSourceTree(dir: string): Promise<SourceTree> {
  const root = resolve(dir);
  const load = (path: string) => import(join(root, path));
  const database = await load('electron/engine/store/database.ts');
  const { JobStore, settingsOf } = await load('electron/engine/store/job-store.ts');
  const { jobSettingsSchema } = await load('shared/job-settings.ts');
  return {
    name: dir,
    openDatabase: (file) => database.openDatabase(file),
    tuneForWriting: database.tuneForWriting,
    createJob: (db, startUrls) =>
      new JobStore(db).create(jobSettingsSchema.parse({ startUrls, workers: 1 })).id,
    markStarted: (db, jobId) => {
      const jobs = new JobStore(db);
      jobs.markStarted(jobId, settingsOf(jobs.get(jobId)));
    },
    FrontierStore: (await load('electron/engine/store-writer/frontier-store.ts')).FrontierStore,
    StoreWriter: (await load('electron/engine/store-writer/store-writer.ts')).StoreWriter,
    defaultUrlRules: (await load('shared/url-normalize.ts')).DEFAULT_URL_RULES,
  };
}
