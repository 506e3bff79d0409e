import type { ProgressSnapshot } from '../../shared/progress';

/** One status line for a terminal, redrawn in place. */
export function formatProgress(snapshot: ProgressSnapshot): string {
  const running = snapshot.workers.filter((worker) => worker.state === 'running').length;
  const parts = [
    `pages ${snapshot.pagesDone}`,
    ...(snapshot.maxPages !== null
      ? [`limit ${snapshot.pagesDone + snapshot.failed}/${snapshot.maxPages}`]
      : []),
    `${snapshot.pagesPerSecond.toFixed(1)}/s`,
    `queued ${snapshot.queued}`,
    `in flight ${snapshot.inFlight}`,
    `errors ${snapshot.failed}`,
    ...(snapshot.blocked > 0 ? [`blocked ${snapshot.blocked}`] : []),
    `workers ${running}/${snapshot.workers.length}`,
    elapsed(snapshot),
  ];
  if (snapshot.status === 'stopping') parts.push('stopping… (Ctrl-C again to force)');
  return parts.join(' · ');
}

/**
 * The job's crawl time, as the dashboard shows it: a resumed job's goes on
 * from its earlier runs (beside its total pages), with this run's apart.
 */
function elapsed({ elapsedMs, runElapsedMs }: ProgressSnapshot): string {
  const run = formatDuration(runElapsedMs);
  if (elapsedMs === null) return `${run} this run`;
  return elapsedMs === runElapsedMs ? run : `${formatDuration(elapsedMs)} (this run ${run})`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return hours > 0
    ? `${hours}:${pad(minutes % 60)}:${pad(seconds % 60)}`
    : `${minutes}:${pad(seconds % 60)}`;
}

/** Redraws one line on a TTY stream; a no-op elsewhere so logs stay clean. */
export class ProgressLine {
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  update(text: string): void {
    if (!this.enabled) return;
    const width = this.stream.columns || 120;
    this.stream.write(`\r\x1b[2K${text.slice(0, width - 1)}`);
    this.shown = true;
  }

  /** Clears the line so another message can be printed above it. */
  clear(): void {
    if (!this.shown) return;
    this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
