/**
 * A job's crawl time: what its earlier runs spent crawling (as stored) plus
 * this run, so that a resumed job's Elapsed goes on from where it stopped.
 * Pauses between runs are not crawl time, so the clock is not the job's
 * `started_at`.
 */
export class CrawlClock {
  private readonly startedAt = Date.now();
  private runCounted = true;

  /** `earlierMs`: null when an earlier run's time is unknown (it ran before Trawl stored it). */
  constructor(private readonly earlierMs: number | null) {}

  /** Since this run started (the job was started or resumed). */
  runMs(now = Date.now()): number {
    return now - this.startedAt;
  }

  /** Over all the job's runs, this one included; null when an earlier run's is unknown. */
  totalMs(now = Date.now()): number | null {
    if (this.earlierMs === null) return null;
    return this.runCounted ? this.earlierMs + this.runMs(now) : this.earlierMs;
  }

  /** This run crawled nothing (a finished job resumed): its time is no crawl time. */
  discardRun(): void {
    this.runCounted = false;
  }
}
