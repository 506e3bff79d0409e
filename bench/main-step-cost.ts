/**
 * What main's process spends a page between a worker and the store writer
 * thread, with no crawl around it: the synthetic site's HTML pages (analysed
 * once by each tree's worker code, 4 results a message as a busy worker
 * sends them) are read from their IPC bytes (`v8.deserialize`, as Node's
 * advanced serialization does), checked with the tree's `workerToMainSchema`,
 * gathered into batches of 96 and posted to a worker thread, which receives
 * each batch (the structured clone's other half) and reads every link to
 * follow, as the store writer does. Prints the process's CPU a page (both
 * threads) for each round, and each step's time on main's thread.
 *
 * --trees A,B alternates source trees (a clone of an older commit beside
 * this one) round after round in one process, so both see the same machine.
 *
 *   npx tsx bench/main-step-cost.ts [--pages 2000] [--repeat 4] [--rounds 10]
 *     [--trees .,/tmp/old]
 */
import { join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { FetchedPage } from '../shared/worker-protocol';
import { median, option, positiveInteger } from './bench-options';

const PAGES = positiveInteger('pages', '2000');
const REPEAT = positiveInteger('repeat', '4');
const ROUNDS = positiveInteger('rounds', '10');
const TREES = option('trees', '.').split(',');
const PER_MESSAGE = 4;
const BATCH = 96;

/**
 * The writer's side: reads each page's links to follow, as URLs (\`links\`)
 * or as indexes into its outlinks and the URLs not among them (\`follow\`,
 * \`extraLinks\`: the sixteenth session's shape, tried and not kept).
 */
const THREAD = `
const { parentPort } = require('node:worker_threads');
let chars = 0;
const read = (page) => {
  if (page.links) for (const url of page.links) chars += url.length;
  else {
    for (const index of page.follow) chars += page.outlinks.urls[index].length;
    for (const url of page.extraLinks) chars += url.length;
  }
};
parentPort.on('message', (batch) => {
  if (batch === 'end') return parentPort.postMessage(chars);
  for (const { page } of batch) read(page.target ?? page);
});`;

interface Tree {
  name: string;
  schema: { parse: (raw: unknown) => { type: string; results?: { taskId: number }[] } };
  /** Each message's IPC bytes, as the worker sends them. */
  messages: Buffer[];
  serializeUs: number;
}

async function loadTree(dir: string): Promise<Tree> {
  const root = resolve(dir);
  const { analysedPages } = await import(join(root, 'bench/analysed-pages.ts'));
  const { workerToMainSchema } = await import(join(root, 'shared/worker-protocol.ts'));
  const pages = analysedPages(PAGES, 20_000) as FetchedPage[];
  const messages: Buffer[] = [];
  const started = performance.now();
  for (let from = 0; from < pages.length; from += PER_MESSAGE) {
    messages.push(serialize({ type: 'results', results: pages.slice(from, from + PER_MESSAGE) }));
  }
  const serializeUs = ((performance.now() - started) * 1000) / pages.length;
  return { name: dir, schema: workerToMainSchema, messages, serializeUs };
}

/** One round: every message REPEAT times through main's steps; CPU µs a page and each step's. */
async function round(tree: Tree, thread: Worker) {
  const steps = { read: 0, check: 0, post: 0 };
  const cpu = process.cpuUsage();
  let batch: { task: { id: number; url: string; depth: number }; page: unknown }[] = [];
  let pages = 0;
  for (let repeat = 0; repeat < REPEAT; repeat++) {
    for (const bytes of tree.messages) {
      const t0 = performance.now();
      const raw = deserialize(bytes);
      const t1 = performance.now();
      const message = tree.schema.parse(raw);
      const t2 = performance.now();
      if (message.results === undefined) throw new Error('not a results message');
      for (const page of message.results) {
        batch.push({ task: { id: page.taskId, url: 'x', depth: 1 }, page });
        pages++;
      }
      if (batch.length >= BATCH) {
        thread.postMessage(batch);
        batch = [];
      }
      steps.read += t1 - t0;
      steps.check += t2 - t1;
      steps.post += performance.now() - t2;
    }
  }
  if (batch.length > 0) thread.postMessage(batch);
  const answered = new Promise((done) => thread.once('message', done));
  thread.postMessage('end');
  await answered;
  const used = process.cpuUsage(cpu);
  const perPage = (ms: number) => (ms * 1000) / pages;
  return {
    cpuUs: (used.user + used.system) / pages,
    readUs: perPage(steps.read),
    checkUs: perPage(steps.check),
    postUs: perPage(steps.post),
  };
}

const trees: Tree[] = [];
for (const dir of TREES) trees.push(await loadTree(dir));
const thread = new Worker(THREAD, { eval: true });
console.log(
  `${PAGES} pages x ${REPEAT} a round, ${PER_MESSAGE} results a message, batches of ${BATCH}, ` +
    `Node ${process.version}`,
);
for (const tree of trees) {
  const bytes = tree.messages.reduce((sum, message) => sum + message.length, 0) / PAGES;
  console.log(
    `  ${tree.name}: ${bytes.toFixed(0)} IPC bytes a page, serialized in ${tree.serializeUs.toFixed(1)} µs`,
  );
}
// One round each to warm up, not counted.
for (const tree of trees) await round(tree, thread);
const cpu = new Map(trees.map((tree) => [tree, [] as number[]]));
for (let n = 0; n < ROUNDS; n++) {
  for (const tree of trees) {
    const { cpuUs, readUs, checkUs, postUs } = await round(tree, thread);
    cpu.get(tree)!.push(cpuUs);
    console.log(
      `  ${tree.name.padEnd(16)} ${cpuUs.toFixed(1)} µs a page (read ${readUs.toFixed(1)}, ` +
        `check ${checkUs.toFixed(1)}, batch and post ${postUs.toFixed(1)})`,
    );
  }
}
for (const [tree, runs] of cpu) {
  console.log(`${tree.name.padEnd(18)} median ${median(runs).toFixed(1)} µs a page`);
}
await thread.terminate();
