import type { RedirectVerdict } from '../../shared/worker-protocol';
import type { ParentPort } from './parent-port';

/** Asks main whether a task may follow a redirect to `url` now (see RedirectVerdict). */
export type RedirectGate = (url: string) => Promise<RedirectVerdict>;

/**
 * The worker's side of redirect-query / redirect-verdict. robots.txt and
 * the per-host limits live in main, so before each redirect hop the worker
 * asks there: main answers once the target may be requested (its host's
 * slot, delay and the job's rate allow it), that it never may, or that the
 * task goes back unfinished (a graceful stop). `answer` takes main's verdicts.
 */
export function createRedirectGate(port: ParentPort): {
  forTask: (taskId: number) => RedirectGate;
  answer: (queryId: number, verdict: RedirectVerdict) => void;
} {
  const waiting = new Map<number, (verdict: RedirectVerdict) => void>();
  let nextId = 1;
  return {
    forTask: (taskId) => (url) =>
      new Promise((resolve) => {
        const queryId = nextId++;
        waiting.set(queryId, resolve);
        port.post({ type: 'redirect-query', queryId, taskId, url });
      }),
    answer: (queryId, verdict) => {
      waiting.get(queryId)?.(verdict);
      waiting.delete(queryId);
    },
  };
}
