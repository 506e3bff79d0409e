#!/usr/bin/env node
// The `trawl` command: bundles the CLI and the worker from the sources (see
// bundle.mjs) and runs them, so a checkout works with no build step.
import { pathToFileURL } from 'node:url';
import { bundle } from './bundle.mjs';

process.env.TRAWL_WORKER_MODULE ??= bundle('electron/worker/index.ts', 'worker');
process.env.TRAWL_RESULTS_THREAD_MODULE ??= bundle(
  'electron/engine/results/results-thread.ts',
  'results-thread',
);
process.env.TRAWL_STORE_WRITER_MODULE ??= bundle(
  'electron/engine/store-writer/store-writer-thread.ts',
  'store-writer-thread',
);
await import(pathToFileURL(bundle('electron/cli/index.ts', 'cli')).href);
