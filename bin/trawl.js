#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx compiles on load and caches), so a
// checkout works with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/index.ts');
