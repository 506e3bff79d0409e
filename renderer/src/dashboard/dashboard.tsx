import type { JobInfo } from '../../../shared/crawler-api';
import { averagePerSecond, type ProgressSnapshot } from '../../../shared/progress';
import { formatCount, formatDuration } from '../common/format';
import { JobStart } from '../common/job-start';
import { isLive } from '../store/progress-slice';
import { useApp } from '../store/store-context';
import { JobControls } from './job-controls';
import { Sparkline } from './sparkline';
import { WorkersTable } from './workers-table';

const NO_POINTS: never[] = [];

/** The live view of one job, fed by the progress stream several times a second. */
export function Dashboard({ job, coreCount }: { job: JobInfo; coreCount: number }) {
  const snapshot = useApp((state) => state.progress[job.id]);
  const points = useApp((state) => state.rateHistory[job.id] ?? NO_POINTS);
  const actionError = useApp((state) => state.actionError);
  const navigate = useApp((state) => state.navigate);
  const status = snapshot?.status ?? job.status;
  // Live: the workers running now. Ended: the size the job last ran with (a resize is
  // stored), which Resume offers; an ended snapshot's workers are all gone.
  const activeWorkers =
    snapshot !== undefined && isLive(snapshot)
      ? snapshot.workers.filter(
          (worker) => worker.state === 'starting' || worker.state === 'running',
        ).length
      : (job.settings?.workers ?? 1);

  return (
    <section className="dashboard" aria-labelledby="dashboard-title">
      <div className="screen-head">
        <h2 id="dashboard-title">
          Job {job.id}: {job.name}{' '}
          <span className={`badge status-${status}`} data-testid="job-status">
            {status}
          </span>
        </h2>
        <JobControls
          jobId={job.id}
          status={status}
          workers={activeWorkers}
          coreCount={coreCount}
          crawledElsewhereBy={snapshot === undefined ? job.crawledElsewhereBy : null}
        />
      </div>
      <JobStart job={job} />
      {actionError && (
        <p className="error" role="alert">
          {actionError}
        </p>
      )}
      {snapshot === undefined ? (
        <StoredSummary job={job} onResults={() => navigate('results', job.id)} />
      ) : (
        <LiveView snapshot={snapshot} points={points} />
      )}
    </section>
  );
}

function LiveView({
  snapshot,
  points,
}: {
  snapshot: ProgressSnapshot;
  points: Parameters<typeof Sparkline>[0]['points'];
}) {
  return (
    <>
      <Counters snapshot={snapshot} />
      <Sparkline points={points} />
      <div className="columns">
        <StatusCodes counts={snapshot.statusCounts} />
        <RecentErrors errors={snapshot.recentErrors} />
      </div>
      <WorkersTable workers={snapshot.workers} />
    </>
  );
}

type Counter = [key: string, label: string, value: string];

function Counters({ snapshot }: { snapshot: ProgressSnapshot }) {
  const processed = snapshot.pagesDone + snapshot.failed;
  const remaining = snapshot.maxPages === null ? null : Math.max(0, snapshot.maxPages - processed);
  const eta =
    remaining !== null && snapshot.pagesPerSecond > 0 && snapshot.status === 'running'
      ? formatDuration((remaining / snapshot.pagesPerSecond) * 1000)
      : null;
  const items: Counter[] = [
    ['pages-done', 'Pages done', formatCount(snapshot.pagesDone)],
    ['queued', 'Queued', formatCount(snapshot.queued)],
    ['in-flight', 'In flight', formatCount(snapshot.inFlight)],
    ['failed', 'Failed', formatCount(snapshot.failed)],
    ['blocked', 'Blocked by robots.txt', formatCount(snapshot.blocked)],
    rate(snapshot),
    ...elapsed(snapshot),
  ];
  if (snapshot.maxPages !== null) items.push(limit(processed, snapshot.maxPages));
  if (eta !== null) items.push(['eta', 'ETA', eta]);
  return <CounterList items={items} />;
}

const limit = (processed: number, maxPages: number): Counter => [
  'limit',
  'Limit',
  `${formatCount(processed)} / ${formatCount(maxPages)}`,
];

