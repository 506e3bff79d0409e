import type { Command } from 'commander';
import { ChildProcessLauncher } from '../engine/child-process-launcher';
import { ResultsClient } from '../engine/results/results-client';
import { openDatabase } from '../engine/store/database';
import { CrawlerHost } from '../serve/crawler-host';
import { ExportRuns } from '../engine/export/export-runs';
import type { Logger } from '../engine/logger';
import { exportDownload } from '../serve/export-download';
import { ensureRendererBuild } from '../serve/renderer-build';
import { startServeHost } from '../serve/serve-host';
import { DB_OPTION_HELP, databasePath, wholeNumber } from './options';
import { openInBrowser } from './open-in-browser';
import { upgradeNotice } from './with-database';

interface ServeOptions {
  port: number;
  host: string;
  db?: string;
  open?: boolean;
}

const VERSION = '0.1.0';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the Trawl UI to a browser (crawls run in this process)')
    .option('--port <n>', 'port to listen on (0: any free port)', wholeNumber(0, 65535), 4780)
    .option('--host <address>', 'address to bind; anything but loopback exposes Trawl', '127.0.0.1')
    .option('--db <file>', DB_OPTION_HELP)
    .option('--open', 'open the URL in the default browser')
    .action(async (options: ServeOptions) => serve(options));
}

async function serve(options: ServeOptions): Promise<void> {
  const log = (level: string, message: string) => {
    if (level !== 'debug') process.stderr.write(`trawl: ${level}: ${message}\n`);
  };
  const staticDir = await ensureRendererBuild((message) => log('info', message));
  const file = databasePath(options.db);
  const db = openDatabase(file, {
    onUpgrade: (from, to) => log('info', upgradeNotice(file, from, to)),
  });
  const results = new ResultsClient(file, log);
  const exports = new ExportRuns();
  const api = new CrawlerHost({
    db,
    launcher: new ChildProcessLauncher(),
    version: VERSION,
    logger: log,
    results,
    exportJob: async (request) => exportDownload(request),
    exports,
  });
  // Closed however serving ends: the results thread would keep the process alive.
  try {
    const host = await startServeHost({
      api,
      exports,
      staticDir,
      dbFile: file,
      host: options.host,
      port: options.port,
      logger: log,
    });
    // The URL (with its token) is the one line on stdout: scripts and tests read it.
    process.stdout.write(`${host.url}\n`);
    const removeOpener = options.open ? openInBrowser(host.url, (text) => log('warn', text)) : null;
    await untilStopped(api, log);
    removeOpener?.();
    await host.close();
  } finally {
    await results.close();
    db.close();
  }
}

/** Resolves once a first Ctrl-C (or SIGTERM) has stopped the running jobs; a second forces. */
function untilStopped(api: CrawlerHost, log: Logger): Promise<void> {
  let interrupts = 0;
  return new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      interrupts++;
      const force = interrupts > 1;
      log(
        'info',
        `${signal}: ${force ? 'force stopping' : 'stopping'} running jobs (Ctrl-C again to force)`,
      );
      if (interrupts === 1) {
        void api.stopAll().finally(resolve);
      } else {
        void api.stopAll({ force: true });
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
