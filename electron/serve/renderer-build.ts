import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishVersion, useVersion } from '../../bin/versioned-cache.mjs';

/** The checkout's root: this file is bundled into node_modules/.cache/trawl/ or run from electron/serve/. */
function findRoot(): string {
  let dir = fileURLToPath(new URL('.', import.meta.url));
  while (!existsSync(join(dir, 'renderer', 'src', 'main.tsx'))) {
    const parent = join(dir, '..');
    if (parent === dir) throw new Error('cannot find the renderer sources (renderer/src/main.tsx)');
    dir = parent;
  }
  return dir;
}

/** Builds kept: a long-running `trawl serve` keeps serving its own. */
const KEEP_BUILDS = 10;

/**
 * The renderer build `trawl serve` hands out, built on demand like bin/bundle.mjs
 * builds the CLI: a checkout needs no build step. Vite runs only when the
 * sources (renderer/, shared/, the lockfile) changed since the last build.
 * Each build has its own folder, named by its sources: built into one folder
 * for all, a build from other sources (a git pull, another checkout sharing
 * node_modules) replaced the pages under a running `trawl serve`.
 * `root` is the checkout to build (tests give a copy).
 */
export async function ensureRendererBuild(
  log: (message: string) => void,
  root = findRoot(),
): Promise<string> {
  const outDir = join(
    root,
    'node_modules',
    '.cache',
    'trawl',
    `renderer-${sourceStamp(root).slice(0, 16)}`,
  );
  if (existsSync(outDir)) {
    useVersion(outDir);
    return outDir;
  }

  log('building the UI (once per change of its sources)…');
  const partial = `${outDir}.${process.pid}.partial`;
  // Loaded only here: vite is a build tool, not something every `trawl` command needs.
  const { build } = await import('vite');
  const { default: react } = await import('@vitejs/plugin-react');
  // React's production build whatever NODE_ENV says: vite builds a development one under
  // any other (the tests' NODE_ENV=test left one in the cache that a user's serve reused).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: false,
      root: join(root, 'renderer'),
      base: './',
      logLevel: 'warn',
      plugins: [react()],
      build: {
        outDir: partial,
        emptyOutDir: true,
        reportCompressedSize: false,
        // One bundle for a local app (zod and css-select make it ~600 kB): no splitting advice.
        chunkSizeWarningLimit: 2048,
        rollupOptions: {
          // zod's sources carry comments rollup cannot place; harmless, and noise on a user's terminal.
          onwarn(warning, warn) {
            if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
          },
        },
      },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  publishVersion(partial, outDir, /^renderer-[0-9a-f]{16}$/, KEEP_BUILDS);
  useVersion(outDir);
  return outDir;
}

/** Names, sizes and modification times of every source file the build reads, and of its settings. */
function sourceStamp(root: string): string {
  const hash = createHash('sha256');
  const visit = (path: string) => {
    const info = statSync(path);
    if (info.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (entry !== 'node_modules') visit(join(path, entry));
      }
    } else {
      hash.update(`${path}\0${info.size}\0${info.mtimeMs}\n`);
    }
  };
  for (const part of [
    'renderer',
    'shared',
    'package-lock.json',
    'electron/serve/renderer-build.ts',
  ]) {
    if (existsSync(join(root, part))) visit(join(root, part));
  }
  return hash.digest('hex');
}
