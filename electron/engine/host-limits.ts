import { RateLimiter } from './rate-limiter';

export interface HostLimitSettings {
  /** Requests in flight to one host at a time. */
  hostConcurrency: number;
  /** Least time between the starts of two requests to one host. */
  hostDelayMs: number;
  /** Job-wide cap on requests started per second; null for none. */
  maxRequestsPerSecond: number | null;
}

interface HostState {
  inFlight: number;
  /** When the next request to this host may start (its delay after the last start). */
  nextStartAt: number;
  delayMs: number;
}

/**
 * The politeness limits every request of a job goes through, page fetches
 * and external link checks alike. A host is an origin (scheme, host name
 * and port): the unit robots.txt and its Crawl-delay apply to.
 */
export class HostLimits {
  private readonly hosts = new Map<string, HostState>();
  private readonly rate: RateLimiter | null;
  private readonly releaseListeners: ((host: string) => void)[] = [];

  constructor(private readonly settings: HostLimitSettings) {
    this.rate =
      settings.maxRequestsPerSecond === null
        ? null
        : new RateLimiter(settings.maxRequestsPerSecond);
  }

  /** robots.txt asked for a Crawl-delay: it raises the host's delay, never lowers it. */
  raiseDelay(host: string, delayMs: number): void {
    const state = this.state(host);
    state.delayMs = Math.max(this.settings.hostDelayMs, delayMs);
  }

  delayOf(host: string): number {
    return this.hosts.get(host)?.delayMs ?? this.settings.hostDelayMs;
  }

  /**
   * Milliseconds until a request to `host` may start: 0 for now, Infinity
   * while the host has all its requests in flight (one must finish first).
   */
  waitMs(host: string, now: number): number {
    const state = this.hosts.get(host);
    if (state && state.inFlight >= this.settings.hostConcurrency) return Infinity;
    return this.hopWaitMs(host, now);
  }

  /**
   * Milliseconds until a request in flight to `host` may make its next
   * request there (a redirect hop): the host's delay and the job's rate;
   * not a slot, which it holds.
   */
  hopWaitMs(host: string, now: number): number {
    const state = this.hosts.get(host);
    return Math.max(state ? state.nextStartAt - now : 0, this.rate?.waitMs(now) ?? 0, 0);
  }

  /** Milliseconds until the job-wide rate allows any start. */
  rateWaitMs(now: number): number {
    return this.rate?.waitMs(now) ?? 0;
  }

  /** Counts a request to `host` as started now; call only when waitMs said 0. */
  start(host: string, now: number): void {
    const state = this.state(host);
    state.inFlight++;
    state.nextStartAt = now + state.delayMs;
    this.rate?.take(now);
  }

  /** Counts a redirect hop of a request in flight to `host` as a start now; it keeps its slot. */
  restart(host: string, now: number): void {
    const state = this.state(host);
    state.nextStartAt = now + state.delayMs;
    this.rate?.take(now);
  }

  /** Undoes start() for a request that was not sent; the host's delay still runs. */
  unstart(host: string): void {
    this.state(host).inFlight--;
    this.rate?.refund();
  }

  /** A request to `host` finished (or will never finish): its slot is free. */
  release(host: string): void {
    const state = this.hosts.get(host);
    if (!state || state.inFlight === 0) return;
    state.inFlight--;
    // Forget idle hosts with nothing to remember (no delay running), so memory follows activity.
    if (state.inFlight === 0 && state.delayMs === 0) this.hosts.delete(host);
    for (const listener of this.releaseListeners) listener(host);
  }

  onRelease(listener: (host: string) => void): void {
    this.releaseListeners.push(listener);
  }

  private state(host: string): HostState {
    let state = this.hosts.get(host);
    if (!state) {
      state = { inFlight: 0, nextStartAt: 0, delayMs: this.settings.hostDelayMs };
      this.hosts.set(host, state);
    }
    return state;
  }
}

/** The host key of a URL (see HostLimits). */
export function hostOf(url: string): string {
  return new URL(url).origin;
}
