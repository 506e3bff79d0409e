import { describe, expect, it } from 'vitest';
import { HostLimits } from '../../electron/engine/host-limits';
import { HostScheduler, type RobotsGate } from '../../electron/engine/host-scheduler';
import type { CrawlTask } from '../../shared/worker-protocol';

/** A scheduler over a fixed list of URLs, as the frontier would give them. */
function scheduler(
  urls: string[],
  options: {
    hostConcurrency?: number;
    hostDelayMs?: number;
    robots?: RobotsGate;
    maxBuffered?: number;
  } = {},
) {
  const source: CrawlTask[] = urls.map((url, id) => ({ id, url, depth: 0 }));
  const blocked: string[] = [];
  let taken = 0;
  let wake: () => void = () => {};
  const woken = () => new Promise<void>((resolve) => (wake = resolve));
  const limits = new HostLimits({
    hostConcurrency: options.hostConcurrency ?? 1,
    hostDelayMs: options.hostDelayMs ?? 0,
    maxRequestsPerSecond: null,
  });
  const hosts = new HostScheduler({
    take: () => (taken < source.length ? source[taken++] : undefined),
    limits,
    robots: options.robots ?? null,
    onBlocked: (task) => blocked.push(task.url),
    onWake: () => wake(),
    maxBuffered: options.maxBuffered ?? 1000,
  });
  return { hosts, blocked, taken: () => taken, woken, next: () => hosts.next()?.url };
}

