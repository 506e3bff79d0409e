import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureRendererBuild } from '../../electron/serve/renderer-build';

const repo = join(import.meta.dirname, '..', '..');
let checkout: string | undefined;
afterEach(() => {
  if (checkout) rmSync(checkout, { recursive: true, force: true });
  checkout = undefined;
});

/** A copy of the UI's sources with its own build cache (packages linked one by one). */
function copyCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'trawl-checkout-'));
  for (const part of ['renderer', 'shared', 'package-lock.json']) {
    cpSync(join(repo, part), join(dir, part), { recursive: true });
  }
  mkdirSync(join(dir, 'node_modules'));
  for (const name of readdirSync(join(repo, 'node_modules'))) {
    if (name !== '.cache')
      symlinkSync(join(repo, 'node_modules', name), join(dir, 'node_modules', name));
  }
  return dir;
}

describe('the UI build trawl serve hands out', () => {
  it('is kept per version: a build from other sources leaves a running host its pages', async () => {
    checkout = copyCheckout();
    const logs: string[] = [];
    const log = (message: string) => logs.push(message);
    const first = await ensureRendererBuild(log, checkout);
    const page = readFileSync(join(first, 'index.html'), 'utf8');
    const assets = readdirSync(join(first, 'assets')).sort();
    expect(page).toContain('<title>Trawl</title>');
    // React's production build, whatever NODE_ENV says (vitest sets "test"): a development
    // build left in the cache by the tests was what a user's trawl serve then handed out.
    for (const asset of assets.filter((name) => name.endsWith('.js'))) {
      const code = readFileSync(join(first, 'assets', asset), 'utf8');
      expect(code).not.toContain('Download the React DevTools');
      expect(code).not.toContain('jsxDEV');
    }
    expect(process.env.NODE_ENV).toBe('test');
    // In use by this host until it exits: newer builds never push it out (versioned-cache.test).
    expect(readdirSync(first)).toContain(`.in-use-${process.pid}`);

    // The sources change under a running host, as after a git pull.
    const html = join(checkout, 'renderer', 'index.html');
    writeFileSync(
      html,
      readFileSync(html, 'utf8').replace('<title>Trawl</title>', '<title>Trawl 2</title>'),
    );
    const second = await ensureRendererBuild(log, checkout);
    expect(second).not.toBe(first);
    expect(readFileSync(join(second, 'index.html'), 'utf8')).toContain('<title>Trawl 2</title>');
    expect(readFileSync(join(first, 'index.html'), 'utf8')).toBe(page);
    expect(readdirSync(join(first, 'assets')).sort()).toEqual(assets);

    // Unchanged sources: the same build, not another.
    expect(logs).toHaveLength(2);
    expect(await ensureRendererBuild(log, checkout)).toBe(second);
    expect(logs).toHaveLength(2);
  }, 60_000);
});
