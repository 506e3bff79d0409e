import { useEffect, useState } from 'react';
import type { JobInfo } from '../../../shared/crawler-api';
import { describeChanges } from '../../../shared/compare-changes';
import type { CompareResult } from '../../../shared/results';
import { formatCount } from '../common/format';
import { LoadMoreButton } from '../common/load-more';
import { errorMessage } from '../store/error-message';
import { useApp, useAppApi } from '../store/store-context';

/** Rows fetched per request; "Load more" fetches the next ones. */
const COMPARE_BATCH = 200;

interface Comparison {
  state: 'loading' | 'ready' | 'error';
  error: string | null;
  result: CompareResult | null;
}

/**
 * Job `job` against an older job of the user's choice: the URLs added,
 * removed and changed (status, title, canonical, content hash), as
 * `trawl compare` lists them.
 */
export function CompareScreen({ job }: { job: JobInfo }) {
  const api = useAppApi();
  const jobs = useApp((state) => state.jobs);
  const base = useApp((state) => state.compareBase);
  const setCompareBase = useApp((state) => state.setCompareBase);
  const [comparison, setComparison] = useState<Comparison | null>(null);
  const others = jobs.filter((other) => other.id !== job.id);

  useEffect(() => {
    if (base === null) return setComparison(null);
    let current = true;
    setComparison({ state: 'loading', error: null, result: null });
    api.compareJobs({ base, other: job.id, limit: COMPARE_BATCH }).then(
      (result) => current && setComparison({ state: 'ready', error: null, result }),
      (error: unknown) =>
        current && setComparison({ state: 'error', error: errorMessage(error), result: null }),
    );
    return () => {
      current = false;
    };
  }, [api, base, job.id]);

  const loadMore = async (result: CompareResult) => {
    if (base === null || result.nextCursor === null) return;
    setComparison({ state: 'loading', error: null, result });
    try {
      const next = await api.compareJobs({
        base,
        other: job.id,
        limit: COMPARE_BATCH,
        cursor: result.nextCursor,
      });
      setComparison({
        state: 'ready',
        error: null,
        result: { ...next, rows: [...result.rows, ...next.rows] },
      });
    } catch (error) {
      setComparison({ state: 'error', error: errorMessage(error), result });
    }
  };

  const result = comparison?.result ?? null;
  return (
    <section className="compare" aria-labelledby="compare-title">
      <div className="screen-head">
        <h2 id="compare-title">
          Compare job {job.id}: {job.name}
        </h2>
        <label>
          with the earlier job{' '}
          <select
            value={base ?? ''}
            onChange={(event) =>
              setCompareBase(event.target.value === '' ? null : Number(event.target.value))
            }
          >
            <option value="">Choose a job…</option>
            {others.map((other) => (
              <option key={other.id} value={other.id}>
                {other.id}: {other.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {base === null && (
        <p className="hint">
          Choose the job to compare with: the URLs added since, removed, and changed (status, title,
          canonical or content) are listed.
        </p>
      )}
      {comparison?.state === 'error' && (
        <p className="error" role="alert">
          Could not compare job {job.id} with job {base}: {comparison.error}
        </p>
      )}
      {comparison?.state === 'loading' && result === null && <p className="loading">Comparing…</p>}
      {result && (
        <>
          <p data-testid="compare-summary">
            {formatCount(result.summary.added)} added, {formatCount(result.summary.removed)}{' '}
            removed, {formatCount(result.summary.changed)} changed,{' '}
            {formatCount(result.summary.unchanged)} unchanged
          </p>
          {result.rows.length > 0 && (
            <div className="report-scroller">
              <table className="data compact" aria-label={`Changes from job ${base}`}>
                <thead>
                  <tr>
                    <th scope="col">Change</th>
                    <th scope="col">URL</th>
                    <th scope="col">What changed</th>
                  </tr>
                </thead>
                <tbody>
                  {result.rows.map((row) => (
                    <tr key={row.url} data-testid="compare-row">
                      <td>{row.change}</td>
                      <td className="long-text">{row.url}</td>
                      <td className="long-text">{describeChanges(row)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {result.nextCursor !== null && (
            <LoadMoreButton
              loading={comparison?.state === 'loading'}
              onClick={() => void loadMore(result)}
            />
          )}
        </>
      )}
    </section>
  );
}
