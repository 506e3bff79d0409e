import { useEffect, useId, useState } from 'react';
import type { JobStatus } from '../../../shared/progress';
import { useApp } from '../store/store-context';

const RESUMABLE: JobStatus[] = ['stopped', 'interrupted', 'failed'];

/** Stop, force stop, resume, and the pool size: to resize a running job or to resume one with. */
export function JobControls(props: {
  jobId: number;
  status: JobStatus;
  /** The live pool of a running job; else the size it last ran with, which Resume offers. */
  workers: number;
  coreCount: number;
  /** Another process crawls the job: only it can stop or resize it. */
  crawledElsewhereBy: number | null;
}) {
  const { jobId, status, coreCount } = props;
  const stopJob = useApp((state) => state.stopJob);
  const resumeJob = useApp((state) => state.resumeJob);
  const resizePool = useApp((state) => state.resizePool);
  const newCrawlFrom = useApp((state) => state.newCrawlFrom);
  // An action on its way: the buttons wait for its answer (see busyJobs), keeping the focus.
  const busy = useApp((state) => state.busyJobs.includes(jobId));
  const [poolSize, setPoolSize] = useState(String(props.workers));
  const running = status === 'running' && props.crawledElsewhereBy === null;
  const resumable = RESUMABLE.includes(status);
  const max = Math.max(coreCount, props.workers);

  // Follow the pool when it changes elsewhere (another tab, a resume).
  useEffect(() => setPoolSize(String(props.workers)), [props.workers]);

  const id = useId();
  const size = Number(poolSize);
  const sizeValid = Number.isInteger(size) && size >= 1 && size <= max;
  // Said beside the field: a disabled Resize pool or Resume alone did not say why.
  const sizeProblem = sizeValid
    ? null
    : `choose 1 to ${max}${max === coreCount ? ' (the CPU cores detected)' : ''}`;
  return (
    <div className="controls" role="group" aria-label="Job controls">
      {(running || status === 'stopping') && (
        <>
          <button
            type="button"
            onClick={() => void stopJob(jobId, false)}
            disabled={!running}
            aria-disabled={busy}
          >
            Stop
          </button>
          <button
            type="button"
            className="danger"
            onClick={() => void stopJob(jobId, true)}
            aria-disabled={busy}
          >
            Force stop
          </button>
        </>
      )}
      {(running || resumable) && (
        <form
          className="inline"
          onSubmit={(event) => {
            event.preventDefault();
            if (!sizeValid) return;
            void (running ? resizePool(jobId, size) : resumeJob(jobId, size));
          }}
        >
          <label>
            Workers{' '}
            <input
              type="number"
              min={1}
              max={max}
              value={poolSize}
              onChange={(event) => setPoolSize(event.target.value)}
              aria-invalid={!sizeValid}
              aria-describedby={`${id}-problem`}
            />
          </label>
          <button
            type="submit"
            className={running ? undefined : 'primary'}
            disabled={!sizeValid}
            aria-disabled={busy}
          >
            {running ? 'Resize pool' : 'Resume'}
          </button>
          <span id={`${id}-problem`} className="error" role="alert">
            {sizeProblem}
          </span>
        </form>
      )}
      {!running && status !== 'stopping' && (
        <button type="button" onClick={() => void newCrawlFrom(jobId)} aria-disabled={busy}>
          New crawl from these settings
        </button>
      )}
    </div>
  );
}
