// Built code is kept by version under node_modules/.cache/trawl: each version
// is a folder named by what it was built from, so a long-running `trawl serve`
// keeps its own files while a build from other sources (a git pull, another
// checkout sharing node_modules) lands beside them.
import { existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isAlive } from './process-alive.mjs';

const IN_USE = /^\.in-use-(\d+)$/;

/**
 * Moves the finished build folder `partial` to `version` (written whole, then
 * renamed: another trawl starting now never sees half of it), then removes
 * all but the `keep` newest folders beside it whose names match `pattern`,
 * and never one a live process uses (useVersion).
 */
export function publishVersion(partial, version, pattern, keep) {
  try {
    renameSync(partial, version);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(version)) throw error; // else another process won the race
  }
  const dir = dirname(version);
  const versions = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && pattern.test(entry.name))
    .map((entry) => join(dir, entry.name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const old of versions.slice(keep)) {
    if (!inUse(old)) rmSync(old, { recursive: true, force: true });
  }
}

/**
 * Marks `version` as used by this process until it exits: a `trawl serve`
 * that ran for days lost its UI (its page answered "not found") or its worker
 * code once enough newer builds had pushed its folder out of the newest kept.
 */
export function useVersion(version) {
  const marker = join(version, `.in-use-${process.pid}`);
  writeFileSync(marker, '');
  process.once('exit', () => rmSync(marker, { force: true }));
}

/** Whether a live process uses the folder (a killed one leaves its marker behind). */
function inUse(version) {
  return readdirSync(version).some((name) => {
    const pid = IN_USE.exec(name)?.[1];
    return pid !== undefined && isAlive(Number(pid));
  });
}
