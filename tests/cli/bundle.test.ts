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
});
