/**
 * The processes a bench starts and samples from outside: bundles of a
 * checkout's entries, the synthetic site's server, CPU time and bytes
 * written from /proc.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/**
 * Bundles `entries` (name -> path in the checkout) with the checkout's own
 * bin/bundle.mjs, as `trawl` runs them; `root` names another checkout (an
 * older tree to compare with). In a plain Node child: esbuild's sync API
 * without worker threads, as bin/bundle.mjs uses it, waits forever under
 * tsx's loader.
 */
export function bundleEntries<Name extends string>(
  entries: Record<Name, string>,
  root = here('..'),
): Record<Name, string> {
  return JSON.parse(
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { bundle } from ${JSON.stringify(join(root, 'bin/bundle.mjs'))};
         process.stdout.write(JSON.stringify(bundle(${JSON.stringify(entries)})));`,
      ],
      { encoding: 'utf8' },
    ),
  ) as Record<Name, string>;
}

/**
 * Bytes a process has passed to write calls so far (`wchar`: its files,
 * the database's WAL mostly, and its pipes).
 */
export function bytesWritten(pid: number | 'self'): number {
  return Number(/^wchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))![1]);
}

/** CPU time (user + system) of a process, or of one of its threads, so far, in milliseconds. */
export function cpuMs(pid: number, thread?: number): number {
  try {
    const stat = readFileSync(
      thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`,
      'utf8',
    );
    const fields = stat.split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return 0;
  }
}

/** The synthetic site (`pages` entries) served by static-server.ts in a process of its own. */
export async function startSiteServer(
  pages: number,
  seed: number,
): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(
    here('./static-server.ts'),
    ['--pages', String(pages), '--seed', String(seed)],
    {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = / at (http:\/\/[^ ]+?)\/? /.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', () => reject(new Error(`site server exited: ${out}`)));
  });
  return { url, child };
}
