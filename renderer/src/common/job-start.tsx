import type { JobInfo } from '../../../shared/crawler-api';
import { formatCount } from './format';

/** What a job crawls: its first start URL and how many more, or why its settings cannot be read. */
export function JobStart({ job }: { job: JobInfo }) {
  if (job.problem !== null) {
    return (
      <div className="error" data-testid="job-problem">
        {job.problem}
      </div>
    );
  }
  return (
    <div className="hint long-text" data-testid="job-start">
      {job.firstStartUrl}
      {job.startUrlCount > 1 && ` and ${formatCount(job.startUrlCount - 1)} more`}
    </div>
  );
}
