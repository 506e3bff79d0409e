import { readdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

/**
 * Marks every process started from here on (workers inherit the environment)
 * so a test can find any that outlived it.
 */
export function tagProcesses(): string {
  const tag = randomUUID();
  process.env.TRAWL_TEST_TAG = tag;
  return tag;
}

/** Pids of live processes carrying `tag` in their environment (Linux /proc). */
export function taggedPids(tag: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      // Zombies have exited; only their parent has not reaped them yet.
      if (environ.includes(`TRAWL_TEST_TAG=${tag}`) && !/\) Z /.test(stat))
        pids.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return pids;
}

export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits until no tagged process is alive, or fails naming the survivors. */
export async function expectNoSurvivors(tag: string, timeoutMs = 3000): Promise<void> {
  await waitFor(
    () => taggedPids(tag).length === 0,
    `orphan processes ${taggedPids(tag).join(', ')} to exit`,
    timeoutMs,
  );
}
