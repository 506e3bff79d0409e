/**
 * A job-wide cap on requests started per second: a token bucket that refills
 * at `perSecond` and holds at most a tenth of a second's worth (at least one
 * token), so starts are spread evenly instead of coming in one-second bursts.
 */
export class RateLimiter {
  private readonly capacity: number;
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly perSecond: number,
    now = Date.now(),
  ) {
    this.capacity = Math.max(1, Math.floor(perSecond / 10));
    this.tokens = 1;
    this.updatedAt = now;
  }

  /** Milliseconds until a request may start (0: now). */
  waitMs(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.perSecond);
  }

  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }

  /** Gives back the token of a start that did not happen. */
  refund(): void {
    this.tokens = Math.min(this.capacity, this.tokens + 1);
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.perSecond) / 1000);
    this.updatedAt = now;
  }
}
