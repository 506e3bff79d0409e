// Built code is kept by version under node_modules/.cache/trawl: each version
// is a folder named by what it was built from, so a long-running `trawl serve`
// keeps its own files while a build from other sources (a git pull, another
// checkout sharing node_modules) lands beside them.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Moves the finished build folder `partial` to `version` (written whole, then
 * renamed: another trawl starting now never sees half of it), then removes
 * all but the `keep` newest folders beside it whose names match `pattern`.
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
  for (const old of versions.slice(keep)) rmSync(old, { recursive: true, force: true });
}
