import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refreshPage } from '../serve/refresh-page';

/**
 * Opens `url` (which holds the access token) in the default browser without
 * putting it on a command line: the opener and the browser it starts would
 * show it to every user of the machine (`ps`, /proc/PID/cmdline) for as long
 * as they run. They get a file instead, readable by its owner only, that
 * sends the browser on to `url`. Returns the file's removal, for when
 * serving ends.
 */
export function openInBrowser(url: string, warn: (message: string) => void): () => void {
  const folder = mkdtempSync(join(tmpdir(), 'trawl-open-')); // mode 700
  const file = join(folder, 'open-trawl.html');
  writeFileSync(file, refreshPage(url), { mode: 0o600 });
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [file]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', file]]
        : ['xdg-open', [file]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => warn(`could not open a browser; open ${url}`));
  child.unref();
  return () => rmSync(folder, { recursive: true, force: true });
}
