import type { JobRecord } from '../engine/store/job-store';

/**
 * A job another process is still crawling is read as it stands: say so on
 * stderr, so an export or report handed on is not taken for the whole crawl.
 */
export function notePartialResults(job: JobRecord): void {
  if (job.crawledElsewhereBy === null) return;
  process.stderr.write(
    `trawl: info: job ${job.id} is still being crawled by process ${job.crawledElsewhereBy}: this holds what it stored so far\n`,
  );
}
