import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Frontier } from '../../electron/engine/frontier';
import { JobStore } from '../../electron/engine/store/job-store';
import { StoreWriter } from '../../electron/engine/store-writer/store-writer';
import { jobSettingsSchema } from '../../shared/job-settings';
import { DEFAULT_URL_RULES } from '../../shared/url-normalize';
import type { CrawlTask } from '../../shared/worker-protocol';
import { fetchedPage } from '../results/stored-job';
import { engineEnv } from './engine-env';

const env = engineEnv();
const O = 'http://127.0.0.1:9';

// A full collection on demand, to see what main's heap still holds.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

describe("main's frontier", () => {
  it("lets go of a batch's pages once they are sent, before the writer answers", async () => {
    const job = new JobStore(env.db).create(
      jobSettingsSchema.parse({ startUrls: [`${O}/`], workers: 1 }),
    );
    const writer = new StoreWriter(
      env.db,
      {
        jobId: job.id,
        maxDepth: null,
        robotsAgent: 'Trawl',
        scope: { scope: 'host', startUrls: [`${O}/`], include: [], exclude: [] },
        recordExternal: false,
        urls: DEFAULT_URL_RULES,
        honourNofollow: true,
      },
      () => undefined,
    );
    let wake = () => {};
    const frontier = new Frontier(env.db, job.id, writer, {
      onWake: () => wake(),
      onError: (error) => {
        throw error;
      },
      crawlMs: () => 0,
    });
    try {
      frontier.seedStartUrls();
      const task = await new Promise<CrawlTask>((resolve) => {
        wake = () => {
          const taken = frontier.take();
          if (taken) resolve(taken);
        };
        wake();
      });
      // The page (30 links, as a crawled page has) is referenced from here only weakly.
      const page = new WeakRef(recordPage(frontier, task));
      frontier.flush();
      // Until the writer answers, the batch is in the writer thread's hands, not main's:
      // held to the answer, every batch's pages outlived young-generation collections.
      const heldAtAnswer = await new Promise<boolean>((resolve) => {
        wake = () => {
          if (frontier.writesInFlight > 0) return;
          collectGarbage();
          resolve(page.deref() !== undefined);
        };
      });
      expect(heldAtAnswer).toBe(false);
      expect(frontier.pages).toBe(1);
      await frontier.release(); // commits what the writer holds
      expect(env.storedUrls(job.id)).toEqual([`${O}/`]);
    } finally {
      await writer.close();
    }
  });
});

function recordPage(frontier: Frontier, task: CrawlTask): object {
  const links = Array.from({ length: 30 }, (_, i) => `${O}/p/${i}`);
  const page = fetchedPage(task.url, { links });
  frontier.recordPage(task, page, 1);
  return page;
}
