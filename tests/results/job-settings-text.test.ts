import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ExportRuns } from '../../electron/engine/export/export-runs';
import type { ProcessLauncher } from '../../electron/engine/process-launcher';
import { ResultsClient } from '../../electron/engine/results/results-client';
import { openDatabase, type Db } from '../../electron/engine/store/database';
import { JobStore } from '../../electron/engine/store/job-store';
import { CrawlerHost } from '../../electron/serve/crawler-host';
import { startServeHost, type ServeHost } from '../../electron/serve/serve-host';
import { jobSettingsSchema } from '../../shared/job-settings';
import { fromJsonText, isJsonText } from '../../shared/json-text';
import { UI_SOCKET_PATH, type ServerMessage } from '../../shared/ui-protocol';
import { tempDir } from '../helpers/temp-db';

let temp: ReturnType<typeof tempDir>;
let db: Db;
let results: ResultsClient;
beforeEach(() => {
  temp = tempDir();
  db = openDatabase(temp.file('settings.sqlite'));
  results = new ResultsClient(temp.file('settings.sqlite'), () => undefined);
});
afterEach(async () => {
  await results.close();
  db.close();
  temp.cleanup();
});

/** A list job of 100,000 URLs whose settings hold quotes, a backslash and non-ASCII text. */
function storeListJob() {
  const startUrls = Array.from({ length: 100_000 }, (_, n) => `http://127.0.0.1:9/p/${n}?q="${n}"`);
  const settings = jobSettingsSchema.parse({
    startUrls,
    mode: 'list',
    workers: 2,
    headers: { 'X-Note': 'say "héllo" \\ 東京' },
  });
  const job = new JobStore(db).create(settings);
  return { jobId: job.id, expected: new JobStore(db).settingsAndUrls(job.id), startUrls };
}

describe("a job's settings for the New crawl form", () => {
  it('come from the results thread as JSON text, moved to main, that decodes to every setting and start URL', async () => {
    const { jobId, expected, startUrls } = storeListJob();
    const answer = await results.getJobSettings(jobId);
    expect(isJsonText(answer)).toBe(true);
    const decoded = fromJsonText(answer) as typeof expected;
    expect(decoded).toEqual(expected);
    expect(decoded.startUrls.split('\n')).toEqual(startUrls);
    expect(decoded.settings.headers).toEqual({ 'X-Note': 'say "héllo" \\ 東京' });
  });

  it('reach a trawl serve page whole, in a response frame like any other', async () => {
    const { jobId, expected } = storeListJob();
    const exports = new ExportRuns();
    const api = new CrawlerHost({
      db,
      launcher: {} as ProcessLauncher,
      version: '0.1.0',
      results,
      exportJob: async () => ({ kind: 'cancelled' }),
      exports,
    });
    const host: ServeHost = await startServeHost({
      api,
      exports,
      staticDir: temp.dir,
      dbFile: temp.file('settings.sqlite'),
      host: '127.0.0.1',
      port: 0,
      logger: () => undefined,
    });
    const socket = new WebSocket(`${host.origin.replace('http', 'ws')}${UI_SOCKET_PATH}`, {
      headers: { authorization: `Bearer ${host.token}`, origin: host.origin },
    });
    try {
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const messages: ServerMessage[] = [];
      socket.on('message', (data, isBinary) => {
        expect(isBinary).toBe(false);
        messages.push(JSON.parse(data.toString()) as ServerMessage);
      });
      const request = (seq: number, method: string, args: unknown[]) =>
        socket.send(JSON.stringify({ type: 'request', seq, method, args }));
      request(1, 'getJobSettings', [jobId]);
      request(2, 'getJobSettings', [jobId + 1]);
      request(3, 'getVersion', []);
      await expect.poll(() => messages.length, { timeout: 20_000 }).toBe(3);
      expect(messages).toEqual(
        expect.arrayContaining([
          { type: 'response', seq: 1, ok: true, value: expected },
          {
            type: 'response',
            seq: 2,
            ok: false,
            error: { name: 'UserError', message: `no job with id ${jobId + 1}` },
          },
          { type: 'response', seq: 3, ok: true, value: '0.1.0' },
        ]),
      );
    } finally {
      socket.close();
      await host.close();
    }
  });
});
