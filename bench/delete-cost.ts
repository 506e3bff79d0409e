/**
 * Deleting a large job with `trawl jobs delete` (a real child process) while
 * another connection to the file writes a row every 20 ms, as the writer of
 * a job crawling meanwhile would. Prints how long the deletion took, from
 * the job marked `deleting` to the process's exit, and, for the other
 * writer, how many writes it made, its longest wait for the write lock and
 * how many gave up (SQLITE_BUSY after --busy-ms).
 *
 * The job (--pages, --links a page) is stored once a tree, by its own
 * code; every run deletes it from a fresh copy. --trees A,B alternates
 * source trees (a clone of an older commit beside this one, with its
 * node_modules) run after run. --long-read
 * holds a read transaction open from before the deletion (an export), so the
 * deleting process's checkpoints copy nothing and leave the lock no gaps.
 *
 *   npx tsx bench/delete-cost.ts [--pages 60000] [--links 20] [--runs 3]
 *     [--busy-ms 5000] [--long-read] [--trees .,/tmp/old]
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type * as StoredJob from '../tests/results/stored-job';
import { option, positiveInteger } from './bench-options';
import { alternateTrees, writeMeanwhile } from './other-writer';
import { loadSourceTree } from './source-tree';

const PAGES = positiveInteger('pages', '60000');
const LINKS = positiveInteger('links', '20');
const RUNS = positiveInteger('runs', '3');
const BUSY_MS = positiveInteger('busy-ms', '5000');
const TREES = option('trees', '.').split(',');
const LONG_READ = process.argv.includes('--long-read');

const dir = mkdtempSync(join(tmpdir(), 'trawl-delete-cost-'));

/**
 * A tree's own store modules, and the job stored by them: each tree deletes
 * a file at its own schema (an older tree refuses a newer one).
 */
async function loadTree(name: string, index: number) {
  const tree = await loadSourceTree(name);
  const { storeLargeJob } = (await import(
    join(resolve(name), 'tests/results/stored-job.ts')
  )) as typeof StoredJob;
  const template = join(dir, `template-${index}.sqlite`);
  const stored = tree.openDatabase(template);
  storeLargeJob(stored, PAGES, LINKS);
  stored.close();
  return { ...tree, template };
}

async function deleteOnce(tree: Awaited<ReturnType<typeof loadTree>>, run: number) {
  const file = join(dir, `run-${run}.sqlite`);
  copyFileSync(tree.template, file);
  const db = tree.openDatabase(file);
  try {
    // The crawl whose writer keeps writing to the file meanwhile.
    const crawl = tree.createJob(db, ['http://127.0.0.1:9/']);
    tree.markStarted(db, crawl);
    db.pragma(`busy_timeout = ${BUSY_MS}`);
    const reader = LONG_READ ? new Database(file, { readonly: true }) : null;
    reader?.prepare('BEGIN').run();
    reader?.prepare('SELECT count(*) FROM pages').get();
    const child = spawn(
      process.execPath,
      [join(resolve(tree.name), 'bin/trawl.js'), 'jobs', 'delete', '1', '--db', file],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let exited = false;
    const exit = new Promise<number | null>((done) => child.on('close', done)).then((code) => {
      exited = true;
      if (code !== 0) throw new Error(`trawl jobs delete failed: ${stderr}`);
    });
    const status = db.prepare('SELECT status FROM jobs WHERE id = 1').pluck();
    while (!exited && status.get() !== 'deleting') await delay(5);
    const started = performance.now();
    const other = await writeMeanwhile(db, crawl, () => exited);
    await exit;
    reader?.close();
    return { seconds: (performance.now() - started) / 1000, ...other };
  } finally {
    db.close();
    rmSync(file, { force: true });
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
  }
}

try {
  const trees = [];
  for (const [index, name] of TREES.entries()) trees.push(await loadTree(name, index));
  console.log(
    `a job of ${PAGES} pages with ${LINKS} links each, ${RUNS} runs a tree` +
      (LONG_READ ? ', a long read open' : ''),
  );
  await alternateTrees(trees, RUNS, 'delete', deleteOnce);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
