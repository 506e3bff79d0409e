import type { ResultsAnswers, ResultsRequestMethod } from '../../../shared/results';
import type { Logger } from '../logger';
import { ThreadClient } from '../thread-rpc';

/**
 * The host's side of the results thread (results-thread.ts): each method
 * forwards to the thread, which answers over its own connection.
 */
export class ResultsClient implements ResultsAnswers {
  private readonly thread: ThreadClient;

  constructor(file: string, log: Logger) {
    this.thread = new ThreadClient(
      {
        source: new URL('./results-thread.ts', import.meta.url),
        bundleEnv: 'TRAWL_RESULTS_THREAD_MODULE',
      },
      { file },
      'results thread',
      log,
    );
  }

  /** Any method by name, with arguments as they arrived (the thread validates them). */
  call(method: string, args: unknown[]): Promise<unknown> {
    return this.thread.call(method, args);
  }

  /** A typed method that forwards to the thread. */
  private forward<K extends ResultsRequestMethod>(name: K): ResultsAnswers[K] {
    return ((...args: unknown[]) => this.call(name, args)) as ResultsAnswers[K];
  }

  queryPages = this.forward('queryPages');
  seekPages = this.forward('seekPages');
  pageDetail = this.forward('pageDetail');
  queryLinks = this.forward('queryLinks');
  runReport = this.forward('runReport');
  compareJobs = this.forward('compareJobs');
  renameJob = this.forward('renameJob');
  deleteJob = this.forward('deleteJob');
  getJobSettings = this.forward('getJobSettings');

  close(): Promise<void> {
    return this.thread.close();
  }
}
