import type { ParentPort } from './parent-port';

/** Asks main whether robots.txt allows a URL; resolves with the verdict. */
export type RobotsGate = (url: string) => Promise<boolean>;

/**
 * The worker's side of robots-query / robots-verdict. robots.txt lives in
 * main (one cache per job, Crawl-delay feeds its scheduler), so before a
 * redirect is followed the worker asks there, and the target is never
 * requested when it is disallowed. `answer` takes main's verdicts.
 */
export function createRobotsGate(port: ParentPort): {
  ask: RobotsGate;
  answer: (queryId: number, allowed: boolean) => void;
} {
  const waiting = new Map<number, (allowed: boolean) => void>();
  let nextId = 1;
  return {
    ask: (url) =>
      new Promise((resolve) => {
        const queryId = nextId++;
        waiting.set(queryId, resolve);
        port.post({ type: 'robots-query', queryId, url });
      }),
    answer: (queryId, allowed) => {
      waiting.get(queryId)?.(allowed);
      waiting.delete(queryId);
    },
  };
}
