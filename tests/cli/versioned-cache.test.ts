import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { publishVersion, useVersion } from '../../bin/versioned-cache.mjs';
import { waitFor } from '../helpers/processes';

const VERSIONED_CACHE = join(import.meta.dirname, '..', '..', 'bin', 'versioned-cache.mjs');
const VERSION = /^v\d$/;
let cache = '';
afterEach(() => rmSync(cache, { recursive: true, force: true }));

/** A finished build folder named `name`, `age` seconds old. */
function build(name: string, age: number): string {
  const dir = join(cache, name);
  mkdirSync(dir);
  const at = Date.now() / 1000 - age;
  utimesSync(dir, at, at);
  return dir;
}

describe('the versioned build cache', () => {
  it('keeps the folders live processes use, however many newer builds came since', async () => {
    cache = mkdtempSync(join(tmpdir(), 'trawl-cache-'));
    const used = build('v1', 300);
    const abandoned = build('v2', 200);
    const old = build('v3', 100);
    useVersion(used); // as trawl serve does with its UI and its worker code
    // A trawl serve that was killed (kill -9) leaves its mark behind.
    const killed = spawn(process.execPath, [
      '--input-type=module',
      '-e',
      `import { useVersion } from ${JSON.stringify(VERSIONED_CACHE)};
       useVersion(${JSON.stringify(abandoned)}); setInterval(() => {}, 1000);`,
    ]);
    await waitFor(() => readdirSync(abandoned).length > 0, 'the mark of the process');
    const exited = new Promise((resolve) => killed.once('exit', resolve));
    killed.kill('SIGKILL');
    await exited;

    const partial = build('v4.partial', 0);
    publishVersion(partial, join(cache, 'v4'), VERSION, 1);
    // Pushed out by a newer build, its page answered "not found".
    expect(existsSync(used)).toBe(true);
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(old)).toBe(false);
    expect(readdirSync(cache).sort()).toEqual(['v1', 'v4']);
  });
});
