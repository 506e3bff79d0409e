import type { Db } from '../electron/engine/store/database';
import { median } from './bench-options';

/** What the other writer saw: writes made, writes that gave up, its longest wait. */
export interface OtherWriterFigures {
  writes: number;
  busy: number;
  longestMs: number;
}

/**
 * Another job's writer: updates job `jobId`'s row every 20 ms through `db`
 * (its busy timeout set by the caller) until `done()`, timing each wait for
 * the write lock. Returns how many writes it made, how many gave up
 * (SQLITE_BUSY) and its longest wait.
 */
export async function writeMeanwhile(
  db: Db,
  jobId: number,
  done: () => boolean,
): Promise<OtherWriterFigures> {
  const bump = db.prepare('UPDATE jobs SET pages = pages + 1 WHERE id = ?');
  let writes = 0;
  let busy = 0;
  let longestMs = 0;
  while (!done()) {
    const asked = performance.now();
    try {
      bump.run(jobId);
      writes++;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
      busy++;
    }
    longestMs = Math.max(longestMs, performance.now() - asked);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { writes, busy, longestMs };
}

/**
 * Runs `once` for every tree, `runs` times over, alternating the trees run
 * after run; prints each run's time (`what`: seed, delete) and the other
 * writer's figures, then each tree's median time.
 */
export async function alternateTrees<T extends { name: string }>(
  trees: readonly T[],
  runs: number,
  what: string,
  once: (tree: T, run: number) => Promise<{ seconds: number } & OtherWriterFigures>,
): Promise<void> {
  const seconds = new Map(trees.map((tree) => [tree, [] as number[]]));
  for (let run = 0; run < runs; run++) {
    for (const tree of trees) {
      const result = await once(tree, run);
      seconds.get(tree)!.push(result.seconds);
      console.log(
        `  ${tree.name.padEnd(20)} ${what} ${result.seconds.toFixed(2)} s; other writer: ` +
          `${result.writes} writes, longest wait ${Math.round(result.longestMs)} ms, ` +
          `${result.busy} gave up`,
      );
    }
  }
  for (const [tree, times] of seconds) {
    console.log(`${tree.name.padEnd(22)} median ${median(times).toFixed(2)} s`);
  }
}
