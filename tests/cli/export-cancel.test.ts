import { existsSync } from 'node:fs';
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openDatabase } from '../../electron/engine/store/database';
import type { ExportOutcome, ExportUpdate } from '../../shared/crawler-api';
import { UI_SOCKET_PATH, type ServerMessage } from '../../shared/ui-protocol';
import { startCli } from '../helpers/cli';
import { waitFor } from '../helpers/processes';
import { servePerFile } from '../helpers/serve';
import { storeJob } from '../results/stored-job';

/** Exports stopped midway: a `trawl serve` download (the dialog's Cancel) and `trawl export` (Ctrl-C). */

const PAGES = 20_000;
let jobId = 0;
const env = servePerFile((dbFile) => {
  const db = openDatabase(dbFile);
  jobId = storeJob(
    db,
    Array.from({ length: PAGES }, (_, n) => ({ url: `http://127.0.0.1:9/${n}`, page: {} })),
  );
  db.close();
});

describe('trawl serve: cancelling an export', () => {
  it('cuts the download off, reports the export cancelled, and serves the next one whole', async () => {
    const cookie = `trawl_token_${env.serve.port}=${env.serve.token}`;
    const socket = new WebSocket(`ws://127.0.0.1:${env.serve.port}${UI_SOCKET_PATH}`, {
      headers: { origin: env.serve.origin, cookie },
    });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const updates: ExportUpdate[] = [];
    const answers = new Map<number, (message: ServerMessage) => void>();
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (message.type === 'export-progress') updates.push(message.update);
      if (message.type === 'response') answers.get(message.seq)?.(message);
    });
    let seq = 0;
    const call = (method: string, args: unknown[]) =>
      new Promise<unknown>((resolve, reject) => {
        answers.set(++seq, (message) =>
          message.type === 'response' && message.ok
            ? resolve(message.value)
            : reject(new Error(JSON.stringify(message))),
        );
        socket.send(JSON.stringify({ type: 'request', seq, method, args }));
      });

    /** Downloads an export; `paused` holds the reading after the first chunk until released. */
    const download = async (paused?: Promise<void>) => {
      const outcome = (await call('exportJob', [{ jobId, format: 'csv' }])) as ExportOutcome;
      if (outcome.kind !== 'download') throw new Error(`not a download: ${outcome.kind}`);
      return new Promise<{ bytes: number; complete: boolean }>((resolve, reject) => {
        const request = http.get(`${env.serve.origin}${outcome.url}`, { headers: { cookie } });
        request.on('error', reject);
        request.on('response', (response) => {
          let bytes = 0;
          response.on('data', (chunk: Buffer) => {
            if (bytes === 0 && paused) {
              response.pause();
              void paused.then(() => response.resume());
            }
            bytes += chunk.length;
          });
          response.on('end', () => resolve({ bytes, complete: response.complete }));
          response.on('error', () => resolve({ bytes, complete: false }));
          response.on('aborted', () => resolve({ bytes, complete: false }));
        });
      });
    };

    try {
      let release!: () => void;
      const cancelled = download(new Promise((resolve) => (release = resolve)));
      await expect.poll(() => updates.length).toBeGreaterThan(0);
      const exportId = updates[0]!.exportId;
      await call('cancelExport', [exportId]);
      release();
      const cut = await cancelled;
      expect(cut.complete).toBe(false);
      await expect
        .poll(() => updates.filter((update) => update.exportId === exportId).at(-1))
        .toMatchObject({ done: true, cancelled: true });
      const last = updates.filter((update) => update.exportId === exportId).at(-1)!;
      expect(last.rows).toBeLessThan(PAGES);

      // Cancelling an export that ended, or one that never was, changes nothing.
      await call('cancelExport', [exportId]);
      const whole = await download();
      expect(whole.complete).toBe(true);
      await expect
        .poll(() => updates.filter((update) => update.exportId !== exportId).at(-1))
        .toEqual(expect.objectContaining({ done: true, rows: PAGES }));
      expect(updates.at(-1)!.cancelled).toBeUndefined();
      expect(whole.bytes).toBeGreaterThan(cut.bytes);
    } finally {
      socket.close();
    }
  }, 120_000);
});

describe('trawl export: Ctrl-C or SIGTERM', () => {
  // SIGTERM: `timeout`, `docker stop`, a cancelled CI job, as for `trawl crawl`.
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s stops, removes the partial file and says so',
    async (signal) => {
      const out = env.temp.file(`interrupted-${signal}.xlsx`);
      const args = ['export', String(jobId), '--db', env.temp.file('serve.sqlite')];
      const { child, result } = startCli([...args, '--format', 'xlsx', '--out', out]);
      await waitFor(() => existsSync(out), 'the export to start writing', 60_000);
      child.kill(signal);
      const end = await result;
      expect(end.code).toBe(1);
      expect(end.stderr).toContain(`export interrupted: ${out} was not written`);
      expect(existsSync(out)).toBe(false);
    },
    120_000,
  );
});
