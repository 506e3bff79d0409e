import { MinHeap } from './min-heap';
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
 *
 * Only hosts with a request in flight or a delay still running are kept, so
 * memory follows activity, not the hosts a run has met (a list of a million
 * hosts with a delay kept a million states). A host met again starts afresh:
 * its Crawl-delay comes from `crawlDelayMs`, robots.txt as main keeps it, or
 * reaches raiseDelay when robots.txt is read again.
 */
export class HostLimits {
  private readonly hosts = new Map<string, HostState>();
  /** Idle hosts whose delay still runs, by when it ends: forgotten once it has. */
  private readonly idle = new MinHeap<{ host: string; at: number }>((entry) => entry.at);
  private readonly rate: RateLimiter | null;
  private readonly releaseListeners: ((host: string) => void)[] = [];

  constructor(
    private readonly settings: HostLimitSettings,
    /** The Crawl-delay robots.txt asks of a host, 0 for none or not known. */
    private readonly crawlDelayMs: (host: string) => number = () => 0,
  ) {
    this.rate =
      settings.maxRequestsPerSecond === null
        ? null
        : new RateLimiter(settings.maxRequestsPerSecond);
  }

  /** Hosts whose state is kept: those with requests in flight or a delay running. */
  get size(): number {
    return this.hosts.size;
  }

  /** robots.txt asked for a Crawl-delay: it raises the host's delay, never lowers it. */
  raiseDelay(host: string, delayMs: number): void {
    // A host not kept gets it from crawlDelayMs when it starts.
    const state = this.hosts.get(host);
    if (state) state.delayMs = Math.max(this.settings.hostDelayMs, delayMs);
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

  /**
   * The host asked to be left alone for `waitMs` (a 429, Retry-After): no
   * request to it starts before then, redirect hops included. Never shortens
   * a wait already running. True when the host was not waiting at `now`.
   */
  holdOff(host: string, now: number, waitMs: number): boolean {
    const state = this.state(host);
    const until = now + waitMs;
    const wasFree = state.nextStartAt <= now;
    if (until > state.nextStartAt) {
      state.nextStartAt = until;
      if (state.inFlight === 0) this.idle.push({ host, at: until });
    }
    return wasFree;
  }

  /** Milliseconds until the job-wide rate allows any start. */
  rateWaitMs(now: number): number {
    return this.rate?.waitMs(now) ?? 0;
  }

  /** Counts a request to `host` as started now; call only when waitMs said 0. */
  start(host: string, now: number): void {
    this.forgetIdle(now);
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

  /** A request to `host` finished (or will never finish) at `now`: its slot is free. */
  release(host: string, now: number): void {
    const state = this.hosts.get(host);
    if (!state || state.inFlight === 0) return;
    state.inFlight--;
    if (state.inFlight === 0) {
      if (state.nextStartAt <= now) this.hosts.delete(host);
      else this.idle.push({ host, at: state.nextStartAt });
    }
    this.forgetIdle(now);
    for (const listener of this.releaseListeners) listener(host);
  }

  onRelease(listener: (host: string) => void): void {
    this.releaseListeners.push(listener);
  }

  private state(host: string): HostState {
    let state = this.hosts.get(host);
    if (!state) {
      const delayMs = Math.max(this.settings.hostDelayMs, this.crawlDelayMs(host));
      state = { inFlight: 0, nextStartAt: 0, delayMs };
      this.hosts.set(host, state);
    }
    return state;
  }

  /** Forgets the idle hosts whose delay has run out by `now`: nothing of theirs still applies. */
  private forgetIdle(now: number): void {
    for (let entry = this.idle.peek(); entry && entry.at <= now; entry = this.idle.peek()) {
      this.idle.pop();
      const state = this.hosts.get(entry.host);
      // Skipped when the host started again since: a later release queues it anew.
      if (state && state.inFlight === 0 && state.nextStartAt <= now) this.hosts.delete(entry.host);
    }
  }
}

/** The host key of a URL (see HostLimits). */
export function hostOf(url: string): string {
  return new URL(url).origin;
}
