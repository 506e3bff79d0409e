// `pretest`: make sure better-sqlite3 loads under the Node that runs the tests.
// `npm run dev` / `npm run dist` rebuild it for Electron's ABI, which plain Node
// cannot load; only then (a NODE_MODULE_VERSION mismatch) is it rebuilt for
// Node here. Silent and fast (one in-memory database) when nothing needs doing.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const CHECK_ONLY = '--check-only';

function loadError() {
  try {
    const Database = require('better-sqlite3');
    const db = new Database(':memory:');
    db.prepare('SELECT 1').get();
    db.close();
    return null;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function isAbiMismatch(error) {
  return /NODE_MODULE_VERSION|compiled against a different Node\.js version/.test(error.message);
}

function fail(message) {
  console.error(`ensure-native: ${message}`);
  process.exit(1);
}

const error = loadError();
if (error === null) process.exit(0);
if (process.argv.includes(CHECK_ONLY)) fail(error.message);
if (!isAbiMismatch(error)) fail(`better-sqlite3 does not load: ${error.message}`);

console.error(
  `ensure-native: better-sqlite3 was built for another runtime (probably Electron); ` +
    `rebuilding it for Node ${process.versions.node}…`,
);
// Under `npm run`, npm_execpath is npm's own CLI script: run it with this Node.
const npmCli = process.env.npm_execpath;
const rebuild = npmCli
  ? spawnSync(process.execPath, [npmCli, 'rebuild', 'better-sqlite3'], { stdio: 'inherit' })
  : spawnSync('npm', ['rebuild', 'better-sqlite3'], {
      stdio: 'inherit',
      shell: process.platform === 'win32',
    });
if (rebuild.status !== 0) fail('`npm rebuild better-sqlite3` failed.');

// A process that has dlopen'ed the old binary cannot load the new one: check afresh.
const check = spawnSync(process.execPath, [fileURLToPath(import.meta.url), CHECK_ONLY], {
  stdio: 'inherit',
});
if (check.status !== 0) fail('better-sqlite3 still does not load after the rebuild.');
console.error('ensure-native: better-sqlite3 rebuilt for Node.');
