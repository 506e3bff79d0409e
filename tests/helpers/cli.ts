import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const TRAWL_BIN = fileURLToPath(new URL('../../bin/trawl.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts `trawl …` as a real child process; `env` adds to this process's
 * environment. `group`: in a process group of its own, which a signal to
 * `-child.pid` reaches whole, as a terminal's Ctrl-C or `docker stop` does.
 * `input`: written to its standard input, then closed (else it has none).
 * `cwd`: the folder it runs in (else this process's).
 */
export function startCli(
  args: string[],
  env: Record<string, string> = {},
  options: { group?: boolean; input?: string; cwd?: string } = {},
): { child: ChildProcess; result: Promise<CliResult> } {
  const child = spawn(process.execPath, [TRAWL_BIN, ...args], {
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
    detached: options.group ?? false,
    ...(options.cwd !== undefined && { cwd: options.cwd }),
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  return { child, result: outcome(child) };
}

function outcome(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

export function runCli(args: string[], env?: Record<string, string>): Promise<CliResult> {
  return startCli(args, env).result;
}

/**
 * Runs `trawl …` with its output on a pseudo-terminal (util-linux `script`),
 * as a person at a terminal sees it; the terminal writes each `\n` as `\r\n`.
 */
export function runCliOnTerminal(args: string[]): Promise<CliResult> {
  const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, TRAWL_BIN, ...args].map(quote).join(' ');
  const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return outcome(child);
}
