import { useCallback, useEffect } from 'react';
import type { JobInfo } from '../../../shared/crawler-api';
import type { ProgressSnapshot } from '../../../shared/progress';
import { defaultJobName } from '../../../shared/results';
import { formatCount, formatDuration, formatTime } from '../common/format';
import { JobStart } from '../common/job-start';
import { ScreenLink } from '../common/screen-link';
import { useApp } from '../store/store-context';

/** Every job in the database, newest first, with its live figures when running. */
export function JobsList() {
  const jobs = useApp((state) => state.jobs);
  const jobsState = useApp((state) => state.jobsState);
  const jobsError = useApp((state) => state.jobsError);
  const progress = useApp((state) => state.progress);
  const navigate = useApp((state) => state.navigate);
  const refreshJobs = useApp((state) => state.refreshJobs);
  const actionError = useApp((state) => state.actionError);
  const dismissActionError = useApp((state) => state.dismissActionError);
  // Each time the screen opens, or Refresh is pressed: another tab or the CLI may have
  // deleted or started jobs, and an earlier action's error is old news.
  const reload = useCallback(() => {
    dismissActionError();
    void refreshJobs();
  }, [dismissActionError, refreshJobs]);
  useEffect(reload, [reload]);

  return (
    <section aria-labelledby="jobs-title">
      <div className="screen-head">
        <h2 id="jobs-title">Jobs</h2>
        <button type="button" onClick={reload}>
          Refresh
        </button>
      </div>
      {jobsState === 'error' && (
        <p className="error" role="alert">
          Could not load the jobs: {jobsError}
        </p>
      )}
      {actionError && (
        <p className="error" role="alert">
          {actionError}
        </p>
      )}
      {jobsState === 'loading' && jobs.length === 0 && <p className="loading">Loading jobs…</p>}
      {jobsState === 'ready' && jobs.length === 0 && (
        <div className="empty-state">
          <p>No crawls yet.</p>
          <button type="button" className="primary" onClick={() => navigate('new')}>
            Start your first crawl
          </button>
        </div>
      )}
      {jobs.length > 0 && (
        <table className="data jobs">
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Site</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Pages
              </th>
              <th scope="col" className="num">
                Failed
              </th>
              <th scope="col">Started</th>
              <th scope="col">Finished</th>
              <th scope="col" className="num">
                Crawl time
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <JobRow key={job.id} job={job} live={progress[job.id]} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function JobRow(props: {
  job: JobInfo;
  /** The job's latest progress, while this page follows it: newer than the listed row. */
  live: ProgressSnapshot | undefined;
}) {
  const { job, live } = props;
  const status = live?.status ?? job.status;
  const crawlMs = live ? live.elapsedMs : job.crawlMs;
  const rerunJob = useApp((state) => state.rerunJob);
  const newCrawlFrom = useApp((state) => state.newCrawlFrom);
  const renameJob = useApp((state) => state.renameJob);
  const deleteJob = useApp((state) => state.deleteJob);
  // An action on its way: the buttons wait for its answer (see busyJobs), keeping the focus.
  const busy = useApp((state) => state.busyJobs.includes(job.id));
  const rename = () => {
    if (busy) return;
    const byDefault = defaultJobName(job.firstStartUrl);
    const name = window.prompt(
      `New name for job ${job.id}${byDefault === null ? '' : ` (empty: ${byDefault}, its default name)`}`,
      job.name,
    );
    // Only Cancel sends nothing: a blank name asks the host for the default name.
    if (name !== null) void renameJob(job.id, name.trim());
  };
  const remove = () => {
    if (!busy && window.confirm(`Delete job ${job.id} (${job.name}) and everything it stored?`))
      void deleteJob(job.id);
  };
  return (
    <tr data-testid="job-row">
      <th scope="row">{job.id}</th>
      <td>
        <div className="long-text">
          {job.name}
          <JobStart job={job} />
        </div>
      </td>
      <td>
        <span className={`badge status-${status}`}>{status}</span>
      </td>
      <td className="num">{formatCount(live?.pagesDone ?? job.pages)}</td>
      <td className="num">{formatCount(live?.failed ?? job.failed)}</td>
      <td>{formatTime(job.startedAt)}</td>
      <td>{formatTime(job.finishedAt)}</td>
      {/* Over all its runs, pauses not counted; unknown for a run an older Trawl made. */}
      <td className="num">{crawlMs === null ? '–' : formatDuration(crawlMs)}</td>
      <td>
        <div className="row-actions">
          <ScreenLink view="dashboard" jobId={job.id} label={`Dashboard of job ${job.id}`}>
            Dashboard
          </ScreenLink>
          <ScreenLink view="results" jobId={job.id} label={`Results of job ${job.id}`}>
            Results
          </ScreenLink>
          <ScreenLink view="compare" jobId={job.id} label={`Compare job ${job.id} with another`}>
            Compare
          </ScreenLink>
          <button
            type="button"
            onClick={() => void rerunJob(job.id)}
            aria-disabled={busy}
            aria-label={`Run job ${job.id} again with the same settings`}
          >
            Run again
          </button>
          <button
            type="button"
            onClick={() => void newCrawlFrom(job.id)}
            disabled={job.settings === null}
            aria-disabled={busy}
            title={job.problem ?? undefined}
            aria-label={`New crawl from the settings of job ${job.id}`}
          >
            New crawl from these settings
          </button>
          <button
            type="button"
            onClick={rename}
            aria-disabled={busy}
            aria-label={`Rename job ${job.id}`}
          >
            Rename
          </button>
          <button
            type="button"
            onClick={remove}
            aria-disabled={busy}
            aria-label={`Delete job ${job.id}`}
          >
            Delete
          </button>
        </div>
      </td>
    </tr>
  );
}
