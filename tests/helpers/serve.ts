import type { ChildProcess } from 'node:child_process';
import { startCli, type CliResult } from './cli';

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

/** Starts `trawl serve --port 0 …` as a real child process and waits for its URL. */
export async function startServe(args: string[], timeoutMs = 120_000): Promise<ServeProcess> {
  const { child, result } = startCli(['serve', '--port', '0', ...args]);
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
