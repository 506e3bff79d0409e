import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundle } from '../../bin/bundle.mjs';

describe('the bundles trawl runs from', () => {
  it('are kept per version: a build from other sources leaves a running one its files', () => {
    const first = bundle({ entry: 'electron/worker/index.ts' });
    const before = readFileSync(first.entry!, 'utf8');
    // The same name built from other sources, as after a git pull while `trawl serve` runs.
    const other = bundle({ entry: 'electron/engine/store-writer/store-writer-thread.ts' });
    expect(dirname(other.entry!)).not.toBe(dirname(first.entry!));
    expect(readFileSync(first.entry!, 'utf8')).toBe(before);
    // The same sources again: the same files, not another copy.
    expect(bundle({ entry: 'electron/worker/index.ts' })).toEqual(first);
  });

  it("leave zod out of the worker's: main checks what a worker sends, and zod with the protocol's schemas kept each worker 5-8 MB larger", () => {
    const { worker } = bundle({ worker: 'electron/worker/index.ts' });
    expect(readFileSync(worker!, 'utf8')).not.toMatch(/["']zod(\/[^"']*)?["']/);
  });
});
