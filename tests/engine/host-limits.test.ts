import { describe, expect, it } from 'vitest';
import { HostLimits } from '../../electron/engine/host-limits';

const hosts = Array.from({ length: 1000 }, (_, n) => `http://host-${n}.test`);

describe('HostLimits over many hosts', () => {
  it('forgets an idle host once its delay has run out, and spaces its requests until then', () => {
    const limits = new HostLimits({
      hostConcurrency: 2,
      hostDelayMs: 100,
      maxRequestsPerSecond: null,
    });
    for (const host of hosts) limits.start(host, 0);
    for (const host of hosts) limits.release(host, 10);
    // Each host's delay still runs: all are kept, and each waits it out.
    expect(limits.size).toBe(1000);
    expect(limits.waitMs(hosts[0]!, 10)).toBe(90);

    // A list crawl goes on to other hosts: the idle ones are forgotten.
    limits.start('http://next.test', 100);
    expect(limits.size).toBe(1);
    expect(limits.waitMs(hosts[0]!, 100)).toBe(0);
    // One that comes back gets the job's delay again.
    limits.start(hosts[0]!, 100);
    expect(limits.waitMs(hosts[0]!, 150)).toBe(50);
  });

  it('keeps a host whose delay outlasts its request, and applies a Crawl-delay when a forgotten host comes back', () => {
    const crawlDelays = new Map([[hosts[0]!, 2_000]]);
    const limits = new HostLimits(
      { hostConcurrency: 2, hostDelayMs: 100, maxRequestsPerSecond: null },
      (host) => crawlDelays.get(host) ?? 0,
    );
    limits.start(hosts[0]!, 0);
    limits.start(hosts[1]!, 0);
    limits.release(hosts[0]!, 500);
    limits.release(hosts[1]!, 500);
    // hosts[1]'s delay ended before its request did: forgotten at once.
    expect(limits.size).toBe(1);
    expect(limits.waitMs(hosts[0]!, 500)).toBe(1_500);

    limits.start(hosts[2]!, 2_000);
    limits.release(hosts[2]!, 2_100);
    expect(limits.size).toBe(0);
    limits.start(hosts[0]!, 3_000);
    expect(limits.waitMs(hosts[0]!, 3_000)).toBe(2_000);
  });
});
