import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import { afterAll, beforeAll, expect } from 'vitest';
import { startCli, type CliResult } from './cli';
import { expectNoSurvivors, tagProcesses } from './processes';
import { tempDir } from './temp-db';

export interface ServeProcess {
  child: ChildProcess;
  /** The printed URL, token included. */
  url: string;
  origin: string;
  token: string;
  port: number;
  /** SIGINT (graceful: running jobs stop), then the exit. */
  stop(): Promise<CliResult>;
}

/**
 * Starts `trawl serve --port 0 …` as a real child process and waits for its
 * URL; `env` adds to its environment.
 */
export async function startServe(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 120_000,
): Promise<ServeProcess> {
  const { child, result } = startCli(['serve', '--port', '0', ...args], env);
  let stdout = '';
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`trawl serve printed no URL:\n${stderr}`)),
      timeoutMs,
    );
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = /^(http:\/\/\S+)\n/.exec(stdout);
      if (line) {
        clearTimeout(timer);
        resolve(line[1]!);
      }
    });
    void result.then((end) => {
      clearTimeout(timer);
      reject(new Error(`trawl serve exited with ${end.code}:\n${end.stderr}`));
    });
  });
  const parsed = new URL(url);
  return {
    child,
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token')!,
    port: Number(parsed.port),
    stop: () => {
      child.kill('SIGINT');
      return result;
    },
  };
}

/**
 * `trawl serve` on a fresh database for the tests of the calling file:
 * `prepare` may fill the database first; after the tests it is stopped,
 * must exit cleanly and leave no worker behind. Read `serve` inside tests.
 */
export function servePerFile(prepare?: (dbFile: string) => void): {
  readonly serve: ServeProcess;
  readonly temp: ReturnType<typeof tempDir>;
} {
  let serve: ServeProcess | undefined;
  let temp: ReturnType<typeof tempDir> | undefined;
  let tag = '';
  beforeAll(async () => {
    tag = tagProcesses();
    temp = tempDir();
    const dbFile = temp.file('serve.sqlite');
    prepare?.(dbFile);
    serve = await startServe(['--db', dbFile]);
  }, 180_000);
  afterAll(async () => {
    const end = await serve?.stop();
    expect(end?.code).toBe(0);
    await expectNoSurvivors(tag);
    temp?.cleanup();
  });
  return {
    get serve() {
      return serve!;
    },
    get temp() {
      return temp!;
    },
  };
}

/** A raw request (no client-side URL clean-up) to `url`, for status, headers and body. */
export function httpRequest(url: string, headers: http.OutgoingHttpHeaders = {}, method = 'GET') {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      const request = http.request(url, { method, headers }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () =>
          resolve({ status: response.statusCode!, headers: response.headers, body }),
        );
      });
      request.on('error', reject);
      request.end();
    },
  );
}
