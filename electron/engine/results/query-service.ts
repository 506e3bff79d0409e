import { performance } from 'node:perf_hooks';
import {
  RESULTS_REQUEST_SCHEMAS,
  type ResultsAnswers,
  type ResultsRequestMethod,
} from '../../../shared/results';
import { toJsonText } from '../../../shared/json-text';
import { describeSchemaError } from '../../../shared/job-settings';
import type { Db } from '../store/database';
import { JobAdmin } from '../store/job-admin';
import { JobStore } from '../store/job-store';
import type { Logger } from '../logger';
import { UserError } from '../user-error';
import { compareJobs } from './compare-jobs';
import { pageDetail, queryLinks } from './page-detail';
import { queryPages } from './page-query';
import { seekPages } from './page-seek';
import { runReport } from './reports';

/** Queries slower than this are logged: the UI's budget for one screen is 100 ms. */
export const SLOW_QUERY_MS = 40;

/** Each results method, answered synchronously (the caller decides which thread that blocks). */
type SyncResults = {
  [K in ResultsRequestMethod]: (
    ...args: Parameters<ResultsAnswers[K]>
  ) => Awaited<ReturnType<ResultsAnswers[K]>>;
};

/**
 * Answers the results questions of `shared/results.ts` over one SQLite
 * connection. `call` validates the arguments (they come from a renderer or
 * a socket) and logs slow queries; hosts run it on a worker thread
 * (results-thread.ts) so main's event loop never waits for a query.
 */
export class QueryService {
  private readonly methods: SyncResults;

  constructor(
    db: Db,
    private readonly log: Logger,
  ) {
    const admin = new JobAdmin(db);
    const jobs = new JobStore(db);
    this.methods = {
      queryPages: (query) => queryPages(db, query),
      seekPages: (request) => seekPages(db, request),
      pageDetail: (request) => pageDetail(db, request),
      queryLinks: (query) => queryLinks(db, query),
      runReport: (request) => runReport(db, request),
      compareJobs: (request) => compareJobs(db, request),
      renameJob: (jobId, name) => admin.rename(jobId, name),
      deleteJob: async (jobId) => {
        await admin.delete(jobId);
      },
      // Built here, off main's thread, which passes the text on (a list can be 54 MB).
      getJobSettings: (jobId) => toJsonText(jobs.settingsAndUrls(jobId)),
    };
  }

  call(method: string, args: unknown[]): unknown {
    if (!Object.hasOwn(RESULTS_REQUEST_SCHEMAS, method)) {
      throw new UserError(`unknown results method "${method}"`);
    }
    const name = method as ResultsRequestMethod;
    const parsed = RESULTS_REQUEST_SCHEMAS[name].safeParse(args);
    if (!parsed.success) {
      throw new UserError(`bad ${name} request: ${describeSchemaError(parsed.error)}`);
    }
    const started = performance.now();
    const result = (this.methods[name] as (...a: unknown[]) => unknown)(...parsed.data);
    const ms = performance.now() - started;
    if (ms > SLOW_QUERY_MS) {
      this.log(
        'warn',
        `slow results query: ${name} took ${ms.toFixed(0)} ms (${JSON.stringify(parsed.data).slice(0, 300)})`,
      );
    }
    return result;
  }
}
