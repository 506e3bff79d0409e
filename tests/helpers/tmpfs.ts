import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Small tmpfs mounts: a file system that fills up, for disk-full tests.
 * Mounting needs the right to (root, as on the CI machine); tests that need
 * one skip with `describe.skipIf(!canMount)`.
 */
export function mountTmpfs(dir: string, megabytes: number, remount = false): boolean {
  const options = `${remount ? 'remount,' : ''}size=${megabytes}m`;
  return spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]).status === 0;
}

const probe = mkdtempSync(join(tmpdir(), 'trawl-mount-probe-'));
export const canMount = mountTmpfs(probe, 1) && spawnSync('umount', [probe]).status === 0;
rmSync(probe, { recursive: true, force: true });

/** A new folder with a tmpfs of `megabytes` mounted on it; `remove` unmounts and deletes it. */
export function tmpfsFolder(megabytes: number): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'trawl-full-disk-'));
  if (!mountTmpfs(dir, megabytes)) throw new Error(`cannot mount a tmpfs on ${dir}`);
  return {
    dir,
    remove: () => {
      spawnSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Remounts the tmpfs on `dir` read-only, as a CD or a write-protected share is. */
export function remountReadOnly(dir: string): void {
  if (spawnSync('mount', ['-o', 'remount,ro', dir]).status !== 0)
    throw new Error(`cannot remount ${dir} read-only`);
}