function CounterList({ items }: { items: Counter[] }) {
  return (
    <dl className="counters">
      {items.map(([key, label, value]) => (
        <div key={key} className="counter">
          <dt>{label}</dt>
          <dd data-testid={`counter-${key}`}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * While the job runs, the rate of the last 5 s; once it has ended, this run's
 * average, computed as the chart's points are (never above their peak).
 */
function rate(snapshot: ProgressSnapshot): Counter {
  return isLive(snapshot)
    ? ['rate', 'Pages/s (last 5 s)', snapshot.pagesPerSecond.toFixed(1)]
    : [
        'rate',
        'Pages/s (this run’s average)',
        averagePerSecond(snapshot.crawled, snapshot.runElapsedMs).toFixed(1),
      ];
}

/**
 * The job's crawl time over all its runs, beside its total pages; after a
 * resume, this run's time as well (the rates and the chart are this run's).
 */
function elapsed(snapshot: ProgressSnapshot): Counter[] {
  const run = formatDuration(snapshot.runElapsedMs);
  if (snapshot.elapsedMs === null) return [['elapsed', 'Elapsed (this run)', run]];
  const total: Counter = ['elapsed', 'Elapsed', formatDuration(snapshot.elapsedMs)];
  return snapshot.elapsedMs === snapshot.runElapsedMs
    ? [total]
    : [total, ['run-elapsed', 'This run', run]];
}

function StatusCodes({ counts }: { counts: Record<string, number> }) {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="panel">
      <h3>Status codes</h3>
      {entries.length === 0 ? (
        <p className="empty">No responses yet.</p>
      ) : (
        <table className="data compact">
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Pages
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map(([status, count]) => (
              <tr key={status}>
                <th scope="row">
                  <span className={`badge code-${status[0]}xx`}>{status}</span>
                </th>
                <td className="num">{formatCount(count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The engine's list (see RecentErrors in the engine): what a user counts as an error. */
function RecentErrors({ errors }: { errors: ProgressSnapshot['recentErrors'] }) {
  const navigate = useApp((state) => state.navigate);
  const setResultsView = useApp((state) => state.setResultsView);
  const showInResults = () => {
    navigate('results');
    setResultsView({ tab: 'urls', filters: { statusClasses: ['4xx', '5xx', 'failed'] } });
  };
  return (
    <div className="panel">
      <h3>Recent errors</h3>
      <p className="hint">
        URLs that could not be fetched, and pages and external links that answered 4xx or 5xx (or
        redirected to such an answer): the last 20, newest first.
      </p>
      {errors.length === 0 ? (
        <p className="empty">No errors so far.</p>
      ) : (
        <>
          <ul className="errors">
            {errors.map((error) => (
              <li key={`${error.at}-${error.url}`}>
                <span className="url">{error.url}</span>
                <span className="message">{error.error}</span>
              </li>
            ))}
          </ul>
          <button type="button" onClick={showInResults}>
            Show 4xx, 5xx and failed URLs in the results
          </button>
        </>
      )}
    </div>
  );
}

/**
 * A job this page has not watched run (opened later, or after a reload): the
 * figures its row stores, as the live view showed them at its end. The
 * average is over the crawl time of all its runs; the chart, status codes and
 * workers exist only while a job runs.
 */
function StoredSummary({ job, onResults }: { job: JobInfo; onResults: () => void }) {
  const refreshJobs = useApp((state) => state.refreshJobs);
  const crawled = job.pages + job.failed;
  const items: Counter[] = [
    ['pages-done', 'Pages done', formatCount(job.pages)],
    ...(job.queued === null ? [] : [['queued', 'Queued', formatCount(job.queued)] as Counter]),
    ['failed', 'Failed', formatCount(job.failed)],
    ['blocked', 'Blocked by robots.txt', formatCount(job.blocked)],
  ];
  if (job.crawlMs !== null) {
    items.push(
      ['rate', 'Pages/s (average)', averagePerSecond(crawled, job.crawlMs).toFixed(1)],
      ['elapsed', 'Elapsed', formatDuration(job.crawlMs)],
    );
  }
  if (job.settings !== null) {
    items.push(['workers', 'Workers', formatCount(job.settings.workers)]);
    if (job.settings.maxPages !== null) items.push(limit(crawled, job.settings.maxPages));
  }
  return (
    <>
      <CounterList items={items} />
      <div className="panel">
        <p>
          {job.crawledElsewhereBy === null ? (
            'This job is not running: these are the figures it stored.'
          ) : (
            <>
              Process {job.crawledElsewhereBy} (<code>trawl crawl</code>, or another Trawl) is
              crawling this job: stop it or resize its pool there. These are the figures it had
              stored when the jobs were last listed.
            </>
          )}
          {job.crawlMs === null && ' Its crawl time was not stored (an older Trawl ran it).'} The
          chart of pages per second, the status codes and the workers are shown only while a job
          runs in this window; the status codes are in the results and the Status codes report.
        </p>
        <div className="actions">
          <button type="button" onClick={onResults}>
            Browse results
          </button>
          {job.crawledElsewhereBy !== null && (
            <button type="button" onClick={() => void refreshJobs()}>
              Refresh
            </button>
          )}
        </div>
      </div>
    </>
  );
}
