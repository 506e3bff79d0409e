import { Command, CommanderError } from 'commander';
import { UserError } from '../engine/user-error';
import { registerCrawlCommand } from './crawl-command';
import { registerExportCommand } from './export-command';
import { registerJobsCommand } from './jobs-command';
import { registerReportCommand } from './report-command';
import { registerCompareCommand } from './compare-command';
import { registerServeCommand } from './serve-command';

/** `trawl`: the headless host of the crawl engine. */
const program = new Command()
  .name('trawl')
  .description('Crawl websites with a pool of worker processes; results in SQLite.')
  .version('0.1.0')
  .exitOverride()
  .configureOutput({
    outputError: (text, write) => write(text.startsWith('error:') ? `trawl: ${text}` : text),
  });

// `trawl export … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

registerCrawlCommand(program);
registerJobsCommand(program);
registerExportCommand(program);
registerReportCommand(program);
registerCompareCommand(program);
registerServeCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // commander has already printed its one-line message (or help/version).
    process.exitCode = error.exitCode;
  } else if (error instanceof UserError) {
    process.stderr.write(`trawl: error: ${error.message}\n`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
