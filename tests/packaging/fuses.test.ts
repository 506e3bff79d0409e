import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { flipFuses, type FuseConfig } from '@electron/fuses';
import { PlatformPackager, type Configuration } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/**
 * A stock Electron binary's fuse wire (version 1, 8 fuses): run as Node,
 * NODE_OPTIONS, --inspect and file:// privileges on, the rest off.
 */
const STOCK_WIRE = '10110001';

let dist: string;
afterEach(() => rmSync(dist, { recursive: true, force: true }));

/** A stand-in for electron-builder's linux-unpacked/trawl: bytes around a fuse wire. */
function packagedBinary(): string {
  dist = mkdtempSync(path.join(tmpdir(), 'trawl-fuses-'));
  const binary = path.join(dist, 'linux-unpacked', 'trawl');
  mkdirSync(path.dirname(binary));
  const wire = Buffer.concat([Buffer.from([1, STOCK_WIRE.length]), Buffer.from(STOCK_WIRE)]);
  writeFileSync(
    binary,
    Buffer.concat([Buffer.alloc(4096, 7), Buffer.from(SENTINEL), wire, Buffer.alloc(4096, 7)]),
  );
  return binary;
}

function checkFuses(): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, ['scripts/check-fuses.mjs', dist], {
    cwd: root,
    encoding: 'utf8',
  });
  return { status: run.status, output: run.stdout + run.stderr };
}

/** electron-builder.yml's fuses flipped as `npm run dist` flips them. */
async function flipAsElectronBuilder(binary: string): Promise<void> {
  const config: Configuration = await getConfig(root, null, null);
  await validateConfiguration(config, new DebugLogger(false));
  expect(config.electronFuses).toBeTruthy();
  // electron-builder's own mapping of `electronFuses` (private in its types).
  const packager = PlatformPackager.prototype as unknown as {
    generateFuseConfig(fuses: Configuration['electronFuses']): Promise<FuseConfig>;
  };
  await flipFuses(binary, await packager.generateFuseConfig(config.electronFuses));
}

describe('the installers’ Electron fuses', () => {
  it('refuses a binary with stock fuses, naming each one that is wrong', () => {
    packagedBinary();
    const { status, output } = checkFuses();
    expect(status).toBe(1);
    expect(output).toContain('fuse RunAsNode is on, must be off');
    expect(output).toContain('fuse EnableCookieEncryption is off, must be on');
    expect(output).toContain('fuse EnableNodeOptionsEnvironmentVariable is on, must be off');
    expect(output).toContain('fuse EnableNodeCliInspectArguments is on, must be off');
    expect(output).toContain('fuse OnlyLoadAppFromAsar is off, must be on');
  });

  it('passes the binary once electron-builder.yml’s fuses are flipped in it', async () => {
    await flipAsElectronBuilder(packagedBinary());
    const { status, output } = checkFuses();
    expect(output).toContain('fuses as required');
    expect(status).toBe(0);
  });

  it('fails when the folder holds no packaged app', () => {
    dist = mkdtempSync(path.join(tmpdir(), 'trawl-fuses-'));
    const { status, output } = checkFuses();
    expect(status).toBe(1);
    expect(output).toContain('no packaged Trawl app');
  });
});