/** Blocks for `ms`: no timer can run meanwhile, so the next call to next() sees everything that fell due. */
function blockFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe('HostScheduler', () => {
  it('lets other hosts go ahead of one at its limit, and keeps each host in order', () => {
    const { hosts, next } = scheduler(['http://a/1', 'http://a/2', 'http://a/3', 'http://b/1']);
    expect(next()).toBe('http://a/1');
    expect(next()).toBe('http://b/1');
    expect(next()).toBeUndefined();
    hosts.finished({ id: 0, url: 'http://a/1', depth: 0 });
    expect(next()).toBe('http://a/2');
    expect(next()).toBeUndefined();
    expect(hosts.size).toBe(1);
  });

  it('takes no more than its buffer from the frontier while a host is busy', () => {
    const urls = Array.from({ length: 100 }, (_, n) => `http://a/${n}`);
    const { taken, next } = scheduler(urls, { maxBuffered: 10 });
    expect(next()).toBe('http://a/0');
    expect(next()).toBeUndefined();
    expect(next()).toBeUndefined();
    expect(taken()).toBe(11);
  });

  it('gives a put-back task its place and slot again', () => {
    const { hosts, next } = scheduler(['http://a/1', 'http://a/2']);
    const task = hosts.next()!;
    hosts.putBack(task);
    expect(next()).toBe('http://a/1');
  });

  it('holds a host while its robots.txt is pending and reports blocked URLs', () => {
    const verdicts = new Map<string, 'allowed' | 'pending'>([['http://a', 'pending']]);
    const robots: RobotsGate = (url) =>
      url.includes('/private')
        ? { error: 'blocked by robots.txt', unavailable: false }
        : (verdicts.get(new URL(url).origin) ?? 'allowed');
    const { hosts, blocked, next } = scheduler(['http://a/private', 'http://a/1', 'http://b/1'], {
      robots,
      hostConcurrency: 5,
    });
    expect(next()).toBe('http://b/1');
    expect(next()).toBeUndefined();
    verdicts.set('http://a', 'allowed');
    hosts.robotsLoaded('http://a');
    expect(next()).toBe('http://a/1');
    expect(blocked).toEqual(['http://a/private']);
  });

  it('arms one timer for a host delay and serves the host again when it fires', async () => {
    const { woken, next } = scheduler(['http://a/1', 'http://a/2'], {
      hostDelayMs: 50,
      hostConcurrency: 5,
    });
    const wakeUp = woken();
    expect(next()).toBe('http://a/1');
    expect(next()).toBeUndefined();
    await wakeUp;
    // The timer may fire a moment before Date.now() reaches its time: it re-arms then.
    let url = next();
    while (!url) {
      await woken();
      url = next();
    }
    expect(url).toBe('http://a/2');
  });

  it('holds a redirect to another host until that host has a free slot, then frees the old one', () => {
    const { hosts } = scheduler(['http://a/1', 'http://b/1', 'http://a/2']);
    const fromA = hosts.next()!;
    const onB = hosts.next()!;
    expect(hosts.next()).toBeUndefined(); // a/2 waits for a's slot
    const granted: string[] = [];
    hosts.hop(fromA.id, 'http://b/elsewhere', () => granted.push('a/1 -> b'));
    expect(granted).toEqual([]); // b's one slot is b/1's
    hosts.finished(onB);
    expect(granted).toEqual(['a/1 -> b']);
    // a/1 now holds b's slot, and a's is free for a/2.
    expect(hosts.next()?.url).toBe('http://a/2');
    hosts.finished(fromA);
    hosts.hop(onB.id, 'http://b/again', () => granted.push('ended'));
    expect(granted).toEqual(['a/1 -> b']); // b/1 had finished: its hop is dropped
  });

  it('starts a queued page and a redirect hop to one host a delay apart when both fall due at once', () => {
    const { hosts } = scheduler(['http://a/1', 'http://a/2'], {
      hostDelayMs: 60,
      hostConcurrency: 5,
    });
    const first = hosts.next()!;
    expect(hosts.next()).toBeUndefined(); // a/2 waits for the delay
    let hopGranted = false;
    hosts.hop(first.id, 'http://a/moved', () => (hopGranted = true));
    expect(hopGranted).toBe(false);
    blockFor(70); // both fall due before a timer could serve either
    expect(hosts.next()).toBeUndefined();
    // The request in flight went first; a/2 waits one more delay.
    expect(hopGranted).toBe(true);
    hosts.dispose();
  });

  it("gives a redirect from another host a host's last slot, not also its queued page, when both fall due at once", () => {
    const { hosts } = scheduler(['http://b/1', 'http://a/1', 'http://b/2'], { hostDelayMs: 60 });
    const onB = hosts.next()!;
    const fromA = hosts.next()!;
    expect(hosts.next()).toBeUndefined(); // b/2 waits for b's one slot
    hosts.finished(onB); // the slot is free, b's delay still runs
    let hopGranted = false;
    hosts.hop(fromA.id, 'http://b/moved', () => (hopGranted = true));
    blockFor(70);
    expect(hosts.next()).toBeUndefined();
    expect(hopGranted).toBe(true);
    hosts.dispose();
  });

  it('spaces a redirect to the same host by its delay, keeping the slot', async () => {
    const { hosts, woken } = scheduler(['http://a/1'], { hostDelayMs: 150 });
    const task = hosts.next()!;
    const started = Date.now();
    const granted = new Promise<number>((resolve) =>
      hosts.hop(task.id, 'http://a/moved', () => resolve(Date.now())),
    );
    const wake = woken();
    expect(await granted).toBeGreaterThanOrEqual(started + 140);
    await wake;
  });
  it('withdraws a task waiting for its host, never one dispatched, and serves the rest in order', () => {
    const { hosts, next } = scheduler(['http://a/1', 'http://a/2', 'http://a/3', 'http://b/1']);
    const first = hosts.next()!;
    expect(next()).toBe('http://b/1');
    expect(hosts.size).toBe(2); // a/2 and a/3 wait for a's one slot
    expect(hosts.withdraw('http://a/1')).toBeUndefined();
    expect(hosts.withdraw('http://a/2')).toMatchObject({ url: 'http://a/2' });
    expect(hosts.withdraw('http://a/2')).toBeUndefined();
    expect(hosts.size).toBe(1);
    hosts.finished(first);
    expect(next()).toBe('http://a/3');
    expect(hosts.withdraw('http://a/3')).toBeUndefined();
    expect(next()).toBeUndefined();
  });

  it("withdraws a host's last waiting task whether its queue is ready or asleep", () => {
    // Ready: b's queue is placed while a's one slot is taken, then emptied.
    const ready = scheduler(['http://a/1', 'http://b/1']);
    ready.hosts.next();
    ready.hosts.putBack(ready.hosts.next()!);
    expect(ready.hosts.withdraw('http://b/1')).toBeDefined();
    expect(ready.next()).toBeUndefined();
    expect(ready.hosts.size).toBe(0);
    // Asleep for its delay, then given a task again: only that one is served.
    const asleep = scheduler(['http://a/1', 'http://a/2', 'http://a/3'], {
      hostDelayMs: 30,
      hostConcurrency: 5,
      maxBuffered: 1,
    });
    expect(asleep.next()).toBe('http://a/1');
    expect(asleep.next()).toBeUndefined(); // a/2 sleeps out a's delay
    expect(asleep.hosts.withdraw('http://a/2')).toBeDefined();
    blockFor(40);
    expect(asleep.next()).toBe('http://a/3');
    expect(asleep.next()).toBeUndefined();
    asleep.hosts.dispose();
  });
});
