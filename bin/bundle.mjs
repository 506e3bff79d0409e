// Bundles TypeScript entries of this checkout into ESM files with esbuild
// (tens of milliseconds), so `trawl` and its workers run as plain Node: no
// loader hooks, no extra threads or helper processes, about 35 MB less per
// process than running the sources through tsx. Dependencies stay external
// and resolve from the checkout's node_modules.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishVersion, useVersion } from './versioned-cache.mjs';

// Sync builds in a child process that is waited for. By default esbuild runs them from a
// worker thread with a service process that lives on (about 30 MB), and once stopped
// that process was never reaped: a zombie beside every crawl and `trawl serve`.
process.env.ESBUILD_WORKER_THREADS = '0';
const { buildSync } = await import('esbuild');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = join(root, 'node_modules', '.cache', 'trawl');
/** Bundle versions kept: a long-running `trawl serve` starts workers from its own. */
const KEEP_VERSIONS = 20;

/**
 * Bundles each entry of `entries` (name -> path relative to the repository
 * root) in one esbuild run; returns name -> the bundle's path. Each build
 * goes to a folder named by its contents: written to one folder for all, a
 * build from changed sources (a git pull, another checkout sharing
 * node_modules) replaced the worker and thread files under a running
 * `trawl serve`, whose next job then started code of another version.
 */
export function bundle(entries) {
  const { outputFiles } = buildSync({
    entryPoints: Object.fromEntries(
      Object.entries(entries).map(([name, entry]) => [name, join(root, entry)]),
    ),
    outdir: cacheDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    write: false,
  });
  const hash = createHash('sha256');
  for (const { path, contents } of outputFiles) hash.update(basename(path)).update(contents);
  const version = join(cacheDir, hash.digest('hex').slice(0, 16));
  if (!existsSync(version)) {
    const partial = `${version}.${process.pid}.partial`;
    mkdirSync(partial, { recursive: true });
    for (const { path, contents } of outputFiles)
      writeFileSync(join(partial, basename(path)), contents);
    publishVersion(partial, version, /^[0-9a-f]{16}$/, KEEP_VERSIONS);
  }
  useVersion(version);
  return Object.fromEntries(
    Object.keys(entries).map((name) => [name, join(version, `${name}.mjs`)]),
  );
}
