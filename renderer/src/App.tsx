import { useEffect } from 'react';
import { CompareScreen } from './compare/compare-screen';
import { NewCrawlForm } from './crawl-form/new-crawl-form';
import { Dashboard } from './dashboard/dashboard';
import { JobsList } from './jobs/jobs-list';
import { ResultsScreen } from './results/results-screen';
import { useApp, useAppApi } from './store/store-context';
import type { View } from './store/route';

const TABS: Array<[View, string]> = [
  ['new', 'New crawl'],
  ['jobs', 'Jobs'],
  ['dashboard', 'Dashboard'],
  ['results', 'Results'],
];

export function App() {
  const view = useApp((state) => state.view);
  const navigate = useApp((state) => state.navigate);
  const host = useApp((state) => state.host);
  const hostError = useApp((state) => state.hostError);
  const connection = useApp((state) => state.connection);
  const loadHostInfo = useApp((state) => state.loadHostInfo);
  const refreshJobs = useApp((state) => state.refreshJobs);
  const runMenuCommand = useApp((state) => state.runMenuCommand);
  const api = useAppApi();

  useEffect(() => {
    void loadHostInfo();
    void refreshJobs();
  }, [loadHostInfo, refreshJobs]);
  useEffect(() => api.onMenuCommand(runMenuCommand), [api, runMenuCommand]);
  // Another tab or window of this host changed the jobs; the CLI's changes wait for relistOnReturn.
  useEffect(() => api.onJobsChanged(() => void refreshJobs()), [api, refreshJobs]);
  useEffect(() => relistOnReturn(refreshJobs), [refreshJobs]);

  return (
    <div className="app">
      <header className="top">
        <h1>Trawl</h1>
        <nav aria-label="Screens">
          {TABS.map(([tab, label]) => (
            <button
              key={tab}
              type="button"
              aria-current={view === tab ? 'page' : undefined}
              onClick={() => navigate(tab)}
            >
              {label}
            </button>
          ))}
        </nav>
        {host && (
          <span className="host-info">
            v{host.version} · {host.coreCount} cores
          </span>
        )}
      </header>
      {connection === 'closed' && (
        <p className="banner error" role="alert">
          Lost the connection to the Trawl host; reconnecting…
        </p>
      )}
      {connection === 'refused' && (
        <p className="banner error" role="alert">
          The Trawl host no longer accepts this page: it was restarted with a new access token. Open
          the URL that <code>trawl serve</code> printed.
        </p>
      )}
      <main>
        {hostError && !host && (
          <p className="error" role="alert">
            Cannot reach the Trawl host: {hostError}
          </p>
        )}
        {!hostError && !host && <p className="loading">Connecting…</p>}
        {host && <Screen view={view} coreCount={host.coreCount} />}
      </main>
    </div>
  );
}

/**
 * Lists the jobs again whenever the user comes back to the page (its tab shown,
 * its window focused): the CLI changes jobs in another process, which the host
 * does not hear, and a job deleted there stayed on this page's dashboard with its
 * Resume button.
 */
function relistOnReturn(refreshJobs: () => Promise<void>): () => void {
  const relist = () => {
    if (document.visibilityState === 'visible') void refreshJobs();
  };
  window.addEventListener('focus', relist);
  document.addEventListener('visibilitychange', relist);
  return () => {
    window.removeEventListener('focus', relist);
    document.removeEventListener('visibilitychange', relist);
  };
}

function Screen({ view, coreCount }: { view: View; coreCount: number }) {
  const selectedJobId = useApp((state) => state.selectedJobId);
  const job = useApp((state) =>
    state.jobs.find((candidate) => candidate.id === state.selectedJobId),
  );
  const jobsState = useApp((state) => state.jobsState);
  const jobsError = useApp((state) => state.jobsError);
  const navigate = useApp((state) => state.navigate);
  if (view === 'new') return <NewCrawlForm coreCount={coreCount} />;
  if (view === 'jobs') return <JobsList />;
  if (job === undefined) {
    // An address may name a job that was deleted, or never was (a typo).
    const missing =
      selectedJobId === null
        ? 'Choose a job first.'
        : jobsState === 'ready'
          ? `There is no job ${selectedJobId}: it was deleted, or the address is wrong.`
          : jobsState === 'error'
            ? `Cannot list the jobs: ${jobsError}`
            : `Loading job ${selectedJobId}…`;
    return (
      <div className="empty-state">
        <p>{missing}</p>
        <button type="button" onClick={() => navigate('jobs')}>
          Go to the jobs list
        </button>
      </div>
    );
  }
  if (view === 'dashboard') return <Dashboard key={job.id} job={job} coreCount={coreCount} />;
  if (view === 'compare') return <CompareScreen key={job.id} job={job} />;
  return <ResultsScreen key={job.id} job={job} />;
}
