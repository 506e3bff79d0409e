// `node scripts/check-fuses.mjs [dist]`: checks the Electron fuses of every app
// electron-builder packaged into `dist` (its `*-unpacked` and `mac*` folders).
// The installers workflow runs it after `npm run dist`, so an installer whose
// binary lost a fuse (electron-builder.yml's `electronFuses` edited, or ignored
// by a newer electron-builder) fails the build instead of shipping.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';

/**
 * The fuses a shipped Trawl must have, as electron-builder.yml sets them. The
 * app needs none of what the disabled ones allow: workers are utilityProcesses,
 * not `ELECTRON_RUN_AS_NODE` forks, and nothing reads NODE_OPTIONS or --inspect.
 */
const REQUIRED = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  OnlyLoadAppFromAsar: true,
};

/** A fuse's byte in the wire: ASCII '1' on, '0' off (@electron/fuses' FuseState). */
const ON = '1'.charCodeAt(0);
const OFF = '0'.charCodeAt(0);

/** The Electron binaries in electron-builder's output folder, one per packaged app. */
async function packagedApps(dist) {
  const apps = [];
  for (const folder of await readdir(dist, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    const names = await readdir(path.join(dist, folder.name));
    const binary = names.find(
      (name) => name === 'Trawl.app' || name === 'Trawl.exe' || name === 'trawl',
    );
    if (binary) apps.push(path.join(dist, folder.name, binary));
  }
  return apps;
}

/** What is wrong with one app's fuses, as lines for the log. */
async function problems(app) {
  const wire = await getCurrentFuseWire(app);
  return Object.entries(REQUIRED).flatMap(([name, wanted]) => {
    const state = wire[FuseV1Options[name]];
    if (state === (wanted ? ON : OFF)) return [];
    const found = state === ON ? 'on' : state === OFF ? 'off' : `missing (${state})`;
    return [`${app}: fuse ${name} is ${found}, must be ${wanted ? 'on' : 'off'}`];
  });
}

const dist = process.argv[2] ?? 'dist';
const apps = await packagedApps(dist).catch((error) => {
  console.error(`check-fuses: cannot read ${dist}: ${error.message}`);
  process.exit(1);
});
if (apps.length === 0) {
  console.error(`check-fuses: no packaged Trawl app in ${dist} (run npm run dist first)`);
  process.exit(1);
}
const found = (await Promise.all(apps.map(problems))).flat();
for (const line of found) console.error(line);
if (found.length > 0) process.exit(1);
console.log(`check-fuses: ${apps.join(', ')}: fuses as required`);
