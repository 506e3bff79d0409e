#!/usr/bin/env node
// The `trawl` command: bundles the CLI and the modules it starts in threads and
// processes from the sources (see bundle.mjs) and runs them, so a checkout
// works with no build step. A module whose variable is already set is used as is.
import { pathToFileURL } from 'node:url';
import { bundle } from './bundle.mjs';

const started = {
  TRAWL_WORKER_MODULE: ['worker', 'electron/worker/index.ts'],
  TRAWL_RESULTS_THREAD_MODULE: ['results-thread', 'electron/engine/results/results-thread.ts'],
  TRAWL_STORE_WRITER_MODULE: [
    'store-writer-thread',
    'electron/engine/store-writer/store-writer-thread.ts',
  ],
};
const missing = Object.entries(started).filter(([variable]) => !process.env[variable]);
const built = bundle({
  cli: 'electron/cli/index.ts',
  ...Object.fromEntries(missing.map(([, [name, entry]]) => [name, entry])),
});
for (const [variable, [name]] of missing) process.env[variable] = built[name];
await import(pathToFileURL(built.cli).href);
